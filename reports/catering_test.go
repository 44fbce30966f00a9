package reports_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

// cateringScenario: three days; dietary wishes in mixed case and with spaces, one person
// without a wish, one erased, one waitlisted and one cancelled (neither counts); overnight
// stays for the nights between the days people attend.
func cateringScenario() reports.CateringReport {
	days := []domain.Day{"2026-11-16", "2026-11-17", "2026-11-18"}
	ws := projections.WorkshopView{ID: "w1", Title: "Fachtag Teilhabe", Venue: "Rathaus", Days: days}
	regs := []projections.RegistrationView{
		{ID: "r1", Name: "Anna", Dietary: "vegetarisch", Days: days, Overnight: true, Status: domain.Confirmed},
		{ID: "r2", Name: "Bernd", Dietary: "Vegetarisch ", Days: days[:2], Overnight: true, Status: domain.Confirmed},
		{ID: "r3", Name: "Clara", Dietary: "  VEGAN", Days: []domain.Day{days[0], days[2]}, Overnight: true, Status: domain.Confirmed},
		{ID: "r4", Name: "Dora", Days: days, Status: domain.Confirmed},
		{ID: "r5", Erased: true, Days: days[1:], Overnight: true, Status: domain.Confirmed},
		{ID: "r6", Name: "Emil", Dietary: "vegan", Days: days, Overnight: true, Status: domain.Waitlisted},
		{ID: "r7", Name: "Fritz", Dietary: "halal", Days: days, Status: domain.Cancelled},
		{ID: "r8", Name: "Gina", Dietary: "vegetarisch", Days: days[2:], Status: domain.Confirmed},
	}
	return reports.BuildCatering(ws, regs)
}

func TestBuildCatering(t *testing.T) {
	r := cateringScenario()
	want := []reports.CateringDay{
		{Day: "2026-11-16", People: 4, Overnight: 2, // Anna and Bernd stay; Clara is not there on the 17th
			Meals: []reports.MealCount{{"", 1}, {"Vegetarisch", 2}, {"VEGAN", 1}}}, // a tie of spellings: the first in byte order
		{Day: "2026-11-17", People: 4, Erased: 1, Overnight: 2, // Anna and the erased person
			Meals: []reports.MealCount{{"", 1}, {"Vegetarisch", 2}}},
		{Day: "2026-11-18", People: 5, Erased: 1, Overnight: 0, // no night after the last day
			Meals: []reports.MealCount{{"", 1}, {"vegetarisch", 2}, {"VEGAN", 1}}},
	}
	if !reflect.DeepEqual(r.Days, want) {
		t.Errorf("got\n%+v\nwant\n%+v", r.Days, want)
	}
}

func TestCateringDocuments(t *testing.T) {
	r := cateringScenario()
	for _, tc := range []struct {
		dialect reports.CSVDialect
		lang    reports.Lang
		want    []string
	}{
		{reports.GermanExcel, reports.German, []string{"\uFEFFTag;Posten;Verpflegungswünsche;Anzahl\n",
			"16.11.2026;Personen;;4\n", "16.11.2026;Mahlzeit;ohne besondere Wünsche;1\n",
			"16.11.2026;Mahlzeit;Vegetarisch;2\n", "18.11.2026;Mahlzeit;vegetarisch;2\n", "17.11.2026;Mahlzeit;unbekannt (gelöscht);1\n",
			"16.11.2026;Übernachtungen (Nacht nach dem Tag);;2\n", "18.11.2026;Übernachtungen (Nacht nach dem Tag);;0\n"}},
		{reports.International, reports.English, []string{"Day,Item,Dietary needs,Count\n",
			"16 Nov 2026,People,,4\n", "16 Nov 2026,Meal,no special requirements,1\n",
			"17 Nov 2026,Meal,unknown (erased),1\n", "16 Nov 2026,Meal,VEGAN,1\n"}},
	} {
		var b bytes.Buffer
		if err := tc.dialect.Catering(&b, tc.lang, r); err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s CSV: got %q, want it to contain %q", tc.dialect.Name, b.String(), w)
			}
		}
	}
	text := strings.Join(pdfPages(t, func(b *bytes.Buffer) error { return reports.CateringPDF(b, reports.German, r) }), " ")
	for _, w := range []string{"Verpflegung und Übernachtungen", "vegetarisch", "ohne besondere Wünsche", "unbekannt (gelöscht)", "Übernachtungen"} {
		if !strings.Contains(text, w) {
			t.Errorf("PDF: got %q, want %q", text, w)
		}
	}
}
