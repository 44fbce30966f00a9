package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestLeadCSVDialects: the lead's pages offer CSV for German Excel and the international form
// (issue 14); the first has a byte order mark and ";", the second "," and none; an unknown
// dialect is an error page that names the known ones.
func TestLeadCSVDialects(t *testing.T) {
	s := startService(t)
	id := s.leadWorkshop("Tabellen 2026", "Deutsche Tabellen")
	b := s.browser()
	b.signInAsLead(t, s.leadToken("Tabellen 2026"))
	base := "/lead/workshops/" + id
	for _, page := range []string{base + "/attendance", base + "/evaluation", "/lead"} {
		b.get(page).wantStatus(t, page, http.StatusOK).mustContain(t, page, ">CSV (Excel, deutsch)</a>",
			`.csv?dialect=international"`, ">CSV (international)</a>")
	}
	for _, path := range []string{base + "/attendance.csv", base + "/evaluation.csv", "/lead/report.csv"} {
		german := b.get(path).wantStatus(t, path, http.StatusOK).body
		header, _, _ := strings.Cut(german, "\n")
		if !strings.HasPrefix(german, "\uFEFF") || !strings.Contains(header, ";") {
			t.Errorf("%s: got the header %q, want a byte order mark and ';'", path, header)
		}
		international := b.get(path+"?dialect=international").wantStatus(t, path, http.StatusOK).body
		header, _, _ = strings.Cut(international, "\n")
		if strings.HasPrefix(international, "\uFEFF") || strings.Contains(header, ";") || !strings.Contains(header, ",") {
			t.Errorf("%s?dialect=international: got the header %q, want ',' and no byte order mark", path, header)
		}
		b.get(path+"?dialect=excel").wantStatus(t, path+"?dialect=excel", http.StatusBadRequest).
			mustContain(t, path+"?dialect=excel", "Diese CSV-Form gibt es nicht")
	}
}
