package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/app"
)

// TestLostLinkPage: the registration form points to the page on which a person asks for their
// link again; the page answers alike for a registered and an unknown address (the mail goes
// out only for the registered one, see cmd's mail tests) and refuses a malformed one at its
// field, in German and English.
func TestLostLinkPage(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	s.register(id, "Ada Berg", "Verein A")
	b := s.browser()
	b.get("/w/"+id+"/register").mustContain(t, "the registration form", `href="/w/`+id+`/link"`, "Link anfordern")
	form := b.get("/w/" + id + "/link")
	form.mustContain(t, "the page", "Persönlichen Link anfordern", `name="email"`)
	for _, email := range []string{"ada.berg@example.org", "niemand@example.org"} {
		start := time.Now()
		p := b.post("/w/"+id+"/link", url.Values{"_csrf": {form.csrf(t)}, "email": {email}})
		if p.status != http.StatusOK {
			t.Fatalf("asking for %s: got %d, want 200", email, p.status)
		}
		// As the API, the page takes the same floor for every address (a lower bound only).
		if took := time.Since(start); took < app.DefaultQuietAnswerFloor {
			t.Errorf("asking for %s: answered after %v, want at least %v", email, took, app.DefaultQuietAnswerFloor)
		}
		p.mustContain(t, "the answer for "+email, `id="link-asked"`, "Ist diese Adresse für den Workshop angemeldet")
	}
	p := b.post("/w/"+id+"/link", url.Values{"_csrf": {form.csrf(t)}, "email": {"keine Adresse"}})
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("a malformed address: got %d, want 422", p.status)
	}
	p.mustContain(t, "a malformed address", `id="e-email"`)
	b.get("/w/"+id+"/link?lang=en").mustContain(t, "the English page", "Ask for your personal link", "Send me the link")
}
