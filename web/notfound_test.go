package web_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestUnknownPages(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	tests := []struct {
		name, method, path, acceptLanguage string
		status                             int
		want                               []string
	}{
		{"German by default", http.MethodGet, "/gibt-es-nicht", "", http.StatusNotFound,
			[]string{`<html lang="de">`, `<p role="alert">Diese Seite gibt es nicht (mehr).</p>`, "Zur Startseite"}},
		{"English by query", http.MethodGet, "/no-such-page?lang=en", "", http.StatusNotFound,
			[]string{`<html lang="en">`, `<p role="alert">This page does not exist (any more).</p>`, "Back to the start page"}},
		{"English by Accept-Language", http.MethodGet, "/w/" + id + "/no-such-page", "en-GB,en;q=0.9", http.StatusNotFound,
			[]string{`<html lang="en">`, "This page does not exist (any more)."}},
		{"under the organiser's pages", http.MethodGet, "/organiser/no-such-page", "", http.StatusNotFound,
			[]string{"Diese Seite gibt es nicht (mehr)."}},
		{"a form sent to no page", http.MethodPost, "/no-such-form", "", http.StatusNotFound,
			[]string{"Diese Seite gibt es nicht (mehr)."}},
		{"a page asked for with the wrong method", http.MethodGet, "/organiser/sign-out", "", http.StatusMethodNotAllowed,
			[]string{`<html lang="de">`, "Diese Anfrage konnte nicht bearbeitet werden."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := s.browser()
			if tt.acceptLanguage != "" {
				b.header.Set("Accept-Language", tt.acceptLanguage)
			}
			p := b.do(tt.method, tt.path, nil)
			if ct := p.header.Get("Content-Type"); p.status != tt.status || !strings.HasPrefix(ct, "text/html") {
				t.Fatalf("%s %s: got %d %s, want %d text/html", tt.method, tt.path, p.status, ct, tt.status)
			}
			if csp := p.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("%s %s: got CSP %q, want the pages' policy", tt.method, tt.path, csp)
			}
			p.mustContain(t, tt.method+" "+tt.path, tt.want...)
		})
	}
	t.Run("the JSON API keeps its problems", func(t *testing.T) {
		for _, path := range []string{"/api/v1/no-such-resource", "/api/v1/workshops/" + id + "/no-such-resource"} {
			p := s.browser().get(path)
			if ct := p.header.Get("Content-Type"); p.status != http.StatusNotFound || !strings.HasPrefix(ct, "application/problem+json") {
				t.Errorf("GET %s: got %d %s, want 404 application/problem+json", path, p.status, ct)
			}
		}
	})
}
