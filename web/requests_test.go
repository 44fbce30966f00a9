package web_test

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestFormKeyBoundToItsEntries sends the registration form again with its key but other
// entries, as after going back in the browser: the page says so and shows no token of the
// first registration, while the same entries again still lead to the first one's page.
func TestFormKeyBoundToItsEntries(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	b := s.browser()
	form := b.get("/w/" + id + "/register")
	values := url.Values{"_csrf": {form.csrf(t)}, "key": {"form-key-1"}, "name": {"Anna Berg"}, "email": {"anna@example.org"},
		"organisation": {"Stadt Kassel"}, "days": {"2026-11-16"}, "consent": {"yes"}}
	first := b.post("/w/"+id+"/register", values)
	if first.status != http.StatusSeeOther {
		t.Fatalf("register: got %d, want 303", first.status)
	}
	if again := b.post("/w/"+id+"/register", values); again.header.Get("Location") != first.header.Get("Location") {
		t.Errorf("the same form again: got %d to %q, want the first answer %q", again.status, again.header.Get("Location"), first.header.Get("Location"))
	}
	values.Set("name", "Mallory")
	values.Set("email", "mallory@example.org")
	p := b.post("/w/"+id+"/register", values)
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("the form's key with other entries: got %d to %q, want 422", p.status, p.header.Get("Location"))
	}
	p.mustContain(t, "the form's key with other entries", "schon einmal mit anderen Angaben abgeschickt", `value="Mallory"`)
	token, _ := url.ParseQuery(strings.SplitN(first.header.Get("Location"), "?", 2)[1])
	if strings.Contains(p.body, token.Get("token")) || strings.Contains(p.body, "form-key-1") {
		t.Errorf("the refused form shows the first registration's token or its old key")
	}
}

// TestSignInStaysOnTheSite signs in with next values that a browser would read as another
// site (issue #10, defect 8): each lands on the dashboard; same-site paths are kept.
func TestSignInStaysOnTheSite(t *testing.T) {
	s := startService(t)
	offSite := []string{"/\t/example.com", "/%09/example.com", "//example.com", "/\\example.com", "/%5Cexample.com",
		"/%2F%2Fexample.com", "/%2f/example.com", "https://example.com/", "javascript:alert(1)", "/\r\n/example.com",
		"/%0d%0a//example.com", "/%252F%252Fexample.com", "\t//example.com", " /organiser", "/\u00a0/example.com",
		"/%E3%80%80/example.com", "organiser", "", "/organiser\x00", "/%00"}
	onSite := map[string]string{"/organiser/workshops/new": "/organiser/workshops/new",
		"/organiser/workshops/01K?lang=en": "/organiser/workshops/01K?lang=en", "/organiser#top": "/organiser#top"}
	for _, next := range offSite {
		onSite[next] = "/organiser"
	}
	for next, want := range onSite {
		b := s.browser()
		form := b.get("/organiser/sign-in?next=" + url.QueryEscape(next))
		if field := `name="next" value="` + template.HTMLEscapeString(want) + `"`; !strings.Contains(form.body, field) {
			t.Errorf("sign-in form for next %q: the page lacks %s", next, field)
		}
		p := b.post("/organiser/sign-in", url.Values{"_csrf": {form.csrf(t)}, "token": {organiserToken}, "next": {next}})
		if got := p.header.Get("Location"); p.status != http.StatusSeeOther || got != want {
			t.Errorf("sign in with next %q: got %d to %q, want 303 to %q", next, p.status, got, want)
		}
	}
}

// TestCheckInOnAnotherDay checks someone in on a day the workshop does not have, as a form
// and as htmx would (issue #10, defect 8): the screen says so in the page's language, no 500.
func TestCheckInOnAnotherDay(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	ben := s.register(id, "Ben Okafor", "Landkreis Fulda")
	b := s.signIn(t)
	desk := "/organiser/workshops/" + id + "/check-in"
	for _, tc := range []struct{ lang, day, htmx, want string }{
		{"de", "2026-12-24", "", "Dieser Tag gehört nicht zum Workshop."},
		{"en", "2026-12-24", "true", "This day is not a day of the workshop."},
		{"de", "gestern", "", "Dieser Tag gehört nicht zum Workshop."},
		{"en", "", "true", "This day is not a day of the workshop."},
	} {
		screen := b.get(desk + "?lang=" + tc.lang)
		b.header.Set("HX-Request", tc.htmx)
		p := b.post(desk, url.Values{"_csrf": {screen.csrf(t)}, "registration_id": {ben}, "day": {tc.day}, "action": {"in"}})
		b.header.Del("HX-Request")
		if p.status != http.StatusOK {
			t.Fatalf("check in on %q (%s): got %d, want 200 with the field error:\n%s", tc.day, tc.lang, p.status, p.body)
		}
		p.mustContain(t, "check in on "+tc.day, tc.want)
	}
}
