package handlers_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/werkstatt/werkstatt/domain"
)

type dayStatusJSON struct {
	ID                string            `json:"id"`
	Status            string            `json:"status"`
	DayStatus         map[string]string `json:"day_status"`
	WaitlistPositions map[string]int    `json:"waitlist_positions"`
	WaitlistPosition  int               `json:"waitlist_position"`
	Token             string            `json:"token"`
}

// TestDayStatus: a person asking for both days while only day2 is full is confirmed on day1
// and waits for day2; the answer, GET and the list say so per day (issue #14).
func TestDayStatus(t *testing.T) {
	s := startService(t)
	w := s.schedule(1)
	base := "/api/v1/workshops/" + w.ID + "/registrations"
	ada := person("Ada", "Verein A")
	ada["days"] = []string{day2}
	s.register(w, ada)
	var got dayStatusJSON
	s.must(request{method: "POST", path: base, body: person("Bob", "Verein B")}, 201, &got)
	wantDays := map[string]string{day1: "confirmed", day2: "waitlisted"}
	if got.Status != "confirmed" || !reflect.DeepEqual(got.DayStatus, wantDays) ||
		!reflect.DeepEqual(got.WaitlistPositions, map[string]int{day2: 1}) || got.WaitlistPosition != 1 {
		t.Errorf("registration answer %+v, want confirmed, %v, waiting first on %s", got, wantDays, day2)
	}
	var one dayStatusJSON
	s.must(request{method: "GET", path: base + "/" + got.ID, token: got.Token}, 200, &one)
	if one.Status != "confirmed" || !reflect.DeepEqual(one.DayStatus, wantDays) || !reflect.DeepEqual(one.WaitlistPositions, map[string]int{day2: 1}) {
		t.Errorf("GET registration %+v, want %v at 1 on %s", one, wantDays, day2)
	}
	var list struct{ Registrations []dayStatusJSON }
	s.must(request{method: "GET", path: base, token: org}, 200, &list)
	if i := slices.IndexFunc(list.Registrations, func(r dayStatusJSON) bool { return r.ID == got.ID }); i < 0 ||
		!reflect.DeepEqual(list.Registrations[i].DayStatus, wantDays) {
		t.Errorf("list %+v, want Bob with %v", list.Registrations, wantDays)
	}
	// Bob is not confirmed on day2: no check-in there.
	problemOf(t, s.do(request{method: "POST", path: "/api/v1/workshops/" + w.ID + "/check-ins", token: org,
		body: map[string]any{"registration_id": got.ID, "day": day2}}), 422)
}

// TestAdmissions admits at the door a person whom a log of before per-day waitlists left
// waiting on both days although day1 had a seat, and refuses every other admission precisely.
func TestAdmissions(t *testing.T) {
	s := startService(t)
	id := domain.WorkshopID(ulid.Make().String())
	reg := func(rid string, days ...domain.Day) domain.Event {
		return domain.ParticipantRegistered{RegistrationID: domain.RegistrationID(rid), Person: &domain.Person{Name: rid,
			Email: rid + "@example.org"}, EmailKey: "key-" + rid, Organisation: "Verein", Days: days, TokenHash: "h-" + rid}
	}
	if _, err := s.events.Update(context.Background(), id, domain.Meta{Actor: "test", At: time.Now()}, func(domain.Workshop) ([]domain.Event, error) {
		return []domain.Event{
			domain.WorkshopScheduled{ID: id, Title: "Alt", Venue: "Kassel", Days: []domain.Day{day1, day2}, Capacity: 1},
			reg("ada", day2), domain.RegistrationConfirmed{RegistrationID: "ada"},
			reg("bob", day1, day2), domain.RegistrationWaitlisted{RegistrationID: "bob", Position: 1},
		}, nil
	}); err != nil {
		t.Fatal(err)
	}
	base := "/api/v1/workshops/" + string(id) + "/registrations/"
	waitForRegistration(t, s, "/api/v1/workshops/"+string(id), "bob")
	seq := s.lastSeq()
	for _, tc := range []struct {
		name, rid, token string
		body             any
		status           int
		typ              string
		fields           []string
	}{
		{"no token", "bob", "", map[string]any{"day": day1}, 401, "", nil},
		{"the full day", "bob", org, map[string]any{"day": day2}, 409, "urn:werkstatt:problem:day-full", nil},
		{"not waiting", "ada", org, map[string]any{"day": day2}, 409, "urn:werkstatt:problem:not-waitlisted", nil},
		{"not a day of the workshop", "bob", org, map[string]any{"day": "2041-01-01"}, 422, "", []string{"day"}},
		{"not a date", "bob", org, map[string]any{"day": "16.11.2037"}, 422, "", []string{"day"}},
		{"no day", "bob", org, map[string]any{}, 422, "", []string{"day"}},
		{"a number", "bob", org, `{"day": 20371116}`, 400, "", []string{"day"}},
		{"an unknown field", "bob", org, map[string]any{"day": day1, "seat": 3}, 400, "", []string{"seat"}},
		{"not JSON", "bob", org, `{"day":`, 400, "", nil},
		{"unknown registration", "nobody", org, map[string]any{"day": day1}, 404, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := problemOf(t, s.do(request{method: "POST", path: base + tc.rid + "/admissions", token: tc.token, body: tc.body}), tc.status)
			if tc.typ != "" && p.Type != tc.typ {
				t.Errorf("got type %q, want %s", p.Type, tc.typ)
			}
			var fields []string
			for _, e := range p.Errors {
				fields = append(fields, e.Field)
			}
			if tc.fields != nil && !slices.Equal(fields, tc.fields) {
				t.Errorf("got errors on %v (%s), want %v", fields, p.Detail, tc.fields)
			}
		})
	}
	if s.lastSeq() != seq {
		t.Fatal("a refused admission appended events")
	}
	var admitted map[string]any
	s.must(request{method: "POST", path: base + "bob/admissions", token: org, body: map[string]any{"day": day1},
		header: map[string]string{"Idempotency-Key": "door-bob"}}, 201, &admitted)
	if want := map[string]any{"registration_id": "bob", "day": day1, "day_status": "confirmed", "checked_in": true}; !reflect.DeepEqual(admitted, want) {
		t.Errorf("admission answer %v, want %v", admitted, want)
	}
	seq = s.lastSeq()
	s.must(request{method: "POST", path: base + "bob/admissions", token: org, body: map[string]any{"day": day1},
		header: map[string]string{"Idempotency-Key": "door-bob"}}, 201, nil)
	if s.lastSeq() != seq {
		t.Error("a repeated admission appended events")
	}
	var bob dayStatusJSON
	s.must(request{method: "GET", path: base + "bob", token: org}, 200, &bob)
	if want := map[string]string{day1: "confirmed", day2: "waitlisted"}; bob.Status != "confirmed" || !reflect.DeepEqual(bob.DayStatus, want) {
		t.Errorf("bob after the admission %+v, want confirmed with %v", bob, want)
	}
	var att struct {
		Days []struct {
			Day                   string
			Confirmed, Waitlisted int
			CheckedIn             int `json:"checked_in"`
		}
	}
	s.must(request{method: "GET", path: "/api/v1/workshops/" + string(id) + "/attendance", token: org}, 200, &att)
	if d := att.Days[0]; d.Day != day1 || d.Confirmed != 1 || d.CheckedIn != 1 || d.Waitlisted != 0 {
		t.Errorf("attendance of %s %+v, want bob confirmed and checked in", day1, d)
	}
	problemOf(t, s.do(request{method: "POST", path: base + "bob/admissions", token: org, body: map[string]any{"day": day1}}), 409)
}
