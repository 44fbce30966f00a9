package reports_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

const longOrganisation = "Integrationsbüro Cuxhaven-Land der Stadt und des Landkreises"

// documentScenario: two days with a session each. Anna comes to the door on day 1 and to the
// session of day 2; Bernd only to the session of day 1; Clara (long organisation) never; the
// erased person on day 2; Dora is waitlisted.
func documentScenario() (projections.WorkshopView, []projections.RegistrationView, []domain.CheckIn) {
	ws := projections.WorkshopView{ID: "w1", Title: "Fachtag Teilhabe", Series: "Teilhabe 2026", Venue: "Rathaus Otterndorf",
		Days: []domain.Day{"2026-11-16", "2026-11-17"},
		Agenda: []domain.Session{
			{ID: "s1", Title: "Auftakt", Day: "2026-11-16", Starts: "10:00", Ends: "11:30"},
			{ID: "s3", Title: "Mittagsforum", Day: "2026-11-16", Starts: "12:00", Ends: "13:00"},
			{ID: "s2", Title: "Werkstattgespräch", Day: "2026-11-17", Starts: "11:00", Ends: "12:00"}}}
	both := []domain.Day{"2026-11-16", "2026-11-17"}
	regs := []projections.RegistrationView{
		{ID: "r1", Name: "Anna Adler", Organisation: "Verein A", District: "Cuxhaven", Days: both, Status: domain.Confirmed},
		{ID: "r2", Name: "bernd Bär", Organisation: "Verein B", Days: both[:1], Status: domain.Confirmed},
		{ID: "r3", Name: "Clara Ćosić-Vandenberghe-Oberhausen", Organisation: longOrganisation, District: "Landkreis Cuxhaven",
			Days: both, Status: domain.Confirmed},
		{ID: "r4", Name: "Dora Dach", Organisation: "Verein C", Days: both, Status: domain.Waitlisted},
		{ID: "r5", Erased: true, Organisation: "Verein E", Days: both, Status: domain.Confirmed},
	}
	checkIns := []domain.CheckIn{
		{RegistrationID: "r1", Day: "2026-11-16"}, {RegistrationID: "r1", Day: "2026-11-17", SessionID: "s2"},
		{RegistrationID: "r2", Day: "2026-11-16", SessionID: "s1"}, {RegistrationID: "r5", Day: "2026-11-17"},
	}
	return ws, regs, checkIns
}

func TestSignInSheets(t *testing.T) {
	ws, regs, _ := documentScenario()
	pages := pdfPages(t, func(b *bytes.Buffer) error { return reports.SignInSheets(b, reports.German, ws, regs, nil) })
	if len(pages) != 2 {
		t.Fatalf("got %d pages, want one per day", len(pages))
	}
	day1, day2 := words(pages[0]), words(pages[1])
	inOrder(t, day1, []string{"Unterschriftenliste", "Fachtag Teilhabe", "Reihe: Teilhabe 2026",
		"Datum: Montag, 16. November 2026", "Ort: Rathaus Otterndorf", "Nr.", "Name", "Organisation", "Landkreis / kreisfreie Stadt", "Unterschrift",
		"1", "Anna Adler", "Verein A", "Cuxhaven", "2", "bernd Bär", "Verein B", "3", "Clara", longOrganisation,
		"Landkreis Cuxhaven", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "Seite 1 von 2"})
	inOrder(t, day2, []string{"Datum: Dienstag, 17. November 2026", "1", "Anna Adler", "2", "Clara", longOrganisation,
		"3", "12", "Seite 2 von 2"})
	for i, p := range []string{day1, day2} {
		if strings.Contains(p, "Dora") || strings.Contains(p, "gelöscht") || strings.Contains(p, "Verein E") {
			t.Errorf("page %d names the waitlisted or the erased person: %q", i+1, p)
		}
		if strings.Contains(p, "…") {
			t.Errorf("page %d cuts a cell: %q", i+1, p)
		}
	}
	if strings.Contains(day2, "bernd") || strings.Contains(day2, " 13 ") {
		t.Errorf("day 2 lists Bernd (day 1 only) or more than 2 + 10 rows: %q", day2)
	}
	// Rows are numbered to the last of the 10 walk-in rows and no further.
	if !strings.Contains(day1, " 11 12 13 Fachtag Teilhabe Seite 1 von 2") {
		t.Errorf("day 1 should end with row 13 (3 people + 10 empty rows): %q", day1)
	}

	en := pdfPages(t, func(b *bytes.Buffer) error { return reports.SignInSheets(b, reports.English, ws, regs, nil) })
	inOrder(t, words(en[0]), []string{"Sign-in sheet", "Series: Teilhabe 2026", "Date: Monday, 16 November 2026",
		"Venue: Rathaus Otterndorf", "No.", "Name", "Organisation", "District", "Signature", "Page 1 of 2"})
}

func TestSignInSheetsSpanPages(t *testing.T) {
	ws, regs, _ := documentScenario()
	ws.Days = ws.Days[:1]
	for i := range 40 {
		regs = append(regs, projections.RegistrationView{ID: domain.RegistrationID("g" + itoa(i)), Name: "Gast " + itoa(100+i),
			Organisation: longOrganisation, Days: ws.Days, Status: domain.Confirmed})
	}
	pages := pdfPages(t, func(b *bytes.Buffer) error { return reports.SignInSheets(b, reports.German, ws, regs, nil) })
	if len(pages) < 2 {
		t.Fatalf("got %d pages, want the list of 43 + 10 rows to span pages", len(pages))
	}
	for _, p := range pages {
		inOrder(t, words(p), []string{"Unterschriftenliste", "Montag, 16. November 2026", "Unterschrift"})
	}
	if last := words(pages[len(pages)-1]); !strings.Contains(last, "53") {
		t.Errorf("last page lacks row 53: %q", last)
	}
}

func TestBuildCertificates(t *testing.T) {
	ws, regs, checkIns := documentScenario()
	certs := reports.BuildCertificates(ws, regs, checkIns)
	var got []string
	for _, c := range certs {
		s := c.Person.Name + ":"
		for _, d := range c.Days {
			s += " " + string(d.Day)
			for _, x := range d.Sessions {
				s += "/" + string(x.ID)
			}
		}
		got = append(got, s)
	}
	want := "Anna Adler: 2026-11-16 2026-11-17/s2|bernd Bär: 2026-11-16/s1"
	if strings.Join(got, "|") != want {
		t.Errorf("got %q, want %q (nobody waitlisted, erased or never checked in)", strings.Join(got, "|"), want)
	}
	if _, err := reports.CertificateOf(certs, "r3"); !errors.Is(err, reports.ErrNotCheckedIn) {
		t.Errorf("Clara's certificate: got %v, want ErrNotCheckedIn", err)
	}
}

func TestCertificatesPDF(t *testing.T) {
	ws, regs, checkIns := documentScenario()
	certs := reports.BuildCertificates(ws, regs, checkIns)
	pages := pdfPages(t, func(b *bytes.Buffer) error { return reports.CertificatesPDF(b, reports.German, ws, certs, nil) })
	if len(pages) != 2 {
		t.Fatalf("got %d pages, want one per checked-in person", len(pages))
	}
	anna, bernd := words(pages[0]), words(pages[1])
	inOrder(t, anna, []string{"Teilnahmebescheinigung", "Anna Adler", "Verein A", "Fachtag Teilhabe", "Reihe: Teilhabe 2026",
		"Rathaus Otterndorf", "Montag, 16. November 2026", "Dienstag, 17. November 2026", "Werkstattgespräch",
		"Ort, Datum", "Unterschrift"})
	inOrder(t, bernd, []string{"Teilnahmebescheinigung", "bernd Bär", "Montag, 16. November 2026", "10:00", "Auftakt"})
	for _, absent := range []string{"Mittagsforum", "Auftakt"} {
		if strings.Contains(anna, absent) {
			t.Errorf("Anna's certificate names %q, a session she did not attend: %q", absent, anna)
		}
	}
	for _, absent := range []string{"Dienstag", "Werkstattgespräch", "Mittagsforum"} {
		if strings.Contains(bernd, absent) {
			t.Errorf("Bernd's certificate names %q, which he did not attend: %q", absent, bernd)
		}
	}

	one, _ := reports.CertificateOf(certs, "r2")
	en := pdfPages(t, func(b *bytes.Buffer) error {
		return reports.CertificatesPDF(b, reports.English, ws, []reports.Certificate{one}, nil)
	})
	if len(en) != 1 {
		t.Fatalf("got %d pages, want 1", len(en))
	}
	inOrder(t, words(en[0]), []string{"Certificate of attendance", "This is to certify that", "bernd Bär",
		"Monday, 16 November 2026", "10:00 am", "Auftakt", "Place, date", "Signature"})

	none := pdfPages(t, func(b *bytes.Buffer) error { return reports.CertificatesPDF(b, reports.German, ws, nil, nil) })
	if len(none) != 1 || !strings.Contains(words(none[0]), "Bisher ist niemand eingecheckt.") {
		t.Errorf("without check-ins: got %q, want one page saying so", none)
	}
}

// TestAttendancePDFWrapsTheSignInSheet: the sign-in sheet at the end of the attendance report
// wraps a long organisation instead of cutting it ("Integrationsbüro Cux…").
func TestAttendancePDFWrapsTheSignInSheet(t *testing.T) {
	ws, regs, checkIns := documentScenario()
	pages := pdfPages(t, func(b *bytes.Buffer) error {
		return reports.AttendancePDF(b, reports.German, reports.BuildAttendance(ws, regs, checkIns, ""))
	})
	last := words(pages[len(pages)-1])
	inOrder(t, last, []string{"Unterschriftenliste", "Anna Adler", "Clara", longOrganisation})
	if strings.Contains(last, "…") {
		t.Errorf("the sign-in sheet cuts a cell: %q", last)
	}
}
