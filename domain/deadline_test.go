package domain_test

import (
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

func setDeadline(d domain.Day) command {
	return func(w domain.Workshop) ([]domain.Event, error) {
		return w.SetRegistrationDeadline(domain.SetRegistrationDeadline{Deadline: d})
	}
}

func TestSetRegistrationDeadline(t *testing.T) {
	base := history(scheduled(10, day1, day2))
	runDecisions(t, []decision{
		{name: "workshop not scheduled", when: setDeadline(day1), err: domain.ErrWorkshopNotFound, class: domain.ErrNotFound},
		{name: "a day before the workshop", given: base, when: setDeadline("2026-11-01"),
			then: history(domain.RegistrationDeadlineSet{Deadline: "2026-11-01"})},
		{name: "the last day", given: base, when: setDeadline(day2),
			then: history(domain.RegistrationDeadlineSet{Deadline: day2})},
		{name: "after the last day", given: base, when: setDeadline(day3), fields: []string{"deadline"}},
		{name: "not a date", given: base, when: setDeadline("16.11.2026"), fields: []string{"deadline"}},
		{name: "no calendar date", given: base, when: setDeadline("2026-02-30"), fields: []string{"deadline"}},
		{name: "control characters", given: base, when: setDeadline("2026-11-01\x00"), fields: []string{"deadline"}},
		{name: "the same again decides nothing", given: history(base, domain.RegistrationDeadlineSet{Deadline: day1}),
			when: setDeadline(day1)},
		{name: "changed", given: history(base, domain.RegistrationDeadlineSet{Deadline: day1}),
			when: setDeadline("2026-11-10"), then: history(domain.RegistrationDeadlineSet{Deadline: "2026-11-10"})},
		{name: "cleared", given: history(base, domain.RegistrationDeadlineSet{Deadline: day1}),
			when: setDeadline(""), then: history(domain.RegistrationDeadlineSet{})},
		{name: "clearing none decides nothing", given: base, when: setDeadline("")},
	})
}

func TestSetRegistrationDeadlineFieldCodes(t *testing.T) {
	w := domain.Workshop{}.Fold(scheduled(10, day1, day2))
	for d, code := range map[domain.Day]string{day3: domain.CodeAfterLastDay, "tomorrow": domain.CodeNotADate} {
		_, err := w.SetRegistrationDeadline(domain.SetRegistrationDeadline{Deadline: d})
		fe, ok := err.(domain.FieldErrors)
		if !ok || len(fe) != 1 || fe[0].Code != code {
			t.Errorf("deadline %q: got %v, want one field error with code %q", d, err, code)
		}
	}
}

func TestEvolveRegistrationDeadline(t *testing.T) {
	w := domain.Workshop{}.Fold(scheduled(10, day1, day2), domain.RegistrationDeadlineSet{Deadline: day1})
	if w.RegistrationDeadline != day1 {
		t.Fatalf("got deadline %q, want %q", w.RegistrationDeadline, day1)
	}
	if w = w.Evolve(domain.RegistrationDeadlineSet{}); w.RegistrationDeadline != "" {
		t.Errorf("got deadline %q after clearing, want none", w.RegistrationDeadline)
	}
}

// registerOn registers person id with the caller's date today.
func registerOn(id string, today domain.Day) command {
	return registerWith(id, func(c *domain.RegisterParticipant) { c.Today = today })
}

func TestRegisterBeforeAndAfterTheDeadline(t *testing.T) {
	base := history(scheduled(10, day1, day2))
	withDeadline := history(base, domain.RegistrationDeadlineSet{Deadline: "2026-11-10"})
	open := confirmed("a", day1, day2)
	runDecisions(t, []decision{
		{name: "no deadline, before the workshop", given: base, when: registerOn("a", "2026-11-01"), then: open},
		{name: "no deadline, on the last day", given: base, when: registerOn("a", day2), then: open},
		{name: "no deadline, after the last day", given: base, when: registerOn("a", day3),
			err: domain.ErrRegistrationClosed, class: domain.ErrConflict},
		{name: "before the deadline", given: withDeadline, when: registerOn("a", "2026-11-09"), then: open},
		{name: "on the deadline (inclusive)", given: withDeadline, when: registerOn("a", "2026-11-10"), then: open},
		{name: "the day after the deadline", given: withDeadline, when: registerOn("a", "2026-11-11"),
			err: domain.ErrRegistrationClosed, class: domain.ErrConflict},
		{name: "after a deadline on the last day", given: history(base, domain.RegistrationDeadlineSet{Deadline: day2}),
			when: registerOn("a", day3), err: domain.ErrRegistrationClosed, class: domain.ErrConflict},
		{name: "deadline cleared again", given: history(withDeadline, domain.RegistrationDeadlineSet{}),
			when: registerOn("a", "2026-11-11"), then: open},
		{name: "unknown date skips the date rules", given: withDeadline, when: registerOn("a", ""), then: open},
		{name: "unknown date, workshop over", given: base, when: registerOn("a", ""), then: open},
		{name: "invalid fields come before the date rule", given: withDeadline,
			when:   registerWith("a", func(c *domain.RegisterParticipant) { c.Today, c.Consent = "2026-11-11", false }),
			fields: []string{"consent"}},
	})
}

func TestRegistrationClosed(t *testing.T) {
	days := []domain.Day{day1, day2}
	for _, tc := range []struct {
		deadline, today domain.Day
		closed          bool
	}{
		{"", "2026-11-01", false},
		{"", day2, false},
		{"", day3, true},
		{day1, day1, false},
		{day1, day2, true},
		{"2026-11-10", "2026-11-09", false},
		{"2026-11-10", "2026-11-11", true},
	} {
		if got := domain.RegistrationClosed(tc.deadline, days, tc.today); got != tc.closed {
			t.Errorf("RegistrationClosed(%q, %v, %q) = %v, want %v", tc.deadline, days, tc.today, got, tc.closed)
		}
	}
}
