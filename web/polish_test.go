package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// get200 fetches path with b and fails unless it answers 200.
func get200(t *testing.T, b *browser, path string) page {
	t.Helper()
	p := b.get(path)
	if p.status != http.StatusOK {
		t.Fatalf("GET %s: got %d, want 200:\n%s", path, p.status, p.body)
	}
	return p
}

// The lead's sign-out sits on the white page, not in the dark header: it must not be a bare
// link-button whose text inherits the buttons' white ink.
func TestPolishLeadSignOutIsVisible(t *testing.T) {
	s := startService(t)
	s.leadWorkshop("Klima 2026", "Hitzeschutz im Quartier")
	b := s.browser()
	b.signInAsLead(t, s.leadToken("Klima 2026"))
	p := get200(t, b, "/lead?lang=de")
	m := regexp.MustCompile(`<button class="([^"]*)" type="submit" id="lead-sign-out">Ausloggen</button>`).FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no lead sign-out button:\n%s", p.body)
	}
	if m[1] != "secondary" {
		t.Errorf("lead sign-out button class %q, want secondary (accent text on white, bordered)", m[1])
	}
	css := get200(t, b, "/assets/style.css").body
	rule := regexp.MustCompile(`(?m)^button\.link \{[^}]*\}`).FindString(css)
	if !strings.Contains(rule, "color: var(--accent)") {
		t.Errorf("button.link rule %q keeps the buttons' white ink outside the header", rule)
	}
}

// confirmed fails unless the page's form posting to action sits inside a closed <details>
// whose summary names what it does, with the question and the real button only inside.
func confirmed(t *testing.T, p page, action, summary, question, yes string) {
	t.Helper()
	i := strings.Index(p.body, `action="`+action+`"`)
	if i < 0 {
		t.Fatalf("no form posting to %s:\n%s", action, p.body)
	}
	open := strings.LastIndex(p.body[:i], "<details")
	if open < 0 || strings.LastIndex(p.body[:i], "</details>") > open {
		t.Fatalf("the form posting to %s is not inside a <details> disclosure:\n%s", action, p.body[max(0, i-300):i])
	}
	end := strings.Index(p.body[i:], "</details>")
	if end < 0 {
		t.Fatalf("the disclosure around %s is not closed", action)
	}
	box := p.body[open : i+end]
	for _, want := range []string{"<summary", summary, question, yes, `type="submit"`} {
		if !strings.Contains(box, want) {
			t.Errorf("the confirmation around %s lacks %q: %s", action, want, box)
		}
	}
	if strings.HasPrefix(box, "<details open") {
		t.Errorf("the confirmation around %s is open before the first tap", action)
	}
}

// Cancelling an agenda item or one's own registration takes two taps: the first opens the
// question, the second (inside it) posts.
func TestPolishCancelAsksFirst(t *testing.T) {
	s := startService(t)
	id, session := s.workshop("Kommunale Wärmeplanung", 10)
	var alice struct{ ID, Token string }
	s.api(http.MethodPost, "/api/v1/workshops/"+id+"/registrations", "", map[string]any{"name": "Alice Berg",
		"email": "alice@example.org", "organisation": "Stadtwerke", "consent": true}, &alice)

	own := "/w/" + id + "/r/" + alice.ID
	p := get200(t, s.browser(), own+"?token="+url.QueryEscape(alice.Token)+"&lang=de")
	confirmed(t, p, own+"/cancel", "Anmeldung stornieren", "Wirklich stornieren?", "Ja, Anmeldung stornieren")
	p = get200(t, s.browser(), own+"?token="+url.QueryEscape(alice.Token)+"&lang=en")
	confirmed(t, p, own+"/cancel", "Cancel my registration", "Really cancel?", "Yes, cancel my registration")

	b := s.signIn(t)
	editor := "/organiser/workshops/" + id
	p = get200(t, b, editor+"?lang=de")
	confirmed(t, p, editor+"/sessions/"+session+"/cancel", "Absagen", "Wirklich absagen?", "Ja, absagen")
	p = get200(t, b, editor+"?lang=en")
	confirmed(t, p, editor+"/sessions/"+session+"/cancel", "Cancel", "Really cancel?", "Yes, cancel it")
}

// A café titled "Themencafé: Arbeitsmarkt" (as the demo's is) shows "Themencafé" once on its
// pages and in its documents.
func TestPolishCafeWordOnce(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	sid := s.themeCafe(id, "Themencafé: Arbeitsmarkt")
	b := s.signIn(t)
	cafe := "/organiser/workshops/" + id + "/cafes/" + sid
	for _, path := range []string{cafe + "?lang=de", cafe + "/plan?lang=de", cafe + "/results?lang=de", cafe + "/results.md?lang=de"} {
		p := get200(t, b, path)
		if strings.Contains(p.body, "Themencafé: Themencafé") || strings.Contains(p.body, "Themencafé „Themencafé") {
			t.Errorf("%s says the café's word twice:\n%s", path, p.body)
		}
		if !strings.Contains(p.body, "Themencafé: Arbeitsmarkt") {
			t.Errorf("%s lacks the café's title", path)
		}
	}
	setup := get200(t, b, cafe+"?lang=de")
	setup.mustContain(t, "the setup page", "<h1>Themencafé: Arbeitsmarkt</h1>")
	// A title without the word still gets it in front.
	id2, _ := s.workshop("Wohnen im Alter", 10)
	other := s.themeCafe(id2, "Wohnen")
	get200(t, b, "/organiser/workshops/"+id2+"/cafes/"+other+"?lang=de").mustContain(t, "a plain title", "<h1>Themencafé: Wohnen</h1>")
}

// With three tables the ranking asks for three choices, not the five a café allows at most.
func TestPolishRankingAsksForTheTablesThereAre(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	clara := s.registerWithToken(id, "Clara Wendt", "Stadt Kassel")
	sid := s.themeCafe(id, "Klimaanpassung")
	b := s.signIn(t)
	cafe := "/organiser/workshops/" + id + "/cafes/" + sid
	csrf := get200(t, b, cafe).csrf(t)
	for _, topic := range []string{"Hitzeschutz", "Starkregen", "Stadtgrün"} {
		if p := b.post(cafe+"/tables", url.Values{"_csrf": {csrf}, "topic": {topic}, "capacity": {"4"}}); p.status != http.StatusSeeOther {
			t.Fatalf("add table %s: got %d:\n%s", topic, p.status, p.body)
		}
	}
	if p := b.post(cafe+"/preferences", url.Values{"_csrf": {csrf}, "action": {"open"}}); p.status != http.StatusSeeOther {
		t.Fatalf("open the collection: got %d", p.status)
	}
	own := "/w/" + id + "/r/" + clara.id + "/cafes/" + sid + "?token=" + url.QueryEscape(clara.token)
	p := get200(t, s.browser(), own+"&lang=de")
	p.mustContain(t, "the ranking page", `id="f-rank3"`, "3. Wahl", "bis zu 3 Tische")
	for _, no := range []string{`id="f-rank4"`, "4. Wahl", "5. Wahl", "bis zu 5"} {
		if strings.Contains(p.body, no) {
			t.Errorf("the ranking page of a café with 3 tables holds %q", no)
		}
	}
}

// Someone who lands on the waitlist reads so on the welcome page, with their place in line.
func TestPolishWaitlistWelcomeSaysSo(t *testing.T) {
	tests := []struct{ lang, title, text, thanks string }{
		{"de", "Sie stehen auf der Warteliste", "Sie stehen auf der Warteliste, auf Platz 2.", "Vielen Dank!"},
		{"en", "You are on the waitlist", "you are on the waitlist, at position 2.", "Thank you!"},
	}
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 1)
	seated := s.registerWithToken(id, "Anna Berg", "Stadt Kassel")
	s.registerWithToken(id, "Ben Okafor", "Landkreis Fulda")
	clara := s.registerWithToken(id, "Clara Wendt", "Stadt Marburg")
	for _, tt := range tests {
		own := "/w/" + id + "/r/" + clara.id + "?welcome=1&lang=" + tt.lang + "&token=" + url.QueryEscape(clara.token)
		p := get200(t, s.browser(), own)
		p.mustContain(t, "the waitlisted welcome", `id="welcome-waitlist"`, "<h1>"+tt.title+"</h1>", tt.text)
		if strings.Contains(p.body, tt.thanks) {
			t.Errorf("%s: the waitlisted welcome thanks as if the seat were sure", tt.lang)
		}
		mine := "/w/" + id + "/r/" + seated.id + "?welcome=1&lang=" + tt.lang + "&token=" + url.QueryEscape(seated.token)
		p = get200(t, s.browser(), mine)
		p.mustContain(t, "the confirmed welcome", tt.thanks)
		if strings.Contains(p.body, `id="welcome-waitlist"`) {
			t.Errorf("%s: the confirmed welcome speaks of the waitlist", tt.lang)
		}
	}
}

// The projector's ranking shows the topics to the room, not the organiser's navigation.
func TestPolishProjectorWithoutNavigation(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	b := s.signIn(t)
	topics := "/organiser/workshops/" + id + "/topics"
	p := get200(t, b, topics+"/ranking?lang=de")
	p.mustContain(t, "the projector", `<div class="projector">`)
	for _, no := range []string{"<nav", `class="top"`, "/organiser/sign-out", "Ausloggen"} {
		if strings.Contains(p.body, no) {
			t.Errorf("the projector holds %q", no)
		}
	}
	get200(t, b, topics+"?lang=de").mustContain(t, "the topics page keeps the navigation", "<nav", "Ausloggen")
}

// The dashboard's occupancy names the day of each line, in the page's language.
func TestPolishDashboardSeatsNameTheirDay(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	s.register(id, "Anna Berg", "Stadt Kassel")
	b := s.signIn(t)
	get200(t, b, "/organiser?lang=de").mustContain(t, "the German dashboard",
		`<span class="seat-day">Mo., 16.11.2026:</span> 1 von 10 belegt`, `<span class="seat-day">Di., 17.11.2026:</span> 1 von 10 belegt`)
	get200(t, b, "/organiser?lang=en").mustContain(t, "the English dashboard",
		`<span class="seat-day">Mon 16 Nov 2026:</span>`, `<span class="seat-day">Tue 17 Nov 2026:</span>`)
}

// The registrations list heads its overnight column with one word; the sentence of the form
// stays as the header's title.
func TestPolishOvernightHeaderIsShort(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	s.register(id, "Anna Berg", "Stadt Kassel")
	b := s.signIn(t)
	list := "/organiser/workshops/" + id + "/registrations"
	for _, tt := range []struct{ lang, header, sentence string }{
		{"de", `<th scope="col"><abbr title="Ich brauche eine Übernachtung.">Übernachtung</abbr></th>`, "<th scope=\"col\">Ich brauche eine Übernachtung.</th>"},
		{"en", `<th scope="col"><abbr title="I need an overnight stay.">Overnight stay</abbr></th>`, "<th scope=\"col\">I need an overnight stay.</th>"},
	} {
		p := get200(t, b, list+"?lang="+tt.lang)
		p.mustContain(t, "the registrations list", tt.header)
		if strings.Contains(p.body, tt.sentence) {
			t.Errorf("%s: the column header is still the form's sentence", tt.lang)
		}
	}
}
