package handlers_test

import (
	"strings"
	"testing"
)

// TestCateringExports reads the catering and rooms totals (issue 14) through the API: dietary
// wishes in mixed case count together, a waitlisted person does not count, the overnight stay
// falls in the night between the two days; CSV in both dialects, PDF read back; a participant
// is refused.
func TestCateringExports(t *testing.T) {
	s := startService(t)
	w := s.schedule(2)
	base := "/api/v1/workshops/" + w.ID
	ada := person("Ada", "Verein A")
	ada["dietary"], ada["overnight"] = "vegetarisch", true
	bea := person("Bea", "Verein B")
	bea["dietary"], bea["days"] = "Vegetarisch ", []string{day1}
	cem := person("Cem", "Verein C") // waitlisted: day 1 is full
	cem["dietary"], cem["days"] = "vegan", []string{day1}
	a := s.register(w, ada)
	s.register(w, bea)
	s.register(w, cem)

	for _, tc := range []struct{ query, want string }{
		{"", "\uFEFFTag;Posten;Verpflegungswunsch;Anzahl\n" +
			"16.11.2037;Personen;;2\n16.11.2037;Mahlzeit;Vegetarisch;2\n16.11.2037;Übernachtungen (Nacht nach dem Tag);;1\n" +
			"17.11.2037;Personen;;1\n17.11.2037;Mahlzeit;vegetarisch;1\n17.11.2037;Übernachtungen (Nacht nach dem Tag);;0\n"},
		{"?dialect=international&lang=en", "Day,Item,Dietary requirement,Count\n" +
			"16 Nov 2037,People,,2\n16 Nov 2037,Meal,Vegetarisch,2\n16 Nov 2037,Overnight stays (night after the day),,1\n" +
			"17 Nov 2037,People,,1\n17 Nov 2037,Meal,vegetarisch,1\n17 Nov 2037,Overnight stays (night after the day),,0\n"},
	} {
		res := s.must(request{method: "GET", path: base + "/reports/catering.csv" + tc.query, token: org}, 200, nil)
		if got := string(res.body); got != tc.want {
			t.Errorf("catering CSV%s: got\n%q\nwant\n%q", tc.query, got, tc.want)
		}
		if got := res.header.Get("Content-Disposition"); !strings.Contains(got, "herbstwerkstatt.csv") {
			t.Errorf("got Content-Disposition %q", got)
		}
	}
	res := s.must(request{method: "GET", path: base + "/reports/catering.pdf", token: org}, 200, nil)
	contains(t, "catering PDF", strings.Join(pdfText(t, res.body), " "), "Verpflegung und Übernachtungen", "Vegetarisch",
		"Übernachtungen (Nacht nach dem Tag)")
	if got := res.header.Get("Content-Disposition"); !strings.Contains(got, "verpflegung-herbstwerkstatt.pdf") {
		t.Errorf("got Content-Disposition %q, want verpflegung-herbstwerkstatt.pdf", got)
	}
	s.must(request{method: "GET", path: base + "/reports/catering.csv?dialect=x", token: org}, 400, nil)
	s.must(request{method: "GET", path: base + "/reports/catering.pdf", token: a.Token}, 403, nil)
	s.must(request{method: "GET", path: base + "/reports/catering.csv"}, 401, nil)
}
