package handlers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// TestRegisterByHand: after the closing time the public's registration is refused (409
// registration-closed) while the organiser's, on the same route with the organiser's token,
// registers the person by hand: 201 with the personal token, the organiser as the actor in the
// log. Consent (the organiser's word that the person agreed) is still required.
func TestRegisterByHand(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	clk := &appClock{now: time.Date(2037, 11, 10, 12, 0, 0, 0, berlin)}
	s := startServiceAt(t, clk)
	var w closesWorkshop
	s.must(request{method: "POST", path: "/api/v1/workshops", token: org, body: map[string]any{
		"title": "Herbstwerkstatt", "venue": "Kassel", "days": []string{day1, day2}, "capacity": 10,
		"registration_closes": "2037-11-10T18:00:00+01:00"}}, 201, &w)
	path := "/api/v1/workshops/" + w.ID + "/registrations"
	clk.set(time.Date(2037, 11, 11, 9, 0, 0, 0, berlin))

	seq := s.lastSeq()
	if p := problemOf(t, s.do(request{method: "POST", path: path, body: person("Bob", "Landkreis")}), 409); p.Type != "urn:werkstatt:problem:registration-closed" {
		t.Errorf("the public after closing: got type %q, want registration-closed", p.Type)
	}
	noConsent := person("Bob", "Landkreis")
	noConsent["consent"] = false
	if p := problemOf(t, s.do(request{method: "POST", path: path, token: org, body: noConsent}), 422); !namesField(p, "consent") {
		t.Errorf("by hand without consent: got %+v, want consent named", p)
	}
	if s.lastSeq() != seq {
		t.Errorf("refused registrations appended events")
	}

	var r registered
	res := s.must(request{method: "POST", path: path, token: org, body: person("Bob", "Landkreis")}, 201, &r)
	if r.ID == "" || r.Token == "" || r.Status != "confirmed" {
		t.Errorf("by hand: got %+v, want an id, a token and confirmed", r)
	}
	if loc := res.header.Get("Location"); !strings.HasSuffix(loc, "/"+r.ID) {
		t.Errorf("by hand: Location %q, want it to end in the registration's id", loc)
	}
	if got := s.actorOf(r.ID); got != "organiser" {
		t.Errorf("the log's actor of the registration by hand: got %q, want organiser", got)
	}
	// The personal token opens the registration, as after a public registration.
	s.must(request{method: "GET", path: path + "/" + r.ID, token: r.Token}, 200, nil)

	// After the workshop's last day too.
	clk.set(time.Date(2037, 11, 20, 9, 0, 0, 0, berlin))
	problemOf(t, s.do(request{method: "POST", path: path, body: person("Carol", "Landkreis")}), 409)
	s.must(request{method: "POST", path: path, token: org, body: person("Carol", "Landkreis")}, 201, nil)
}

// actorOf returns the actor the log records for the registration of rid.
func (s *service) actorOf(rid string) string {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	actor := ""
	err := s.events.Replay(ctx, 0, func(batch []domain.Recorded) error {
		for _, e := range batch {
			if p, ok := e.Event.(domain.ParticipantRegistered); ok && string(p.RegistrationID) == rid {
				actor = e.Actor
			}
		}
		return nil
	})
	if err != nil {
		s.t.Fatalf("replay: %v", err)
	}
	return actor
}

// lastActor returns the actor the log records for its last event.
func (s *service) lastActor() string {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	actor := ""
	if err := s.events.Replay(ctx, 0, func(batch []domain.Recorded) error {
		if len(batch) > 0 {
			actor = batch[len(batch)-1].Actor
		}
		return nil
	}); err != nil {
		s.t.Fatalf("replay: %v", err)
	}
	return actor
}
