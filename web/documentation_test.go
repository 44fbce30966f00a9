package web_test

import (
	"net/http"
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
