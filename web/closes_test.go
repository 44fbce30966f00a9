package web_test

import (
	"net/url"
	"strings"
	"testing"
)

// TestRegistrationClosesPages: the organiser sets the registration closing time in the
// workshop's form (a datetime-local in the instance's zone, Europe/Berlin); the public page
// shows it while registration is open (the service's clock is 2026-11-16 09:00 in Berlin) and
// says that registration is closed once it passed, in German and in English, also to a form
// posted after closing; an empty field clears it.
func TestRegistrationClosesPages(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	org := s.signIn(t)
	path := "/organiser/workshops/" + id
	edit := org.get(path)
	edit.mustContain(t, "the editor", "Anmeldeschluss", `type="datetime-local"`, `name="registration_closes"`)
	if strings.Contains(edit.body, "/registration-deadline") {
		t.Errorf("the editor still has the separate deadline form")
	}
	change := func(closes string) page {
		t.Helper()
		edit := org.get(path)
		return org.post(path, url.Values{"_csrf": {edit.csrf(t)}, "title": {"Kommunale Wärmeplanung"}, "venue": {"Rathaus Kassel"},
			"capacity": {"10"}, "registration_closes": {closes}})
	}

	// Open until 18:00 Berlin time.
	if res := change("2026-11-16T18:00"); res.status != 303 {
		t.Fatalf("setting the closing time: got %d %s, want 303", res.status, res.body)
	}
	org.get(path).mustContain(t, "the editor after saving", `value="2026-11-16T18:00"`)
	b := s.browser()
	b.get("/w/"+id).mustContain(t, "the open German page", "Anmeldeschluss: 16.11.2026, 18:00 Uhr", "/w/"+id+"/register")
	b.get("/w/"+id+"?lang=en").mustContain(t, "the open English page", "Registration deadline: 16 Nov 2026, 18:00")
	form := b.get("/w/" + id + "/register?lang=de")
	form.mustContain(t, "the open form", `name="email"`, "Anmeldeschluss: 16.11.2026, 18:00 Uhr")

	// After the end of the last day, or malformed: refused with its message.
	change("2026-11-18T00:01").mustContain(t, "a closing time after the last day",
		"Der Anmeldeschluss darf nicht nach dem Ende des letzten Workshoptags liegen.")
	change("16.11.2026 18:00").mustContain(t, "a malformed closing time", "Bitte Datum und Uhrzeit wie 15.03.2027, 18:00 angeben.")

	// Closed: it closed at 09:00 Berlin time, which is now.
	if res := change("2026-11-16T09:00"); res.status != 303 {
		t.Fatalf("moving the closing time: got %d %s, want 303", res.status, res.body)
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
	if res := change(""); res.status != 303 {
		t.Fatalf("clearing the closing time: got %d %s, want 303", res.status, res.body)
	}
	open := b.get("/w/" + id)
	open.mustContain(t, "the page after clearing", "/w/"+id+"/register")
	if strings.Contains(open.body, "Anmeldeschluss") {
		t.Errorf("the page after clearing still names a closing time")
	}
}

// TestRegistrationClosesOnCreation: the creation form takes the closing time too.
func TestRegistrationClosesOnCreation(t *testing.T) {
	s := startService(t)
	org := s.signIn(t)
	form := org.get("/organiser/workshops/new?lang=en")
	form.mustContain(t, "the creation form", "Registration deadline", `type="datetime-local"`, `name="registration_closes"`)
	res := org.post("/organiser/workshops?lang=en", url.Values{"_csrf": {form.csrf(t)}, "key": {"k-new"}, "title": {"Werkstatt"},
		"venue": {"Kassel"}, "days": {"2026-11-17"}, "capacity": {"5"}, "registration_closes": {"2026-11-18T00:01"}})
	res.mustContain(t, "a closing time after the last day", "Registration may not close after the end of the workshop&#39;s last day.")
	res = org.post("/organiser/workshops", url.Values{"_csrf": {form.csrf(t)}, "key": {"k-new2"}, "title": {"Werkstatt"},
		"venue": {"Kassel"}, "days": {"2026-11-17"}, "capacity": {"5"}, "registration_closes": {"2026-11-16T20:30"}})
	if res.status != 303 {
		t.Fatalf("creating a workshop with a closing time: got %d %s, want 303", res.status, res.body)
	}
	loc := res.header.Get("Location")
	id := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/organiser/workshops/")
	s.browser().get("/w/"+id).mustContain(t, "the new workshop's page", "Anmeldeschluss: 16.11.2026, 20:30 Uhr")
}
