package web_test

import (
	"net/url"
	"strings"
	"testing"
)

// TestRegistrationDeadlinePages: the organiser sets the deadline on the workshop's page; the
// public page shows it while registration is open (the service's clock is 2026-11-16) and says
// that registration is closed once it passed, in German and in English, also to a form posted
// after closing.
func TestRegistrationDeadlinePages(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	org := s.signIn(t)
	edit := org.get("/organiser/workshops/" + id)
	edit.mustContain(t, "the editor", "Anmeldeschluss", `action="/organiser/workshops/`+id+`/registration-deadline"`)

	// Open through the deadline's day.
	res := org.post("/organiser/workshops/"+id+"/registration-deadline", url.Values{"_csrf": {edit.csrf(t)}, "deadline": {"2026-11-16"}})
	if res.status != 303 {
		t.Fatalf("setting the deadline: got %d %s, want 303", res.status, res.body)
	}
	b := s.browser()
	b.get("/w/"+id).mustContain(t, "the open German page", "Anmeldeschluss: 16.11.2026", "/w/"+id+"/register")
	b.get("/w/"+id+"?lang=en").mustContain(t, "the open English page", "Registration deadline: 16 Nov 2026")
	form := b.get("/w/" + id + "/register")
	form.mustContain(t, "the open form", `name="email"`)

	// A deadline after the last day is refused with its message.
	edit = org.get("/organiser/workshops/" + id)
	res = org.post("/organiser/workshops/"+id+"/registration-deadline", url.Values{"_csrf": {edit.csrf(t)}, "deadline": {"2026-11-30"}})
	res.mustContain(t, "a deadline after the last day", "Der Anmeldeschluss darf nicht nach dem letzten Workshoptag liegen.")

	// Closed: the deadline was the day before.
	res = org.post("/organiser/workshops/"+id+"/registration-deadline", url.Values{"_csrf": {edit.csrf(t)}, "deadline": {"2026-11-15"}})
	if res.status != 303 {
		t.Fatalf("moving the deadline: got %d %s, want 303", res.status, res.body)
	}
	de := b.get("/w/" + id + "?lang=de")
	de.mustContain(t, "the closed German page", "Die Anmeldung ist geschlossen.")
	if strings.Contains(de.body, "/w/"+id+"/register\"") {
		t.Errorf("the closed page still links to the registration form")
	}
	b.get("/w/"+id+"?lang=en").mustContain(t, "the closed English page", "Registration is closed.")
	b.get("/w/"+id+"/register?lang=en").mustContain(t, "the closed English form", "Registration is closed.")

	// The form opened before closing, posted after it.
	posted := b.post("/w/"+id+"/register?lang=de", url.Values{"_csrf": {form.csrf(t)}, "key": {"k1"}, "name": {"Ada"},
		"email": {"ada@example.org"}, "organisation": {"Verein"}, "days": {"2026-11-16"}, "consent": {"yes"}})
	if posted.status != 409 {
		t.Errorf("a form posted after closing: got %d, want 409", posted.status)
	}
	posted.mustContain(t, "a form posted after closing", "Die Anmeldung ist geschlossen.")

	// Cleared: open again.
	edit = org.get("/organiser/workshops/" + id)
	org.post("/organiser/workshops/"+id+"/registration-deadline", url.Values{"_csrf": {edit.csrf(t)}, "deadline": {""}})
	b.get("/w/"+id).mustContain(t, "the page after clearing", "/w/"+id+"/register")
}
