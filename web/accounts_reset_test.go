package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// TestPasswordResetPage: the sign-in leads to the reset page; it answers the same for an
// address with an account and one without, and only the account's request reaches the network's
// log, in the page's language; a malformed address comes back next to its field.
func TestPasswordResetPage(t *testing.T) {
	s := startService(t)
	var n struct{ ID string }
	s.api("POST", "/api/v1/networks", organiserToken, map[string]any{"name": "Forum Integration"}, &n)
	var anna struct{ ID string }
	s.api("POST", "/api/v1/networks/"+n.ID+"/members", organiserToken, map[string]any{"name": "Anna Schmidt",
		"email": "anna@example.org", "roles": []map[string]any{{"role": "member"}}}, &anna)
	b := s.browser()
	b.get("/sign-in").mustContain(t, "the sign-in", `href="/sign-in/reset"`, "Passwort vergessen?")

	issued := func() []domain.PasswordLinkIssued {
		log, err := s.cfg.Networks.NetworkLog(context.Background(), domain.NetworkID(n.ID))
		if err != nil {
			t.Fatal(err)
		}
		var out []domain.PasswordLinkIssued
		for _, r := range log {
			if e, ok := r.Event.(domain.PasswordLinkIssued); ok {
				out = append(out, e)
			}
		}
		return out
	}
	form := b.get("/sign-in/reset?lang=en")
	form.mustContain(t, "the reset page", "Ask for a new password", `name="email"`)
	for _, email := range []string{"nobody@example.org", "anna@example.org"} {
		start := time.Now()
		p := b.post("/sign-in/reset?lang=en", url.Values{"_csrf": {form.csrf(t)}, "email": {email}})
		if p.status != http.StatusOK {
			t.Errorf("ask for a reset of %s: got %d, want 200", email, p.status)
		}
		// As the API, the page takes the same floor for every address (a lower bound only).
		if took := time.Since(start); took < app.DefaultQuietAnswerFloor {
			t.Errorf("ask for a reset of %s: answered after %v, want at least %v", email, took, app.DefaultQuietAnswerFloor)
		}
		p.mustContain(t, "ask for a reset of "+email, `id="reset-asked"`, "If there is an account with this address, an email is on its way.")
	}
	if got := issued(); len(got) != 1 || got[0].Account != domain.AccountID(anna.ID) || got[0].Purpose != domain.LinkForReset || got[0].Lang != "en" {
		t.Errorf("links issued: got %+v, want one reset for Anna in English", got)
	}
	bad := b.post("/sign-in/reset", url.Values{"_csrf": {form.csrf(t)}, "email": {"keine Adresse"}})
	if bad.status != http.StatusUnprocessableEntity {
		t.Errorf("a malformed address: got %d, want 422", bad.status)
	}
	bad.mustContain(t, "a malformed address", `aria-invalid="true"`)
}
