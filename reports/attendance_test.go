package reports_test

import (
	"bytes"
	"encoding/csv"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

// attendanceScenario: two days, a session on each; Anna comes both days, Bernd to the first
// day's session, Clara (second day only) never, the erased person on the second day only.
func attendanceScenario() reports.AttendanceReport { return attendanceScenarioAsOf("") }

// attendanceScenarioAsOf is attendanceScenario on the date today ("" holds every day).
func attendanceScenarioAsOf(today domain.Day) reports.AttendanceReport {
	ws := projections.WorkshopView{ID: "w1", Title: "Fachtag Teilhabe", Venue: "Rathaus",
		Days: []domain.Day{"2026-11-16", "2026-11-17"},
		Agenda: []domain.Session{
			{ID: "s1", Title: "Auftakt", Day: "2026-11-16", Starts: "10:00"},
			{ID: "s2", Title: "Werkstattgespräch", Day: "2026-11-17", Starts: "11:00"}}}
	both := []domain.Day{"2026-11-16", "2026-11-17"}
	regs := []projections.RegistrationView{
		{ID: "r1", Name: "Anna Adler", Organisation: "Verein A", District: "Nord", Days: both, Status: domain.Confirmed,
			PhotoConsent: true},
		{ID: "r2", Name: "Bernd Bär", Organisation: "Verein B", District: "Süd", Days: both[:1], Status: domain.Confirmed},
		{ID: "r3", Name: "Clara Ćosić", Organisation: "Verein A", Days: both[1:], Status: domain.Confirmed},
		{ID: "r4", Name: "Dora Dach", Organisation: "Verein C", Days: both, Status: domain.Waitlisted},
		{ID: "r5", Erased: true, Organisation: "Verein B", District: "Nord", Days: both, Status: domain.Confirmed},
	}
	checkIns := []domain.CheckIn{
		{RegistrationID: "r1", Day: "2026-11-16"}, {RegistrationID: "r1", Day: "2026-11-17", SessionID: "s2"},
		{RegistrationID: "r2", Day: "2026-11-16", SessionID: "s1"}, {RegistrationID: "r5", Day: "2026-11-17"},
		{RegistrationID: "r4", Day: "2026-11-16"}, // not confirmed: ignored
	}
	return reports.BuildAttendance(ws, regs, checkIns, today)
}

func TestBuildAttendance(t *testing.T) {
	r := attendanceScenario()
	if r.Confirmed != 4 || r.PersonDays != 6 || r.NoShows != 2 || math.Abs(r.NoShowRate-1.0/3) > 1e-9 {
		t.Errorf("got confirmed %d, person-days %d, no-shows %d, rate %v; want 4, 6, 2, 1/3",
			r.Confirmed, r.PersonDays, r.NoShows, r.NoShowRate)
	}
	wantDays := []reports.DayPresence{{"2026-11-16", true, 3, 2, 1, 1.0 / 3}, {"2026-11-17", true, 3, 2, 1, 1.0 / 3}}
	if !reflect.DeepEqual(r.Days, wantDays) {
		t.Errorf("got days %+v, want %+v", r.Days, wantDays)
	}
	if len(r.Sessions) != 2 || r.Sessions[0].Present != 1 || r.Sessions[1].Present != 1 {
		t.Errorf("got sessions %+v, want one person at each", r.Sessions)
	}
	wantOrgs := []reports.GroupPresence{{"Verein A", 2, 1}, {"Verein B", 2, 2}}
	if !reflect.DeepEqual(r.Organisations, wantOrgs) {
		t.Errorf("got organisations %+v, want %+v", r.Organisations, wantOrgs)
	}
	wantDistricts := []reports.GroupPresence{{"", 1, 0}, {"Nord", 2, 2}, {"Süd", 1, 1}}
	if !reflect.DeepEqual(r.Districts, wantDistricts) {
		t.Errorf("got districts %+v, want %+v", r.Districts, wantDistricts)
	}
	var names []string
	for _, p := range r.Participants {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, "|"); got != "Anna Adler|Bernd Bär|Clara Ćosić|" {
		t.Errorf("got participants %q, want Anna, Bernd, Clara, then the erased person", got)
	}
	if got := r.Participants[0].DaysAttended; len(got) != 2 {
		t.Errorf("got Anna's days attended %v, want both", got)
	}
}

func TestAttendanceCSV(t *testing.T) {
	var b bytes.Buffer
	if err := reports.AttendanceCSV(&b, reports.German, attendanceScenario()); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, b.Bytes())
	want := [][]string{
		{"Name", "Organisation", "Landkreis / kreisfreie Stadt", "Anwesend an Tagen", "Tage", "Fotos erlaubt"},
		{"Anna Adler", "Verein A", "Nord", "16.11.2026, 17.11.2026", "2", "ja"},
		{"Bernd Bär", "Verein B", "Süd", "16.11.2026", "1", "nein"},
		{"Clara Ćosić", "Verein A", "", "", "0", "nein"},
		{"(gelöscht)", "Verein B", "Nord", "17.11.2026", "1", "nein"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("got %q, want %q", rows, want)
	}
}

// readCSV checks the byte order mark and parses the rest.
func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rest, ok := bytes.CutPrefix(b, []byte("\uFEFF"))
	if !ok {
		t.Errorf("CSV starts with %q, want a UTF-8 byte order mark", b[:min(len(b), 3)])
	}
	cr := csv.NewReader(bytes.NewReader(rest))
	cr.Comma = ';' // German Excel, the default
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("parse the CSV: %v", err)
	}
	return rows
}

func TestAttendanceXLSX(t *testing.T) {
	var b bytes.Buffer
	if err := reports.AttendanceXLSX(&b, reports.English, attendanceScenario()); err != nil {
		t.Fatal(err)
	}
	cells := map[[2]string]string{
		{"Overview", "B4"}: "6", {"Overview", "B6"}: "0.33", // shown with 2 decimals

		{"Days", "A2"}: "2026-11-16", {"Days", "C2"}: "2",
		{"Sessions", "C3"}: "Werkstattgespräch", {"Organisations", "C3"}: "2",
		{"Districts", "A2"}: "(not given)", {"Participants", "A5"}: "(erased)",
		{"Participants", "D2"}: "16 Nov 2026, 17 Nov 2026",
	}
	checkCells(t, b.Bytes(), cells)
	f, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	raw, _ := f.GetCellValue("Overview", "B6", excelize.Options{RawCellValue: true})
	if typ, _ := f.GetCellType("Overview", "B6"); !strings.HasPrefix(raw, "0.3333") || (typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber) {
		t.Errorf("Overview!B6: got %q of type %v, want the number 1/3 at full precision, formatted", raw, typ)
	}
}

// checkCells opens a workbook and compares the cells named by sheet and address.
func checkCells(t *testing.T, b []byte, want map[[2]string]string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("open the workbook: %v", err)
	}
	defer f.Close()
	for at, w := range want {
		got, err := f.GetCellValue(at[0], at[1])
		if err != nil {
			t.Errorf("cell %s!%s: %v", at[0], at[1], err)
		} else if got != w {
			t.Errorf("cell %s!%s: got %q, want %q", at[0], at[1], got, w)
		}
	}
}

func TestAttendancePDF(t *testing.T) {
	pages := pdfPages(t, func(b *bytes.Buffer) error {
		return reports.AttendancePDF(b, reports.German, attendanceScenario())
	})
	if len(pages) != 2 {
		t.Fatalf("got %d pages, want the report and the sign-in sheet", len(pages))
	}
	inOrder(t, words(pages[0]), []string{"Teilnahmebericht", "Fachtag Teilhabe", "Bestätigt", "4", "Personentage", "6",
		"Nicht erschienen", "2", "33 %", "Montag, 16. November 2026", "3", "2", "1", "Auftakt", "Verein A", "2", "1",
		"Landkreise / kreisfreie Städte", "(ohne Angabe)", "Nord", "Süd"})
	inOrder(t, words(pages[1]), []string{"Unterschriftenliste", "Unterschrift", "1", "Anna Adler", "Verein A", "Nord",
		"16.11., 17.11.", "2", "Bernd Bär", "3", "Clara", "4", "(gelöscht)"})
}

// TestAttendanceNotYetHeld: on the first day, the second has not happened yet: its confirmed
// people are no no-shows, the rate counts only the first day's person-days, and the XLSX and PDF
// say "not yet held" instead of a number.
func TestAttendanceNotYetHeld(t *testing.T) {
	r := attendanceScenarioAsOf("2026-11-16")
	if r.PersonDays != 6 || r.HeldPersonDays != 3 || r.NoShows != 1 || math.Abs(r.NoShowRate-1.0/3) > 1e-9 {
		t.Errorf("got person-days %d (held %d), no-shows %d, rate %v; want 6 (3), 1, 1/3",
			r.PersonDays, r.HeldPersonDays, r.NoShows, r.NoShowRate)
	}
	want := []reports.DayPresence{{"2026-11-16", true, 3, 2, 1, 1.0 / 3}, {"2026-11-17", false, 3, 2, 0, 0}}
	if !reflect.DeepEqual(r.Days, want) {
		t.Errorf("got days %+v, want %+v", r.Days, want)
	}
	var b bytes.Buffer
	if err := reports.AttendanceXLSX(&b, reports.English, r); err != nil {
		t.Fatal(err)
	}
	checkCells(t, b.Bytes(), map[[2]string]string{{"Days", "D2"}: "1", {"Days", "D3"}: "not yet held", {"Days", "E3"}: "not yet held"})
	text := strings.Join(pdfPages(t, func(b *bytes.Buffer) error { return reports.AttendancePDF(b, reports.German, r) }), " ")
	if !strings.Contains(text, "17.11.2026 (noch nicht stattgefunden)") {
		t.Errorf("PDF: got %q, want the 17th marked as not yet held", text)
	}
}
