package handlers_test

import (
	"slices"
	"testing"
	"time"
)

// TestNetworkRetention: a network's admin sets its default retention period (its organisers read
// it); a workshop of the network whose series sets none is erased by a run after the network's
// period, not after the instance's 12 months, while a series' own period comes first; the
// privacy notice and the series' retention tell the network's period.
func TestNetworkRetention(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	for _, store := range []string{"memory", "postgres"} {
		clk := &appClock{}
		eachReadModelAt(t, store, clk, func(t *testing.T, s *service) {
			clk.set(time.Date(2030, 2, 1, 12, 0, 0, 0, berlin))
			n := newNetworkWorld(s)
			path := "/api/v1/networks/" + n.forum + "/retention"
			type networkRetention struct {
				Network string
				Months  int
				Source  string
			}
			var got networkRetention
			s.must(request{method: "GET", path: path, token: n.olaf.Token}, 200, &got)
			if got.Network != n.forum || got.Months != 12 || got.Source != "default" {
				t.Errorf("before it is set: got %+v, want the instance's 12 months", got)
			}

			// Who may set and read it.
			for _, c := range []struct {
				req    request
				status int
			}{
				{request{method: "PUT", path: path, token: n.olaf.Token, body: map[string]any{"months": 3}}, 403},
				{request{method: "PUT", path: path, token: n.dora.Token, body: map[string]any{"months": 3}}, 403},
				{request{method: "PUT", path: path, token: n.max.Token, body: map[string]any{"months": 3}}, 404},
				{request{method: "PUT", path: path, body: map[string]any{"months": 3}}, 401},
				{request{method: "GET", path: path, token: n.dora.Token}, 403},
				{request{method: "GET", path: path, token: n.max.Token}, 404},
				{request{method: "GET", path: path}, 401},
				{request{method: "GET", path: "/api/v1/networks/NOSUCHNETWORK/retention", token: org}, 404},
				{request{method: "PUT", path: path, token: n.anna.Token, body: map[string]any{"months": 0}}, 422},
				{request{method: "PUT", path: path, token: n.anna.Token, body: map[string]any{"months": 121}}, 422},
				{request{method: "PUT", path: path, token: n.anna.Token, body: map[string]any{}}, 422},
				{request{method: "PUT", path: path, token: n.anna.Token, body: `{"months": "3"}`}, 400},
				{request{method: "PUT", path: path, token: n.anna.Token, body: `{"months": 3, "days": 1}`}, 400},
			} {
				res := s.do(c.req)
				if res.status != c.status || res.header.Get("Content-Type") != "application/problem+json" {
					t.Errorf("%s %s %v: got %d %s, want a %d problem", c.req.method, c.req.path, c.req.body, res.status, res.body, c.status)
				}
			}

			// Two workshops: one of a series without its own period, one whose series sets 24 months.
			var plain, own workshop
			s.must(request{method: "POST", path: "/api/v1/workshops", token: n.olaf.Token, body: map[string]any{"title": "Ideenwerkstatt März",
				"series": "Ideenwerkstatt", "venue": "Eisenach", "days": []string{"2030-03-04"}, "capacity": 20}}, 201, &plain)
			s.must(request{method: "POST", path: "/api/v1/workshops", token: n.otto.Token, body: map[string]any{"title": "Netzwerktreffen März",
				"series": "Netzwerktreffen", "venue": "Eisenach", "days": []string{"2030-03-04"}, "capacity": 20}}, 201, &own)
			s.must(request{method: "PUT", path: "/api/v1/series/Netzwerktreffen/retention", token: n.otto.Token, body: map[string]any{"months": 24}}, 200, nil)
			ann := s.register(plain, person("Ann", "Stadtwerke"))
			ben := s.register(own, person("Ben", "Landkreis"))

			s.must(request{method: "PUT", path: path, token: n.anna.Token, body: map[string]any{"months": 3}}, 200, &got)
			if got.Months != 3 || got.Source != "network" {
				t.Errorf("set: got %+v, want 3 months of the network", got)
			}
			seq := s.lastSeq()
			s.must(request{method: "PUT", path: path, token: org, body: map[string]any{"months": 3}}, 200, nil)
			if s.lastSeq() != seq {
				t.Errorf("the same period again appended to the log")
			}
			s.must(request{method: "GET", path: path, token: n.olaf.Token}, 200, &got)
			if got.Months != 3 || got.Source != "network" {
				t.Errorf("read by an organiser: got %+v, want 3 months of the network", got)
			}

			// The notice and the series' retention tell it.
			var v privacyNotice
			s.must(request{method: "GET", path: "/api/v1/networks/" + n.forum + "/privacy-notice"}, 200, &v)
			months := map[string]int{}
			for _, p := range v.StoragePeriods {
				months[p.Series] = p.Months
			}
			if months["Ideenwerkstatt"] != 3 || months["Netzwerktreffen"] != 24 {
				t.Errorf("the notice's storage periods: got %v, want Ideenwerkstatt 3 (the network's), Netzwerktreffen 24", months)
			}
			var series struct {
				Months    int
				Source    string
				Workshops []struct {
					Source     string
					EraseAfter string `json:"erase_after"`
				}
			}
			s.must(request{method: "GET", path: "/api/v1/series/Ideenwerkstatt/retention", token: n.olaf.Token}, 200, &series)
			if series.Months != 3 || series.Source != "network" || len(series.Workshops) != 1 ||
				series.Workshops[0].Source != "network" || series.Workshops[0].EraseAfter != "2030-06-05T00:00:00+02:00" {
				t.Errorf("the series' retention: got %+v, want the network's 3 months, erased from the end of 4 June 2030", series)
			}

			// A run after the network's period erases Ann, not Ben (his series keeps 24 months).
			clk.set(time.Date(2030, 6, 10, 12, 0, 0, 0, berlin))
			var r retentionRun
			s.must(request{method: "POST", path: "/api/v1/retention/runs", token: org,
				body: map[string]any{"as_of": "2030-06-04T23:59:59+02:00", "dry_run": true}}, 200, &r)
			if len(r.Erased)+len(r.Reduced) != 0 {
				t.Errorf("a preview before the network's period ends: got %+v, want nothing", r)
			}
			s.must(request{method: "POST", path: "/api/v1/retention/runs", token: org,
				body: map[string]any{"as_of": "2030-06-10T00:00:00+02:00", "dry_run": false}}, 200, &r)
			if !slices.Equal(registrationsOf(r.Erased), []string{ann.ID}) || len(r.Reduced)+len(r.Failed) != 0 {
				t.Errorf("the run after the network's period: got %+v, want Ann erased only", r)
			}
			var list struct{ Registrations []erasedRegistration }
			s.must(request{method: "GET", path: "/api/v1/workshops/" + plain.ID + "/registrations", token: org}, 200, &list)
			if len(list.Registrations) != 1 || !list.Registrations[0].Erased || list.Registrations[0].Name != "" || list.Registrations[0].Email != "" {
				t.Errorf("Ann after the run: got %+v, want erased", list.Registrations)
			}
			if p := personOf(t, s.events, ann.ID); p != nil {
				t.Errorf("the log's registration of Ann after the run: got %+v, want nothing readable", p)
			}
			if p := personOf(t, s.events, ben.ID); p == nil || p.Name != "Ben" {
				t.Errorf("the log's registration of Ben: got %+v, want kept (24 months of his series)", p)
			}
		})
	}
}
