package handlers_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/handlers/handlerstest"
	"github.com/werkstatt/werkstatt/infra/postgres"
	"github.com/werkstatt/werkstatt/infra/postgres/postgrestest"
)

// eachReadModelAt runs test on the read model store (memory or postgres) with the application's clock read from clk.
func eachReadModelAt(t *testing.T, store string, clk *appClock, test func(t *testing.T, s *service)) {
	if store == "memory" {
		t.Run(store, func(t *testing.T) { test(t, startServiceAt(t, clk)) })
		return
	}
	t.Run(store, func(t *testing.T) {
		pg, err := postgres.Open(context.Background(), postgrestest.Database(t))
		if err != nil {
			t.Fatalf("open the read models: %v", err)
		}
		t.Cleanup(pg.Close)
		cfg, events := handlerstest.WireWith(t, organiserToken, pg)
		cfg.Now = clk.Now
		test(t, &service{t: t, url: handlerstest.Serve(t, handlers.New(cfg)).URL, events: events})
	})
}

type partnerReportOut struct {
	Network, From, To string
	Meetings          []struct{ Workshop, Series, Group string }
	Partners          []struct {
		Organisation   string
		Attended, Held int
		Regularity     float64
		Meetings       []string
		Series         []struct {
			Series, Group  string
			Attended, Held int
		}
	}
}

// TestPartnerReport: two organisations, three held meetings of two series (one the meeting
// series of a working group), the Diakonie absent from one; a meeting after today does not
// count. The network's admin reads it all, a lead only their series; members without a
// reporting role are refused, outsiders get 404; the figures come back alike as JSON, CSV and
// XLSX, and no person's name is in any of them.
func TestPartnerReport(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	for _, store := range []string{"memory", "postgres"} {
		clk := &appClock{now: time.Date(2037, 11, 1, 12, 0, 0, 0, berlin)}
		eachReadModelAt(t, store, clk, func(t *testing.T, s *service) { testPartnerReport(t, s, clk) })
	}
}

func testPartnerReport(t *testing.T, s *service, clk *appClock) {
	n := newNetworkWorld(s)
	s.must(request{method: "POST", path: "/api/v1/networks/" + n.forum + "/groups", token: n.anna.Token,
		body: map[string]any{"name": "AG Ideen", "series": "Ideenwerkstatt"}}, 201, nil)
	meeting := func(title, series, day string, present ...bool) string {
		var w struct{ ID string }
		s.must(request{method: "POST", path: "/api/v1/workshops", token: org, body: map[string]any{"title": title, "series": series,
			"venue": "Eisenach", "days": []string{day}, "capacity": 20, "network": n.forum}}, 201, &w)
		for i, p := range []map[string]any{person("Dieter", "Diakonie"), person("Jana", "=Jobcenter")} {
			r := s.register(workshop{ID: w.ID}, p)
			if present[i] {
				s.must(request{method: "POST", path: "/api/v1/workshops/" + w.ID + "/check-ins", token: org,
					body: map[string]any{"registration_id": r.ID, "day": day}}, 201, nil)
			}
		}
		return w.ID
	}
	m1 := meeting("Ideenwerkstatt Nov", "Ideenwerkstatt", "2037-11-16", true, true)
	meeting("Ideenwerkstatt Dez", "Ideenwerkstatt", "2037-12-01", false, true)
	m3 := meeting("Netzwerktreffen", "Netzwerktreffen", "2037-12-10", true, true)
	meeting("Netzwerktreffen Januar", "Netzwerktreffen", "2038-01-20", true, true) // after today: not held
	clk.set(time.Date(2038, 1, 15, 12, 0, 0, 0, time.UTC))

	base := "/api/v1/networks/" + n.forum + "/reports/partners"
	q := "?from=2037-11-01&to=2038-06-30"
	var r partnerReportOut
	s.must(request{method: "GET", path: base + q, token: n.anna.Token}, 200, &r)
	if len(r.Meetings) != 3 || len(r.Partners) != 2 || r.Network != "Forum Integration" {
		t.Fatalf("report: got %+v, want 3 meetings and 2 partners", r)
	}
	dk := r.Partners[1]
	if dk.Organisation != "Diakonie" || dk.Attended != 2 || dk.Held != 3 || len(dk.Meetings) != 2 || dk.Meetings[0] != m1 || dk.Meetings[1] != m3 {
		t.Errorf("Diakonie: got %+v, want 2 of 3", dk)
	}
	if len(dk.Series) != 2 || dk.Series[0].Series != "Ideenwerkstatt" || dk.Series[0].Group != "AG Ideen" ||
		dk.Series[0].Attended != 1 || dk.Series[0].Held != 2 || dk.Series[1].Attended != 1 || dk.Series[1].Held != 1 {
		t.Errorf("Diakonie per series: got %+v", dk.Series)
	}
	if jc := r.Partners[0]; jc.Organisation != "=Jobcenter" || jc.Attended != 3 || jc.Regularity != 1 {
		t.Errorf("Jobcenter: got %+v", jc)
	}

	// The lead of Ideenwerkstatt reads its meetings only.
	s.must(request{method: "GET", path: base + q, token: n.lea.Token}, 200, &r)
	if len(r.Meetings) != 2 || r.Partners[1].Held != 2 || r.Partners[1].Attended != 1 {
		t.Errorf("the lead's report: got %+v, want Ideenwerkstatt's two meetings", r)
	}
	// A shorter period: November only.
	s.must(request{method: "GET", path: base + "?from=2037-11-01&to=2037-11-30", token: org}, 200, &r)
	if len(r.Meetings) != 1 || r.Partners[1].Attended != 1 || r.Partners[1].Held != 1 {
		t.Errorf("November: got %+v", r)
	}

	// Who may not read it, and hostile input.
	s.must(request{method: "GET", path: base + q, token: n.mia.Token}, 403, nil)
	s.must(request{method: "GET", path: base + q, token: n.dora.Token}, 403, nil)
	s.must(request{method: "GET", path: base + q, token: n.max.Token}, 404, nil)
	s.must(request{method: "GET", path: base + q}, 401, nil)
	s.must(request{method: "GET", path: "/api/v1/networks/nope/reports/partners", token: org}, 404, nil)
	for _, bad := range []string{"?from=2037-13-01", "?to=gestern", "?from=2038-01-01&to=2037-01-01", "?from=1900-01-01&to=2037-01-01"} {
		s.must(request{method: "GET", path: base + bad, token: org}, 422, nil)
	}
	s.must(request{method: "GET", path: base + "?format=doc", token: org}, 400, nil)
	s.must(request{method: "GET", path: base + "?lang=fr", token: org}, 400, nil)

	// CSV and XLSX: the same figures, counts per organisation only.
	res := s.must(request{method: "GET", path: base + q + "&format=csv&lang=en&dialect=international", token: n.anna.Token}, 200, nil)
	if cd := res.header.Get("Content-Disposition"); !strings.Contains(cd, "partner-participation-forum-integration-2037-11-01-2038-06-30.csv") {
		t.Errorf("Content-Disposition: got %q", cd)
	}
	rows, err := csv.NewReader(bytes.NewReader(res.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 7 || strings.Join(rows[4], "|") != "Diakonie|||2|3|0.67" || rows[1][0] != "'=Jobcenter" {
		t.Errorf("CSV: got %q", rows)
	}
	res = s.must(request{method: "GET", path: base + q, token: n.anna.Token,
		header: map[string]string{"Accept": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}}, 200, nil)
	f, err := excelize.OpenReader(bytes.NewReader(res.body))
	if err != nil {
		t.Fatal(err)
	}
	sheet, _ := f.GetRows("Partner")
	if len(sheet) != 7 || sheet[4][0] != "Diakonie" || sheet[4][3] != "2" || sheet[4][4] != "3" {
		t.Errorf("XLSX: got %q", sheet)
	}
	js := s.must(request{method: "GET", path: base + q, token: n.anna.Token}, 200, nil)
	for _, body := range [][]byte{js.body, rows2bytes(rows)} {
		for _, name := range []string{"Dieter", "Jana"} {
			if bytes.Contains(body, []byte(name)) {
				t.Errorf("the report names %s", name)
			}
		}
	}
	res = s.must(request{method: "GET", path: base + q + "&format=pdf", token: n.olaf.Token}, 200, nil)
	if !bytes.HasPrefix(res.body, []byte("%PDF")) {
		t.Errorf("PDF: got %.20q", res.body)
	}
}

func rows2bytes(rows [][]string) []byte {
	var b bytes.Buffer
	for _, r := range rows {
		b.WriteString(strings.Join(r, ";") + "\n")
	}
	return b.Bytes()
}
