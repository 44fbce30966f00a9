package domain_test

import (
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

func changeRegistration(c domain.ChangeRegistration) command {
	return func(w domain.Workshop) ([]domain.Event, error) { return w.ChangeRegistration(c) }
}

func changed(id string, status domain.Status, overnight bool, person *domain.Person, days ...domain.Day) domain.Event {
	return domain.RegistrationChanged{RegistrationID: domain.RegistrationID(id), Person: person,
		Organisation: "Jugendring", Days: days, Overnight: overnight, Status: status}
}

func TestChangeRegistration(t *testing.T) {
	days := func(d ...domain.Day) *[]domain.Day { return &d }
	closes := time.Date(2026, 11, 10, 18, 0, 0, 0, time.UTC)
	runDecisions(t, []decision{
		{
			name:  "unknown registration",
			given: history(scheduled(2, day1, day2)),
			when:  changeRegistration(domain.ChangeRegistration{ID: "x", Days: days(day1)}),
			err:   domain.ErrRegistrationNotFound, class: domain.ErrNotFound,
		},
		{
			name:  "cancelled registration",
			given: history(scheduled(2, day1, day2), confirmed("a", day1), cancelled("a")),
			when:  changeRegistration(domain.ChangeRegistration{ID: "a", Days: days(day2)}),
			err:   domain.ErrRegistrationCancelled, class: domain.ErrConflict,
		},
		{
			name:  "erased registration",
			given: history(scheduled(2, day1, day2), confirmed("a", day1), checkedIn("a", day1, ""), domain.PersonalDataErased{RegistrationID: "a"}),
			when:  changeRegistration(domain.ChangeRegistration{ID: "a", Overnight: ptr(true)}),
			err:   domain.ErrRegistrationErased, class: domain.ErrNotFound,
		},
		{
			name:   "invalid values name their fields",
			given:  history(scheduled(2, day1, day2), confirmed("a", day1)),
			when:   changeRegistration(domain.ChangeRegistration{ID: "a", Days: days(), Dietary: ptr(strings.Repeat("d", 501))}),
			fields: []string{"days", "dietary"},
		},
		{
			name:   "a day not of the workshop",
			given:  history(scheduled(2, day1, day2), confirmed("a", day1)),
			when:   changeRegistration(domain.ChangeRegistration{ID: "a", Days: days(day3)}),
			fields: []string{"days"},
		},
		{
			name:  "confirmed person adds a day with a free seat and keeps the seats, sorted, dietary sealed",
			given: history(scheduled(2, day1, day2), confirmed("a", day2)),
			when: changeRegistration(domain.ChangeRegistration{ID: "a", Days: days(day2, day1),
				Dietary: ptr(" vegan "), Overnight: ptr(true)}),
			then: history(changed("a", "", true, &domain.Person{Dietary: "vegan"}, day1, day2), confirmedOn("a", day1)),
		},
		{
			name:  "photo consent alone: sealed in Person, the dietary needs kept",
			given: history(scheduled(2, day1, day2), confirmed("a", day1)),
			when:  changeRegistration(domain.ChangeRegistration{ID: "a", PhotoConsent: ptr(true)}),
			then: history(domain.RegistrationChanged{RegistrationID: "a", Person: &domain.Person{PhotoConsent: true},
				Organisation: "Jugendring", Days: []domain.Day{day1}, PhotoConsentSet: true, DietaryKept: true}),
		},
		{
			name:  "photo consent withdrawn with the dietary needs",
			given: history(scheduled(2, day1, day2), confirmed("a", day1)),
			when:  changeRegistration(domain.ChangeRegistration{ID: "a", Dietary: ptr("vegan"), PhotoConsent: ptr(false)}),
			then: history(domain.RegistrationChanged{RegistrationID: "a", Person: &domain.Person{Dietary: "vegan"},
				Organisation: "Jugendring", Days: []domain.Day{day1}, PhotoConsentSet: true}),
		},
		{
			name: "confirmed person adding a full day keeps the seat and waits for that day",
			given: history(scheduled(1, day1, day2), confirmed("a", day1), confirmed("b", day2),
				waitlisted("w", 1, day2)),
			when: changeRegistration(domain.ChangeRegistration{ID: "a", Days: days(day1, day2)}),
			then: history(changed("a", "", false, nil, day1, day2), waitingOn("a", map[domain.Day]int{day2: 2}, day2)),
		},
		{
			name:  "waitlisted person adding a free day is confirmed on it and keeps waiting on the other",
			given: history(scheduled(1, day1, day2), confirmed("a", day1), waitlisted("w", 1, day1)),
			when:  changeRegistration(domain.ChangeRegistration{ID: "w", Days: days(day1, day2)}),
			then:  history(changed("w", "", false, nil, day1, day2), confirmedOn("w", day2)),
		},
		{
			name: "removing a day frees its seat for the waitlist",
			given: history(scheduled(1, day1, day2), confirmed("a", day1, day2), waitlisted("b", 1, day2),
				waitlisted("c", 2, day1)),
			when: changeRegistration(domain.ChangeRegistration{ID: "a", Days: days(day1)}),
			then: history(changed("a", "", false, nil, day1), promotedOn("b", day2)),
		},
		{
			// An old log waitlisted b on both days although day2 had a seat (issue #14).
			name:  "a person of an old log waiting on a day with a free seat is promoted by a change",
			given: history(scheduled(1, day1, day2), confirmed("a", day1), waitlisted("b", 1, day1, day2)),
			when:  changeRegistration(domain.ChangeRegistration{ID: "b", Days: days(day2)}),
			then:  history(changed("b", "", false, nil, day2), promotedOn("b", day2)),
		},
		{
			name:  "a waitlisted person whose days still do not fit keeps waiting",
			given: history(scheduled(1, day1, day2), confirmed("a", day1), waitlisted("b", 1, day2, day1)),
			when:  changeRegistration(domain.ChangeRegistration{ID: "b", Days: days(day1), Overnight: ptr(true)}),
			then:  history(changed("b", "", true, nil, day1)),
		},
		{
			name:  "a day with a check-in stays",
			given: history(scheduled(2, day1, day2), confirmed("a", day1, day2), checkedIn("a", day1, "")),
			when:  changeRegistration(domain.ChangeRegistration{ID: "a", Days: days(day2)}),
			err:   domain.ErrCheckedInDay, class: domain.ErrConflict,
		},
		{
			name:  "nothing changed decides nothing",
			given: history(scheduled(2, day1, day2), confirmed("a", day1)),
			when:  changeRegistration(domain.ChangeRegistration{ID: "a", Days: days(day1), Overnight: ptr(false)}),
		},
		{
			name:  "a participant may not change after registration closed",
			given: history(scheduled(2, day1, day2), confirmed("a", day1), domain.RegistrationClosesSet{Closes: closes}),
			when:  changeRegistration(domain.ChangeRegistration{ID: "a", Days: days(day2), At: closes}),
			err:   domain.ErrRegistrationClosed, class: domain.ErrConflict,
		},
		{
			name:  "the organiser may change after registration closed",
			given: history(scheduled(2, day1, day2), confirmed("a", day1), domain.RegistrationClosesSet{Closes: closes}),
			when:  changeRegistration(domain.ChangeRegistration{ID: "a", Days: days(day2), At: closes, Organiser: true}),
			then:  history(changed("a", "", false, nil, day2), confirmedOn("a", day2)),
		},
	})
}

// TestChangeRegistrationMovesSeats checks the seat counts after a change of a confirmed person.
func TestChangeRegistrationMovesSeats(t *testing.T) {
	w := domain.Workshop{}.Fold(history(scheduled(2, day1, day2), confirmed("a", day1))...)
	events, err := w.ChangeRegistration(domain.ChangeRegistration{ID: "a", Days: &[]domain.Day{day2}})
	if err != nil {
		t.Fatal(err)
	}
	w = w.Fold(events...)
	if w.Confirmed(day1) != 0 || w.Confirmed(day2) != 1 {
		t.Errorf("got %d and %d seated, want 0 and 1", w.Confirmed(day1), w.Confirmed(day2))
	}
}
