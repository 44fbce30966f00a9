package reports

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// TestAttendanceCountsRegistrationAnswers counts the confirmed and present people by their
// answers to choice and yes/no questions, in the order of the form, erased people included;
// text questions and questions no longer asked are not counted.
func TestAttendanceCountsRegistrationAnswers(t *testing.T) {
	const d1 = domain.Day("2026-11-16")
	ws := projections.WorkshopView{ID: "w", Title: "Werkstatt", Days: []domain.Day{d1}, RegistrationQuestions: []domain.RegistrationQuestion{
		{ID: "sector", Label: "Sektor", Kind: domain.AskChoice, Options: []string{"Politik", "Verwaltung"}},
		{ID: "why", Label: "Warum?", Kind: domain.AskText},
		{ID: "multiplier", Label: "Multiplikator·in", Kind: domain.AskYesNo},
	}}
	reg := func(id string, erased bool, status domain.Status, answers map[string]string) projections.RegistrationView {
		return projections.RegistrationView{ID: domain.RegistrationID(id), Name: id, Erased: erased, Status: status,
			Days: []domain.Day{d1}, Answers: answers}
	}
	regs := []projections.RegistrationView{
		reg("a", false, domain.Confirmed, map[string]string{"sector": "Verwaltung", "multiplier": "yes", "why": "x", "gone": "1"}),
		reg("b", true, domain.Confirmed, map[string]string{"sector": "Verwaltung", "multiplier": "no"}),
		reg("c", false, domain.Confirmed, map[string]string{"sector": "Kirche"}),
		reg("d", false, domain.Cancelled, map[string]string{"sector": "Politik"}),
	}
	rep := BuildAttendance(ws, regs, []domain.CheckIn{{RegistrationID: "b", Day: d1}}, d1)
	want := []QuestionPresence{
		{ID: "sector", Label: "Sektor", Kind: domain.AskChoice, Answers: []GroupPresence{
			{Name: "Politik"}, {Name: "Verwaltung", Confirmed: 2, Present: 1}, {Name: "Kirche", Confirmed: 1}}},
		{ID: "multiplier", Label: "Multiplikator·in", Kind: domain.AskYesNo, Answers: []GroupPresence{
			{Name: "yes", Confirmed: 1}, {Name: "no", Confirmed: 1, Present: 1}}},
	}
	if !reflect.DeepEqual(rep.Questions, want) {
		t.Fatalf("got %+v, want %+v", rep.Questions, want)
	}
	var sheet bytes.Buffer
	if err := AttendanceXLSX(&sheet, German, rep); err != nil {
		t.Fatal(err)
	}
	var pdf bytes.Buffer
	if err := AttendancePDF(&pdf, English, rep); err != nil || !strings.HasPrefix(pdf.String(), "%PDF") {
		t.Fatalf("pdf: %v", err)
	}
	var csv bytes.Buffer
	if err := International.Attendance(&csv, German, rep); err != nil {
		t.Fatal(err)
	}
	if got := csv.String(); !strings.Contains(got, "Sektor,Multiplikator·in") || !strings.Contains(got, ",Verwaltung,nein") {
		t.Errorf("csv: got\n%s\nwant a column per counted question", got)
	}
	tables := attendanceTables(German, rep)
	var rows [][]any
	for _, tb := range tables {
		if tb.Name == "Anmeldefragen" {
			rows = tb.Rows
		}
	}
	if len(rows) != 5 || rows[3][1] != "ja" || rows[1][0] != "Sektor" || rows[1][2] != 2 {
		t.Errorf("table rows: got %v", rows)
	}
}
