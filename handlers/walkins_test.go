package handlers_test

import (
	"slices"
	"strings"
	"testing"
)

type walkedIn struct {
	ID        string `json:"id"`
	Day       string `json:"day"`
	Status    string `json:"status"`
	CheckedIn bool   `json:"checked_in"`
}

// TestWalkIns registers walk-ins at the door over HTTP: 201 registered and checked in, a repeat
// by Idempotency-Key, the full day (409), bad fields (422), unknown fields (400), and the walk-in
// in the list, the attendance and the attendance report.
func TestWalkIns(t *testing.T) {
	s := startService(t)
	w := s.schedule(2)
	base := "/api/v1/workshops/" + w.ID
	s.register(w, person("Ada", "Verein A")) // both days: one seat of each left

	emil := map[string]any{"name": "Emil Kaya", "organisation": "Jugendzentrum", "district": "Harburg", "day": day1}
	var got walkedIn
	key := map[string]string{"Idempotency-Key": "walk-in-emil"}
	res := s.must(request{method: "POST", path: base + "/walk-ins", token: org, body: emil, header: key}, 201, &got)
	if got.ID == "" || got.Day != day1 || got.Status != "confirmed" || !got.CheckedIn {
		t.Fatalf("walk-in: got %+v, want confirmed and checked in on %s", got, day1)
	}
	if loc := res.header.Get("Location"); loc != base+"/registrations/"+got.ID {
		t.Errorf("got Location %q, want %s", loc, base+"/registrations/"+got.ID)
	}
	seq := s.lastSeq()
	var again walkedIn
	s.must(request{method: "POST", path: base + "/walk-ins", token: org, body: emil, header: key}, 201, &again)
	if again != got || s.lastSeq() != seq {
		t.Errorf("repeat: got %+v (seq %d), want %+v and nothing appended (seq %d)", again, s.lastSeq(), got, seq)
	}

	// day1 is full now; the walk-in without an email does not block a second one on day2.
	p := problemOf(t, s.do(request{method: "POST", path: base + "/walk-ins", token: org,
		body: map[string]any{"name": "Fritz", "organisation": "Verein F", "day": day1}}), 409)
	if p.Type != "urn:werkstatt:problem:day-full" {
		t.Errorf("full day: got type %q, want urn:werkstatt:problem:day-full", p.Type)
	}
	if s.lastSeq() != seq {
		t.Errorf("a refused walk-in appended events")
	}
	s.must(request{method: "POST", path: base + "/walk-ins", token: org,
		body: map[string]any{"name": "Gül", "organisation": "Verein G", "day": day2}}, 201, nil)

	for _, tc := range []struct {
		body   any
		status int
		fields []string
	}{
		{map[string]any{"organisation": "O", "day": day2}, 422, []string{"name"}},
		{map[string]any{"name": "N", "organisation": "O", "day": "2041-01-01"}, 422, []string{"day"}},
		{map[string]any{"name": "N", "organisation": "O", "day": "16.11.2037"}, 422, []string{"day"}},
		{map[string]any{"name": "N", "organisation": "O"}, 422, []string{"day"}},
		{map[string]any{"name": "N", "organisation": "O", "day": day2, "email": "nobody"}, 422, []string{"email"}},
		{map[string]any{"name": "N", "organisation": "O", "day": day2, "consent": true}, 400, []string{"consent"}},
		{`{"name": "N", "organisation": "O", "day": 20371117}`, 400, []string{"day"}},
	} {
		p := problemOf(t, s.do(request{method: "POST", path: base + "/walk-ins", token: org, body: tc.body}), tc.status)
		var fields []string
		for _, e := range p.Errors {
			fields = append(fields, e.Field)
		}
		if !slices.Equal(fields, tc.fields) {
			t.Errorf("%v: got errors on %v (%s), want %v", tc.body, fields, p.Detail, tc.fields)
		}
	}
	if s.lastSeq() == seq {
		t.Fatal("no walk-in on day2 was appended")
	}
	s.must(request{method: "POST", path: base + "/walk-ins", body: emil}, 401, nil)

	var list struct{ Registrations []registration }
	s.must(request{method: "GET", path: base + "/registrations", token: org}, 200, &list)
	var emilSeen bool
	for _, r := range list.Registrations {
		if r.ID == got.ID {
			emilSeen = r.Name == "Emil Kaya" && r.Status == "confirmed" && slices.Equal(r.Days, []string{day1}) && r.District == "Harburg"
		}
	}
	if !emilSeen || len(list.Registrations) != 3 {
		t.Errorf("registrations: got %+v, want Ada and the two walk-ins, Emil confirmed for %s", list.Registrations, day1)
	}
	var a attendance
	s.must(request{method: "GET", path: base + "/attendance", token: org}, 200, &a)
	if a.Confirmed != 3 || len(a.Days) != 2 || a.Days[0].CheckedIn != 1 || a.Days[0].Confirmed != 2 || a.Days[1].CheckedIn != 1 {
		t.Errorf("attendance: got %+v, want the walk-ins checked in on both days", a)
	}
	res = s.must(request{method: "GET", path: base + "/reports/attendance.csv", token: org}, 200, nil)
	var emilRow []string
	for _, row := range csvRows(t, res.body) {
		if row[0] == "Emil Kaya" {
			emilRow = row
		}
	}
	if emilRow == nil || !strings.Contains(strings.Join(emilRow, ";"), "16.11.2037") {
		t.Errorf("attendance CSV: got Emil's row %q, want him present on 16.11.2037", emilRow)
	}
}
