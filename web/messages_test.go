package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestMessagesPage: the organiser writes to the waitlist on the workshop's messages page, in
// German and in English; a message without a group or subject comes back with the messages at
// the fields; the sent message is listed. The reminder days are set on the workshop's form.
func TestMessagesPage(t *testing.T) {
	s := startService(t)
	var w struct{ ID string }
	s.api(http.MethodPost, "/api/v1/workshops", organiserToken, map[string]any{"title": "Ideenwerkstatt",
		"venue": "Rathaus Kassel", "days": []string{"2026-11-16"}, "capacity": 1}, &w)
	for _, name := range []string{"Ada", "Bo"} {
		s.api(http.MethodPost, "/api/v1/workshops/"+w.ID+"/registrations", "", map[string]any{"name": name,
			"email": strings.ToLower(name) + "@example.org", "organisation": "Verein", "consent": true}, nil)
	}
	br := s.signIn(t)
	path := "/organiser/workshops/" + w.ID + "/messages"
	p := br.get(path)
	p.mustContain(t, "the messages page", "<h1>Nachrichten: Ideenwerkstatt", "Nachricht senden", `name="to" value="waitlisted"`,
		"auf der Warteliste", "Noch keine Nachricht gesendet.")
	br.get("/organiser/workshops/"+w.ID).mustContain(t, "the workshop's link", `href="`+path+`"`, `name="reminder_days"`, `value="2"`)
	csrf := p.csrf(t)

	res := br.post(path, url.Values{"_csrf": {csrf}, "key": {"m1"}, "subject": {""}, "text": {"x"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("no group, no subject: got %d, want 422", res.status)
	}
	res.mustContain(t, "the refused message", `id="e-to"`, `id="e-subject"`)

	res = br.post(path, url.Values{"_csrf": {csrf}, "key": {"m2"}, "to": {"waitlisted"}, "subject": {"Noch ein Platz?"},
		"text": {"Es wird knapp.\r\nBitte bereithalten."}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("send: got %d, want 303:\n%s", res.status, res.body)
	}
	br.get(path+"?sent=1").mustContain(t, "the sent message", "Die Nachricht geht an 1 Person.", `id="messages"`, "Noch ein Platz?")
	br.get("/organiser/workshops/"+w.ID+"/history").mustContain(t, "the history", "Nachricht „Noch ein Platz?“ verschickt (Personen: 1)")
	br.get(path+"?lang=en").mustContain(t, "the English page", "<h1>Messages: Ideenwerkstatt", "Send a message", "on the waitlist", "Noch ein Platz?")

	edit := "/organiser/workshops/" + w.ID
	res = br.post(edit, url.Values{"_csrf": {csrf}, "title": {"Ideenwerkstatt"}, "venue": {"Rathaus Kassel"}, "capacity": {"1"}, "reminder_days": {"7"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("reminder days: got %d, want 303:\n%s", res.status, res.body)
	}
	br.get(edit).mustContain(t, "the changed reminder days", `value="7"`)
	res = br.post(edit, url.Values{"_csrf": {csrf}, "title": {"Ideenwerkstatt"}, "venue": {"Rathaus Kassel"}, "capacity": {"1"}, "reminder_days": {"99"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("99 reminder days: got %d, want 422", res.status)
	}
	res.mustContain(t, "the refused reminder days", `id="w-e-reminder_days"`)

	// A new workshop takes its reminder days on its form too.
	br.get("/organiser/workshops/new").mustContain(t, "the new workshop's form", `name="reminder_days"`)
	res = br.post("/organiser/workshops", url.Values{"_csrf": {csrf}, "title": {"Neu"}, "venue": {"Rathaus"}, "days": {"2026-11-20"},
		"capacity": {"4"}, "reminder_days": {"5"}, "key": {"n1"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("a new workshop with 5 reminder days: got %d:\n%s", res.status, res.body)
	}
	br.get(res.header.Get("Location")).mustContain(t, "the new workshop's reminder days", `value="5"`)
}
