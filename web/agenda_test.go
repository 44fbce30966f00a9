package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// sessionItem returns the agenda item of session id in the editor's page: where its messages
// must stand.
func sessionItem(t *testing.T, p page, id string) string {
	t.Helper()
	start := strings.Index(p.body, `<li class="session" id="s-`+id+`">`)
	if start < 0 {
		t.Fatalf("the editor lists no session %s:\n%s", id, p.body)
	}
	end := strings.Index(p.body[start:], "</li>")
	return p.body[start : start+end]
}

func TestAgendaEditor(t *testing.T) {
	s := startService(t)
	id, welcome := s.workshop("Kommunale Wärmeplanung", 10) // Begrüßung, 16 Nov 09:30-10:00 in Saal 1
	var talk struct{ ID string }
	s.api(http.MethodPost, "/api/v1/workshops/"+id+"/sessions", organiserToken, map[string]any{"title": "Hitzeschutz in Schulen",
		"kind": "talk", "day": "2026-11-16", "starts": "10:30", "ends": "11:15", "room": "Saal 2", "speakers": []string{"Dr. Jana Roth"}}, &talk)
	b := s.signIn(t)
	editor := "/organiser/workshops/" + id
	form := b.get(editor)
	form.mustContain(t, "the editor", `id="s-`+talk.ID+`-f-title" name="title" type="text" value="Hitzeschutz in Schulen"`,
		`id="s-`+talk.ID+`-f-speakers" name="speakers" type="text" value="Dr. Jana Roth"`, `<option value="talk" selected>`)
	edit := func(sessionID string, values url.Values) page {
		t.Helper()
		values.Set("_csrf", form.csrf(t))
		return b.post(editor+"/sessions/"+sessionID, values)
	}
	values := func(title, room, starts, ends string) url.Values {
		return url.Values{"title": {title}, "kind": {"discussion"}, "day": {"2026-11-16"}, "starts": {starts},
			"ends": {ends}, "room": {room}, "speakers": {"Dr. Jana Roth, Ben Okafor"}}
	}

	t.Run("change title, kind, room and speakers", func(t *testing.T) {
		p := edit(talk.ID, values("Hitzeschutz an Schulen", "Saal 3", "10:30", "11:15"))
		if p.status != http.StatusSeeOther {
			t.Fatalf("save the session: got %d, want 303:\n%s", p.status, p.body)
		}
		item := sessionItem(t, b.get(editor), talk.ID)
		for _, want := range []string{"10:30–11:15 Hitzeschutz an Schulen", "Diskussion", "Raum: Saal 3", "Dr. Jana Roth, Ben Okafor"} {
			if !strings.Contains(item, want) {
				t.Errorf("the changed session: got %s, want it to hold %q", item, want)
			}
		}
	})
	t.Run("a room conflict shows next to the session", func(t *testing.T) {
		p := edit(talk.ID, values("Hitzeschutz an Schulen", "Saal 1", "09:45", "10:15"))
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("move into an occupied room: got %d, want 422", p.status)
		}
		item := sessionItem(t, p, talk.ID)
		for _, want := range []string{`role="alert"`, "Der Raum ist zu dieser Zeit schon belegt (&#34;Begrüßung&#34; in Saal 1, 09:30-10:00)",
			"<details open>", `value="09:45"`, `value="Saal 1"`} {
			if !strings.Contains(item, want) {
				t.Errorf("the session after a room conflict: got %s, want it to hold %q", item, want)
			}
		}
		if other := sessionItem(t, p, welcome); strings.Contains(other, "belegt") {
			t.Errorf("the conflict shows at the other session too: %s", other)
		}
	})
	t.Run("a field error shows next to its field", func(t *testing.T) {
		p := edit(talk.ID, values("", "Saal 3", "10:30", "11:15"))
		item := sessionItem(t, p, talk.ID)
		if want := `id="s-` + talk.ID + `-e-title">Bitte ausfüllen.`; p.status != http.StatusUnprocessableEntity || !strings.Contains(item, want) {
			t.Errorf("save without a title: got %d and %s, want 422 and %q", p.status, item, want)
		}
	})
	t.Run("cancel a session twice", func(t *testing.T) {
		cancel := url.Values{"_csrf": {form.csrf(t)}}
		if p := b.post(editor+"/sessions/"+welcome+"/cancel", cancel); p.status != http.StatusSeeOther {
			t.Fatalf("cancel the session: got %d, want 303", p.status)
		}
		p := b.post(editor+"/sessions/"+welcome+"/cancel", cancel)
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("cancel it again: got %d, want 422", p.status)
		}
		p.mustContain(t, "cancel it again", `<div class="alert" role="alert">Diesen Programmpunkt gibt es nicht.</div>`)
		if strings.Contains(p.body, `id="s-`+welcome+`"`) {
			t.Errorf("the editor still lists the cancelled session")
		}
	})
}
