package handlers_test

import (
	"sync"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/handlers/handlerstest"
)

// appClock is a test's app appClock that the test moves.
type appClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *appClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *appClock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }

// startServiceAt is startService whose application reads the time from clk.
func startServiceAt(t *testing.T, clk *appClock) *service {
	t.Helper()
	cfg, store := handlerstest.Wire(t, organiserToken)
	cfg.Now = clk.Now
	srv := handlerstest.Serve(t, handlers.New(cfg))
	return &service{t: t, url: srv.URL, events: store}
}

type closesWorkshop struct {
	ID                 string `json:"id"`
	RegistrationCloses string `json:"registration_closes"`
	RegistrationOpen   bool   `json:"registration_open"`
}

// TestRegistrationCloses schedules a workshop with a closing time, reads it back, registers
// before and after it, changes and clears it again; the app's clock runs in Europe/Berlin.
func TestRegistrationCloses(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	clk := &appClock{now: time.Date(2037, 11, 10, 12, 0, 0, 0, berlin)}
	s := startServiceAt(t, clk)
	var got closesWorkshop
	s.must(request{method: "POST", path: "/api/v1/workshops", token: org, body: map[string]any{
		"title": "Herbstwerkstatt", "venue": "Kassel", "days": []string{day1, day2}, "capacity": 10,
		"registration_closes": "2037-11-10T18:00:00+01:00"}}, 201, &got)
	closes := time.Date(2037, 11, 10, 18, 0, 0, 0, berlin)
	if at, err := time.Parse(time.RFC3339, got.RegistrationCloses); err != nil || !at.Equal(closes) || !got.RegistrationOpen {
		t.Errorf("scheduled: %+v, want closes %v, open", got, closes)
	}
	path := "/api/v1/workshops/" + got.ID
	got = closesWorkshop{}
	s.must(request{method: "GET", path: path}, 200, &got)
	if at, err := time.Parse(time.RFC3339, got.RegistrationCloses); err != nil || !at.Equal(closes) || !got.RegistrationOpen {
		t.Errorf("read back: %+v, want closes %v, open", got, closes)
	}
	// The same instant again (in UTC) changes nothing.
	seq := s.lastSeq()
	s.must(request{method: "PATCH", path: path, token: org, body: map[string]any{"registration_closes": "2037-11-10T17:00:00Z"}}, 200, nil)
	if s.lastSeq() != seq {
		t.Errorf("setting the same closing time again appended events")
	}

	// A minute before closing, registration is open.
	clk.set(closes.Add(-time.Minute))
	s.must(request{method: "POST", path: path + "/registrations", body: person("Alice", "Stadtwerke")}, 201, nil)

	// At the closing time it is closed.
	clk.set(closes)
	seq = s.lastSeq()
	p := problemOf(t, s.do(request{method: "POST", path: path + "/registrations", body: person("Bob", "Landkreis")}), 409)
	if p.Type != "urn:werkstatt:problem:registration-closed" {
		t.Errorf("registration after closing: got type %q, want urn:werkstatt:problem:registration-closed", p.Type)
	}
	if s.lastSeq() != seq {
		t.Errorf("a refused registration appended events")
	}
	got = closesWorkshop{}
	s.must(request{method: "GET", path: path}, 200, &got)
	if got.RegistrationOpen {
		t.Errorf("after closing: %+v, want registration_open false", got)
	}

	// Moved later, registration is open again.
	got = closesWorkshop{}
	s.must(request{method: "PATCH", path: path, token: org, body: map[string]any{"registration_closes": "2037-11-12T09:00:00+01:00"}}, 200, &got)
	if !got.RegistrationOpen || got.RegistrationCloses == "" {
		t.Errorf("after moving: %+v, want a closing time, open", got)
	}
	s.must(request{method: "POST", path: path + "/registrations", body: person("Bob", "Landkreis")}, 201, nil)

	// Cleared (null, or ""), registration is open until the last day.
	for _, clear := range []any{nil, ""} {
		clk.set(time.Date(2037, 11, 12, 10, 0, 0, 0, berlin))
		s.must(request{method: "PATCH", path: path, token: org, body: map[string]any{"registration_closes": "2037-11-12T09:00:00+01:00"}}, 200, nil)
		got = closesWorkshop{}
		s.must(request{method: "PATCH", path: path, token: org, body: map[string]any{"registration_closes": clear}}, 200, &got)
		if got.RegistrationCloses != "" || !got.RegistrationOpen {
			t.Errorf("after clearing with %v: %+v, want no closing time, open", clear, got)
		}
	}
	s.must(request{method: "POST", path: path + "/registrations", body: person("Carol", "Landkreis")}, 201, nil)

	// After the workshop's last day (Berlin time), registration is closed without a closing time too.
	clk.set(time.Date(2037, 11, 18, 0, 30, 0, 0, berlin))
	p = problemOf(t, s.do(request{method: "POST", path: path + "/registrations", body: person("Dora", "Landkreis")}), 409)
	if p.Type != "urn:werkstatt:problem:registration-closed" {
		t.Errorf("registration after the last day: got type %q, want registration-closed", p.Type)
	}
}

// TestRegistrationClosesRejections: hostile or wrong input names the field and appends nothing.
func TestRegistrationClosesRejections(t *testing.T) {
	s := startService(t)
	w := s.schedule(10)
	path := "/api/v1/workshops/" + w.ID
	seq := s.lastSeq()
	for _, tc := range []struct {
		body   any
		status int
		field  string
	}{
		{map[string]any{"registration_closes": "2037-11-18T00:00:01+01:00"}, 422, "registration_closes"}, // after the last day
		{map[string]any{"registration_closes": "2037-11-17T23:30:00Z"}, 422, "registration_closes"},      // after it in Berlin
		{map[string]any{"registration_closes": "15.03.2027 18:00"}, 422, "registration_closes"},
		{map[string]any{"registration_closes": "2037-11-10"}, 422, "registration_closes"},
		{map[string]any{"registration_closes": "2037-11-10T18:00:00"}, 422, "registration_closes"},
		{map[string]any{"registration_closes": "2037-02-30T18:00:00Z"}, 422, "registration_closes"},
		{map[string]any{"registration_closes": 20371110}, 400, "registration_closes"},
		{`{"registration_closes": "2037-11-10T18:00:00Z"`, 400, ""},
	} {
		p := problemOf(t, s.do(request{method: "PATCH", path: path, token: org, body: tc.body}), tc.status)
		if tc.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != tc.field) {
			t.Errorf("body %v: got errors %+v, want one on %s", tc.body, p.Errors, tc.field)
		}
	}
	for _, closes := range []any{"morgen", "2037-11-18T00:00:01+01:00", 1} {
		p := problemOf(t, s.do(request{method: "POST", path: "/api/v1/workshops", token: org, body: map[string]any{
			"title": "Herbstwerkstatt", "venue": "Kassel", "days": []string{day1, day2}, "capacity": 10,
			"registration_closes": closes}}), map[bool]int{true: 400, false: 422}[closes == 1])
		if len(p.Errors) == 0 || p.Errors[0].Field != "registration_closes" {
			t.Errorf("POST with registration_closes %v: got errors %+v, want one on registration_closes", closes, p.Errors)
		}
	}
	problemOf(t, s.do(request{method: "PATCH", path: path, body: map[string]any{"registration_closes": ""}}), 401)
	if s.lastSeq() != seq {
		t.Errorf("rejected requests appended events")
	}
}
