package handlers_test

import (
	"testing"
)

// TestPathParametersDecodedOnce escapes a series name more than it has to (%53 is "S"): the
// access check and the handler see the same, once-decoded series (issue #10, defect 7). A
// lead of SerX reads SerX under any spelling, and never the series literally named %53erX.
func TestPathParametersDecodedOnce(t *testing.T) {
	s := startService(t)
	for _, series := range []string{"SerX", "%53erX"} {
		s.must(request{method: "POST", path: "/api/v1/workshops", token: org, body: map[string]any{
			"title": "Werkstatt " + series, "series": series, "venue": "Kassel", "days": []string{day1}, "capacity": 5}}, 201, nil)
	}
	var lead leadGrant
	s.must(request{method: "POST", path: "/api/v1/series/SerX/lead-tokens", token: org, body: map[string]any{"label": "Frau Schulz"}}, 201, &lead)

	var report struct{ Series string }
	s.must(request{method: "GET", path: "/api/v1/series/%53erX/report", token: lead.Token}, 200, &report)
	if report.Series != "SerX" {
		t.Errorf("lead of SerX reads /series/%%53erX/report: got the report of %q, want SerX", report.Series)
	}
	s.must(request{method: "GET", path: "/api/v1/series/%2553erX/report", token: lead.Token}, 403, nil)
	s.must(request{method: "GET", path: "/api/v1/series/%2553erX/report.csv", token: lead.Token}, 403, nil)
	s.must(request{method: "GET", path: "/api/v1/series/%2553erX/report", token: org}, 200, &report)
	if report.Series != "%53erX" {
		t.Errorf("organiser reads /series/%%2553erX/report: got %q, want %%53erX", report.Series)
	}

	var backlog struct{ Series string }
	s.must(request{method: "GET", path: "/api/v1/series/%53erX/backlog", token: org}, 200, &backlog)
	if backlog.Series != "SerX" {
		t.Errorf("backlog of /series/%%53erX: got series %q, want SerX", backlog.Series)
	}
	var workshops struct{ Workshops []workshop }
	s.must(request{method: "GET", path: "/api/v1/workshops"}, 200, &workshops)
	for _, w := range workshops.Workshops {
		if w.Series == "SerX" {
			s.must(request{method: "POST", path: "/api/v1/workshops/" + w.ID + "/action-items", token: org,
				body: map[string]any{"what": "Protokoll verschicken", "who": map[string]any{"organisation": "Jugendring"}}}, 201, nil)
		}
	}
	var items struct {
		ActionItems []actionItem `json:"action_items"`
	}
	s.must(request{method: "GET", path: "/api/v1/series/%53erX/action-items", token: org}, 200, &items)
	if len(items.ActionItems) != 1 {
		t.Errorf("action items of /series/%%53erX: got %d, want the 1 of SerX", len(items.ActionItems))
	}
	var grants struct{ Series string }
	s.must(request{method: "GET", path: "/api/v1/series/%53erX/lead-tokens", token: org}, 200, &grants)
	if grants.Series != "SerX" {
		t.Errorf("lead tokens of /series/%%53erX: got series %q, want SerX", grants.Series)
	}
}
