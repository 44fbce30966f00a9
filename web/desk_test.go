package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// signIn returns a browser with an organiser session.
func (s *service) signIn(t *testing.T) *browser {
	t.Helper()
	b := s.browser()
	form := b.get("/organiser/sign-in")
	if p := b.post("/organiser/sign-in", url.Values{"_csrf": {form.csrf(t)}, "token": {organiserToken}}); p.status != http.StatusSeeOther {
		t.Fatalf("sign in: got %d, want 303", p.status)
	}
	return b
}

func TestCheckInScreen(t *testing.T) {
	s := startService(t)
	id, sessionID := s.workshop("Kommunale Wärmeplanung", 10)
	ben := s.register(id, "Ben Okafor", "Landkreis Fulda")
	s.register(id, "Clara Wendt", "Stadt Kassel")
	b := s.signIn(t)
	desk := "/organiser/workshops/" + id + "/check-in"

	screen := b.get(desk + "?q=fuld")
	screen.mustContain(t, "the screen searched for fuld", "0 von 2 anwesend", "Ben Okafor")
	if p := b.get(desk + "?q=fuld"); contains(p.body, "Clara Wendt") {
		t.Errorf("the search for fuld lists Clara Wendt of Stadt Kassel")
	}
	b.header.Set("HX-Request", "true")
	checkIn := url.Values{"_csrf": {screen.csrf(t)}, "registration_id": {ben}, "day": {"2026-11-16"}, "q": {"fuld"}, "action": {"in"}}
	p := b.post(desk, checkIn)
	if p.status != http.StatusOK {
		t.Fatalf("check in: got %d, want 200:\n%s", p.status, p.body)
	}
	p.mustContain(t, "the fragment after the check-in", `<div id="desk">`, "Ben Okafor ist eingecheckt.", "1 von 2 anwesend")
	if contains(p.body, "<html") {
		t.Errorf("the answer to htmx is a whole page, want the fragment")
	}

	checkIn.Set("session", sessionID)
	b.post(desk, checkIn).mustContain(t, "check in at the session", "Ben Okafor ist eingecheckt.", "1 von 2 anwesend")
	checkIn.Set("action", "undo")
	b.post(desk, checkIn).mustContain(t, "undo the session check-in", "Einchecken von Ben Okafor zurückgenommen.", "0 von 2 anwesend")
	b.post(desk, checkIn).mustContain(t, "undo it twice", "Diese Person war nicht eingecheckt.")

	b.header.Del("HX-Request")
	// After a reload the screen still knows who is present for the day.
	b.get(desk+"?q=fuld&day=2026-11-16").mustContain(t, "the screen reloaded", "1 von 2 anwesend", "person present-yes")
	b.get("/organiser/workshops/"+id+"/attendance").mustContain(t, "the attendance", "Landkreis Fulda", "Begrüßung")
	b.get("/organiser/workshops/"+id+"/registrations?organisation=Stadt+Kassel").mustContain(t, "the filtered registrations",
		"Clara Wendt", "1 Anmeldung angezeigt")
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
