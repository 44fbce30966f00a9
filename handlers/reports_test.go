package handlers_test

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestReports walks the reports of issue 5 through the API: two people confirmed for both days,
// one checked in on the first day only, one answer to the feedback; then every form of the
// attendance, evaluation and series reports, and a participant's token refused.
func TestReports(t *testing.T) {
	clk := &appClock{now: time.Date(2037, 11, 16, 9, 0, 0, 0, time.UTC)}
	s := startServiceAt(t, clk)
	w := s.schedule(2)
	base := "/api/v1/workshops/" + w.ID
	ada := s.register(w, person("Ada", "Verein A"))
	s.register(w, person("Bea", "Verein B"))
	s.must(request{method: "POST", path: base + "/check-ins", token: org, body: map[string]any{
		"registration_id": ada.ID, "day": day1}}, 201, nil)
	s.must(request{method: "POST", path: base + "/feedback/open", token: org}, 200, nil)
	s.must(request{method: "PUT", path: base + "/feedback/questionnaires/workshop/answer", token: ada.Token,
		body: defaultAnswers([4]int{5, 4, 4, 3}, "Alles")}, 200, nil)
	clk.set(time.Date(2037, 11, 18, 9, 0, 0, 0, time.UTC)) // both days held

	var att struct {
		PersonDays int     `json:"person_days"`
		NoShows    int     `json:"no_shows"`
		NoShowRate float64 `json:"no_show_rate"`
	}
	s.must(request{method: "GET", path: base + "/reports/attendance.json", token: org}, 200, &att)
	if att.PersonDays != 4 || att.NoShows != 3 || att.NoShowRate != 0.75 {
		t.Errorf("attendance: got %+v, want 4 person-days, 3 no-shows, rate 0.75", att)
	}
	res := s.must(request{method: "GET", path: base + "/reports/attendance.csv", token: org}, 200, nil)
	if rows := csvRows(t, res.body); len(rows) != 3 || rows[1][0] != "Ada" || rows[1][3] != "16.11.2037" {
		t.Errorf("attendance CSV: got %q, want Ada present on 16.11.2037 and Bea", rows)
	}
	if got := res.header.Get("Content-Disposition"); !strings.Contains(got, "teilnahme-herbstwerkstatt.csv") {
		t.Errorf("got Content-Disposition %q, want the file teilnahme-herbstwerkstatt.csv", got)
	}
	res = s.must(request{method: "GET", path: base + "/reports/attendance.xlsx?lang=en", token: org}, 200, nil)
	if got := cell(t, res.body, "Participants", "A3"); got != "Bea" {
		t.Errorf("attendance XLSX: got %q in Participants!A3, want Bea", got)
	}
	res = s.must(request{method: "GET", path: base + "/reports/attendance.pdf", token: org}, 200, nil)
	contains(t, "attendance PDF", strings.Join(pdfText(t, res.body), " "), "Unterschriftenliste", "Ada", "Bea", "Verein B")

	res = s.must(request{method: "GET", path: base + "/reports/evaluation.xlsx", token: org}, 200, nil)
	if got := cell(t, res.body, "Auswertung", "I2"); got != "5" {
		t.Errorf("evaluation XLSX: got mean %q, want 5", got)
	}
	s.must(request{method: "GET", path: base + "/reports/evaluation.csv", token: org}, 200, nil)
	res = s.must(request{method: "GET", path: base + "/reports/evaluation.pdf?lang=en", token: org}, 200, nil)
	contains(t, "evaluation PDF", strings.Join(pdfText(t, res.body), " "), "How satisfied were you overall?")

	checkSeriesReports(t, s)
	for _, path := range []string{base + "/reports/attendance", base + "/reports/evaluation.pdf"} {
		s.must(request{method: "GET", path: path, token: ada.Token}, 403, nil)
		s.must(request{method: "GET", path: path}, 401, nil)
	}
	s.must(request{method: "GET", path: "/api/v1/series/Werkstatt%202026/report", token: ada.Token}, 401, nil)
	s.must(request{method: "GET", path: base + "/reports/attendance.pdf?lang=fr", token: org}, 400, nil)
}

func checkSeriesReports(t *testing.T, s *service) {
	t.Helper()
	series := "/api/v1/series/Werkstatt%202026/report"
	var r struct {
		Participants int `json:"participants"`
		Workshops    []struct {
			Responses int `json:"responses"`
		} `json:"workshops"`
	}
	s.must(request{method: "GET", path: series, token: org}, 200, &r)
	if r.Participants != 2 || len(r.Workshops) != 1 || r.Workshops[0].Responses != 1 {
		t.Errorf("series report: got %+v, want 2 participants, one workshop with 1 response", r)
	}
	for _, ext := range []string{".json", ".csv", ".xlsx", ".pdf"} {
		s.must(request{method: "GET", path: series + ext, token: org}, 200, nil)
	}
	res := s.must(request{method: "GET", path: series + "/trend.svg?chart=participation", token: org}, 200, nil)
	if err := xml.Unmarshal(res.body, new(struct{})); err != nil || strings.Count(string(res.body), `class="bar"`) != 3 {
		t.Errorf("trend SVG: got %s (%v), want well-formed XML with 3 bars", res.body, err)
	}
	s.must(request{method: "GET", path: series + "/trend.svg?chart=pie", token: org}, 400, nil)
	s.must(request{method: "GET", path: "/api/v1/series/Unbekannt/report", token: org}, 404, nil)
}

// cell opens a workbook and returns one cell's value.
func cell(t *testing.T, b []byte, sheet, at string) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("open the workbook: %v", err)
	}
	defer f.Close()
	v, err := f.GetCellValue(sheet, at)
	if err != nil {
		t.Fatalf("cell %s!%s: %v", sheet, at, err)
	}
	return v
}

// TestAttendanceNotYetHeld: on the workshop's first day the second has not happened yet: the
// JSON marks it not held with no no-shows, the rate counts the first day only, and the PDF says
// "noch nicht stattgefunden" (issue 14). The next day the second day counts.
func TestAttendanceNotYetHeld(t *testing.T) {
	clk := &appClock{now: time.Date(2037, 11, 16, 12, 0, 0, 0, time.UTC)}
	s := startServiceAt(t, clk)
	w := s.schedule(2)
	base := "/api/v1/workshops/" + w.ID
	ada := s.register(w, person("Ada", "Verein A"))
	s.register(w, person("Bea", "Verein B"))
	s.must(request{method: "POST", path: base + "/check-ins", token: org, body: map[string]any{
		"registration_id": ada.ID, "day": day1}}, 201, nil)
	type report struct {
		NoShows        int     `json:"no_shows"`
		NoShowRate     float64 `json:"no_show_rate"`
		HeldPersonDays int     `json:"held_person_days"`
		Days           []struct {
			Held    bool `json:"held"`
			NoShows int  `json:"no_shows"`
		} `json:"days"`
	}
	var r report
	s.must(request{method: "GET", path: base + "/reports/attendance.json", token: org}, 200, &r)
	if r.NoShows != 1 || r.NoShowRate != 0.5 || r.HeldPersonDays != 2 || len(r.Days) != 2 ||
		!r.Days[0].Held || r.Days[1].Held || r.Days[1].NoShows != 0 {
		t.Errorf("on the first day: got %+v, want 1 no-show of 2 held person-days, the second day not held", r)
	}
	res := s.must(request{method: "GET", path: base + "/reports/attendance.pdf", token: org}, 200, nil)
	contains(t, "attendance PDF", strings.Join(pdfText(t, res.body), " "), "17.11.2037 (noch nicht stattgefunden)")
	clk.set(time.Date(2037, 11, 17, 12, 0, 0, 0, time.UTC))
	s.must(request{method: "GET", path: base + "/reports/attendance.json", token: org}, 200, &r)
	if r.NoShows != 3 || !r.Days[1].Held {
		t.Errorf("on the second day: got %+v, want 3 no-shows, both days held", r)
	}
}
