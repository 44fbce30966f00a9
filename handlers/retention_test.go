package handlers_test

import (
	"context"
	"encoding/json"
	"time"

	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/projections/projectionstest"
)

type retentionItem struct {
	Workshop     string `json:"workshop"`
	Registration string `json:"registration"`
}

type retentionRun struct {
	AsOf    string          `json:"as_of"`
	DryRun  bool            `json:"dry_run"`
	Erased  []retentionItem `json:"erased"`
	Reduced []retentionItem `json:"reduced"`
	Failed  []retentionItem `json:"failed"`
}

func registrationsOf(items []retentionItem) []string {
	var ids []string
	for _, i := range items {
		ids = append(ids, i.Registration)
	}
	slices.Sort(ids)
	return ids
}

func sorted(ids ...string) []string { slices.Sort(ids); return ids }

// evidenceOf returns the name the log's reduction to evidence of registration id reveals, and
// whether there is one.
func evidenceOf(t *testing.T, s *service, id string) (*domain.Person, bool) {
	t.Helper()
	for _, e := range replay(t, s.events) {
		if r, ok := e.Event.(domain.ReducedToEvidence); ok && string(r.RegistrationID) == id {
			return r.Person, true
		}
	}
	return nil, false
}

func TestRetention(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	for _, store := range []string{"memory", "postgres"} {
		clk := &appClock{}
		eachReadModelAt(t, store, clk, func(t *testing.T, s *service) {
			clk.set(time.Date(2037, 11, 10, 12, 0, 0, 0, berlin))
			w := s.schedule(2)
			path := "/api/v1/workshops/" + w.ID
			series := "/api/v1/series/" + url.PathEscape(w.Series) + "/retention"
			aliceBody := person("Alice", "Stadtwerke")
			aliceBody["dietary"] = "vegan"
			alice := s.register(w, aliceBody)
			bob := s.register(w, person("Bob", "Landkreis"))
			carol := s.register(w, person("Carol", "Landkreis"))
			if carol.Status != "waitlisted" {
				t.Fatalf("Carol: got %s, want waitlisted", carol.Status)
			}
			s.must(request{method: "POST", path: path + "/check-ins", token: org, body: map[string]any{"registration_id": alice.ID, "day": day1}}, 201, nil)

			// Who may set and run it, and what is refused.
			for _, r := range []struct {
				req    request
				status int
			}{
				{request{method: "PUT", path: series, token: alice.Token, body: map[string]any{"months": 3}}, 403},
				{request{method: "PUT", path: series, body: map[string]any{"months": 3}}, 401},
				{request{method: "POST", path: "/api/v1/retention/runs", token: alice.Token, body: map[string]any{"as_of": "2038-03-01T00:00:00+01:00", "dry_run": true}}, 403},
				{request{method: "POST", path: "/api/v1/retention/runs", body: map[string]any{"as_of": "2038-03-01T00:00:00+01:00", "dry_run": true}}, 401},
				{request{method: "PUT", path: series, token: org, body: `{"months": 3`}, 400},
				{request{method: "POST", path: "/api/v1/retention/runs", token: org, body: `{"as_of": 5, "dry_run": true}`}, 400},
			} {
				res := s.do(r.req)
				// A participant's token names no organiser: refused as 401 or 403.
				if (res.status != r.status && !(r.status == 403 && res.status == 401)) || res.header.Get("Content-Type") != "application/problem+json" {
					t.Errorf("%s %s %v: got %d %s, want a %d problem", r.req.method, r.req.path, r.req.body, res.status, res.body, r.status)
				}
			}
			for _, r := range []struct {
				req    request
				fields []string
			}{
				{request{method: "PUT", path: series, token: org, body: map[string]any{"months": 0, "evidence_hold_until": "31.12.2038"}}, []string{"evidence_hold_until", "months"}},
				{request{method: "PUT", path: series, token: org, body: map[string]any{"months": 121}}, []string{"months"}},
				{request{method: "PUT", path: series, token: org, body: map[string]any{"evidence_hold_until": nil}}, []string{"months"}},
				{request{method: "POST", path: "/api/v1/retention/runs", token: org, body: map[string]any{"as_of": "1. Juni"}}, []string{"as_of", "dry_run"}},
			} {
				res := s.do(r.req)
				var p problem
				if res.status != 422 || res.header.Get("Content-Type") != "application/problem+json" {
					t.Errorf("%s %s %v: got %d %s, want a 422 problem", r.req.method, r.req.path, r.req.body, res.status, res.body)
					continue
				}
				if err := json.Unmarshal(res.body, &p); err != nil {
					t.Fatal(err)
				}
				var fields []string
				for _, e := range p.Errors {
					fields = append(fields, e.Field)
				}
				slices.Sort(fields)
				if !slices.Equal(slices.Compact(fields), r.fields) {
					t.Errorf("%v: got fields %v, want %v", r.req.body, fields, r.fields)
				}
			}
			if res := s.do(request{method: "PUT", path: "/api/v1/series/Nirgendwo/retention", token: org, body: map[string]any{"months": 3}}); res.status != 404 {
				t.Errorf("a series without workshops: got %d %s, want 404", res.status, res.body)
			}

			// The default, then three months and an evidence hold until the end of 2038.
			var got struct {
				Months            int     `json:"months"`
				EvidenceHoldUntil *string `json:"evidence_hold_until"`
				Source            string  `json:"source"`
				Workshops         []struct {
					Workshop   string `json:"workshop"`
					EraseAfter string `json:"erase_after"`
					HoldEnds   string `json:"hold_ends"`
					Source     string `json:"source"`
				} `json:"workshops"`
			}
			s.must(request{method: "GET", path: series, token: org}, 200, &got)
			if got.Months != 12 || got.Source != "default" || got.EvidenceHoldUntil != nil || len(got.Workshops) != 1 ||
				got.Workshops[0].EraseAfter != "2038-11-18T00:00:00+01:00" {
				t.Errorf("default retention: got %+v, want 12 months, erased from the end of 17 Nov 2038", got)
			}
			s.must(request{method: "PUT", path: series, token: org, body: map[string]any{"months": 3, "evidence_hold_until": "2038-12-31"}}, 200, nil)
			seq := s.lastSeq()
			s.must(request{method: "PUT", path: series, token: org, body: map[string]any{"months": 3, "evidence_hold_until": "2038-12-31"}}, 200, nil)
			if s.lastSeq() != seq {
				t.Errorf("the same retention again appended to the log")
			}
			s.must(request{method: "GET", path: series, token: org}, 200, &got)
			if got.Months != 3 || got.Source != "series" || got.EvidenceHoldUntil == nil || *got.EvidenceHoldUntil != "2038-12-31" ||
				got.Workshops[0].EraseAfter != "2038-02-18T00:00:00+01:00" || got.Workshops[0].HoldEnds != "2039-01-01T00:00:00+01:00" {
				t.Errorf("series retention: got %+v", got)
			}

			attendanceBefore := s.must(request{method: "GET", path: path + "/attendance", token: org}, 200, nil).body
			clk.set(time.Date(2038, 3, 1, 12, 0, 0, 0, berlin))
			run := func(asOf string, dry bool) retentionRun {
				t.Helper()
				var r retentionRun
				s.must(request{method: "POST", path: "/api/v1/retention/runs", token: org, body: map[string]any{"as_of": asOf, "dry_run": dry}}, 200, &r)
				return r
			}
			const during, after = "2038-03-01T00:00:00+01:00", "2039-01-01T00:00:00+01:00"

			// Dry runs decide nothing.
			seq = s.lastSeq()
			if r := run("2038-02-17T23:59:59+01:00", true); len(r.Erased)+len(r.Reduced) != 0 || !r.DryRun {
				t.Errorf("dry run before the period ends: got %+v, want nothing", r)
			}
			r := run(during, true)
			if !slices.Equal(registrationsOf(r.Erased), []string{carol.ID}) || !slices.Equal(registrationsOf(r.Reduced), sorted(alice.ID, bob.ID)) {
				t.Errorf("dry run: got %+v, want Carol erased, Alice and Bob reduced", r)
			}
			if s.lastSeq() != seq {
				t.Fatalf("a dry run appended to the log")
			}
			if p := personOf(t, s.events, alice.ID); p == nil || p.Email != "alice@example.org" {
				t.Fatalf("Alice after a dry run: got %+v, want her data", p)
			}

			// The run during the hold: Carol (waitlisted) is erased, Alice and Bob keep their names.
			r = run(during, false)
			if !slices.Equal(registrationsOf(r.Erased), []string{carol.ID}) || !slices.Equal(registrationsOf(r.Reduced), sorted(alice.ID, bob.ID)) || len(r.Failed) != 0 {
				t.Errorf("run during the hold: got %+v, want Carol erased, Alice and Bob reduced", r)
			}
			sameJSON(t, "attendance after the run", s.must(request{method: "GET", path: path + "/attendance", token: org}, 200, nil).body, attendanceBefore)
			var list struct{ Registrations []erasedRegistration }
			s.must(request{method: "GET", path: path + "/registrations", token: org}, 200, &list)
			for _, g := range list.Registrations {
				switch g.ID {
				case alice.ID:
					if g.Name != "Alice" || g.Email != "" || g.Dietary != "" || g.Organisation != "Stadtwerke" || g.Status != "confirmed" {
						t.Errorf("Alice during the hold: got %+v, want her name and organisation only", g)
					}
				case carol.ID:
					if !g.Erased || g.Name != "" || g.Email != "" || g.Status != "waitlisted" {
						t.Errorf("Carol after the run: got %+v, want erased, still waitlisted", g)
					}
				}
			}
			csv := string(s.must(request{method: "GET", path: path + "/reports/attendance.csv", token: org}, 200, nil).body)
			if !strings.Contains(csv, "Alice") || strings.Contains(csv, "alice@example.org") || strings.Contains(csv, "Carol") || strings.Contains(csv, "vegan") {
				t.Errorf("attendance.csv during the hold: got %s, want Alice's name and nothing else of her, nothing of Carol", csv)
			}
			for _, id := range []string{alice.ID, bob.ID, carol.ID} {
				if p := personOf(t, s.events, id); p != nil {
					t.Errorf("the log's registration %s after the run: got %+v, want nothing readable (key deleted)", id, p)
				}
			}
			if p, ok := evidenceOf(t, s, alice.ID); !ok || p == nil || p.Name != "Alice" || p.Email != "" || p.Dietary != "" || len(p.Answers) != 0 {
				t.Errorf("the log's evidence of Alice during the hold: got %+v, want her name only", p)
			}

			// A read model rebuilt from the log agrees: Alice's name, nothing else of her; Carol gone.
			rebuilt := projections.NewMemory()
			projectionstest.ApplyAll(t, rebuilt, replay(t, s.events), 50)
			if r, err := rebuilt.Registration(context.Background(), domain.WorkshopID(w.ID), domain.RegistrationID(alice.ID)); err != nil ||
				r.Erased || r.Name != "Alice" || r.Email != "" || r.Dietary != "" {
				t.Errorf("rebuilt registration of Alice during the hold: got %+v, %v; want her name only", r, err)
			}
			if r, err := rebuilt.Registration(context.Background(), domain.WorkshopID(w.ID), domain.RegistrationID(carol.ID)); err != nil || !r.Erased || r.Name != "" {
				t.Errorf("rebuilt registration of Carol: got %+v, %v; want erased", r, err)
			}

			// A run that erases may not lie ahead of the clock.
			if res := s.do(request{method: "POST", path: "/api/v1/retention/runs", token: org, body: map[string]any{"as_of": after, "dry_run": false}}); res.status != 422 {
				t.Errorf("a real run in the future: got %d %s, want 422", res.status, res.body)
			}

			// A repeat erases nothing new and appends nothing.
			seq = s.lastSeq()
			if r := run(during, false); len(r.Erased)+len(r.Reduced)+len(r.Failed) != 0 {
				t.Errorf("repeated run: got %+v, want nothing", r)
			}
			if s.lastSeq() != seq {
				t.Errorf("a repeated run appended to the log")
			}

			// When the hold ends, the names go too; the figures stay.
			clk.set(time.Date(2039, 1, 2, 12, 0, 0, 0, berlin))
			r = run(after, false)
			if !slices.Equal(registrationsOf(r.Erased), sorted(alice.ID, bob.ID)) || len(r.Reduced) != 0 {
				t.Errorf("run after the hold: got %+v, want Alice and Bob erased", r)
			}
			sameJSON(t, "attendance after the hold", s.must(request{method: "GET", path: path + "/attendance", token: org}, 200, nil).body, attendanceBefore)
			s.must(request{method: "GET", path: path + "/registrations", token: org}, 200, &list)
			for _, g := range list.Registrations {
				if !g.Erased || g.Name != "" || g.Email != "" || g.Dietary != "" {
					t.Errorf("registration after the hold: got %+v, want erased", g)
				}
			}
			csv = string(s.must(request{method: "GET", path: path + "/reports/attendance.csv", token: org}, 200, nil).body)
			if strings.Contains(csv, "Alice") || strings.Contains(csv, "Bob") {
				t.Errorf("attendance.csv after the hold: got %s, want no names", csv)
			}
			if p, ok := evidenceOf(t, s, alice.ID); !ok || p != nil {
				t.Errorf("the log's evidence of Alice after the hold: got %+v, want nothing readable", p)
			}
			if pdf := s.must(request{method: "GET", path: path + "/reports/sign-in-sheets.pdf", token: org}, 200, nil).body; strings.Contains(string(pdf), "Alice") {
				t.Errorf("the sign-in sheets after the hold name Alice")
			}

			// A workshop scheduled in the series later inherits the setting.
			later := s.schedule(5)
			s.must(request{method: "GET", path: series, token: org}, 200, &got)
			for _, g := range got.Workshops {
				if g.Workshop == later.ID && g.Source != "series" {
					t.Errorf("a later workshop of the series: got %+v, want the series' retention", g)
				}
			}
		})
	}
}
