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

// TestLeadDocuments: a lead's attendance page links the funder's documents of the workshop
// (sign-in sheets, certificates, badges, catering), each served to the lead of the series and
// refused for another series' workshop.
func TestLeadDocuments(t *testing.T) {
	s := startService(t)
	id := s.leadWorkshop("Werkstatt 2026", "Kommunale Wärmeplanung")
	other := s.leadWorkshop("Andere Reihe", "Fremde Werkstatt")
	b := s.browser()
	b.signInAsLead(t, s.leadToken("Werkstatt 2026"))
	page := b.get("/lead/workshops/"+id+"/attendance").wantStatus(t, "lead attendance", http.StatusOK)
	for doc, mime := range map[string]string{"/sign-in-sheets.pdf": "application/pdf", "/certificates.pdf": "application/pdf",
		"/badges.pdf": "application/pdf", "/catering.csv": "text/csv", "/catering.pdf": "application/pdf"} {
		link := "/lead/workshops/" + id + doc
		if !strings.Contains(page.body, `href="`+link+`"`) {
			t.Errorf("the lead's attendance page does not link %s", link)
		}
		res := b.get(link).wantStatus(t, link, http.StatusOK)
		if got := res.header.Get("Content-Type"); !strings.HasPrefix(got, mime) {
			t.Errorf("%s: Content-Type %q, want %s", link, got, mime)
		}
		if res := b.get("/lead/workshops/" + other + doc); res.status == http.StatusOK {
			t.Errorf("%s of another series' workshop: got 200, want a refusal", doc)
		}
	}
}
