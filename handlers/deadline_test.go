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

type deadlineWorkshop struct {
	ID                   string `json:"id"`
	RegistrationDeadline string `json:"registration_deadline"`
	RegistrationOpen     bool   `json:"registration_open"`
}

// TestRegistrationDeadline sets a deadline, reads it back, registers before and after it, and
// clears it again; the app's appClock runs in Europe/Berlin.
func TestRegistrationDeadline(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	clk := &appClock{now: time.Date(2037, 11, 10, 12, 0, 0, 0, berlin)}
	s := startServiceAt(t, clk)
	w := s.schedule(10)
	path := "/api/v1/workshops/" + w.ID
	deadline := path + "/registration-deadline"

	var got deadlineWorkshop
	s.must(request{method: "PUT", path: deadline, token: org, body: map[string]any{"deadline": "2037-11-10"}}, 200, &got)
	if got.RegistrationDeadline != "2037-11-10" || !got.RegistrationOpen {
		t.Errorf("after setting: %+v, want deadline 2037-11-10, open", got)
	}
	got = deadlineWorkshop{}
	s.must(request{method: "GET", path: path}, 200, &got)
	if got.RegistrationDeadline != "2037-11-10" || !got.RegistrationOpen {
		t.Errorf("read back: %+v, want deadline 2037-11-10, open", got)
	}
	// The same deadline again changes nothing.
	seq := s.lastSeq()
	s.must(request{method: "PUT", path: deadline, token: org, body: map[string]any{"deadline": "2037-11-10"}}, 200, nil)
	if s.lastSeq() != seq {
		t.Errorf("setting the same deadline again appended events")
	}

	// The deadline is inclusive: late on its day (Berlin time) registration is still open.
	clk.set(time.Date(2037, 11, 10, 23, 30, 0, 0, berlin))
	s.must(request{method: "POST", path: path + "/registrations", body: person("Alice", "Stadtwerke")}, 201, nil)

	// Half an hour later it is the next day in Berlin (still the 10th in UTC): closed.
	clk.set(time.Date(2037, 11, 11, 0, 30, 0, 0, berlin))
	seq = s.lastSeq()
	p := problemOf(t, s.do(request{method: "POST", path: path + "/registrations", body: person("Bob", "Landkreis")}), 409)
	if p.Type != "urn:werkstatt:problem:registration-closed" {
		t.Errorf("registration after the deadline: got type %q, want urn:werkstatt:problem:registration-closed", p.Type)
	}
	if s.lastSeq() != seq {
		t.Errorf("a refused registration appended events")
	}
	got = deadlineWorkshop{}
	s.must(request{method: "GET", path: path}, 200, &got)
	if got.RegistrationOpen {
		t.Errorf("after the deadline: %+v, want registration_open false", got)
	}

	// Cleared, registration is open again until the last day.
	got = deadlineWorkshop{}
	s.must(request{method: "PUT", path: deadline, token: org, body: map[string]any{"deadline": ""}}, 200, &got)
	if got.RegistrationDeadline != "" || !got.RegistrationOpen {
		t.Errorf("after clearing: %+v, want no deadline, open", got)
	}
	s.must(request{method: "POST", path: path + "/registrations", body: person("Bob", "Landkreis")}, 201, nil)

	// After the workshop's last day, registration is closed without a deadline too.
	clk.set(time.Date(2037, 11, 18, 9, 0, 0, 0, berlin))
	p = problemOf(t, s.do(request{method: "POST", path: path + "/registrations", body: person("Carol", "Landkreis")}), 409)
	if p.Type != "urn:werkstatt:problem:registration-closed" {
		t.Errorf("registration after the last day: got type %q, want registration-closed", p.Type)
	}
}

// TestRegistrationDeadlineRejections: hostile or wrong input names the field and appends nothing.
func TestRegistrationDeadlineRejections(t *testing.T) {
	s := startService(t)
	w := s.schedule(10)
	deadline := "/api/v1/workshops/" + w.ID + "/registration-deadline"
	seq := s.lastSeq()
	for _, tc := range []struct {
		body   any
		status int
		field  string
	}{
		{map[string]any{"deadline": "2037-11-18"}, 422, "deadline"}, // after the last day
		{map[string]any{"deadline": "15.03.2027"}, 422, "deadline"},
		{map[string]any{"deadline": "2037-02-30"}, 422, "deadline"},
		{map[string]any{"deadline": nil}, 422, "deadline"},
		{map[string]any{}, 422, "deadline"},
		{map[string]any{"deadline": 20371110}, 400, "deadline"},
		{map[string]any{"deadline": "2037-11-10", "extra": 1}, 400, "extra"},
		{`{"deadline": "2037-11-10"`, 400, ""},
	} {
		p := problemOf(t, s.do(request{method: "PUT", path: deadline, token: org, body: tc.body}), tc.status)
		if tc.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != tc.field) {
			t.Errorf("body %v: got errors %+v, want one on %s", tc.body, p.Errors, tc.field)
		}
	}
	problemOf(t, s.do(request{method: "PUT", path: deadline, body: map[string]any{"deadline": ""}}), 401)
	problemOf(t, s.do(request{method: "PUT", path: "/api/v1/workshops/NOSUCH/registration-deadline", token: org,
		body: map[string]any{"deadline": ""}}), 404)
	if s.lastSeq() != seq {
		t.Errorf("rejected requests appended events")
	}
}
