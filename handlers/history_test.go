package handlers_test

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

type historyEntry struct {
	Seq   uint64    `json:"seq"`
	At    time.Time `json:"at"`
	Type  string    `json:"type"`
	Actor struct {
		ID   *string `json:"id"`
		Name *string `json:"name"`
		Role string  `json:"role"`
	} `json:"actor"`
}

func TestWorkshopHistory(t *testing.T) {
	s := startService(t)
	w := s.schedule(2)
	path := "/api/v1/workshops/" + w.ID
	s.must(request{method: "PATCH", path: path, token: org, body: map[string]any{"capacity": 40}}, 200, nil)
	alice := s.register(w, person("Alice", "Stadtwerke"))
	bob := s.register(w, person("Bob", "Landkreis"))
	s.must(request{method: "DELETE", path: path + "/registrations/" + alice.ID, token: alice.Token}, 204, nil)

	history := func(query string) []historyEntry {
		t.Helper()
		var h []historyEntry
		s.must(request{method: "GET", path: path + "/history" + query, token: org}, 200, &h)
		return h
	}
	h := history("")
	var types []string
	for i, e := range h {
		types = append(types, e.Type)
		if i > 0 && e.Seq < h[i-1].Seq {
			t.Errorf("entry %d: seq %d after %d, want oldest first", i, e.Seq, h[i-1].Seq)
		}
	}
	want := []string{"workshop.scheduled.v1", "workshop.changed.v1", "participant.registered.v1", "registration.confirmed.v1",
		"participant.registered.v1", "registration.confirmed.v1", "registration.cancelled.v1"}
	if !slices.Equal(types, want) {
		t.Fatalf("types: got %v, want %v", types, want)
	}
	if a := h[0].Actor; a.Role != "organiser" || a.ID != nil || a.Name != nil {
		t.Errorf("scheduling's actor: got %+v, want the organiser without id and name", a)
	}
	if a := h[2].Actor; a.Role != "public" || a.ID != nil || a.Name != nil || h[2].Seq != h[3].Seq {
		t.Errorf("registration's actor: got %+v (seq %d, %d), want the public, one decision", a, h[2].Seq, h[3].Seq)
	}
	cancelled := h[6].Actor
	if cancelled.Role != "participant" || cancelled.ID == nil || *cancelled.ID != alice.ID || cancelled.Name == nil || *cancelled.Name != "Alice" {
		t.Errorf("cancellation's actor: got %+v, want participant %s named Alice", cancelled, alice.ID)
	}

	// Pages end at a whole decision.
	page := history("?after_seq=" + strconv.FormatUint(h[1].Seq, 10) + "&limit=1")
	if len(page) != 2 || page[0].Seq != h[2].Seq || page[1].Seq != h[2].Seq {
		t.Errorf("page after %d limit 1: got %+v, want the two events of the decision %d", h[1].Seq, page, h[2].Seq)
	}

	// Erased: the name is gone, the fact stays.
	s.must(request{method: "DELETE", path: path + "/registrations/" + alice.ID + "/personal-data", token: org}, 204, nil)
	h = history("")
	if a := h[6].Actor; a.Role != "participant" || a.ID == nil || *a.ID != alice.ID || a.Name != nil {
		t.Errorf("cancellation's actor after erasing Alice: got %+v, want participant %s with name null", a, alice.ID)
	}
	if last := h[len(h)-1]; last.Type != "registration.personal_data_erased.v1" || last.Actor.Role != "organiser" {
		t.Errorf("last entry: got %+v, want the organiser's erasure", last)
	}

	// A signed-in person acting in a role (the log's "account:<id>:<role>"): without
	// app.Config.AccountNames nobody can tell the name.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := s.events.Update(ctx, domain.WorkshopID(w.ID), domain.Meta{Actor: app.ActorAccount("acc-1", "door"), At: time.Now()},
		func(ws domain.Workshop) ([]domain.Event, error) {
			return ws.CheckIn(domain.CheckInParticipant{RegistrationID: domain.RegistrationID(bob.ID), Day: day1})
		}); err != nil {
		t.Fatalf("check Bob in as a door account: %v", err)
	}
	h = history("")
	if last := h[len(h)-1]; last.Type != "checkin.recorded.v1" || last.Actor.Role != "door" || last.Actor.ID == nil ||
		*last.Actor.ID != "acc-1" || last.Actor.Name != nil {
		t.Errorf("check-in by a door account: got %+v, want role door, id acc-1, name null", last)
	}

	for _, c := range []struct {
		r      request
		status int
	}{
		{request{method: "GET", path: path + "/history"}, 401},
		{request{method: "GET", path: path + "/history", token: alice.Token}, 403},
		{request{method: "GET", path: "/api/v1/workshops/01JUNKNOWNWORKSHOP00000000/history", token: org}, 404},
		{request{method: "GET", path: path + "/history?limit=0", token: org}, 400},
		{request{method: "GET", path: path + "/history?after_seq=-1", token: org}, 400},
	} {
		if res := s.do(c.r); res.status != c.status || res.header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("GET %s (token %q): got %d %s, want a %d problem", c.r.path, c.r.token, res.status, res.body, c.status)
		}
	}
}

// as_of answers the list as it stood, and agrees with the domain's own fold of the same log.
func TestRegistrationsAsOf(t *testing.T) {
	s := startService(t)
	w := s.schedule(2)
	path := "/api/v1/workshops/" + w.ID
	alice := s.register(w, person("Alice", "Stadtwerke"))
	s.register(w, person("Bob", "Landkreis"))
	carol := s.register(w, person("Carol", "Landkreis"))
	if carol.Status != "waitlisted" {
		t.Fatalf("Carol: got %s, want waitlisted", carol.Status)
	}
	time.Sleep(20 * time.Millisecond)
	deadline := time.Now()
	time.Sleep(20 * time.Millisecond)
	s.register(w, person("Dora", "Stadtwerke"))
	s.must(request{method: "DELETE", path: path + "/registrations/" + alice.ID, token: org}, 204, nil)

	type listed struct {
		ID        string            `json:"id"`
		Name      string            `json:"name"`
		Status    string            `json:"status"`
		DayStatus map[string]string `json:"day_status"`
	}
	list := func(at time.Time) map[string]listed {
		t.Helper()
		var l struct{ Registrations []listed }
		s.must(request{method: "GET", path: path + "/registrations?as_of=" + url.QueryEscape(at.Format(time.RFC3339Nano)), token: org}, 200, &l)
		out := map[string]listed{}
		for _, r := range l.Registrations {
			out[r.ID] = r
		}
		return out
	}
	then := list(deadline)
	var names []string
	for _, r := range then {
		names = append(names, r.Name+" "+r.Status)
	}
	slices.Sort(names)
	if want := []string{"Alice confirmed", "Bob confirmed", "Carol waitlisted"}; !slices.Equal(names, want) {
		t.Errorf("registrations as of the deadline: got %v, want %v", names, want)
	}

	// The domain's fold of the same log up to the same time says the same.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	recs, err := s.events.Recorded(ctx, domain.WorkshopID(w.ID))
	if err != nil {
		t.Fatalf("Recorded: %v", err)
	}
	var folded domain.Workshop
	for _, r := range recs {
		if !r.At.After(deadline) {
			folded = folded.Evolve(r.Event)
		}
	}
	if len(folded.Registrations) != len(then) {
		t.Errorf("domain fold: %d registrations, as_of: %d", len(folded.Registrations), len(then))
	}
	for id, r := range folded.Registrations {
		got, ok := then[string(id)]
		if !ok || got.Status != string(r.Status) || len(got.DayStatus) != len(r.DayStatus) {
			t.Errorf("registration %s: as_of says %+v, domain fold %s %v", id, got, r.Status, r.DayStatus)
			continue
		}
		for d, st := range r.DayStatus {
			if got.DayStatus[string(d)] != string(st) {
				t.Errorf("registration %s on %s: as_of says %s, domain fold %s", id, d, got.DayStatus[string(d)], st)
			}
		}
	}

	// Now is the list as it is.
	var current struct{ Registrations []listed }
	s.must(request{method: "GET", path: path + "/registrations", token: org}, 200, &current)
	now := list(time.Now())
	if len(now) != len(current.Registrations) || now[alice.ID].Status != "cancelled" || now[carol.ID].Status != "confirmed" {
		t.Errorf("as of now: got %+v, want the current list %+v", now, current.Registrations)
	}

	var a attendance
	s.must(request{method: "GET", path: path + "/attendance?as_of=" + url.QueryEscape(deadline.Format(time.RFC3339Nano)), token: org}, 200, &a)
	if a.Confirmed != 2 || a.Waitlisted != 1 || a.Cancelled != 0 {
		t.Errorf("attendance as of the deadline: got %+v, want 2 confirmed, 1 waitlisted, none cancelled", a)
	}
	q := "?as_of=" + url.QueryEscape(deadline.Format(time.RFC3339Nano))
	for _, r := range []string{"/reports/attendance", "/reports/attendance.csv", "/reports/attendance.pdf"} {
		s.must(request{method: "GET", path: path + r + q, token: org}, 200, nil)
	}

	for _, c := range []struct {
		asOf   string
		status int
	}{
		{"yesterday", 400},
		{"2027-03-15", 400},
		{time.Now().Add(time.Hour).Format(time.RFC3339), 400},
		{time.Now().Add(-24 * time.Hour).Format(time.RFC3339), 404}, // the workshop did not exist then
	} {
		for _, r := range []string{"/registrations", "/attendance", "/reports/attendance"} {
			res := s.do(request{method: "GET", path: path + r + "?as_of=" + url.QueryEscape(c.asOf), token: org})
			if res.status != c.status || res.header.Get("Content-Type") != "application/problem+json" ||
				(c.status == 400 && !strings.Contains(string(res.body), "as_of")) {
				t.Errorf("GET %s?as_of=%s: got %d %s, want a %d problem naming as_of", r, c.asOf, res.status, res.body, c.status)
			}
		}
	}
}
