package main

import (
	"context"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/internal/demo"
)

// TestDemo fills a fresh instance with the demo, twice (the second run adds nothing), and reads
// it back as an organiser would: a two-day workshop of a series with its agenda, 42
// registrations of which some wait, check-ins, and a published theme-café plan.
func TestDemo(t *testing.T) {
	dir := t.TempDir()
	var out strings.Builder
	var leadTokens []string
	for range 2 {
		out.Reset()
		if err := run(context.Background(), []string{"demo", "--data-dir", dir, "--log-level", "warn"}, noEnv, &out, io.Discard); err != nil {
			t.Fatalf("werkstatt demo: %v", err)
		}
		if m := regexp.MustCompile(`/lead/sign-in with\s+(lead\.\S+)`).FindStringSubmatch(out.String()); m != nil {
			leadTokens = append(leadTokens, m[1])
		}
	}
	id := regexp.MustCompile(`Demo workshop (\S+) is ready`).FindStringSubmatch(out.String())
	if id == nil {
		t.Fatalf("demo printed %q", out.String())
	}
	if len(leadTokens) != 2 || leadTokens[0] != leadTokens[1] {
		t.Fatalf("demo printed the lead tokens %q, want the same one on both runs", leadTokens)
	}
	a := api{t, startInstance(t, nil, "--data-dir", dir).url}
	base := "/api/v1/workshops/" + id[1]
	w := a.must(200, "GET", base, "", nil)
	if w["series"] != "IKOE-Ideenwerkstatt" || len(w["days"].([]any)) != 2 || len(w["agenda"].([]any)) != len(demo.Agenda) {
		t.Errorf("demo workshop %v: want a two-day workshop of the series with %d sessions", w, len(demo.Agenda))
	}
	att := a.must(200, "GET", base+"/attendance", organiser, nil)
	if att["confirmed"].(float64)+att["waitlisted"].(float64) != 42 || att["waitlisted"] == 0.0 {
		t.Errorf("attendance %v: want 42 registrations, some waitlisted", att)
	}
	if days := att["days"].([]any); days[0].(map[string]any)["checked_in"] == 0.0 {
		t.Errorf("nobody is checked in on the first day: %v", days)
	}
	if orgs := att["organisations"].([]any); len(orgs) < 12 {
		t.Errorf("%d organisations, want a dozen districts' and more", len(orgs))
	}
	var cafe string
	for _, s := range w["agenda"].([]any) {
		if s := s.(map[string]any); s["kind"] == "theme_cafe" {
			cafe = s["id"].(string)
		}
	}
	c := a.must(200, "GET", base+"/sessions/"+cafe+"/theme-cafe", organiser, nil)
	plan, _ := c["plan"].(map[string]any)
	if len(c["tables"].([]any)) != 4 || plan == nil || plan["published"] != true {
		t.Errorf("theme café %v: want 4 tables and a published plan", c)
	}

	// A project lead's view: the series with its two earlier workshops and their feedback.
	series := a.must(200, "GET", "/api/v1/series/IKOE-Ideenwerkstatt/report", organiser, nil)
	workshops := series["workshops"].([]any)
	if len(workshops) != 3 {
		t.Fatalf("series report lists %d workshops, want 3", len(workshops))
	}
	for _, w := range workshops[:2] {
		w := w.(map[string]any)
		if rate := w["response_rate"].(float64); w["responses"].(float64) == 0 || rate < 0.5 || rate > 0.9 {
			t.Errorf("earlier workshop %v: %v responses at rate %v, want about 70%%", w["title"], w["responses"], rate)
		}
	}
	status, svg, _ := a.raw("GET", "/api/v1/series/IKOE-Ideenwerkstatt/report/trend.svg?chart=ratings", organiser, nil)
	if status != 200 || !strings.Contains(string(svg), "<svg") {
		t.Errorf("trend chart: %d %.100s", status, svg)
	}
	// The demo's project lead reads the series and its workshops' reports with the printed token,
	// and nothing else.
	lead := leadTokens[0]
	if got := a.must(200, "GET", "/api/v1/series/IKOE-Ideenwerkstatt/report", lead, nil); len(got["workshops"].([]any)) != 3 {
		t.Errorf("the lead's series report: got %v, want 3 workshops", got)
	}
	a.must(200, "GET", base+"/reports/attendance", lead, nil)
	a.must(200, "GET", base+"/feedback/evaluation", lead, nil)
	a.must(403, "GET", base+"/registrations", lead, nil)
	grants := a.must(200, "GET", "/api/v1/series/IKOE-Ideenwerkstatt/lead-tokens", organiser, nil)["grants"].([]any)
	if len(grants) != 1 || grants[0].(map[string]any)["label"] != "Demo-Projektleitung" {
		t.Errorf("the series' lead grants: got %v, want one for Demo-Projektleitung", grants)
	}
}

func noEnv(string) string { return "" }
