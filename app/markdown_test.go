package app_test

import (
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/app"
)

// TestRenderMarkdown: what an announcement's Markdown may and may not become.
func TestRenderMarkdown(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      string   // a part of the HTML
		not       []string // parts it must not hold
	}{
		{"emphasis and lists", "**fett** und *kursiv*\n\n- eins\n- zwei", "<strong>fett</strong> und <em>kursiv</em>", nil},
		{"raw HTML", "<script>alert(1)</script>\n\n<b onmouseover=x>b</b>", "raw HTML omitted", []string{"<script", "<b", "onmouseover"}},
		{"an http link", "[Programm](https://example.org/p)", `<a href="https://example.org/p" rel="nofollow noopener">Programm</a>`, nil},
		{"a mail link", "<orga@example.org>", `<a href="mailto:orga@example.org" rel="nofollow noopener">orga@example.org</a>`, nil},
		{"a path of the site", "[Workshop](/w/abc)", `<a href="/w/abc" rel="nofollow noopener">Workshop</a>`, nil},
		{"a script link keeps its words", "[klick](javascript:alert(1))", "<p>klick</p>", []string{"<a", "javascript"}},
		{"an encoded script link", "[klick](&#106;avascript:alert(1))", "<p>klick</p>", []string{"<a"}},
		{"a data link", "[x](data:text/html;base64,PHNjcmlwdD4=)", "<p>x</p>", []string{"<a", "data:"}},
		{"an image becomes a link", "![Plakat](https://example.org/p.png)", `<a href="https://example.org/p.png" rel="nofollow noopener">Plakat</a>`, []string{"<img"}},
		{"a script image", "![x](javascript:alert(1))", "<p>x</p>", []string{"<img", "<a", "javascript"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := app.RenderMarkdown(tc.src)
			if !strings.Contains(got, tc.want) {
				t.Errorf("RenderMarkdown(%q) = %q, want it to hold %q", tc.src, got, tc.want)
			}
			for _, bad := range tc.not {
				if strings.Contains(got, bad) {
					t.Errorf("RenderMarkdown(%q) = %q holds %q", tc.src, got, bad)
				}
			}
		})
	}
}
