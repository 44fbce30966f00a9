package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var exportHref = regexp.MustCompile(`<p id="(?:exports|documents)">.*?</p>`)
var hrefOf = regexp.MustCompile(`href="([^"]+)"`)

// TestOrganiserExports: every report and export is one click away for the organiser, on the
// attendance, feedback and series pages; each link answers with its document to the signed-in
// organiser and sends an anonymous visitor to the sign-in page.
func TestOrganiserExports(t *testing.T) {
	s := startService(t)
	id := s.leadWorkshop("Werkstatt 2026", "Kommunale Wärmeplanung")
	b := s.signIn(t)
	base := "/organiser/workshops/" + id
	var links []string
	for _, p := range []string{base + "/attendance", base + "/feedback", "/organiser/series/" + url.PathEscape("Werkstatt 2026") + "/leads"} {
		body := b.get(p).wantStatus(t, p, http.StatusOK).body
		for _, para := range exportHref.FindAllString(body, -1) {
			for _, m := range hrefOf.FindAllStringSubmatch(para, -1) {
				links = append(links, html.UnescapeString(m[1]))
			}
		}
	}
	want := map[string]string{
		"/attendance.csv": "text/csv", "/attendance.csv?dialect=international": "text/csv",
		"/attendance.xlsx": "application/vnd.openxmlformats", "/attendance.pdf": "application/pdf",
		"/evaluation.csv": "text/csv", "/evaluation.csv?dialect=international": "text/csv",
		"/evaluation.xlsx": "application/vnd.openxmlformats", "/evaluation.pdf": "application/pdf",
		"/report.csv": "text/csv", "/report.csv?dialect=international": "text/csv",
		"/report.xlsx": "application/vnd.openxmlformats", "/report.pdf": "application/pdf",
		"/sign-in-sheets.pdf": "application/pdf", "/certificates.pdf": "application/pdf",
		"/badges.pdf": "application/pdf", "/badges.pdf?layout=8": "application/pdf", "/badges.pdf?kind=tents": "application/pdf",
	}
	found := map[string]bool{}
	for _, link := range links {
		for suffix, mime := range want {
			if !strings.HasSuffix(link, suffix) {
				continue
			}
			found[suffix] = true
			res := b.get(link).wantStatus(t, link, http.StatusOK)
			if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, mime) {
				t.Errorf("%s: got Content-Type %q, want %s", link, ct, mime)
			}
			anon := s.browser().get(link)
			if anon.status != http.StatusSeeOther && anon.status != http.StatusFound && anon.status != http.StatusUnauthorized &&
				anon.status != http.StatusForbidden {
				t.Errorf("%s anonymously: got %d, want the sign-in redirect or a refusal", link, anon.status)
			} else if loc := anon.header.Get("Location"); anon.status/100 == 3 && !strings.Contains(loc, "/organiser/sign-in") {
				t.Errorf("%s anonymously: redirected to %q, want the sign-in page", link, loc)
			}
		}
	}
	for suffix := range want {
		if !found[suffix] {
			t.Errorf("no link ending in %s on the organiser's pages (found %q)", suffix, links)
		}
	}
	// A badge option no sheet has is a 400 page that says so, not a stale form.
	for _, q := range []string{"?layout=9", "?kind=poster"} {
		res := b.get(base+"/badges.pdf"+q).wantStatus(t, q, http.StatusBadRequest)
		if !strings.Contains(res.body, "Diese Namensschilder gibt es nicht") {
			t.Errorf("badges.pdf%s: the page does not say what is wrong:\n%s", q, res.body)
		}
	}
}
