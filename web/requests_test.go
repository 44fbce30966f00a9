package web_test

import (
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
