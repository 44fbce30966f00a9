package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestDocumentationPage: the documentation page shows the workshop, agenda and the summary as
// safe HTML, no personal data, and is linked from the workshop page once the workshop began.
func TestDocumentationPage(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Ideenwerkstatt", 10)
	s.register(id, "Anna Schmidt", "Landratsamt")
	br := s.browser()
	path := "/w/" + id + "/documentation"
	br.get(path).mustContain(t, "the page without a summary", "<h1>Dokumentation: Ideenwerkstatt", "Bilanz",
		"Das Orga-Team hat noch keine Bilanz geschrieben.", "Begrüßung", "Rathaus Kassel")
	br.get("/w/"+id).mustContain(t, "the workshop page", `href="/w/`+id+`/documentation"`)

	s.api(http.MethodPut, "/api/v1/workshops/"+id+"/summary", organiserToken,
		map[string]any{"text": "## Rückblick\n\n**42** Gäste <script>alert(1)</script> [x](javascript:alert(1))"}, nil)
	p := br.get(path)
	p.mustContain(t, "the page with a summary", `<div id="summary"><h2>Rückblick</h2>`, "<strong>42</strong>")
	for _, bad := range []string{"<script>alert", "javascript:", "Anna Schmidt", "Landratsamt"} {
		if strings.Contains(p.body, bad) {
			t.Errorf("the documentation page holds %q", bad)
		}
	}
	br.header.Set("Accept-Language", "en")
	br.get(path).mustContain(t, "the English page", "<h1>Documentation: Ideenwerkstatt", "Summary")
	if p := br.get("/w/nope/documentation"); p.status != http.StatusNotFound {
		t.Errorf("an unknown workshop: got %d, want 404", p.status)
	}
}

// TestSummaryPage: the organiser writes the summary on the page "Bilanz" (CSRF), a control
// character is refused in place, an empty text clears it.
func TestSummaryPage(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Ideenwerkstatt", 10)
	br := s.signIn(t)
	path := "/organiser/workshops/" + id + "/summary"
	p := br.get(path)
	p.mustContain(t, "the summary page", "<h1>Bilanz: Ideenwerkstatt", `<textarea id="f-text" name="text"`, `href="`+path+`"`)
	csrf := p.csrf(t)
	if res := br.post(path, url.Values{"_csrf": {csrf}, "key": {"s1"}, "text": {"# Rückblick\n\nGut besucht."}}); res.status != http.StatusSeeOther {
		t.Fatalf("save: got %d, want 303:\n%s", res.status, res.body)
	}
	br.get(path+"?saved=1").mustContain(t, "the saved summary", `id="summary-saved"`, "# Rückblick")
	s.browser().get("/w/"+id+"/documentation").mustContain(t, "the documentation", "<h1>Rückblick</h1>", "Gut besucht.")
	res := br.post(path, url.Values{"_csrf": {csrf}, "key": {"s2"}, "text": {"a\x00b"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("a NUL: got %d, want 422:\n%s", res.status, res.body)
	}
	res.mustContain(t, "the refused text", `id="e-text"`)
	if res := br.post(path, url.Values{"key": {"s3"}, "text": {"x"}}); res.status != http.StatusForbidden && res.status != http.StatusBadRequest {
		t.Errorf("without CSRF token: got %d, want 403 or 400", res.status)
	}
	if res := br.post(path, url.Values{"_csrf": {csrf}, "key": {"s4"}, "text": {""}}); res.status != http.StatusSeeOther {
		t.Fatalf("clear: got %d, want 303", res.status)
	}
	s.browser().get("/w/"+id+"/documentation").mustContain(t, "the cleared summary", `id="no-summary"`)
}
