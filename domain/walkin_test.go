package domain_test

import (
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// walkIn is a valid walk-in of person id on day, without an email; walkedIn is what it decides.
func walkIn(id string, day domain.Day, edit ...func(*domain.RegisterWalkIn)) command {
	c := domain.RegisterWalkIn{ID: domain.RegistrationID(id), Person: domain.Person{Name: " Walk " + id + " "},
		Organisation: "Jugendring ", District: "Mitte", Day: day}
	for _, e := range edit {
		e(&c)
	}
	return func(w domain.Workshop) ([]domain.Event, error) { return w.RegisterWalkIn(c) }
}

func walkedIn(id string, day domain.Day, email, key string) []domain.Event {
	return []domain.Event{
		domain.ParticipantRegistered{RegistrationID: domain.RegistrationID(id),
			Person: &domain.Person{Name: "Walk " + id, Email: email}, EmailKey: key,
			Organisation: "Jugendring", District: "Mitte", Days: []domain.Day{day}},
		domain.RegistrationConfirmed{RegistrationID: domain.RegistrationID(id)},
		checkedIn(id, day, ""),
	}
}

func TestRegisterWalkIn(t *testing.T) {
	// base: capacity 2; day1 holds a and b (full), day2 holds b; w waits for both days.
	base := history(scheduled(2, day1, day2), confirmed("a", day1), confirmed("b", day1, day2),
		waitlisted("w", 1, day1, day2))
	closed := history(base, domain.RegistrationClosesSet{Closes: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	runDecisions(t, []decision{
		{name: "workshop not scheduled", when: walkIn("x", day1), err: domain.ErrWorkshopNotFound, class: domain.ErrNotFound},
		{name: "a free seat: registered, confirmed, checked in", given: base, when: walkIn("x", day2),
			then: walkedIn("x", day2, "", "")},
		{name: "registration closed does not apply at the door", given: closed, when: walkIn("x", day2),
			then: walkedIn("x", day2, "", "")},
		{name: "with an email", given: base,
			when: walkIn("x", day2, func(c *domain.RegisterWalkIn) { c.Person.Email = " x@example.org "; c.EmailKey = "key-x" }),
			then: walkedIn("x", day2, "x@example.org", "key-x")},
		{name: "a key without an email is dropped", given: base,
			when: walkIn("x", day2, func(c *domain.RegisterWalkIn) { c.EmailKey = "key-x" }),
			then: walkedIn("x", day2, "", "")},
		{name: "a second walk-in without an email", given: history(scheduled(3, day1), walkedIn("x", day1, "", "")),
			when: walkIn("y", day1), then: walkedIn("y", day1, "", "")},
		{name: "day full", given: base, when: walkIn("x", day1), err: domain.ErrDayFull, class: domain.ErrConflict},
		{name: "on the day, a seat nobody came for is free at the door", given: history(base, checkedIn("a", day1, "")),
			when: walkIn("x", day1, func(c *domain.RegisterWalkIn) { c.Today = day1 }), then: walkedIn("x", day1, "", "")},
		{name: "on the day, everybody has come", given: history(base, checkedIn("a", day1, ""), checkedIn("b", day1, "")),
			when: walkIn("x", day1, func(c *domain.RegisterWalkIn) { c.Today = day1 }), err: domain.ErrDayFull, class: domain.ErrConflict},
		{name: "before the day, no-shows are not known yet", given: base,
			when: walkIn("x", day1, func(c *domain.RegisterWalkIn) { c.Today = day2 }), err: domain.ErrDayFull, class: domain.ErrConflict},
		{name: "email already registered", given: base,
			when: walkIn("x", day2, func(c *domain.RegisterWalkIn) { c.Person.Email = "a@example.org"; c.EmailKey = "key-a" }),
			err:  domain.ErrAlreadyRegistered, class: domain.ErrConflict},
		{name: "id taken", given: base, when: walkIn("a", day2), class: domain.ErrConflict},
		{name: "no day", given: base, when: walkIn("x", ""), fields: []string{"day"}},
		{name: "not a date", given: base, when: walkIn("x", "16.11.2026"), fields: []string{"day"}},
		{name: "not a day of the workshop", given: base, when: walkIn("x", day3), fields: []string{"day"}},
		{name: "name and organisation required", given: base,
			when:   walkIn("x", day2, func(c *domain.RegisterWalkIn) { c.Person.Name, c.Organisation = " ", "" }),
			fields: []string{"name", "organisation"}},
		{name: "control characters, bad UTF-8, too long", given: base,
			when: walkIn("x", day2, func(c *domain.RegisterWalkIn) {
				c.Person.Name, c.Organisation, c.District = "a\x00b", "\xff", strings.Repeat("x", 201)
			}),
			fields: []string{"district", "name", "organisation"}},
		{name: "not an email", given: base,
			when:   walkIn("x", day2, func(c *domain.RegisterWalkIn) { c.Person.Email = "nobody" }),
			fields: []string{"email"}},
	})
}

// TestWalkInWithoutEmailHoldsNoEmail: a walk-in without an email holds no email key, so it
// neither blocks nor is blocked by anybody, and cancelling it frees its seat.
func TestWalkInWithoutEmailHoldsNoEmail(t *testing.T) {
	w := domain.Workshop{}.Fold(history(scheduled(2, day1), walkedIn("x", day1, "", ""))...)
	if id, ok := w.ActiveRegistration(""); ok {
		t.Errorf("got %s active under the empty key, want none", id)
	}
	if !w.CheckIns[domain.CheckIn{RegistrationID: "x", Day: day1}] || w.Confirmed(day1) != 1 {
		t.Errorf("got check-ins %v, %d confirmed; want x checked in on a seat", w.CheckIns, w.Confirmed(day1))
	}
	w = w.Fold(cancelled("x"))
	if w.Confirmed(day1) != 0 {
		t.Errorf("got %d confirmed after cancelling, want 0", w.Confirmed(day1))
	}
}
