package web_test

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/handlers/handlerstest"
)

// startLimitedService is startService with the limits cmd/werkstatt wires: writesPerMinute
// public writes per address (0: none).
func startLimitedService(t *testing.T, writesPerMinute int) *service {
	t.Helper()
	cfg, _, js := handlerstest.WireJetStream(t, organiserToken)
	cfg.Now = func() time.Time { return now }
	cfg.Limits = handlers.NewLimits(handlers.LimitsConfig{PublicWritesPerMinute: writesPerMinute})
	s := &service{t: t, cfg: cfg, js: js}
	s.url = s.replica()
	return s
}

// TestSignInPagesCountFailures: wrong tokens on the organiser's and the lead's sign-in pages
// count like wrong Bearer tokens on the API. After ten, the sign-in page answers 429 in the
// page's language, the right token included, and so does the API (issue 10, defect 4).
func TestSignInPagesCountFailures(t *testing.T) {
	s := startLimitedService(t, 0)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10) // before the lock-out: it uses the API
	b := s.browser()
	form := b.get("/organiser/sign-in")
	for i := range handlers.MaxFailedAuthentications - 1 {
		p := b.post("/organiser/sign-in", url.Values{"_csrf": {form.csrf(t)}, "token": {"guess-" + strconv.Itoa(i)}})
		if p.status != http.StatusUnauthorized {
			t.Fatalf("wrong token %d: got %d, want 401", i, p.status)
		}
	}
	lead := s.browser()
	leadForm := lead.get("/lead/sign-in")
	if p := lead.post("/lead/sign-in", url.Values{"_csrf": {leadForm.csrf(t)}, "token": {"wl_guess"}}); p.status != http.StatusUnauthorized {
		t.Fatalf("wrong lead token: got %d, want 401", p.status)
	}

	p := b.post("/organiser/sign-in", url.Values{"_csrf": {form.csrf(t)}, "token": {organiserToken}})
	if p.status != http.StatusTooManyRequests || p.header.Get("Retry-After") == "" {
		t.Fatalf("the right token after 10 wrong ones: got %d (Retry-After %q), want 429 with Retry-After",
			p.status, p.header.Get("Retry-After"))
	}
	p.mustContain(t, "the locked-out sign-in page", "zu viele falsche Versuche, sich einzuloggen")
	if strings.Contains(p.header.Get("Set-Cookie"), "werkstatt_session") {
		t.Error("the locked-out sign-in set a session cookie")
	}
	en := s.browser()
	en.get("/organiser/sign-in?lang=en")
	p = en.post("/organiser/sign-in?lang=en", url.Values{"_csrf": {en.get("/organiser/sign-in?lang=en").csrf(t)}, "token": {organiserToken}})
	if p.status != http.StatusTooManyRequests {
		t.Fatalf("in English: got %d, want 429", p.status)
	}
	p.mustContain(t, "the locked-out sign-in page in English", "Too many wrong sign-in attempts")

	req, _ := http.NewRequest(http.MethodGet, s.url+"/api/v1/workshops/"+id+"/registrations", nil)
	req.Header.Set("Authorization", "Bearer "+organiserToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("the API after 10 wrong sign-ins: got %d %s, want 429 problem+json", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

// TestPageFormsSpendThePublicWriteBudget: registering on the page spends the same budget as
// the API; over it the page answers 429 in German with Retry-After. An organiser's forms do not.
func TestPageFormsSpendThePublicWriteBudget(t *testing.T) {
	s := startLimitedService(t, 2)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	s.register(id, "Ben Okafor", "Landkreis Fulda") // the API: 1 of 2
	b := s.browser()
	form := b.get("/w/" + id + "/register")
	values := url.Values{"_csrf": {form.csrf(t)}, "name": {"Anna Berg"}, "email": {"anna@example.org"},
		"organisation": {"Stadt Kassel"}, "days": {"2026-11-16"}, "consent": {"yes"}}
	if p := b.post("/w/"+id+"/register", values); p.status != http.StatusSeeOther {
		t.Fatalf("the 2nd write: got %d, want 303", p.status)
	}
	values.Set("email", "anna2@example.org")
	p := b.post("/w/"+id+"/register", values)
	if p.status != http.StatusTooManyRequests || p.header.Get("Retry-After") == "" {
		t.Fatalf("the 3rd write: got %d (Retry-After %q), want 429", p.status, p.header.Get("Retry-After"))
	}
	p.mustContain(t, "the page over the budget", "sehr viele Anfragen")
}

// TestHugePageFormIsRefusedBeforeCSRF: a 20 MB form body answers 413 (a page) before the CSRF
// check reads it, with or without a Content-Length (issue 10, defect 4).
func TestHugePageFormIsRefusedBeforeCSRF(t *testing.T) {
	s := startLimitedService(t, 600)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	huge := "name=" + strings.Repeat("A", 20<<20)
	for _, chunked := range []bool{false, true} {
		var body io.Reader = strings.NewReader(huge)
		if chunked {
			body = io.MultiReader(bytes.NewReader([]byte(huge))) // no length known: sent chunked
		}
		req, _ := http.NewRequest(http.MethodPost, s.url+"/w/"+id+"/register", body)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("chunked %v: %v", chunked, err)
		}
		page, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(page), "Das Formular ist zu groß") {
			t.Errorf("chunked %v: got %d, want 413 with the page saying so:\n%.500s", chunked, res.StatusCode, page)
		}
	}
}
