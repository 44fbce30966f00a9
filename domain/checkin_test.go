package domain_test

import (
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

func checkIn(id string, day domain.Day, sessionID string) command {
	return func(w domain.Workshop) ([]domain.Event, error) {
		return w.CheckIn(domain.CheckInParticipant{RegistrationID: domain.RegistrationID(id), Day: day,
			SessionID: domain.SessionID(sessionID)})
	}
}

func annulCheckIn(id string, day domain.Day, sessionID string) command {
	return func(w domain.Workshop) ([]domain.Event, error) {
		return w.AnnulCheckIn(domain.CheckInParticipant{RegistrationID: domain.RegistrationID(id), Day: day,
			SessionID: domain.SessionID(sessionID)})
	}
}

func annulled(id string, day domain.Day, sessionID string) domain.Event {
	return domain.CheckInAnnulled{RegistrationID: domain.RegistrationID(id), Day: day,
		SessionID: domain.SessionID(sessionID)}
}

// checkInBase has a confirmed for day1, b confirmed for both days, w waitlisted for day1, c
// cancelled, and the sessions s1 on day1 and s2 on day2.
var checkInBase = history(scheduled(2, day1, day2), confirmed("a", day1), confirmed("b", day1, day2),
	waitlisted("w", 1, day1), confirmed("c", day2), cancelled("c"),
	planned("s1", day1, "09:00", "10:00", "Saal A"), planned("s2", day2, "09:00", "10:00", "Saal A"))

func TestCheckIn(t *testing.T) {
	runDecisions(t, []decision{
		{
			name: "workshop not scheduled",
			when: checkIn("a", day1, ""),
			err:  domain.ErrWorkshopNotFound, class: domain.ErrNotFound,
		},
		{name: "confirmed, for the day", given: checkInBase, when: checkIn("a", day1, ""), then: history(checkedIn("a", day1, ""))},
		{
			name:  "confirmed, at a session",
			given: checkInBase,
			when:  checkIn("b", day2, "s2"),
			then:  history(checkedIn("b", day2, "s2")),
		},
		{
			name:  "at a session after checking in for the day",
			given: history(checkInBase, checkedIn("a", day1, "")),
			when:  checkIn("a", day1, "s1"),
			then:  history(checkedIn("a", day1, "s1")),
		},
		{
			name:  "again for the day",
			given: history(checkInBase, checkedIn("a", day1, "")),
			when:  checkIn("a", day1, ""),
		},
		{
			name:  "again at a session",
			given: history(checkInBase, checkedIn("b", day1, "s1")),
			when:  checkIn("b", day1, "s1"),
		},
		{
			name:  "again after an annulment",
			given: history(checkInBase, checkedIn("a", day1, ""), annulled("a", day1, "")),
			when:  checkIn("a", day1, ""),
			then:  history(checkedIn("a", day1, "")),
		},
		{
			name:  "unknown registration",
			given: checkInBase,
			when:  checkIn("x", day1, ""),
			err:   domain.ErrRegistrationNotFound, class: domain.ErrNotFound,
		},
		{
			name:  "waitlisted",
			given: checkInBase,
			when:  checkIn("w", day1, ""),
			err:   domain.ErrNotConfirmed, class: domain.ErrInvalid,
		},
		{
			name:  "confirmed for another day",
			given: checkInBase,
			when:  checkIn("a", day2, ""),
			err:   domain.ErrNotConfirmed, class: domain.ErrInvalid,
		},
		{
			name:  "cancelled",
			given: checkInBase,
			when:  checkIn("c", day2, ""),
			err:   domain.ErrNotConfirmed, class: domain.ErrInvalid,
		},
		{
			name:  "promoted from the waitlist",
			given: history(checkInBase, cancelled("a"), promoted("w")),
			when:  checkIn("w", day1, "s1"),
			then:  history(checkedIn("w", day1, "s1")),
		},
		{name: "day not of the workshop", given: checkInBase, when: checkIn("a", day3, ""), fields: []string{"day"}},
		{name: "day not a date", given: checkInBase, when: checkIn("a", "heute", ""), fields: []string{"day"}},
		{name: "session on another day", given: checkInBase, when: checkIn("b", day1, "s2"), fields: []string{"session_id"}},
		{
			name:  "unknown session",
			given: checkInBase,
			when:  checkIn("a", day1, "s9"),
			err:   domain.ErrSessionNotFound, class: domain.ErrNotFound,
		},
		{
			name:  "cancelled session",
			given: history(checkInBase, domain.SessionCancelled{SessionID: "s1"}),
			when:  checkIn("a", day1, "s1"),
			err:   domain.ErrSessionNotFound, class: domain.ErrNotFound,
		},
	})
}

func TestAnnulCheckIn(t *testing.T) {
	checkedInA := history(checkInBase, checkedIn("a", day1, ""), checkedIn("a", day1, "s1"))
	runDecisions(t, []decision{
		{
			name: "workshop not scheduled",
			when: annulCheckIn("a", day1, ""),
			err:  domain.ErrWorkshopNotFound, class: domain.ErrNotFound,
		},
		{name: "for the day", given: checkedInA, when: annulCheckIn("a", day1, ""), then: history(annulled("a", day1, ""))},
		{name: "at a session", given: checkedInA, when: annulCheckIn("a", day1, "s1"), then: history(annulled("a", day1, "s1"))},
		{
			name:  "never checked in",
			given: checkInBase,
			when:  annulCheckIn("b", day1, ""),
			err:   domain.ErrCheckInNotFound, class: domain.ErrNotFound,
		},
		{
			name:  "checked in for the day, not at the session",
			given: history(checkInBase, checkedIn("b", day1, "")),
			when:  annulCheckIn("b", day1, "s1"),
			err:   domain.ErrCheckInNotFound, class: domain.ErrNotFound,
		},
		{
			name:  "annulled already",
			given: history(checkedInA, annulled("a", day1, "")),
			when:  annulCheckIn("a", day1, ""),
			err:   domain.ErrCheckInNotFound, class: domain.ErrNotFound,
		},
		{
			name:  "the registration was cancelled after the check-in",
			given: history(checkedInA, cancelled("a")),
			when:  annulCheckIn("a", day1, "s1"),
			err:   domain.ErrCheckInNotFound, class: domain.ErrNotFound,
		},
		{
			name:  "unknown registration",
			given: checkedInA,
			when:  annulCheckIn("x", day1, ""),
			err:   domain.ErrRegistrationNotFound, class: domain.ErrNotFound,
		},
		{name: "day not of the workshop", given: checkedInA, when: annulCheckIn("a", day3, ""), fields: []string{"day"}},
		{name: "session on another day", given: checkedInA, when: annulCheckIn("a", day2, "s1"), fields: []string{"session_id"}},
		{
			name:  "unknown session",
			given: checkedInA,
			when:  annulCheckIn("a", day1, "s9"),
			err:   domain.ErrSessionNotFound, class: domain.ErrNotFound,
		},
	})
}
