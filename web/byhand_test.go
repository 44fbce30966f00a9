package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestRegisterByHandPage registers someone by hand from the organiser's registrations list
// (a phone registration), in German and in English: the list shows the person's personal link,
// which opens their personal page; a missing consent is named next to its field; after the
// closing time the public form is refused while the organiser's form still registers.
func TestRegisterByHandPage(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	org := s.signIn(t)
	list := "/organiser/workshops/" + id + "/registrations"

	lp := org.get(list)
	lp.mustContain(t, "the registrations list", "Person anmelden", `action="`+list+`"`, `name="email"`,
		"Die Person hat der Verarbeitung ihrer Daten für diesen Workshop zugestimmt.")
	byHand := func(key, name, consent string) page {
		t.Helper()
		f := url.Values{"_csrf": {lp.csrf(t)}, "key": {key}, "name": {name}, "email": {strings.ToLower(name) + "@example.org"},
			"organisation": {"Landkreis Fulda"}, "days": {"2026-11-16", "2026-11-17"}}
		if consent != "" {
			f.Set("consent", consent)
		}
		return org.post(list, f)
	}

	// Without consent: named next to the field, what was typed stays, nothing is registered.
	p := byHand("bh-1", "Carla", "")
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("by hand without consent: got %d, want 422", p.status)
	}
	p.mustContain(t, "by hand without consent", `id="e-consent"`, `value="Carla"`, "<details class=\"by-hand\" id=\"by-hand\" open>")

	// Closed: it closed at 09:00 Berlin time, which is the service's now.
	edit := org.get("/organiser/workshops/" + id)
	if res := org.post("/organiser/workshops/"+id, url.Values{"_csrf": {edit.csrf(t)}, "title": {"Kommunale Wärmeplanung"},
		"venue": {"Rathaus Kassel"}, "capacity": {"10"}, "registration_closes": {"2026-11-16T09:00"}}); res.status != 303 {
		t.Fatalf("closing registration: got %d %s, want 303", res.status, res.body)
	}
	b := s.browser()
	form := b.get("/w/" + id + "/register?lang=de")
	form.mustContain(t, "the closed public form", "Die Anmeldung ist geschlossen.")

	p = byHand("bh-2", "Carla", "yes")
	if p.status != http.StatusOK {
		t.Fatalf("by hand after closing: got %d, want 200:\n%s", p.status, p.body)
	}
	p.mustContain(t, "the list after registering by hand", "Carla ist angemeldet. Der persönliche Link zum Weitergeben:", "carla@example.org")
	if got := p.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("the list with a personal link: Cache-Control %q, want no-store", got)
	}
	m := regexp.MustCompile(`id="by-hand-link" href="([^"]+)"`).FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no personal link on the list:\n%s", p.body)
	}
	link, err := url.Parse(html.UnescapeString(m[1]))
	if err != nil || !strings.HasPrefix(link.Path, "/w/"+id+"/r/") || link.Query().Get("token") == "" {
		t.Fatalf("personal link %q: want /w/%s/r/...?token=...", m[1], id)
	}
	b.get(link.RequestURI()).mustContain(t, "the personal page from the link", "Carla")

	// In English.
	org.get("/?lang=en")
	lp = org.get(list)
	lp.mustContain(t, "the English list", "Register someone", "The person agreed to the processing of their data for this workshop.")
	byHand("bh-3", "Dora", "yes").mustContain(t, "the English list after registering by hand",
		"Dora is registered. Their personal link to pass on:")
}
