package web_test

import (
	"net/http"
	"net/url"
	"testing"
)

// TestWalkInAtTheDoor registers walk-ins from the check-in screen, in German and in English:
// the person appears checked in, a missing name is named next to its field, a full day is
// refused, and the attendance counts the walk-in as present.
func TestWalkInAtTheDoor(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 3)
	s.register(id, "Ben Okafor", "Landkreis Fulda")
	b := s.signIn(t)
	desk := "/organiser/workshops/" + id + "/check-in"
	walkIn := desk + "/walk-in"

	screen := b.get(desk + "?day=2026-11-16")
	screen.mustContain(t, "the check-in screen", "Walk-in ohne Anmeldung", "Anmelden und einchecken", `action="`+walkIn+`"`)
	form := url.Values{"_csrf": {screen.csrf(t)}, "key": {"walk-in-1"}, "name": {"Emil Kaya"}, "organisation": {"Jugendzentrum Buchholz"},
		"district": {"Harburg"}, "day": {"2026-11-16"}}
	p := b.post(walkIn, form)
	if p.status != http.StatusOK {
		t.Fatalf("walk-in: got %d, want 200:\n%s", p.status, p.body)
	}
	p.mustContain(t, "the screen after the walk-in", "Emil Kaya ist angemeldet und eingecheckt.", "1 von 2 anwesend", "person present-yes")

	// A missing name comes back next to its field, with what was typed kept; nothing is registered.
	missing := url.Values{"_csrf": {screen.csrf(t)}, "key": {"walk-in-2"}, "name": {" "}, "organisation": {"Verein X"}, "day": {"2026-11-16"}}
	p = b.post(walkIn, missing)
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("walk-in without a name: got %d, want 422", p.status)
	}
	p.mustContain(t, "the walk-in without a name", "Bitte prüfen Sie die markierten Angaben.", `id="walk-in-e-name">Bitte ausfüllen.`,
		`value="Verein X"`, "1 von 2 anwesend")

	// With htmx the fragment comes back with 200, so that it is swapped in.
	b.header.Set("HX-Request", "true")
	p = b.post(walkIn, url.Values{"_csrf": {screen.csrf(t)}, "key": {"walk-in-3"}, "name": {"Fatma Demir"}, "organisation": {"Stadt Kassel"}, "day": {"2026-11-16"}})
	if p.status != http.StatusOK || contains(p.body, "<html") {
		t.Fatalf("walk-in with htmx: got %d, want 200 and the fragment:\n%s", p.status, p.body)
	}
	p.mustContain(t, "the fragment after the walk-in", "Fatma Demir ist angemeldet und eingecheckt.", "2 von 3 anwesend")
	p = b.post(walkIn, url.Values{"_csrf": {screen.csrf(t)}, "key": {"walk-in-4"}, "name": {"Gerd"}, "organisation": {"Verein G"}, "day": {"2026-11-16"}})
	if p.status != http.StatusOK {
		t.Fatalf("walk-in on a full day with htmx: got %d, want 200", p.status)
	}
	p.mustContain(t, "the full day", "An diesem Tag ist kein Platz mehr frei.", `<details class="walk-in" id="walk-in" open>`)
	b.header.Del("HX-Request")

	// Somebody waiting for the full day is found by the search, marked as waiting, not to check in.
	s.register(id, "Ida Wolf", "Verein I")
	p = b.get(desk + "?day=2026-11-16&q=wolf")
	p.mustContain(t, "the search for somebody waiting", "Ida Wolf", `class="person waitlisted"`, "auf der Warteliste")
	if contains(p.body, `name="registration_id"`) {
		t.Errorf("the search offers to check in somebody waiting:\n%s", p.body)
	}
	b.get("/organiser/workshops/"+id+"/attendance").mustContain(t, "the attendance", "Jugendzentrum Buchholz", "<td>3</td><td>1</td><td>2</td>")

	// In English.
	b.get("/?lang=en")
	screen = b.get(desk + "?day=2026-11-17")
	screen.mustContain(t, "the English check-in screen", "Walk-in without registration", "Register and check in")
	p = b.post(walkIn, url.Values{"_csrf": {screen.csrf(t)}, "key": {"walk-in-5"}, "name": {"Hana Sato"}, "organisation": {"Verein H"}, "day": {"2026-11-17"}})
	// Ida waits for day 1 only: day 2 had a seat, so she is expected there (issue #14).
	p.mustContain(t, "the English walk-in", "Hana Sato is registered and checked in.", "1 of 3 present")
	p = b.post(walkIn, url.Values{"_csrf": {screen.csrf(t)}, "key": {"walk-in-6"}, "organisation": {"Verein H"}, "day": {"2026-11-17"}})
	p.mustContain(t, "the English walk-in without a name", "Please check the marked entries.", `id="walk-in-e-name">Please fill this in.`)
}
