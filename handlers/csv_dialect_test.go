package handlers_test

import (
	"strings"
	"testing"
)

// TestCSVDialects reads the attendance, evaluation and series CSV exports in both dialects
// (issue 14): German Excel by default (byte order mark, ";", decimal comma) and
// ?dialect=international (",", decimal point, no byte order mark), ratios rounded to 2
// decimals; an unknown dialect is a 400 problem naming the parameter.
func TestCSVDialects(t *testing.T) {
	s := startService(t)
	w := s.schedule(3)
	base := "/api/v1/workshops/" + w.ID
	var people []registered
	for _, name := range []string{"Ada", "Bea", "Cem"} {
		people = append(people, s.register(w, person(name, "Verein "+name)))
	}
	for _, p := range people {
		s.must(request{method: "POST", path: base + "/check-ins", token: org, body: map[string]any{
			"registration_id": p.ID, "day": day1}}, 201, nil)
	}
	s.must(request{method: "POST", path: base + "/feedback/open", token: org}, 200, nil)
	for _, p := range people[:2] { // 2 of 3 checked in: a response rate of 0.666…
		s.must(request{method: "PUT", path: base + "/feedback/questionnaires/workshop/answer", token: p.Token,
			body: defaultAnswers([4]int{5, 4, 4, 4}, "Alles")}, 200, nil)
	}

	for _, tc := range []struct {
		query, start, comma string
	}{
		{"", "\uFEFF", ";"},
		{"?dialect=excel-de", "\uFEFF", ";"},
		{"?dialect=international", "", ","},
	} {
		att := string(s.must(request{method: "GET", path: base + "/reports/attendance.csv" + tc.query, token: org}, 200, nil).body)
		ev := string(s.must(request{method: "GET", path: base + "/reports/evaluation.csv" + tc.query, token: org}, 200, nil).body)
		series := string(s.must(request{method: "GET", path: "/api/v1/series/Werkstatt%202026/report.csv" + tc.query, token: org}, 200, nil).body)
		for what, body := range map[string]string{"attendance": att, "evaluation": ev, "series": series} {
			if hasBOM := strings.HasPrefix(body, "\uFEFF"); hasBOM != (tc.start != "") {
				t.Errorf("%s CSV%s: got a byte order mark %v, want %v", what, tc.query, hasBOM, tc.start != "")
			}
			if header, _, _ := strings.Cut(body, "\n"); !strings.Contains(header, tc.comma) {
				t.Errorf("%s CSV%s: got the header %q, want it separated by %q", what, tc.query, header, tc.comma)
			}
		}
		if want := "Ada" + tc.comma + "Verein Ada" + tc.comma; !strings.Contains(att, want) {
			t.Errorf("attendance CSV%s: got %q, want a line starting %q", tc.query, att, want)
		}
		// The whole workshop's questionnaire: version 1, 2 responses of 3 checked in (0.67),
		// satisfaction answered twice with 5 (mean 5).
		rate := map[string]string{";": "0,67", ",": "0.67"}[tc.comma]
		want := strings.Join([]string{"1", "2", "3", rate}, tc.comma)
		if !strings.Contains(ev, want) || strings.Contains(ev, "0.666") || strings.Contains(ev, "0,666") {
			t.Errorf("evaluation CSV%s: got %q, want the rate rounded as %q", tc.query, ev, want)
		}
	}

	for _, path := range []string{base + "/reports/attendance.csv", base + "/reports/evaluation.csv",
		"/api/v1/series/Werkstatt%202026/report.csv"} {
		for _, bad := range []string{"excel", "International", "%3B"} {
			res := s.must(request{method: "GET", path: path + "?dialect=" + bad, token: org}, 400, nil)
			if !strings.Contains(string(res.body), "dialect") || !strings.HasPrefix(res.header.Get("Content-Type"), "application/problem+json") {
				t.Errorf("%s?dialect=%s: got %s %q, want a problem naming the parameter", path, bad, res.header.Get("Content-Type"), res.body)
			}
		}
	}
}
