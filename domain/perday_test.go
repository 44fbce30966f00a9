package domain_test

import (
	"reflect"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

func admit(id string, day domain.Day) command { return admitOn(id, day, "") }

// admitOn is admit at the door on today.
func admitOn(id string, day, today domain.Day) command {
	return func(w domain.Workshop) ([]domain.Event, error) {
		return w.AdmitWaitlisted(domain.AdmitWaitlisted{RegistrationID: domain.RegistrationID(id), Day: day, Today: today})
	}
}

// TestPerDayWaitlists checks that each day keeps its own waitlist, served first come first.
func TestPerDayWaitlists(t *testing.T) {
	// Capacity 1: a holds both days; w1 and w2 wait for day1, w3 and w2 for day2.
	both := history(scheduled(1, day1, day2), confirmed("a", day1, day2),
		registered("w1", day1), waitingOn("w1", map[domain.Day]int{day1: 1}),
		registered("w2", day1, day2), waitingOn("w2", map[domain.Day]int{day1: 2, day2: 1}),
		registered("w3", day2), waitingOn("w3", map[domain.Day]int{day2: 2}))
	runDecisions(t, []decision{
		{
			name:  "a two-day registration confirmed on the free day only",
			given: history(scheduled(1, day1, day2), confirmed("a", day2)),
			when:  registerWith("b", nil, day1, day2),
			then: history(registered("b", day1, day2), confirmedOn("b", day1),
				waitingOn("b", map[domain.Day]int{day2: 1}, day2)),
		},
		{
			name:  "every requested day full: waitlisted on each with its own position",
			given: both,
			when:  registerWith("n", nil, day1, day2),
			then:  history(registered("n", day1, day2), waitingOn("n", map[domain.Day]int{day1: 3, day2: 3})),
		},
		{
			name:  "cancelling a two-day person promotes the first waiting on each day",
			given: both,
			when:  cancelRegistration("a"),
			then:  history(cancelled("a"), promotedOn("w1", day1), promotedOn("w2", day2)),
		},
		{
			name:  "a waiting two-day person who cancels leaves both waitlists",
			given: history(both, cancelled("w2")),
			when:  cancelRegistration("a"),
			then:  history(cancelled("a"), promotedOn("w1", day1), promotedOn("w3", day2)),
		},
		{
			name:  "removing a waited-for day leaves that day's waitlist only",
			given: both,
			when:  changeRegistration(domain.ChangeRegistration{ID: "w2", Days: &[]domain.Day{day1}}),
			then:  history(changed("w2", "", false, nil, day1)),
		},
	})
	w := domain.Workshop{}.Fold(history(both, changed("w2", "", false, nil, day1))...)
	if got, want := w.Waitlists, map[domain.Day][]domain.RegistrationID{day1: {"w1", "w2"}, day2: {"w3"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("got waitlists %v, want %v", got, want)
	}
	w = domain.Workshop{}.Fold(history(both, cancelled("a"), promotedOn("w1", day1), promotedOn("w2", day2))...)
	if got := w.Registrations["w2"]; got.Status != domain.Confirmed || got.DayStatus[day1] != domain.Waitlisted || w.WaitlistPosition("w2", day1) != 1 {
		t.Errorf("got w2 %s with days %v at position %d on day1, want confirmed (on day2), waiting first on day1",
			got.Status, got.DayStatus, w.WaitlistPosition("w2", day1))
	}
}

func TestAdmitWaitlisted(t *testing.T) {
	// An old log waitlisted w on both days while day1 had a seat (issue #14): the seat is free.
	old := history(scheduled(1, day1, day2), confirmed("a", day2), waitlisted("w", 1, day1, day2))
	runDecisions(t, []decision{
		{
			name:  "a free seat: confirmed on the day and checked in, in one decision",
			given: old,
			when:  admit("w", day1),
			then:  history(promotedOn("w", day1), checkedIn("w", day1, "")),
		},
		{
			name:  "the day is full",
			given: old,
			when:  admit("w", day2),
			err:   domain.ErrDayFull, class: domain.ErrConflict,
		},
		{
			name:  "on the day, the seat of somebody who has not come is free at the door",
			given: old,
			when:  admitOn("w", day2, day2),
			then:  history(promotedOn("w", day2), checkedIn("w", day2, "")),
		},
		{
			name:  "on the day, everybody has come",
			given: history(old, checkedIn("a", day2, "")),
			when:  admitOn("w", day2, day2),
			err:   domain.ErrDayFull, class: domain.ErrConflict,
		},
		{
			name:  "on another day, no-shows are not known",
			given: old,
			when:  admitOn("w", day2, day1),
			err:   domain.ErrDayFull, class: domain.ErrConflict,
		},
		{
			name:  "not waiting on that day",
			given: old,
			when:  admit("a", day2),
			err:   domain.ErrNotWaitlisted, class: domain.ErrConflict,
		},
		{
			name:  "cancelled",
			given: history(old, cancelled("w")),
			when:  admit("w", day1),
			err:   domain.ErrRegistrationCancelled, class: domain.ErrConflict,
		},
		{
			name:   "not a day of the workshop",
			given:  old,
			when:   admit("w", day3),
			fields: []string{"day"},
		},
		{
			name:  "unknown registration",
			given: old,
			when:  admit("x", day1),
			err:   domain.ErrRegistrationNotFound, class: domain.ErrNotFound,
		},
	})
}

func TestCheckInNeedsTheDayConfirmed(t *testing.T) {
	given := history(scheduled(1, day1, day2), confirmed("a", day2), registered("b", day1, day2),
		confirmedOn("b", day1), waitingOn("b", map[domain.Day]int{day2: 1}, day2))
	runDecisions(t, []decision{
		{
			name:  "confirmed on the day",
			given: given,
			when:  checkIn("b", day1, ""),
			then:  history(checkedIn("b", day1, "")),
		},
		{
			name:  "waitlisted on the day although confirmed on another",
			given: given,
			when:  checkIn("b", day2, ""),
			err:   domain.ErrNotConfirmed, class: domain.ErrInvalid,
		},
	})
}

// TestFoldOldRegistrationEvents folds the shapes events had before per-day waitlists: a
// confirmation and a waitlisting without Days cover every day of the registration, and a
// change with a Status gives added days that status.
func TestFoldOldRegistrationEvents(t *testing.T) {
	confirmedDays := func(ds ...domain.Day) map[domain.Day]domain.Status {
		m := map[domain.Day]domain.Status{}
		for _, d := range ds {
			m[d] = domain.Confirmed
		}
		return m
	}
	for _, tc := range []struct {
		name      string
		log       []domain.Event
		id        domain.RegistrationID
		status    domain.Status
		days      map[domain.Day]domain.Status
		seated    [2]int
		waitlists map[domain.Day][]domain.RegistrationID
	}{
		{"confirmed without days", history(scheduled(2, day1, day2), confirmed("a", day1, day2)),
			"a", domain.Confirmed, confirmedDays(day1, day2), [2]int{1, 1}, map[domain.Day][]domain.RegistrationID{}},
		{"waitlisted without days", history(scheduled(1, day1, day2), confirmed("a", day2), waitlisted("b", 1, day1, day2)),
			"b", domain.Waitlisted, map[domain.Day]domain.Status{day1: domain.Waitlisted, day2: domain.Waitlisted}, [2]int{0, 1},
			map[domain.Day][]domain.RegistrationID{day1: {"b"}, day2: {"b"}}},
		{"promoted without days", history(scheduled(1, day1, day2), confirmed("a", day2), waitlisted("b", 1, day1, day2),
			cancelled("a"), promoted("b")),
			"b", domain.Confirmed, confirmedDays(day1, day2), [2]int{1, 1},
			map[domain.Day][]domain.RegistrationID{day1: {}, day2: {}}},
		{"changed with status confirmed moves the seats", history(scheduled(2, day1, day2), confirmed("a", day1),
			changed("a", domain.Confirmed, false, nil, day2)),
			"a", domain.Confirmed, confirmedDays(day2), [2]int{0, 1}, map[domain.Day][]domain.RegistrationID{}},
		{"changed with status waitlisted keeps the place in order of arrival", history(scheduled(1, day1, day2),
			confirmed("a", day1, day2), waitlisted("w1", 1, day1), waitlisted("w2", 2, day2), waitlisted("w3", 3, day1),
			changed("w1", domain.Waitlisted, false, nil, day1, day2)),
			"w1", domain.Waitlisted, map[domain.Day]domain.Status{day1: domain.Waitlisted, day2: domain.Waitlisted}, [2]int{1, 1},
			map[domain.Day][]domain.RegistrationID{day1: {"w1", "w3"}, day2: {"w1", "w2"}}},
		{"cancelled", history(scheduled(1, day1), confirmed("a", day1), cancelled("a")),
			"a", domain.Cancelled, map[domain.Day]domain.Status{}, [2]int{0, 0}, map[domain.Day][]domain.RegistrationID{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := domain.Workshop{}.Fold(tc.log...)
			r := w.Registrations[tc.id]
			if r.Status != tc.status || !reflect.DeepEqual(r.DayStatus, tc.days) {
				t.Errorf("got %s %v, want %s %v", r.Status, r.DayStatus, tc.status, tc.days)
			}
			if got := [2]int{w.Confirmed(day1), w.Confirmed(day2)}; got != tc.seated {
				t.Errorf("got %v seated, want %v", got, tc.seated)
			}
			if !reflect.DeepEqual(w.Waitlists, tc.waitlists) {
				t.Errorf("got waitlists %v, want %v", w.Waitlists, tc.waitlists)
			}
		})
	}
}
