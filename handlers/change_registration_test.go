package handlers_test

import (
	"reflect"
	"slices"
	"testing"
	"time"
)

func TestChangeRegistration(t *testing.T) {
	s := startService(t)
	w := s.schedule(1)
	path := "/api/v1/workshops/" + w.ID + "/registrations/"

	aliceBody := person("Alice", "Stadtwerke")
	aliceBody["days"] = []string{day1}
	alice := s.register(w, aliceBody)
	bobBody := person("Bob", "Landkreis")
	bobBody["days"], bobBody["photo_consent"] = []string{day2}, true
	bob := s.register(w, bobBody)
	carol := s.register(w, person("Carol", "Landkreis")) // both days: waits
	if alice.Status != "confirmed" || bob.Status != "confirmed" || carol.Status != "waitlisted" {
		t.Fatalf("registrations: got %s, %s, %s; want confirmed, confirmed, waitlisted", alice.Status, bob.Status, carol.Status)
	}

	// The participant changes dietary needs and overnight stay with their own token.
	var got registration
	s.must(request{method: "PATCH", path: path + alice.ID, token: alice.Token,
		body: map[string]any{"dietary": " vegetarisch ", "overnight": true}}, 200, &got)
	if got.Dietary != "vegetarisch" || !got.Overnight || got.Status != "confirmed" || !slices.Equal(got.Days, []string{day1}) ||
		got.PhotoConsent {
		t.Errorf("after the participant's change: got %+v", got)
	}
	// Photo consent: given at registration (Bob), given later alone (Alice), withdrawn; the
	// dietary needs stay.
	var bobs registration
	s.must(request{method: "GET", path: path + bob.ID, token: org}, 200, &bobs)
	if !bobs.PhotoConsent {
		t.Errorf("Bob registered consenting to photos: got %+v", bobs)
	}
	s.must(request{method: "PATCH", path: path + alice.ID, token: alice.Token, body: map[string]any{"photo_consent": true}}, 200, &got)
	if !got.PhotoConsent || got.Dietary != "vegetarisch" {
		t.Errorf("after consenting to photos: got %+v, want consent and still vegetarisch", got)
	}
	s.must(request{method: "PATCH", path: path + bob.ID, token: bob.Token, body: map[string]any{"photo_consent": false}}, 200, &bobs)
	if bobs.PhotoConsent {
		t.Errorf("after Bob withdrew photo consent: got %+v", bobs)
	}
	if p := problemOf(t, s.do(request{method: "PATCH", path: path + alice.ID, token: alice.Token,
		body: `{"photo_consent": null}`}), 422); !namesField(p, "photo_consent") {
		t.Errorf("photo_consent null: got %+v, want photo_consent named", p)
	}

	// Adding a full day puts Alice on its waitlist, behind Carol; she keeps her seat on day 1
	// (issue #14). She takes the day back off.
	var both dayStatusJSON
	s.must(request{method: "PATCH", path: path + alice.ID, token: alice.Token,
		body: map[string]any{"days": []string{day1, day2}}}, 200, &both)
	if want := map[string]string{day1: "confirmed", day2: "waitlisted"}; both.Status != "confirmed" ||
		!reflect.DeepEqual(both.DayStatus, want) || !reflect.DeepEqual(both.WaitlistPositions, map[string]int{day2: 2}) {
		t.Errorf("adding a full day: got %+v, want %v, second on day 2", both, want)
	}
	s.must(request{method: "PATCH", path: path + alice.ID, token: alice.Token, body: map[string]any{"days": []string{day1}}}, 200, nil)

	// Invalid values name the field; unknown fields are a bad request.
	if p := problemOf(t, s.do(request{method: "PATCH", path: path + alice.ID, token: alice.Token,
		body: map[string]any{"days": []string{"2041-01-01"}}}), 422); !namesField(p, "days") {
		t.Errorf("a day not of the workshop: got %+v, want days named", p)
	}
	problemOf(t, s.do(request{method: "PATCH", path: path + alice.ID, token: alice.Token, body: `{"name": "Eve"}`}), 400)

	// Another participant's token is refused.
	problemOf(t, s.do(request{method: "PATCH", path: path + alice.ID, token: bob.Token, body: map[string]any{"overnight": false}}), 403)

	// Days must not be empty, not even for the organiser.
	if p := problemOf(t, s.do(request{method: "PATCH", path: path + alice.ID, token: org,
		body: map[string]any{"days": []string{}}}), 422); !namesField(p, "days") {
		t.Errorf("no days: got %+v, want days named", p)
	}

	// Bob cancels: Carol, first waiting for day 2, gets its seat and keeps waiting for day 1.
	// The organiser moves Alice to day 2: her day 1 seat goes to Carol, and Alice waits for
	// day 2. Carol takes herself down to day 1: her day 2 seat goes to Alice.
	s.must(request{method: "DELETE", path: path + bob.ID, token: bob.Token}, 204, nil)
	var c dayStatusJSON
	s.must(request{method: "GET", path: path + carol.ID, token: carol.Token}, 200, &c)
	if want := map[string]string{day1: "waitlisted", day2: "confirmed"}; c.Status != "confirmed" || !reflect.DeepEqual(c.DayStatus, want) {
		t.Errorf("Carol after Bob cancelled: got %+v, want %v", c, want)
	}
	s.must(request{method: "PATCH", path: path + alice.ID, token: org, body: map[string]any{"days": []string{day2}}}, 200, &got)
	if got.Status != "waitlisted" || !slices.Equal(got.Days, []string{day2}) || got.Dietary != "vegetarisch" {
		t.Errorf("after the organiser's change: got %+v, want waiting for day 2", got)
	}
	c = dayStatusJSON{}
	s.must(request{method: "PATCH", path: path + carol.ID, token: carol.Token, body: map[string]any{"days": []string{day1}}}, 200, &c)
	if c.Status != "confirmed" || c.WaitlistPosition != 0 || !reflect.DeepEqual(c.DayStatus, map[string]string{day1: "confirmed"}) {
		t.Errorf("Carol on day 1 only: got %+v, want confirmed on day 1", c)
	}
	s.must(request{method: "GET", path: path + alice.ID, token: org}, 200, &got)
	if got.Status != "confirmed" {
		t.Errorf("Alice after Carol gave up day 2: got %s, want confirmed", got.Status)
	}

	// A cancelled registration cannot be changed.
	p := problemOf(t, s.do(request{method: "PATCH", path: path + bob.ID, token: org, body: map[string]any{"overnight": true}}), 409)
	if p.Type != "urn:werkstatt:problem:registration-cancelled" {
		t.Errorf("changing a cancelled registration: got type %q", p.Type)
	}
}

// TestChangeRegistrationPromotes: a confirmed person who gives up a day frees its seat for the
// first waiter who fits, in the same decision.
func TestChangeRegistrationPromotes(t *testing.T) {
	s := startService(t)
	w := s.schedule(1)
	path := "/api/v1/workshops/" + w.ID + "/registrations/"
	alice := s.register(w, person("Alice", "Stadtwerke"))
	bobBody := person("Bob", "Landkreis")
	bobBody["days"] = []string{day2}
	bob := s.register(w, bobBody)
	if bob.Status != "waitlisted" {
		t.Fatalf("Bob: got %s, want waitlisted", bob.Status)
	}
	s.must(request{method: "PATCH", path: path + alice.ID, token: alice.Token, body: map[string]any{"days": []string{day1}}}, 200, nil)
	var b registration
	s.must(request{method: "GET", path: path + bob.ID, token: bob.Token}, 200, &b)
	if b.Status != "confirmed" {
		t.Errorf("Bob after Alice gave up day 2: got %s, want confirmed", b.Status)
	}
	var a attendance
	s.must(request{method: "GET", path: "/api/v1/workshops/" + w.ID + "/attendance", token: org}, 200, &a)
	if a.Confirmed != 2 || a.Waitlisted != 0 {
		t.Errorf("attendance: got %+v, want 2 confirmed, none waiting", a)
	}
}

// TestChangeRegistrationAfterClosing: the participant may not change after registration
// closed; the organiser may.
func TestChangeRegistrationAfterClosing(t *testing.T) {
	clk := &appClock{now: time.Date(2037, 11, 10, 12, 0, 0, 0, time.UTC)}
	s := startServiceAt(t, clk)
	var w closesWorkshop
	s.must(request{method: "POST", path: "/api/v1/workshops", token: org, body: map[string]any{
		"title": "Herbstwerkstatt", "venue": "Kassel", "days": []string{day1, day2}, "capacity": 10,
		"registration_closes": "2037-11-10T18:00:00Z"}}, 201, &w)
	var alice registered
	s.must(request{method: "POST", path: "/api/v1/workshops/" + w.ID + "/registrations", body: person("Alice", "Stadtwerke")}, 201, &alice)
	clk.set(time.Date(2037, 11, 10, 18, 0, 0, 0, time.UTC))
	path := "/api/v1/workshops/" + w.ID + "/registrations/" + alice.ID
	p := problemOf(t, s.do(request{method: "PATCH", path: path, token: alice.Token, body: map[string]any{"days": []string{day1}}}), 409)
	if p.Type != "urn:werkstatt:problem:registration-closed" {
		t.Errorf("participant after closing: got type %q, want registration-closed", p.Type)
	}
	var got registration
	s.must(request{method: "PATCH", path: path, token: org, body: map[string]any{"days": []string{day1}}}, 200, &got)
	if !slices.Equal(got.Days, []string{day1}) {
		t.Errorf("organiser after closing: got %+v", got)
	}
}

func namesField(p problem, field string) bool {
	return slices.ContainsFunc(p.Errors, func(e struct{ Field, Detail string }) bool { return e.Field == field })
}
