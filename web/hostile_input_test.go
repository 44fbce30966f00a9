package web_test

import (
	"net/http"
	"net/url"
	"testing"
)

// TestTextAndNumbersTheReadModelsCannotHold: the pages refuse what the domain refuses for the
// API (issue #10: a NUL, invalid UTF-8, a capacity beyond what a read model stores) with the
// field's message in the page's language, never a 500.
func TestTextAndNumbersTheReadModelsCannotHold(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	for _, tt := range []struct {
		lang     string
		text     string
		capacity string
	}{
		{"de", `id="e-organisation">Bitte nur Text ohne Steuerzeichen eingeben`, `id="e-capacity">Bitte eine Zahl von 1 bis 100000 angeben.`},
		{"en", `id="e-organisation">Please enter plain text without control characters`, `id="e-capacity">Please enter a number from 1 to 100000.`},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			b := s.browser()
			form := b.get("/w/" + id + "/register?lang=" + tt.lang)
			p := b.post("/w/"+id+"/register", url.Values{"_csrf": {form.csrf(t)}, "name": {"Anna Berg"},
				"email": {"anna@example.org"}, "organisation": {"Org\x00"}, "days": {"2026-11-16"}, "consent": {"yes"}})
			if p.status != http.StatusUnprocessableEntity {
				t.Fatalf("POST a registration with a NUL: got %d, want 422", p.status)
			}
			p.mustContain(t, "the rejected registration", tt.text, `aria-describedby="e-organisation"`)
			p = b.post("/w/"+id+"/register", url.Values{"_csrf": {form.csrf(t)}, "name": {"An\xffna"},
				"email": {"anna@example.org"}, "organisation": {"Stadtwerke"}, "days": {"2026-11-16"}, "consent": {"yes"}})
			if p.status != http.StatusUnprocessableEntity {
				t.Fatalf("POST a registration with invalid UTF-8: got %d, want 422", p.status)
			}
			p.mustContain(t, "the rejected registration", `id="e-name">`)

			o := s.signIn(t)
			form = o.get("/organiser/workshops/new?lang=" + tt.lang)
			p = o.post("/organiser/workshops", url.Values{"_csrf": {form.csrf(t)}, "title": {"Werkstatt"}, "venue": {"Kassel"},
				"days": {"2026-11-16"}, "capacity": {"2147483648"}})
			if p.status != http.StatusUnprocessableEntity {
				t.Fatalf("POST a workshop of capacity 2147483648: got %d, want 422", p.status)
			}
			p.mustContain(t, "the rejected workshop", tt.capacity)
		})
	}
}
