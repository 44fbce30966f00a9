package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// germanMessages finds the German catalogue's sentences and words that English does not share,
// as whole words: any of them in an English page is a German string that leaked.
func germanMessages(t *testing.T) map[string]*regexp.Regexp {
	t.Helper()
	de, en := catalogue(t, "de"), catalogue(t, "en")
	found := map[string]*regexp.Regexp{}
	for id, v := range de {
		text, ok := v.(string) // plural tables hold templates; their words are elsewhere too
		if !ok || text == en[id] {
			continue
		}
		// Up to the first template argument; what follows it is data in an English page too.
		text, _, _ = strings.Cut(text, "{{")
		if text = strings.TrimSpace(text); len([]rune(text)) < 3 {
			continue
		}
		// A word stands apart from letters and digits: "Tag" in a token such as "x7Tag7" is data.
		found[id] = regexp.MustCompile(`(^|[^\p{L}\p{N}_-])` + regexp.QuoteMeta(text) + `($|[^\p{L}\p{N}_-])`)
	}
	return found
}

// TestPagesInEnglish renders every page in English and checks that it speaks English: a few key
// sentences are there and no German message, German date or German word of the code leaked.
func TestPagesInEnglish(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	s.register(id, "Ben Okafor", "Landkreis Fulda")
	b := s.signIn(t)
	b.get("/?lang=en") // chosen once, remembered by the cookie
	w := "/organiser/workshops/" + id

	form := b.get("/w/" + id + "/register")
	registered := b.post("/w/"+id+"/register", url.Values{"_csrf": {form.csrf(t)}, "name": {"Clara Wendt"},
		"email": {"clara@example.org"}, "organisation": {"Stadt Kassel"}, "days": {"2026-11-16"}, "consent": {"yes"}})
	rejected := b.post("/w/"+id+"/register", url.Values{"_csrf": {form.csrf(t)}, "name": {"Anna Berg"}, "days": {"2026-11-16"}})
	conflict := b.post(w+"/sessions", url.Values{"_csrf": {form.csrf(t)}, "title": {"Hitzeschutz"}, "kind": {"talk"},
		"day": {"2026-11-16"}, "starts": {"09:00"}, "ends": {"10:00"}, "room": {"Saal 1"}})
	b.header.Set("HX-Request", "true")
	checkedIn := b.post(w+"/check-in", url.Values{"_csrf": {form.csrf(t)}, "registration_id": {s.register(id, "Dana Kurz", "Stadt Kassel")},
		"day": {"2026-11-16"}, "action": {"in"}})
	b.header.Del("HX-Request")

	pages := []struct {
		name string
		page page
		want []string
	}{
		{"the start page", b.get("/"), []string{"Upcoming workshops", "Register now", "7 free seats"}},
		{"the workshop page", b.get("/w/" + id), []string{"Agenda", "Mon 16 Nov 2026", "Room: Saal 1", "Keynote"}},
		{"the registration form", form, []string{"Which days will you attend?", "Dietary needs", "Privacy notice"}},
		{"the rejected registration", rejected, []string{"Please check the marked entries.", "Please fill this in."}},
		{"the personal page", b.get(registered.header.Get("Location")), []string{"Thank you!", "confirmed", "Your personal link"}},
		{"the privacy notice", b.get("/privacy"), []string{"Privacy notice", "encrypted"}},
		{"the sign-in", b.get("/organiser/sign-in"), []string{"Organiser token", "Sign in"}},
		{"the dashboard", b.get("/organiser"), []string{"Dashboard", "New workshop", "Sign out"}},
		{"the new workshop form", b.get("/organiser/workshops/new"), []string{"Create workshop", "Seats per day", "Day 1"}},
		{"the workshop editor", b.get(w), []string{"Workshop details", "Add a session", "Edit", "Speakers"}},
		{"a room conflict", conflict, []string{"The room is already taken at that time"}},
		{"the registrations", b.get(w + "/registrations"), []string{"Registrations", "registrations shown", "Registered on"}},
		{"the check-in screen", b.get(w + "/check-in"), []string{"Find a person", "of 3 present", "Check in"}},
		{"a check-in", checkedIn, []string{"Dana Kurz is checked in.", "Undo"}},
		{"the attendance", b.get(w + "/attendance"), []string{"Per day", "Per organisation", "present"}},
		{"an unknown page", b.get("/no-such-page"), []string{"This page does not exist (any more)."}},
	}
	pages = append(pages, cafeEnglishPages(t, s, b, id)...)
	pages = append(pages, followUpEnglishPages(t, s, b)...)
	pages = append(pages, feedbackEnglishPages(t, s, b)...)
	pages = append(pages, leadEnglishPages(t, s, b)...)
	pages = append(pages, erasureEnglishPages(t, s, b)...)
	german := germanMessages(t)
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			p.page.mustContain(t, p.name+" in English", p.want...)
			for id, re := range german {
				if m := re.FindString(p.page.body); m != "" {
					t.Errorf("%s in English: got the German message %s (%q), want English", p.name, id, strings.TrimSpace(m))
				}
			}
			for _, word := range []string{"16.11.2026", "Anmelden", "Einchecken", `<html lang="de">`} {
				if strings.Contains(p.page.body, word) {
					t.Errorf("%s in English: got %q, want no German", p.name, word)
				}
			}
		})
	}
	if got := registered.status; got != http.StatusSeeOther {
		t.Errorf("register in English: got %d, want 303", got)
	}
}
