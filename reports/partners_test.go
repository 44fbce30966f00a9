package reports_test

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

// partnerScenario: two organisations, three meetings; the Diakonie missed the second, and one
// registered organisation never came (it counts, with none attended). A formula-like name is
// kept harmless in files.
func partnerScenario() reports.PartnerReport {
	att := func(org string, confirmed, in int) projections.OrganisationAttendance {
		return projections.OrganisationAttendance{Organisation: org, Confirmed: confirmed, CheckedIn: in}
	}
	return reports.BuildPartners("Forum", "2037-01-01", "2037-12-31", []reports.PartnerMeeting{
		{Workshop: "w3", Title: "AG Sprache März", Series: "AG Sprache", Group: "AG Sprache", FirstDay: "2037-03-01",
			Organisations: []projections.OrganisationAttendance{att("Diakonie", 1, 1), att("=Jobcenter", 2, 1)}},
		{Workshop: "w1", Title: "AG Sprache Januar", Series: "AG Sprache", Group: "AG Sprache", FirstDay: "2037-01-10",
			Organisations: []projections.OrganisationAttendance{att("Diakonie", 2, 2), att("=Jobcenter", 1, 1)}},
		{Workshop: "w2", Title: "Netzwerktreffen", Series: "Netzwerktreffen", FirstDay: "2037-02-01",
			Organisations: []projections.OrganisationAttendance{att("Diakonie", 1, 0), att("=Jobcenter", 1, 1)}},
	})
}

func TestPartnerFigures(t *testing.T) {
	r := partnerScenario()
	if len(r.Partners) != 2 {
		t.Fatalf("partners: got %+v", r.Partners)
	}
	jc, dk := r.Partners[0], r.Partners[1] // "=" sorts before letters
	if dk.Organisation != "Diakonie" || dk.Attended != 2 || dk.Held != 3 || !reflect.DeepEqual(dk.Meetings, []domain.WorkshopID{"w1", "w3"}) {
		t.Errorf("Diakonie: got %+v, want 2 of 3 (January and March)", dk)
	}
	if dk.Regularity < 0.666 || dk.Regularity > 0.667 {
		t.Errorf("Diakonie's regularity: got %v, want 2/3", dk.Regularity)
	}
	if want := []reports.PartnerSeries{{Series: "AG Sprache", Group: "AG Sprache", Attended: 2, Held: 2, Regularity: 1},
		{Series: "Netzwerktreffen", Attended: 0, Held: 1, Regularity: 0}}; !reflect.DeepEqual(dk.Series, want) {
		t.Errorf("Diakonie per series: got %+v, want %+v", dk.Series, want)
	}
	if jc.Attended != 3 || jc.Regularity != 1 {
		t.Errorf("Jobcenter: got %+v, want every meeting", jc)
	}
}

func TestPartnerFiles(t *testing.T) {
	r := partnerScenario()
	var b bytes.Buffer
	if err := reports.International.Partners(&b, reports.English, r); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Organisation", "Series", "Working group", "Attended", "Held", "Regular participation"},
		{"'=Jobcenter", "", "", "3", "3", "1"},
		{"'=Jobcenter", "AG Sprache", "AG Sprache", "2", "2", "1"},
		{"'=Jobcenter", "Netzwerktreffen", "", "1", "1", "1"},
		{"Diakonie", "", "", "2", "3", "0.67"},
		{"Diakonie", "AG Sprache", "AG Sprache", "2", "2", "1"},
		{"Diakonie", "Netzwerktreffen", "", "0", "1", "0"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("CSV: got %q, want %q", rows, want)
	}

	b.Reset()
	if err := reports.PartnersXLSX(&b, reports.German, r); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	sheet, _ := f.GetRows("Partner")
	if len(sheet) != 7 || sheet[4][0] != "Diakonie" || sheet[4][3] != "2" || sheet[4][4] != "3" {
		t.Errorf("XLSX Partner: got %q", sheet)
	}
	if raw, _ := f.GetCellValue("Partner", "F5", excelize.Options{RawCellValue: true}); !strings.HasPrefix(raw, "0.666") {
		t.Errorf("XLSX regularity: got %q, want a number 2/3", raw)
	}
	meetings, _ := f.GetRows("Treffen")
	if len(meetings) != 6 || meetings[4][0] != "Diakonie" || meetings[4][1] != "AG Sprache Januar" {
		t.Errorf("XLSX Treffen: got %q", meetings)
	}
	// A workbook types its cells: a name that starts like a formula is a string, never a formula.
	if formula, _ := f.GetCellFormula("Partner", "A2"); formula != "" {
		t.Errorf("XLSX A2 holds the formula %q", formula)
	}

	b.Reset()
	if err := reports.PartnersPDF(&b, reports.German, r); err != nil || !bytes.HasPrefix(b.Bytes(), []byte("%PDF")) {
		t.Errorf("PDF: got %v, %d bytes", err, b.Len())
	}
	if got := reports.FileName(reports.German, reports.PartnersDocument, "Forum Integration", "xlsx"); got != "partnerteilnahme-forum-integration.xlsx" {
		t.Errorf("file name: got %q", got)
	}
}
