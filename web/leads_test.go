package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// leadWorkshop schedules a workshop of series through the JSON API, with one person checked
// in and feedback open, and returns its id.
func (s *service) leadWorkshop(series, title string) string {
	s.t.Helper()
	var w struct{ ID string }
	s.api(http.MethodPost, "/api/v1/workshops", organiserToken, map[string]any{"title": title, "series": series,
		"venue": "Rathaus Kassel", "days": []string{"2026-11-16", "2026-11-17"}, "capacity": 10}, &w)
	rid := s.register(w.ID, "Ben Okafor", "Landkreis Fulda")
	s.api(http.MethodPost, "/api/v1/workshops/"+w.ID+"/check-ins", organiserToken,
		map[string]any{"registration_id": rid, "day": "2026-11-16"}, nil)
	s.api(http.MethodPost, "/api/v1/workshops/"+w.ID+"/feedback/open", organiserToken, nil, nil)
	return w.ID
}

// leadToken grants a project lead access to series through the JSON API and returns the token.
func (s *service) leadToken(series string) string {
	s.t.Helper()
	var out struct{ Token string }
	s.api(http.MethodPost, "/api/v1/series/"+url.PathEscape(series)+"/lead-tokens", organiserToken,
		map[string]any{"label": "Projektleitung " + series}, &out)
	return out.Token
}

// signInAsLead signs b in at /lead/sign-in with token and checks where it lands.
func (b *browser) signInAsLead(t *testing.T, token string) page {
	t.Helper()
	form := b.get("/lead/sign-in")
	res := b.post("/lead/sign-in", url.Values{"_csrf": {form.csrf(t)}, "token": {token}})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/lead" {
		t.Fatalf("lead sign-in: got %d to %q, want 303 to /lead", res.status, res.header.Get("Location"))
	}
	for _, ck := range res.header.Values("Set-Cookie") {
		if strings.Contains(ck, token) || strings.Contains(ck, url.QueryEscape(token)) {
			t.Errorf("got cookie %q, want no lead token in it", ck)
		}
	}
	return res
}

func TestLeadReadsItsSeries(t *testing.T) {
	s := startService(t)
	id := s.leadWorkshop("Klima 2026", "Hitzeschutz im Quartier")
	other := s.leadWorkshop("Andere Reihe", "Fremde Werkstatt")
	b := s.browser()
	if got := b.get("/lead"); got.status != http.StatusSeeOther || got.header.Get("Location") != "/lead/sign-in" {
		t.Fatalf("lead page without a session: got %d to %q, want 303 to /lead/sign-in", got.status, got.header.Get("Location"))
	}
	form := b.get("/lead/sign-in")
	bad := b.post("/lead/sign-in", url.Values{"_csrf": {form.csrf(t)}, "token": {"lead.bogus.1.x"}})
	if bad.status != http.StatusUnauthorized {
		t.Errorf("a bad lead token: got %d, want 401", bad.status)
	}
	bad.mustContain(t, "a bad lead token", "Dieses Token der Projektleitung ist nicht gültig")
	if got := b.post("/lead/sign-in", url.Values{"token": {s.leadToken("Klima 2026")}}); got.status != http.StatusForbidden {
		t.Errorf("lead sign-in without CSRF token: got %d, want 403", got.status)
	}

	b.signInAsLead(t, s.leadToken("Klima 2026"))
	report := b.get("/lead")
	report.mustContain(t, "the series report", "Reihenbericht: Klima 2026", "Hitzeschutz im Quartier",
		`<img src="/lead/trend.svg?chart=ratings&amp;lang=de"`, "/lead/workshops/"+id+"/attendance")
	if strings.Contains(report.body, "Fremde Werkstatt") {
		t.Errorf("the series report: got another series' workshop, want only Klima 2026")
	}
	files := []struct{ path, mime string }{
		{"/lead/trend.svg?chart=ratings", "image/svg+xml"},
		{"/lead/trend.svg?chart=participation", "image/svg+xml"},
		{"/lead/report.csv", "text/csv; charset=utf-8"},
		{"/lead/report.pdf", "application/pdf"},
		{"/lead/workshops/" + id + "/attendance.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"/lead/workshops/" + id + "/evaluation.csv", "text/csv; charset=utf-8"},
	}
	for _, f := range files {
		res := b.get(f.path)
		if res.status != http.StatusOK || res.header.Get("Content-Type") != f.mime {
			t.Errorf("GET %s: got %d %q, want 200 %q", f.path, res.status, res.header.Get("Content-Type"), f.mime)
		}
	}
	if res := b.get("/lead/trend.svg?chart=ratings"); !strings.Contains(res.body, "<svg") {
		t.Errorf("the ratings chart: got %.200s, want an SVG", res.body)
	}
	// On the first day (the test clock), the second has not happened yet: no no-shows (issue 14).
	b.get("/lead/workshops/"+id+"/attendance").mustContain(t, "the attendance page", "Teilnahmebericht", "Landkreis Fulda",
		`<span aria-hidden="true">—</span> noch nicht stattgefunden</td>`)
	s.api(http.MethodPost, "/api/v1/workshops/"+id+"/feedback/open", organiserToken, nil, nil)
	b.get("/lead/workshops/"+id+"/evaluation").mustContain(t, "the evaluation page", "Auswertungsbericht",
		`<p class="muted no-answers">Noch keine Antworten.</p>`) // issue 14: not an empty table
	for _, path := range []string{"/lead/workshops/" + other + "/attendance", "/lead/workshops/" + other + "/evaluation.pdf"} {
		if got := b.get(path); got.status != http.StatusNotFound {
			t.Errorf("GET %s of another series: got %d, want 404", path, got.status)
		}
	}
	if got := b.get("/organiser"); got.status != http.StatusSeeOther {
		t.Errorf("the organiser's dashboard for a lead: got %d, want 303 to the sign-in", got.status)
	}
}

// leadEnglishPages are the lead's pages in English, for TestPagesInEnglish: b has chosen
// English already.
func leadEnglishPages(t *testing.T, s *service, b *browser) []struct {
	name string
	page page
	want []string
} {
	t.Helper()
	id := s.leadWorkshop("Klima 2026", "Hitzeschutz im Quartier")
	signIn := b.get("/lead/sign-in")
	leads := "/organiser/series/Klima%202026/leads"
	granted, token := b.grantOnPage(t, leads, "Ms Schulz")
	rejected := b.post(leads, url.Values{"_csrf": {signIn.csrf(t)}, "label": {""}})
	b.signInAsLead(t, token)
	return []struct {
		name string
		page page
		want []string
	}{
		{"the lead's sign-in", signIn, []string{"Project lead sign-in", "Project lead token"}},
		{"the lead's sign-in after revoking", b.get("/lead/sign-in?ended=revoked"), []string{"Your access was revoked."}},
		{"the organiser's lead access", b.get(leads), []string{"Project lead access: Klima 2026", "Access granted", "Ms Schulz",
			"active", "Revoke access", "Yes, revoke now", "Valid until"}},
		{"the granted lead access", granted, []string{"New access for Ms Schulz", "The token is shown only now.", "Sign in at"}},
		{"a rejected lead access", rejected, []string{"Please fill this in.", "Who is the access for?"}},
		{"the lead's series report", b.get("/lead"), []string{"Series report", "Workshops of the series", "Trends"}},
		{"the lead's attendance", b.get("/lead/workshops/" + id + "/attendance"), []string{"Attendance report", "No-shows"}},
		{"the lead's evaluation", b.get("/lead/workshops/" + id + "/evaluation"), []string{"Evaluation report", "Workshop questionnaire"}},
	}
}

// leadPhonePages signs the browser in as a project lead too and returns the lead's pages, for
// pagesOnAPhone.
func leadPhonePages(t *testing.T, ctx context.Context, s *service) []struct{ name, path, ready string } {
	t.Helper()
	id := s.leadWorkshop("Klimaanpassungsmaßnahmenumsetzungsplanung 2026", "Starkregenrisikomanagementkonzeptfortschreibung")
	step(t, ctx, "sign in as project lead", chromedp.Navigate(s.url+"/lead/sign-in?lang=de"),
		chromedp.WaitVisible(chromedp.CSS("#f-token")),
		chromedp.SendKeys(chromedp.CSS("#f-token"), s.leadToken("Klimaanpassungsmaßnahmenumsetzungsplanung 2026")),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#series-workshops")))
	w := "/lead/workshops/" + id
	return []struct{ name, path, ready string }{
		{"the organiser's lead access", "/organiser/series/" + url.PathEscape("Klimaanpassungsmaßnahmenumsetzungsplanung 2026") + "/leads", "#lead-grants"},
		{"the lead's sign-in", "/lead/sign-in", "#f-token"},
		{"the lead's series report", "/lead", "#series-workshops"},
		{"the lead's attendance", w + "/attendance", "main table"},
		{"the lead's evaluation", w + "/evaluation", "main .no-answers"}, // nobody answered yet (issue 14)
	}
}
