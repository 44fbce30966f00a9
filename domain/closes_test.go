package domain_test

import (
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// berlin is the zone in which the tests' workshops take place.
var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	return loc
}()

// at is a time in Berlin on 2026-11-dd.
func at(dd, hh, mm int) time.Time { return time.Date(2026, 11, dd, hh, mm, 0, 0, berlin) }

func changeCloses(closes time.Time) command {
	return func(w domain.Workshop) ([]domain.Event, error) {
		return w.Change(domain.ChangeWorkshop{RegistrationCloses: &closes, Zone: berlin})
	}
}

func TestScheduleWithRegistrationCloses(t *testing.T) {
	scheduledEvent := domain.WorkshopScheduled{ID: workshopID, Title: "Sommerwerkstatt", Venue: "Rathaus",
		Days: []domain.Day{day1, day2}, Capacity: 20}
	closes := func(t time.Time) func(*domain.ScheduleWorkshop) {
		return func(c *domain.ScheduleWorkshop) { c.RegistrationCloses, c.Zone = t, berlin }
	}
	runDecisions(t, []decision{
		{name: "none", when: scheduleWorkshop(closes(time.Time{})), then: history(scheduledEvent)},
		{name: "before the workshop", when: scheduleWorkshop(closes(at(10, 18, 0))),
			then: history(scheduledEvent, domain.RegistrationClosesSet{Closes: at(10, 18, 0)})},
		{name: "at the end of the last day", when: scheduleWorkshop(closes(at(18, 0, 0))),
			then: history(scheduledEvent, domain.RegistrationClosesSet{Closes: at(18, 0, 0)})},
		{name: "after the end of the last day", when: scheduleWorkshop(closes(at(18, 0, 1))),
			fields: []string{"registration_closes"}},
		{name: "after the end of the last day in the zone, not in UTC", when: scheduleWorkshop(closes(time.Date(2026, 11, 17, 23, 30, 0, 0, time.UTC))),
			fields: []string{"registration_closes"}},
		{name: "invalid fields come first", when: scheduleWorkshop(func(c *domain.ScheduleWorkshop) {
			c.RegistrationCloses, c.Capacity = at(20, 0, 0), 0
		}), fields: []string{"capacity"}},
	})
}

func TestChangeRegistrationCloses(t *testing.T) {
	base := history(scheduled(10, day1, day2))
	withCloses := history(base, domain.RegistrationClosesSet{Closes: at(10, 18, 0)})
	runDecisions(t, []decision{
		{name: "workshop not scheduled", when: changeCloses(at(10, 18, 0)), err: domain.ErrWorkshopNotFound, class: domain.ErrNotFound},
		{name: "set", given: base, when: changeCloses(at(10, 18, 0)),
			then: history(domain.RegistrationClosesSet{Closes: at(10, 18, 0)})},
		{name: "at the end of the last day", given: base, when: changeCloses(at(18, 0, 0)),
			then: history(domain.RegistrationClosesSet{Closes: at(18, 0, 0)})},
		{name: "after the end of the last day", given: base, when: changeCloses(at(18, 0, 1)), fields: []string{"registration_closes"}},
		{name: "the same instant again decides nothing", given: withCloses, when: changeCloses(at(10, 18, 0).UTC())},
		{name: "changed", given: withCloses, when: changeCloses(at(12, 9, 0)),
			then: history(domain.RegistrationClosesSet{Closes: at(12, 9, 0)})},
		{name: "cleared", given: withCloses, when: changeCloses(time.Time{}), then: history(domain.RegistrationClosesSet{})},
		{name: "clearing none decides nothing", given: base, when: changeCloses(time.Time{})},
		{name: "unchanged when not named", given: withCloses, when: func(w domain.Workshop) ([]domain.Event, error) {
			return w.Change(domain.ChangeWorkshop{Title: ptr("Winterwerkstatt")})
		}, then: history(domain.WorkshopChanged{Title: "Winterwerkstatt", Venue: "Rathaus", Capacity: 10})},
		{name: "with a title", given: base, when: func(w domain.Workshop) ([]domain.Event, error) {
			closes := at(10, 18, 0)
			return w.Change(domain.ChangeWorkshop{Title: ptr("Winterwerkstatt"), RegistrationCloses: &closes, Zone: berlin})
		}, then: history(domain.WorkshopChanged{Title: "Winterwerkstatt", Venue: "Rathaus", Capacity: 10},
			domain.RegistrationClosesSet{Closes: at(10, 18, 0)})},
	})
}

func TestRegistrationClosesFieldCode(t *testing.T) {
	w := domain.Workshop{}.Fold(scheduled(10, day1, day2))
	closes := at(19, 0, 0)
	_, err := w.Change(domain.ChangeWorkshop{RegistrationCloses: &closes, Zone: berlin})
	fe, ok := err.(domain.FieldErrors)
	if !ok || len(fe) != 1 || fe[0].Code != domain.CodeAfterLastDay || fe[0].Field != "registration_closes" {
		t.Errorf("got %v, want one field error registration_closes with code %q", err, domain.CodeAfterLastDay)
	}
}

func TestEvolveRegistrationCloses(t *testing.T) {
	w := domain.Workshop{}.Fold(scheduled(10, day1, day2), domain.RegistrationClosesSet{Closes: at(10, 18, 0)})
	if !w.RegistrationCloses.Equal(at(10, 18, 0)) {
		t.Fatalf("got closing time %v, want %v", w.RegistrationCloses, at(10, 18, 0))
	}
	if w = w.Evolve(domain.RegistrationClosesSet{}); !w.RegistrationCloses.IsZero() {
		t.Errorf("got closing time %v after clearing, want none", w.RegistrationCloses)
	}
}

// registerAt registers person id at the caller's time now (today is its date in Berlin).
func registerAt(id string, now time.Time) command {
	return registerWith(id, func(c *domain.RegisterParticipant) {
		c.At = now
		if !now.IsZero() {
			c.Today = domain.Day(now.In(berlin).Format(time.DateOnly))
		}
	})
}

// registerByHandAt is registerAt by the organiser (a phone registration).
func registerByHandAt(id string, now time.Time) command {
	return registerWith(id, func(c *domain.RegisterParticipant) {
		c.At, c.Today, c.ByOrganiser = now, domain.Day(now.In(berlin).Format(time.DateOnly)), true
	})
}

func TestRegisterBeforeAndAfterClosing(t *testing.T) {
	base := history(scheduled(10, day1, day2))
	withCloses := history(base, domain.RegistrationClosesSet{Closes: at(10, 18, 0)})
	open := confirmed("a", day1, day2)
	closed := func(name string, given []domain.Event, now time.Time) decision {
		return decision{name: name, given: given, when: registerAt("a", now), err: domain.ErrRegistrationClosed, class: domain.ErrConflict}
	}
	runDecisions(t, []decision{
		{name: "no closing time, before the workshop", given: base, when: registerAt("a", at(1, 12, 0)), then: open},
		{name: "no closing time, on the last day", given: base, when: registerAt("a", at(17, 23, 59)), then: open},
		closed("no closing time, after the last day", base, at(18, 0, 0)),
		{name: "a minute before closing", given: withCloses, when: registerAt("a", at(10, 17, 59)), then: open},
		closed("at the closing time", withCloses, at(10, 18, 0)),
		closed("after the closing time", withCloses, at(11, 9, 0)),
		closed("the same instant in UTC", withCloses, at(10, 18, 0).UTC()),
		{name: "closing time cleared again", given: history(withCloses, domain.RegistrationClosesSet{}),
			when: registerAt("a", at(11, 9, 0)), then: open},
		{name: "zero time skips the closing rule", given: withCloses,
			when: registerWith("a", func(c *domain.RegisterParticipant) { c.Today = "2026-11-11" }), then: open},
		{name: "empty today skips the last-day rule", given: base,
			when: registerWith("a", func(c *domain.RegisterParticipant) { c.At = at(20, 12, 0) }), then: open},
		{name: "unknown time and date, workshop over", given: withCloses, when: registerAt("a", time.Time{}), then: open},
		{name: "by the organiser after the closing time", given: withCloses,
			when: registerByHandAt("a", at(11, 9, 0)), then: open},
		{name: "by the organiser after the last day", given: base,
			when: registerByHandAt("a", at(20, 9, 0)), then: open},
		{name: "by the organiser, consent is still required", given: withCloses,
			when:   registerWith("a", func(c *domain.RegisterParticipant) { c.At, c.Consent, c.ByOrganiser = at(11, 9, 0), false, true }),
			fields: []string{"consent"}},
		{name: "invalid fields come before the closing rule", given: withCloses,
			when:   registerWith("a", func(c *domain.RegisterParticipant) { c.At, c.Consent = at(11, 9, 0), false }),
			fields: []string{"consent"}},
	})
}

func TestRegistrationClosed(t *testing.T) {
	days := []domain.Day{day1, day2}
	for _, tc := range []struct {
		closes, now time.Time
		today       domain.Day
		closed      bool
	}{
		{time.Time{}, at(1, 12, 0), "2026-11-01", false},
		{time.Time{}, at(17, 12, 0), day2, false},
		{time.Time{}, at(18, 12, 0), day3, true},
		{at(10, 18, 0), at(10, 17, 59), "2026-11-10", false},
		{at(10, 18, 0), at(10, 18, 0), "2026-11-10", true},
		{at(10, 18, 0), at(11, 9, 0), "2026-11-11", true},
		{at(10, 18, 0), time.Time{}, "2026-11-11", false},
		{time.Time{}, at(18, 12, 0), "", false},
	} {
		if got := domain.RegistrationClosed(tc.closes, days, tc.now, tc.today); got != tc.closed {
			t.Errorf("RegistrationClosed(%v, %v, %v, %q) = %v, want %v", tc.closes, days, tc.now, tc.today, got, tc.closed)
		}
	}
}
