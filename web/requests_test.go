package web_test

import (
	"html"
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
		"/%E3%80%80/example.com", "organiser", "", "/organiser\x00", "/%00", "/organiser?q=%0d%0a", "/organiser?next=%09", "/%FF"}
	onSite := map[string]string{"/organiser/workshops/new": "/organiser/workshops/new",
		"/organiser/workshops/01K?lang=en": "/organiser/workshops/01K?lang=en", "/organiser#top": "/organiser#top",
		"/organiser/workshops/01K/check-in?q=Anna%20Berg":   "/organiser/workshops/01K/check-in?q=Anna%20Berg",
		"/organiser/workshops/01K/check-in?q=M%C3%BCller+A": "/organiser/workshops/01K/check-in?q=M%C3%BCller+A"}
	for _, next := range offSite {
		onSite[next] = "/organiser"
	}
	for next, want := range onSite {
		b := s.browser()
		form := b.get("/organiser/sign-in?next=" + url.QueryEscape(next))
		if field := `name="next" value="` + want + `"`; !strings.Contains(html.UnescapeString(form.body), field) {
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

// sessionCookie returns the cookie name that res sets, or fails.
func sessionCookie(t *testing.T, res page, name string) *http.Cookie {
	t.Helper()
	for _, ck := range (&http.Response{Header: res.header}).Cookies() {
		if ck.Name == name && ck.Value != "" {
			return ck
		}
	}
	t.Fatalf("no %s cookie in %v", name, res.header.Values("Set-Cookie"))
	return nil
}

// replay sends cookie, as someone who copied it would, to path on each replica and returns
// the statuses.
func replay(t *testing.T, s *service, replicas []string, cookie *http.Cookie, path string) []int {
	t.Helper()
	var got []int
	for _, u := range replicas {
		other := *s
		other.url = u
		b := other.browser()
		b.client.Jar.SetCookies(mustURL(t, u), []*http.Cookie{{Name: cookie.Name, Value: cookie.Value, Path: "/"}})
		got = append(got, b.get(path).status)
	}
	return got
}

// TestSignOutEndsTheSessionEverywhere signs an organiser and a lead in on one replica and out
// again (issue #10, defect 8): their copied cookies open nothing any more, on any replica.
func TestSignOutEndsTheSessionEverywhere(t *testing.T) {
	s := startService(t)
	s.leadWorkshop("Klima 2026", "Hitzeschutz im Quartier")
	replicas := []string{s.url, s.replica()}

	b := s.browser()
	form := b.get("/organiser/sign-in")
	in := b.post("/organiser/sign-in", url.Values{"_csrf": {form.csrf(t)}, "token": {organiserToken}})
	organiser := sessionCookie(t, in, "werkstatt_session")
	if got := replay(t, s, replicas, organiser, "/organiser"); got[0] != http.StatusOK || got[1] != http.StatusOK {
		t.Fatalf("the organiser's cookie on both replicas while signed in: got %v, want 200 on each", got)
	}
	out := b.post("/organiser/sign-out", url.Values{"_csrf": {b.get("/organiser").csrf(t)}})
	if out.status != http.StatusSeeOther {
		t.Fatalf("sign out: got %d, want 303", out.status)
	}
	if got := replay(t, s, replicas, organiser, "/organiser"); got[0] != http.StatusSeeOther || got[1] != http.StatusSeeOther {
		t.Errorf("the organiser's cookie replayed after signing out: got %v, want 303 to the sign-in on each replica", got)
	}

	var grant struct{ Token string }
	s.api(http.MethodPost, "/api/v1/series/Klima%202026/lead-tokens", organiserToken, map[string]any{"label": "Frau Kurz"}, &grant)
	lb := s.browser()
	lead := sessionCookie(t, lb.signInAsLead(t, grant.Token), "werkstatt_lead")
	if got := replay(t, s, replicas, lead, "/lead"); got[0] != http.StatusOK || got[1] != http.StatusOK {
		t.Fatalf("the lead's cookie on both replicas while signed in: got %v, want 200 on each", got)
	}
	if out := lb.post("/lead/sign-out", url.Values{"_csrf": {lb.get("/lead").csrf(t)}}); out.status != http.StatusSeeOther {
		t.Fatalf("lead sign out: got %d, want 303", out.status)
	}
	if got := replay(t, s, replicas, lead, "/lead"); got[0] != http.StatusSeeOther || got[1] != http.StatusSeeOther {
		t.Errorf("the lead's cookie replayed after signing out: got %v, want 303 to the sign-in on each replica", got)
	}
	// A cookie made up or signed the old way opens nothing either.
	forged := &http.Cookie{Name: "werkstatt_session", Value: organiser.Value[:len(organiser.Value)-1] + "A"}
	if got := replay(t, s, replicas, forged, "/organiser"); got[0] != http.StatusSeeOther {
		t.Errorf("a made-up session id: got %v, want 303", got)
	}
}
