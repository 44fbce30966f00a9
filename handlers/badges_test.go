package handlers_test

import (
	"strings"
	"testing"
)

// TestBadges walks the name badges and table tents through the API: the confirmed people, by
// name, on sheets of 10 or 8; one tent each; bad options refused naming the parameter.
func TestBadges(t *testing.T) {
	s := startService(t)
	w := s.schedule(20)
	base := "/api/v1/workshops/" + w.ID
	long := "Maximiliane Friederike Anneliese Gräfin von Hohenzollern-Sigmaringen-Württemberg"
	ada := s.register(w, person("Ada", "Verein A"))
	named := func(email, name, org string) map[string]any {
		p := person(email, org)
		p["name"] = name
		return p
	}
	s.register(w, named("max", long, "Integrationsbüro Cuxhaven-Land der Stadt und des Landkreises"))
	for i := range 9 {
		s.register(w, named("gast"+string(rune('a'+i)), "Gast "+string(rune('A'+i)), "Verein G"))
	}
	res := s.must(request{method: "GET", path: base + "/reports/badges.pdf", token: org}, 200, nil)
	if got := res.header.Get("Content-Type"); !strings.HasPrefix(got, "application/pdf") {
		t.Fatalf("got Content-Type %q, want a PDF", got)
	}
	if got := res.header.Get("Content-Disposition"); !strings.Contains(got, "namensschilder-herbstwerkstatt.pdf") {
		t.Errorf("got Content-Disposition %q, want namensschilder-herbstwerkstatt.pdf", got)
	}
	pages := pdfText(t, res.body)
	if len(pages) != 2 {
		t.Fatalf("11 people on sheets of 10: got %d pages, want 2", len(pages))
	}
	first := strings.ReplaceAll(strings.Join(strings.Fields(pages[0]), " "), "- ", "-")
	contains(t, "first sheet", first, "Ada", "Verein A", "Gast A", "Gast H")
	if n := strings.Count(first, "Verein"); n != 10 {
		t.Errorf("first sheet: %d badges, want 10: %q", n, first)
	}
	contains(t, "second sheet", strings.ReplaceAll(strings.Join(strings.Fields(pages[1]), " "), "- ", "-"), long)

	res = s.must(request{method: "GET", path: base + "/reports/badges.pdf?layout=8&lang=en", token: org}, 200, nil)
	if pages := pdfText(t, res.body); len(pages) != 2 || strings.Count(pages[0], "Verein") != 8 {
		t.Errorf("sheets of 8: got %d pages, %d badges on the first", len(pages), strings.Count(pages[0], "Verein"))
	}
	if got := res.header.Get("Content-Disposition"); !strings.Contains(got, "name-badges-herbstwerkstatt.pdf") {
		t.Errorf("got Content-Disposition %q, want name-badges-herbstwerkstatt.pdf", got)
	}

	res = s.must(request{method: "GET", path: base + "/reports/badges.pdf?kind=tents", token: org}, 200, nil)
	if pages := pdfText(t, res.body); len(pages) != 11 {
		t.Errorf("tents: got %d pages, want one per person", len(pages))
	} else if n := strings.Count(pages[0], "Ada"); n != 2 {
		t.Errorf("Ada's tent names her %d times, want on both halves: %q", n, pages[0])
	}
	if got := res.header.Get("Content-Disposition"); !strings.Contains(got, "tischaufsteller-herbstwerkstatt.pdf") {
		t.Errorf("got Content-Disposition %q, want tischaufsteller-herbstwerkstatt.pdf", got)
	}

	for query, param := range map[string]string{"?layout=9": "layout", "?layout=": "", "?kind=tent": "kind",
		"?kind=tents&layout=12": "layout", "?lang=fr": "lang"} {
		res := s.do(request{method: "GET", path: base + "/reports/badges.pdf" + query, token: org})
		if param == "" {
			if res.status != 200 {
				t.Errorf("%s: got %d, want the default layout", query, res.status)
			}
			continue
		}
		if p := problemOf(t, res, 400); !strings.HasPrefix(p.Detail, param+" ") {
			t.Errorf("%s: got detail %q, want it to name %s", query, p.Detail, param)
		}
	}
	s.must(request{method: "GET", path: base + "/reports/badges.pdf", token: ada.Token}, 403, nil)
	s.must(request{method: "GET", path: base + "/reports/badges.pdf"}, 401, nil)
	s.must(request{method: "GET", path: "/api/v1/workshops/unknown/reports/badges.pdf", token: org}, 404, nil)
}
