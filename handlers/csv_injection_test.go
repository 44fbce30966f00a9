package handlers_test

import (
	"bytes"
	"encoding/csv"
	"testing"
)

// TestExportsNeutraliseFormulas registers a person whose name and organisation a spreadsheet
// would run as formulas, in a workshop whose title would run too, and reads the CSV exports:
// every such cell starts with an apostrophe, so the spreadsheet shows it as text (issue 10,
// defect 3). The counts stay numbers.
func TestExportsNeutraliseFormulas(t *testing.T) {
	s := startService(t)
	var w workshop
	s.must(request{method: "POST", path: "/api/v1/workshops", token: org, body: map[string]any{
		"title": "@SUM(A1:A9)", "series": "Werkstatt 2026", "venue": "Kassel",
		"days": []string{day1}, "capacity": 5}}, 201, &w)
	base := "/api/v1/workshops/" + w.ID
	evil := s.register(w, map[string]any{"name": `=HYPERLINK("http://x.example","klick")`,
		"email": "evil@example.org", "organisation": "+49 Verein", "district": "－1", "consent": true})
	s.must(request{method: "POST", path: base + "/check-ins", token: org, body: map[string]any{
		"registration_id": evil.ID, "day": day1}}, 201, nil)

	rows := csvRows(t, s.must(request{method: "GET", path: base + "/reports/attendance.csv", token: org}, 200, nil).body)
	want := []string{`'=HYPERLINK("http://x.example","klick")`, "'+49 Verein", "'－1", "16.11.2037", "1", "nein"}
	if len(rows) != 2 || !equalRows(rows[1], want) {
		t.Errorf("attendance CSV: got %q, want the person's row %q", rows, want)
	}
	rows = csvRows(t, s.must(request{method: "GET", path: "/api/v1/series/Werkstatt%202026/report.csv", token: org}, 200, nil).body)
	if len(rows) != 2 || rows[1][0] != "'@SUM(A1:A9)" || rows[1][2] != "1" {
		t.Errorf("series CSV: got %q, want the title '@SUM(A1:A9) and 1 confirmed", rows)
	}
}

// csvRows reads a CSV export: German Excel's (with a byte order mark, ";") or the
// international one (",").
func csvRows(t *testing.T, body []byte) [][]string {
	t.Helper()
	rest, german := bytes.CutPrefix(body, []byte("\uFEFF"))
	r := csv.NewReader(bytes.NewReader(rest))
	if german {
		r.Comma = ';'
	}
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("parse the CSV: %v", err)
	}
	return rows
}

func equalRows(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}
