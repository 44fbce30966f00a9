package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// seriesWorkshop schedules a one-day workshop of series through the JSON API.
func (s *service) seriesWorkshop(title, series, day string) string {
	s.t.Helper()
	var w struct{ ID string }
	s.api(http.MethodPost, "/api/v1/workshops", organiserToken, map[string]any{"title": title, "series": series,
		"venue": "Rathaus Kassel", "days": []string{day}, "capacity": 20}, &w)
	return w.ID
}

// followUpBoard is the organiser's JSON of a workshop's topics.
type followUpBoard struct {
	Voting string
	Topics []struct {
		ID, Title, Status string
		Voters            int
		MergedInto        string `json:"merged_into"`
		Link              *struct {
			Workshop  string `json:"workshop_id"`
			SessionID string `json:"session_id"`
		}
	}
}

func (s *service) board(id string) followUpBoard {
	s.t.Helper()
	var b followUpBoard
	s.api(http.MethodGet, "/api/v1/workshops/"+id+"/topics", organiserToken, nil, &b)
	return b
}

// topic returns the id of the topic with title.
func (b followUpBoard) topic(t *testing.T, title string) string {
	t.Helper()
	for _, tp := range b.Topics {
		if tp.Title == title {
			return tp.ID
		}
	}
	t.Fatalf("no topic %q among %+v", title, b.Topics)
	return ""
}

// own is a participant's follow-up page and the forms on it, posted with their token.
type own struct {
	b    *browser
	path string // the personal address, without the token
	p    participant
}

func (s *service) own(id string, p participant) own {
	return own{b: s.browser(), path: "/w/" + id + "/r/" + p.id, p: p}
}

func (o own) page(t *testing.T) page {
	t.Helper()
	return o.b.get(o.path+"/topics?token="+url.QueryEscape(o.p.token)).wantStatus(t, "open the topics page", http.StatusOK)
}

func (o own) post(t *testing.T, path string, v url.Values) page {
	t.Helper()
	v.Set("_csrf", o.page(t).csrf(t))
	v.Set("token", o.p.token)
	return o.b.post(o.path+path, v)
}

// TestFollowUpPages walks proposing, voting, the ranking, merging, action items and the backlog
// of the next workshop through the pages' forms, the rejections included.
func TestFollowUpPages(t *testing.T) {
	s := startService(t)
	first := s.seriesWorkshop("Wärmeplanung I", "waerme", "2026-11-16")
	ann := s.registerWithToken(first, "Ann Albers", "Stadt Kassel")
	ben := s.registerWithToken(first, "Ben Okafor", "Landkreis Fulda")
	b := s.signIn(t)
	topics := "/organiser/workshops/" + first + "/topics"
	org := b.get(topics).wantStatus(t, "open the organiser's topics page", http.StatusOK)
	csrf := org.csrf(t)
	post := func(path string, v url.Values) page {
		t.Helper()
		v.Set("_csrf", csrf)
		return b.post(path, v)
	}
	anns, bens := s.own(first, ann), s.own(first, ben)

	anns.page(t).mustContain(t, "before voting", "Die Abstimmung hat noch nicht begonnen.", "Thema vorschlagen")
	anns.post(t, "/topics", url.Values{"title": {""}}).wantStatus(t, "propose without title", http.StatusUnprocessableEntity).
		mustContain(t, "propose without title", `id="e-title">Bitte ausfüllen.`)
	for _, title := range []string{"Fördermittel", "Wärmenetze", "Förderung"} {
		anns.post(t, "/topics", url.Values{"title": {title}, "key": {title}}).wantStatus(t, "propose "+title, http.StatusSeeOther)
	}
	post(topics, url.Values{"title": {"Abwärme"}, "source": {"closing_discussion"}, "key": {"k1"}}).
		wantStatus(t, "propose as organiser", http.StatusSeeOther)
	bo := s.board(first)
	if len(bo.Topics) != 4 {
		t.Fatalf("after four proposals: got %d topics, want 4", len(bo.Topics))
	}

	t.Run("voting", func(t *testing.T) {
		bens.post(t, "/votes", url.Values{"topic": {bo.topic(t, "Wärmenetze")}}).
			wantStatus(t, "vote before voting opens", http.StatusUnprocessableEntity).
			mustContain(t, "vote before voting opens", "Abgestimmt werden kann nur, solange die Abstimmung läuft.")
		post(topics+"/voting", url.Values{"action": {"open"}}).wantStatus(t, "open voting", http.StatusSeeOther)
		post(topics+"/limit", url.Values{"limit": {"99"}}).wantStatus(t, "a limit of 99", http.StatusUnprocessableEntity).
			mustContain(t, "a limit of 99", "Bitte eine Zahl von 1 bis 20 angeben.")
		post(topics+"/limit", url.Values{"limit": {"2"}}).wantStatus(t, "a limit of 2", http.StatusSeeOther)
		anns.page(t).mustContain(t, "open voting", "Sie haben noch 2 von 2 Stimmen.", `type="checkbox" name="topic"`)
		three := url.Values{"topic": {bo.topic(t, "Wärmenetze"), bo.topic(t, "Fördermittel"), bo.topic(t, "Abwärme")}}
		anns.post(t, "/votes", three).wantStatus(t, "three votes of two", http.StatusUnprocessableEntity).
			mustContain(t, "three votes of two", `id="e-topics">Sie haben 3 Themen angekreuzt, aber nur 2 Stimmen.`, "checked")
		voted := anns.post(t, "/votes", url.Values{"topic": {bo.topic(t, "Wärmenetze"), bo.topic(t, "Fördermittel")}}).
			wantStatus(t, "two votes", http.StatusSeeOther)
		anns.b.get(voted.header.Get("Location")).mustContain(t, "after voting", "Ihre Stimmen sind gespeichert.")
		bens.post(t, "/votes", url.Values{"topic": {bo.topic(t, "Wärmenetze"), bo.topic(t, "Förderung")}}).
			wantStatus(t, "Ben's votes", http.StatusSeeOther)
		anns.page(t).mustContain(t, "after voting", "Sie haben noch 0 von 2 Stimmen.")
	})

	t.Run("ranking and merge", func(t *testing.T) {
		ranking := b.get(topics+"/ranking").wantStatus(t, "the projector", http.StatusOK)
		ranking.mustContain(t, "the projector", "Live-Rangliste", "Abstimmung läuft", "2 Personen haben abgestimmt",
			`hx-trigger="every 5s"`)
		if i, j := strings.Index(ranking.body, "Wärmenetze"), strings.Index(ranking.body, "Abwärme"); i < 0 || i > j {
			t.Errorf("the projector: got Wärmenetze at %d and Abwärme at %d, want the most voted first", i, j)
		}
		b.header.Set("HX-Request", "true")
		fragment := b.get(topics + "/ranking")
		b.header.Del("HX-Request")
		if strings.Contains(fragment.body, "<html") || !strings.Contains(fragment.body, `id="ranking"`) {
			t.Errorf("the projector's poll: got %q, want the ranking alone", fragment.body)
		}
		post(topics+"/"+bo.topic(t, "Förderung")+"/merge", url.Values{"into": {bo.topic(t, "Förderung")}}).
			wantStatus(t, "merge into itself", http.StatusUnprocessableEntity).mustContain(t, "merge into itself", "Bitte ein anderes Thema wählen.")
		post(topics+"/"+bo.topic(t, "Förderung")+"/merge", url.Values{"into": {bo.topic(t, "Fördermittel")}}).
			wantStatus(t, "merge the duplicate", http.StatusSeeOther)
		b.get(topics).mustContain(t, "after the merge", "enthält „Förderung“", "2 Stimmen")
		post(topics+"/"+bo.topic(t, "Abwärme")+"/status", url.Values{"status": {"dropped"}}).
			wantStatus(t, "drop a topic", http.StatusSeeOther)
		post(topics+"/voting", url.Values{"action": {"close"}}).wantStatus(t, "close voting", http.StatusSeeOther)
		anns.page(t).mustContain(t, "after voting closed", "Die Abstimmung ist beendet.", "Ihre Stimme")
	})

	second := s.seriesWorkshop("Wärmeplanung II", "waerme", "2027-03-10")
	t.Run("action items", func(t *testing.T) {
		b.get(topics).mustContain(t, "the due date suggested", `value="2027-03-10"`)
		items := "/organiser/workshops/" + first + "/action-items"
		post(items, url.Values{"what": {"Förderaufruf verteilen"}, "who": {ann.id}, "organisation": {"Stadt Kassel"}}).
			wantStatus(t, "a person and an organisation", http.StatusUnprocessableEntity).
			mustContain(t, "a person and an organisation", `id="a-e-who">Bitte entweder eine Person`)
		post(items, url.Values{"what": {"Förderaufruf verteilen"}, "who": {ann.id}, "due_by": {"2027-03-10"}, "key": {"i1"}}).
			wantStatus(t, "agree Ann's item", http.StatusSeeOther)
		post(items, url.Values{"what": {"Musterausschreibung teilen"}, "organisation": {"Energieagentur"}, "key": {"i2"}}).
			wantStatus(t, "agree an organisation's item", http.StatusSeeOther)
		page := anns.page(t)
		page.mustContain(t, "Ann's items", "Ihre Aufgaben", "Förderaufruf verteilen", "fällig bis Mi., 10.03.2027")
		aid := between(t, page.body, `/action-items/`, `/done`)
		bens.post(t, "/action-items/"+aid+"/done", url.Values{}).wantStatus(t, "Ben closes Ann's item", http.StatusUnprocessableEntity).
			mustContain(t, "Ben closes Ann's item", "Nur die genannte Person oder das Orga-Team")
		closed := anns.post(t, "/action-items/"+aid+"/done", url.Values{}).wantStatus(t, "Ann closes her item", http.StatusSeeOther)
		anns.b.get(closed.header.Get("Location")).mustContain(t, "after closing", "Die Aufgabe ist abgehakt.", "✓ erledigt")
	})

	t.Run("backlog of the next workshop", func(t *testing.T) {
		backlog := "/organiser/workshops/" + second + "/backlog"
		list := b.get(backlog).wantStatus(t, "open the backlog", http.StatusOK)
		list.mustContain(t, "the backlog", "Wärmenetze", "Fördermittel", "aus „Wärmeplanung I“", "vorgeschlagen von Ann Albers",
			"Musterausschreibung teilen", "Energieagentur")
		if strings.Contains(list.body, "Abwärme") || strings.Contains(list.body, "Förderaufruf verteilen") {
			t.Errorf("the backlog: got a dropped topic or a done item, want only open ones:\n%s", list.body)
		}
		plan := func(title, topic, starts, ends, key string) page {
			return post(backlog+"/"+topic, url.Values{"title": {title}, "kind": {"discussion"}, "day": {"2027-03-10"},
				"starts": {starts}, "ends": {ends}, "room": {"Saal 2"}, "key": {key}})
		}
		plan("Wärmenetze", bo.topic(t, "Wärmenetze"), "10:00", "09:00", "p1").wantStatus(t, "a session ending before it starts", http.StatusUnprocessableEntity).
			mustContain(t, "a session ending before it starts", "Bitte prüfen Sie die markierten Angaben.")
		plan("Wärmenetze", bo.topic(t, "Wärmenetze"), "10:00", "11:00", "p2").wantStatus(t, "plan the topic", http.StatusSeeOther)
		after := s.board(first)
		linked := after.Topics[slices.IndexFunc(after.Topics, func(x struct {
			ID, Title, Status string
			Voters            int
			MergedInto        string `json:"merged_into"`
			Link              *struct {
				Workshop  string `json:"workshop_id"`
				SessionID string `json:"session_id"`
			}
		}) bool {
			return x.ID == bo.topic(t, "Wärmenetze")
		})]
		if linked.Title != "Wärmenetze" || linked.Status != "planned" || linked.Link == nil || linked.Link.Workshop != second {
			t.Errorf("the planned topic: got %+v, want Wärmenetze planned into %s", linked, second)
		}
		for range 2 { // the merged topic cannot be linked; sending again plans no second session
			plan("Förderung", bo.topic(t, "Förderung"), "11:00", "12:00", "p3").wantStatus(t, "plan a merged topic", http.StatusUnprocessableEntity).
				mustContain(t, "plan a merged topic", "Der Programmpunkt „Förderung“ ist angelegt, aber das Thema konnte nicht")
		}
		editor := b.get("/organiser/workshops/" + second)
		if n := strings.Count(editor.body, "<strong>11:00–12:00 Förderung</strong>"); n != 1 {
			t.Errorf("the agenda after sending twice: got %d sessions Förderung, want 1", n)
		}
		editor.mustContain(t, "the agenda", "10:00–11:00 Wärmenetze")
		done := post("/organiser/workshops/"+first+"/action-items/"+between(t, list.body, "/action-items/", "/done")+"/done",
			url.Values{"back": {backlog}})
		if got := done.header.Get("Location"); done.status != http.StatusSeeOther || !strings.HasPrefix(got, backlog) {
			t.Errorf("close an earlier item from the backlog: got %d to %q, want 303 to the backlog", done.status, got)
		}
		b.get(backlog).mustContain(t, "after closing", "Keine offenen Aufgaben.")
	})
}

// between returns the text of s between the first before and the next after.
func between(t *testing.T, s, before, after string) string {
	t.Helper()
	_, rest, ok := strings.Cut(s, before)
	got, _, ok2 := strings.Cut(rest, after)
	if !ok || !ok2 {
		t.Fatalf("no %q…%q in:\n%s", before, after, s)
	}
	return got
}
