package web_test

import (
	"net/http"
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
	m := regexp.MustCompile(`<button class="([^"]*)" type="submit" id="lead-sign-out">Abmelden</button>`).FindStringSubmatch(p.body)
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
