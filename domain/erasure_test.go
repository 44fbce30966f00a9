package domain_test

import (
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

func init() {
	everyEvent = append(everyEvent, domain.PersonalDataErased{RegistrationID: "r1", Reason: domain.ErasureRetention})
}

func erase(id string) command {
	return func(w domain.Workshop) ([]domain.Event, error) {
		return w.Erase(domain.EraseParticipant{RegistrationID: domain.RegistrationID(id)})
	}
}

func erased(id string) domain.Event {
	return domain.PersonalDataErased{RegistrationID: domain.RegistrationID(id)}
}

func TestErase(t *testing.T) {
	// a is confirmed for day1 and nobody checked it in, b confirmed and checked in, w waits for
	// day1, c is cancelled.
	base := history(scheduled(2, day1, day2), confirmed("a", day1), confirmed("b", day1, day2),
		waitlisted("w", 1, day1), confirmed("c", day2), cancelled("c"), checkedIn("b", day1, ""))
	runDecisions(t, []decision{
		{
			name: "workshop not scheduled",
			when: erase("a"),
			err:  domain.ErrWorkshopNotFound, class: domain.ErrNotFound,
		},
		{
			name:  "unknown registration",
			given: base,
			when:  erase("x"),
			err:   domain.ErrRegistrationNotFound, class: domain.ErrNotFound,
		},
		{
			name:  "confirmed is cancelled first and the seat goes to the waitlist",
			given: base,
			when:  erase("a"),
			then:  history(cancelled("a"), promotedOn("w", day1), erased("a")),
		},
		{
			name:  "waitlisted is cancelled first",
			given: base,
			when:  erase("w"),
			then:  history(cancelled("w"), erased("w")),
		},
		{
			name:  "cancelled is only erased",
			given: base,
			when:  erase("c"),
			then:  history(erased("c")),
		},
		{
			name:  "checked in keeps seat and check-ins: the person was there",
			given: base,
			when:  erase("b"),
			then:  history(erased("b")),
		},
		{
			name:  "a check-in at a session counts as presence",
			given: history(base, checkedIn("a", day1, "s1")),
			when:  erase("a"),
			then:  history(erased("a")),
		},
		{
			name:  "erasing again decides nothing",
			given: history(base, cancelled("a"), promoted("w"), erased("a")),
			when:  erase("a"),
		},
		{
			name:  "erasing an erased attendee again decides nothing",
			given: history(base, erased("b")),
			when:  erase("b"),
		},
		{
			name:  "the same person may register again after an erasure",
			given: history(base, cancelled("a"), promoted("w"), erased("a")),
			when:  registerWith("a2", func(c *domain.RegisterParticipant) { c.EmailKey = "key-a" }, day2),
			then: history(domain.ParticipantRegistered{RegistrationID: "a2",
				Person:   &domain.Person{Name: "Person a2", Email: "a2@example.org"},
				EmailKey: "key-a", Organisation: "Jugendring", Days: []domain.Day{day2}, TokenHash: "token-a2"},
				domain.RegistrationConfirmed{RegistrationID: "a2"}),
		},
		{
			name:  "an erased attendee no longer holds the email",
			given: history(base, erased("b")),
			when:  registerWith("b2", func(c *domain.RegisterParticipant) { c.EmailKey = "key-b" }, day2),
			then: history(domain.ParticipantRegistered{RegistrationID: "b2",
				Person:   &domain.Person{Name: "Person b2", Email: "b2@example.org"},
				EmailKey: "key-b", Organisation: "Jugendring", Days: []domain.Day{day2}, TokenHash: "token-b2"},
				domain.RegistrationConfirmed{RegistrationID: "b2"}),
		},
		{
			name:  "without an erasure the email still blocks",
			given: base,
			when:  registerWith("b2", func(c *domain.RegisterParticipant) { c.EmailKey = "key-b" }, day2),
			err:   domain.ErrAlreadyRegistered, class: domain.ErrConflict,
		},
	})
}

func TestEvolveErased(t *testing.T) {
	w := domain.Workshop{}.Fold(history(scheduled(2, day1), confirmed("a", day1), checkedIn("a", day1, ""),
		erased("a"))...)
	a := w.Registrations["a"]
	if !a.Erased || a.Status != domain.Confirmed {
		t.Errorf("got a erased %v with status %s, want erased and still confirmed", a.Erased, a.Status)
	}
	if !w.CheckIns[domain.CheckIn{RegistrationID: "a", Day: day1}] || w.Confirmed(day1) != 1 {
		t.Errorf("got check-ins %v and %d confirmed, want a's check-in and seat kept", w.CheckIns, w.Confirmed(day1))
	}
	if id, ok := w.ActiveRegistration("key-a"); ok {
		t.Errorf("got %s active for the erased email, want none", id)
	}

	// The same person registers again; cancelling the erased registration later must not take
	// the email from the new one.
	again := registered("a3", day1)
	again.EmailKey = "key-a"
	w = w.Fold(again, domain.RegistrationConfirmed{RegistrationID: "a3"}, cancelled("a"))
	if id, ok := w.ActiveRegistration("key-a"); !ok || id != "a3" {
		t.Errorf("got ActiveRegistration(key-a) = %s, %v after cancelling the erased a, want a3", id, ok)
	}
}
