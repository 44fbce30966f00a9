package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestCateringTotals: the organiser's registration list shows per day the confirmed people, their
// meals by dietary wish (mixed case counted together) and the overnight stays, with links to the
// exports for the venue, which the signed-in organiser downloads in both CSV dialects and as PDF.
func TestCateringTotals(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 3)
	for _, p := range []map[string]any{
		{"name": "Ann Albers", "dietary": "vegetarisch", "overnight": true},
		{"name": "Ben Okafor", "dietary": " Vegetarisch", "overnight": true, "days": []string{"2026-11-16"}},
		{"name": "Cleo Brandt"},
	} {
		p["email"] = strings.ToLower(strings.Fields(p["name"].(string))[0]) + "@example.org"
		p["organisation"], p["consent"] = "Stadt Kassel", true
		s.api(http.MethodPost, "/api/v1/workshops/"+id+"/registrations", "", p, nil)
	}
	b := s.signIn(t)
	base := "/organiser/workshops/" + id
	page := b.get(base+"/registrations").wantStatus(t, "the registration list", http.StatusOK)
	page.mustContain(t, "the registration list", "Verpflegung und Übernachtungen",
		`<tr id="catering-2026-11-16"><th scope="row">`, "<td>3</td>", "ohne besondere Wünsche: 1<br>Vegetarisch: 2",
		`href="`+base+`/catering.csv">`, `href="`+base+`/catering.csv?dialect=international">`, `href="`+base+`/catering.pdf">`)
	if !strings.Contains(page.body, `<tr id="catering-2026-11-17"><th scope="row">`) ||
		!strings.Contains(strings.SplitN(page.body, `id="catering-2026-11-16"`, 2)[1], "<td>1</td></tr>") {
		t.Errorf("the registration list: want 1 overnight stay after the first day")
	}

	res := b.get(base+"/catering.csv").wantStatus(t, "the catering CSV", http.StatusOK)
	if !strings.HasPrefix(res.body, "\uFEFFTag;Posten;") || !strings.Contains(res.body, "16.11.2026;Mahlzeit;Vegetarisch;2\n") {
		t.Errorf("the catering CSV: got %q", res.body)
	}
	res = b.get(base+"/catering.csv?dialect=international&lang=en").wantStatus(t, "the international catering CSV", http.StatusOK)
	if !strings.HasPrefix(res.body, "Day,Item,") || !strings.Contains(res.body, "16 Nov 2026,Overnight stays (night after the day),,1\n") {
		t.Errorf("the international catering CSV: got %q", res.body)
	}
	res = b.get(base+"/catering.pdf").wantStatus(t, "the catering PDF", http.StatusOK)
	if ct := res.header.Get("Content-Type"); ct != "application/pdf" || !strings.HasPrefix(res.body, "%PDF") {
		t.Errorf("the catering PDF: got %q, want a PDF", ct)
	}
	b.get(base+"/catering.csv?dialect=x").wantStatus(t, "an unknown dialect", http.StatusBadRequest)
	b.get(base+"/registrations?lang=en").mustContain(t, "the English registration list", "Catering and overnight stays",
		"no special requirements: 1")
}
