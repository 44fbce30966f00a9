package handlers_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// problemOf checks that res is a complete application/problem+json answer with status.
func problemOf(t *testing.T, res response, status int) problem {
	t.Helper()
	if res.status != status {
		t.Fatalf("got status %d %s, want %d", res.status, res.body, status)
	}
	if ct := res.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("got Content-Type %q, want application/problem+json", ct)
	}
	var p problem
	if err := json.Unmarshal(res.body, &p); err != nil {
		t.Fatalf("problem %s: %v", res.body, err)
	}
	if p.Type == "" || p.Title == "" || p.Status != status || p.Detail == "" || p.Instance == "" {
		t.Fatalf("got problem %s, want type, title, status %d, detail and instance", res.body, status)
	}
	return p
}

// TestRejections walks every rejection the API promises, over HTTP, and checks that none of
// them appends an event.
func TestRejections(t *testing.T) {
	s := startService(t)
	w := s.schedule(2)
	path := "/api/v1/workshops/" + w.ID
	var keynote session
	s.must(request{method: "POST", path: path + "/sessions", token: org, body: map[string]any{"title": "Keynote", "kind": "keynote",
		"day": day1, "starts": "09:00", "ends": "10:00", "room": "A"}}, 201, &keynote)
	alice := s.register(w, person("Alice", "Stadtwerke"))
	s.register(w, person("Carol", "Landkreis"))
	bob := s.register(w, person("Bob", "Stadtwerke")) // waitlisted
	dave := s.register(w, person("Dave", "Landkreis"))
	s.must(request{method: "DELETE", path: path + "/registrations/" + dave.ID, token: dave.Token}, 204, nil)

	regs := path + "/registrations"
	tests := []struct {
		name   string
		req    request
		status int
		typ    string // suffix of the problem type, if it matters
		field  string // the field errors must name, if any
	}{
		{"malformed JSON", request{method: "POST", path: regs, body: `{"name":`}, 400, "", ""},
		{"unknown field", request{method: "POST", path: regs, body: map[string]any{"name": "Eve", "nickname": "E"}}, 400, "", "nickname"},
		{"wrong type", request{method: "PATCH", path: path, token: org, body: map[string]any{"capacity": "3"}}, 400, "", "capacity"},
		{"query parameter missing", request{method: "DELETE", path: path + "/check-ins?registration_id=" + alice.ID, token: org}, 400, "", ""},
		{"idempotency key too long", request{method: "POST", path: regs, body: person("Eve", "X"),
			header: map[string]string{"Idempotency-Key": strings.Repeat("k", 201)}}, 400, "", ""},
		{"no token", request{method: "GET", path: regs}, 401, "", ""},
		{"no token for a registration", request{method: "GET", path: regs + "/" + alice.ID}, 401, "", ""},
		{"bad token", request{method: "PATCH", path: path, token: "guess", body: map[string]any{"capacity": 9}}, 401, "", ""},
		{"bad token for a registration", request{method: "DELETE", path: regs + "/" + alice.ID, token: "guess"}, 401, "", ""},
		{"participant reads another registration", request{method: "GET", path: regs + "/" + alice.ID, token: bob.Token}, 403, "", ""},
		{"participant cancels another registration", request{method: "DELETE", path: regs + "/" + alice.ID, token: bob.Token}, 403, "", ""},
		{"participant reads attendance", request{method: "GET", path: path + "/attendance", token: alice.Token}, 403, "", ""},
		{"participant lists registrations", request{method: "GET", path: regs, token: alice.Token}, 403, "", ""},
		{"participant changes the workshop", request{method: "PATCH", path: path, token: alice.Token, body: map[string]any{"capacity": 9}}, 403, "", ""},
		{"unknown workshop", request{method: "GET", path: "/api/v1/workshops/01KNOWN0000000000000000000"}, 404, "not-found", ""},
		{"register for an unknown workshop", request{method: "POST", path: "/api/v1/workshops/01KNOWN0000000000000000000/registrations",
			body: person("Eve", "X")}, 404, "not-found", ""},
		{"unknown registration", request{method: "GET", path: regs + "/01KNOWN0000000000000000000", token: org}, 404, "not-found", ""},
		{"unknown session", request{method: "PATCH", path: path + "/sessions/01KNOWN0000000000000000000", token: org,
			body: map[string]any{"title": "X"}}, 404, "not-found", ""},
		{"no such check-in", request{method: "DELETE", path: path + "/check-ins?registration_id=" + alice.ID + "&day=" + day1, token: org}, 404, "not-found", ""},
		{"unknown route", request{method: "GET", path: "/api/v1/speakers"}, 404, "", ""},
		{"wrong method", request{method: "PUT", path: path, token: org, body: map[string]any{}}, 405, "", ""},
		{"duplicate email", request{method: "POST", path: regs, body: map[string]any{"name": "Alice Again",
			"email": "  ALICE@example.org ", "organisation": "X", "consent": true}}, 409, "already-registered", ""},
		{"room overlap", request{method: "POST", path: path + "/sessions", token: org, body: map[string]any{"title": "Talk", "kind": "talk",
			"day": day1, "starts": "09:30", "ends": "10:30", "room": "A"}}, 409, "room-occupied", ""},
		{"capacity below confirmed", request{method: "PATCH", path: path, token: org, body: map[string]any{"capacity": 1}}, 409, "capacity-below-confirmed", ""},
		{"cancel twice", request{method: "DELETE", path: regs + "/" + dave.ID, token: dave.Token}, 409, "already-cancelled", ""},
		{"not JSON", request{method: "POST", path: regs, body: "name=Eve", header: map[string]string{"Content-Type": "text/plain"}}, 415, "", ""},
		{"JSON in UTF-16", request{method: "POST", path: regs, body: map[string]any{"name": "Eve"},
			header: map[string]string{"Content-Type": "application/json; charset=utf-16"}}, 415, "", ""},
		{"body too large", request{method: "POST", path: regs, body: map[string]any{"name": strings.Repeat("E", 70<<10)}}, 413, "", ""},
		{"consent false", request{method: "POST", path: regs, body: map[string]any{"name": "Eve", "email": "eve@example.org",
			"organisation": "X", "consent": false}}, 422, "invalid-fields", "consent"},
		{"bad day", request{method: "POST", path: "/api/v1/workshops", token: org, body: map[string]any{"title": "T", "venue": "V",
			"days": []string{"2026-13-01"}, "capacity": 1}}, 422, "invalid-fields", "days"},
		{"no days", request{method: "POST", path: "/api/v1/workshops", token: org, body: map[string]any{"title": "T", "venue": "V",
			"days": []string{}, "capacity": 1}}, 422, "invalid-fields", "days"},
		{"day not of the workshop", request{method: "POST", path: regs, body: map[string]any{"name": "Eve", "email": "eve@example.org",
			"organisation": "X", "days": []string{"2037-11-18"}, "consent": true}}, 422, "invalid-fields", "days"},
		{"unknown kind", request{method: "POST", path: path + "/sessions", token: org, body: map[string]any{"title": "Lunch", "kind": "lunch",
			"day": day1, "starts": "12:00", "ends": "13:00"}}, 422, "invalid-fields", "kind"},
		{"null title", request{method: "PATCH", path: path, token: org, body: map[string]any{"title": nil}}, 422, "invalid-fields", "title"},
		{"check-in of a waitlisted person", request{method: "POST", path: path + "/check-ins", token: org,
			body: map[string]any{"registration_id": bob.ID, "day": day1}}, 422, "not-confirmed", ""},
		{"check-in on another day", request{method: "POST", path: path + "/check-ins", token: org,
			body: map[string]any{"registration_id": alice.ID, "day": "2037-11-18"}}, 422, "invalid-fields", "day"},
		{"check-in without registration", request{method: "POST", path: path + "/check-ins", token: org,
			body: map[string]any{"day": day1}}, 422, "invalid-fields", "registration_id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := s.lastSeq()
			p := problemOf(t, s.do(tc.req), tc.status)
			if !strings.HasSuffix(p.Type, tc.typ) {
				t.Errorf("got type %q, want one ending in %q", p.Type, tc.typ)
			}
			if tc.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != tc.field) {
				t.Errorf("got errors %+v, want the field %q named", p.Errors, tc.field)
			}
			if p.Instance != strings.Split(tc.req.path, "?")[0] {
				t.Errorf("got instance %q, want the request's path", p.Instance)
			}
			if after := s.lastSeq(); after != before {
				t.Errorf("the stream moved from %d to %d: a rejected command appended events", before, after)
			}
		})
	}
}

// TestIdempotencyKey repeats POSTs with the same Idempotency-Key: each repeat answers exactly
// what the first did and appends nothing.
func TestIdempotencyKey(t *testing.T) {
	s := startService(t)
	key := map[string]string{"Idempotency-Key": "9f1c2d"}
	schedule := request{method: "POST", path: "/api/v1/workshops", token: org, header: key,
		body: map[string]any{"title": "T", "venue": "V", "days": []string{day1}, "capacity": 1}}
	first := s.must(schedule, 201, nil)
	seq := s.lastSeq()
	repeat := s.must(schedule, 201, nil)
	sameJSON(t, "repeated schedule", repeat.body, first.body)
	var w workshop
	if err := json.Unmarshal(first.body, &w); err != nil || len(w.ID) != 26 {
		t.Fatalf("workshop id derived from the key: got %q (%v), want 26 characters", w.ID, err)
	}
	path := "/api/v1/workshops/" + w.ID

	// The organiser's key scheduled the workshop: planning in it takes a key of its own.
	plan := request{method: "POST", path: path + "/sessions", token: org, header: map[string]string{"Idempotency-Key": "9f1c2e"},
		body: map[string]any{"title": "Talk", "kind": "talk", "day": day1, "starts": "10:00", "ends": "11:00"}}
	first = s.must(plan, 201, nil)
	seq = s.lastSeq()
	sameJSON(t, "repeated session", s.must(plan, 201, nil).body, first.body)

	register := request{method: "POST", path: path + "/registrations", header: key, body: person("Alice", "Stadtwerke")}
	first = s.must(register, 201, nil)
	seq = s.lastSeq()
	for range 2 {
		repeat = s.must(register, 201, nil)
		if string(repeat.body) != string(first.body) {
			t.Errorf("repeated registration: got %s, want the identical %s", repeat.body, first.body)
		}
	}
	if got := s.lastSeq(); got != seq {
		t.Errorf("repeats moved the stream from %d to %d", seq, got)
	}
	// Without the key the same person is a second registration: refused.
	problemOf(t, s.do(request{method: "POST", path: path + "/registrations", body: person("Alice", "Stadtwerke")}), http.StatusConflict)

	var list struct{ Registrations []registration }
	s.must(request{method: "GET", path: path + "/registrations", token: org}, 200, &list)
	var workshops struct{ Workshops []workshop }
	s.must(request{method: "GET", path: "/api/v1/workshops"}, 200, &workshops)
	if len(list.Registrations) != 1 || len(workshops.Workshops) != 1 || len(workshops.Workshops[0].Agenda) != 1 {
		t.Errorf("after repeats: got %d registrations, %d workshops, agenda %v; want one of each",
			len(list.Registrations), len(workshops.Workshops), workshops.Workshops)
	}
	// The token handed out again still opens the registration.
	var r registered
	if err := json.Unmarshal(first.body, &r); err != nil {
		t.Fatal(err)
	}
	var own registration
	s.must(request{method: "GET", path: path + "/registrations/" + r.ID, token: r.Token}, 200, &own)
	if !reflect.DeepEqual(own.Days, []string{day1}) || own.Name != "Alice" {
		t.Errorf("registration opened with the repeated token: got %+v", own)
	}
}
