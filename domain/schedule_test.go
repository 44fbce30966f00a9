package domain_test

import (
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

// scheduleWorkshop is a valid command; tests change one field at a time.
func scheduleWorkshop(change func(*domain.ScheduleWorkshop)) command {
	c := domain.ScheduleWorkshop{ID: workshopID, Title: "Sommerwerkstatt", Venue: "Rathaus",
		Days: []domain.Day{day1, day2}, Capacity: 20}
	if change != nil {
		change(&c)
	}
	return func(w domain.Workshop) ([]domain.Event, error) { return w.Schedule(c) }
}

func TestSchedule(t *testing.T) {
	days := func(ds ...domain.Day) func(*domain.ScheduleWorkshop) {
		return func(c *domain.ScheduleWorkshop) { c.Days = ds }
	}
	runDecisions(t, []decision{
		{
			name: "valid workshop",
			when: scheduleWorkshop(nil),
			then: history(domain.WorkshopScheduled{ID: workshopID, Title: "Sommerwerkstatt", Venue: "Rathaus",
				Days: []domain.Day{day1, day2}, Capacity: 20}),
		},
		{
			name: "text is trimmed and days are sorted in the event",
			when: scheduleWorkshop(func(c *domain.ScheduleWorkshop) {
				c.Title, c.Series, c.Venue = "  Sommerwerkstatt ", " Werkstatt 2026 ", "\tRathaus\n"
				c.Days, c.Capacity = []domain.Day{day3, day1, day2}, 1
			}),
			then: history(domain.WorkshopScheduled{ID: workshopID, Title: "Sommerwerkstatt",
				Series: "Werkstatt 2026", Venue: "Rathaus", Days: []domain.Day{day1, day2, day3}, Capacity: 1}),
		},
		{
			name:  "already exists",
			given: history(scheduled(5, day1)),
			when:  scheduleWorkshop(nil),
			err:   domain.ErrWorkshopExists, class: domain.ErrConflict,
		},
		{
			name:   "empty title",
			when:   scheduleWorkshop(func(c *domain.ScheduleWorkshop) { c.Title = "" }),
			fields: []string{"title"},
		},
		{
			name:   "blank title",
			when:   scheduleWorkshop(func(c *domain.ScheduleWorkshop) { c.Title = "   " }),
			fields: []string{"title"},
		},
		{
			name:   "title too long",
			when:   scheduleWorkshop(func(c *domain.ScheduleWorkshop) { c.Title = strings.Repeat("x", 201) }),
			fields: []string{"title"},
		},
		{
			name:   "series too long",
			when:   scheduleWorkshop(func(c *domain.ScheduleWorkshop) { c.Series = strings.Repeat("x", 201) }),
			fields: []string{"series"},
		},
		{
			name:   "empty venue",
			when:   scheduleWorkshop(func(c *domain.ScheduleWorkshop) { c.Venue = " " }),
			fields: []string{"venue"},
		},
		{name: "no days", when: scheduleWorkshop(days()), fields: []string{"days"}},
		{name: "German date", when: scheduleWorkshop(days("16.11.2026")), fields: []string{"days"}},
		{name: "date without zero padding", when: scheduleWorkshop(days("2026-1-5")), fields: []string{"days"}},
		{name: "date that does not exist", when: scheduleWorkshop(days("2026-02-30")), fields: []string{"days"}},
		{name: "timestamp instead of date", when: scheduleWorkshop(days("2026-11-16T09:00:00Z")), fields: []string{"days"}},
		{name: "duplicate day", when: scheduleWorkshop(days(day1, day2, day1)), fields: []string{"days"}},
		{
			name: "more than 14 days",
			when: scheduleWorkshop(days("2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05",
				"2026-11-06", "2026-11-07", "2026-11-08", "2026-11-09", "2026-11-10", "2026-11-11",
				"2026-11-12", "2026-11-13", "2026-11-14", "2026-11-15")),
			fields: []string{"days"},
		},
		{
			name:   "capacity zero",
			when:   scheduleWorkshop(func(c *domain.ScheduleWorkshop) { c.Capacity = 0 }),
			fields: []string{"capacity"},
		},
		{
			name:   "capacity negative",
			when:   scheduleWorkshop(func(c *domain.ScheduleWorkshop) { c.Capacity = -3 }),
			fields: []string{"capacity"},
		},
		{
			name: "every field wrong at once",
			when: scheduleWorkshop(func(c *domain.ScheduleWorkshop) {
				c.Title, c.Venue, c.Days, c.Capacity = "", "", nil, 0
			}),
			fields: []string{"capacity", "days", "title", "venue"},
		},
	})
}

func TestChange(t *testing.T) {
	change := func(c domain.ChangeWorkshop) command {
		return func(w domain.Workshop) ([]domain.Event, error) { return w.Change(c) }
	}
	changed := func(title, venue string, capacity int) domain.Event {
		return domain.WorkshopChanged{Title: title, Venue: venue, Capacity: capacity}
	}
	// Per-day load at capacity 3: day1 has 1 confirmed, day2 has 3.
	perDay := history(scheduled(3, day1, day2), confirmed("a", day2), confirmed("b", day2), confirmed("c", day1, day2))
	// At capacity 2 both days are full; w1 waits for day1, w2 for both days, w3 for day2.
	waiting := history(scheduled(2, day1, day2), confirmed("a", day1, day2), confirmed("b", day1, day2),
		waitlisted("w1", 1, day1), waitlisted("w2", 2, day1, day2), waitlisted("w3", 3, day2))
	runDecisions(t, []decision{
		{
			name: "workshop not scheduled",
			when: change(domain.ChangeWorkshop{Title: ptr("Neu")}),
			err:  domain.ErrWorkshopNotFound, class: domain.ErrNotFound,
		},
		{
			name:  "title only, trimmed",
			given: history(scheduled(5, day1)),
			when:  change(domain.ChangeWorkshop{Title: ptr(" Winterwerkstatt ")}),
			then:  history(changed("Winterwerkstatt", "Rathaus", 5)),
		},
		{
			name:  "venue only",
			given: history(scheduled(5, day1)),
			when:  change(domain.ChangeWorkshop{Venue: ptr("Bürgerhaus")}),
			then:  history(changed("Sommerwerkstatt", "Bürgerhaus", 5)),
		},
		{
			name:  "capacity only",
			given: history(scheduled(5, day1)),
			when:  change(domain.ChangeWorkshop{Capacity: ptr(8)}),
			then:  history(changed("Sommerwerkstatt", "Rathaus", 8)),
		},
		{
			name:  "everything",
			given: history(scheduled(5, day1)),
			when:  change(domain.ChangeWorkshop{Title: ptr("T"), Venue: ptr("V"), Capacity: ptr(1)}),
			then:  history(changed("T", "V", 1)),
		},
		{
			name:   "blank title",
			given:  history(scheduled(5, day1)),
			when:   change(domain.ChangeWorkshop{Title: ptr("  ")}),
			fields: []string{"title"},
		},
		{
			name:   "empty venue and capacity zero",
			given:  history(scheduled(5, day1)),
			when:   change(domain.ChangeWorkshop{Venue: ptr(""), Capacity: ptr(0)}),
			fields: []string{"capacity", "venue"},
		},
		{
			name:   "venue too long",
			given:  history(scheduled(5, day1)),
			when:   change(domain.ChangeWorkshop{Venue: ptr(strings.Repeat("v", 201))}),
			fields: []string{"venue"},
		},
		{
			name:  "capacity below the confirmed of the second day only",
			given: perDay,
			when:  change(domain.ChangeWorkshop{Capacity: ptr(2)}),
			err:   domain.ErrCapacityBelowConfirmed, class: domain.ErrConflict,
		},
		{
			name:  "capacity down to the confirmed of the fullest day",
			given: history(scheduled(5, day1, day2), confirmed("a", day2), confirmed("b", day2), confirmed("c", day1, day2)),
			when:  change(domain.ChangeWorkshop{Capacity: ptr(3)}),
			then:  history(changed("Sommerwerkstatt", "Rathaus", 3)),
		},
		{
			name:  "cancelled and waitlisted registrations hold no seat",
			given: history(scheduled(1, day1), confirmed("a", day1), waitlisted("w", 1, day1), cancelled("a"), promoted("w")),
			when:  change(domain.ChangeWorkshop{Capacity: ptr(1), Title: ptr("Neu")}),
			then:  history(changed("Neu", "Rathaus", 1)),
		},
		{
			name:  "raising capacity serves each day's waitlist first come first",
			given: waiting,
			when:  change(domain.ChangeWorkshop{Capacity: ptr(3)}),
			// w1 takes day1's new seat; w2 waited first for day2 and takes its seat there.
			then: history(changed("Sommerwerkstatt", "Rathaus", 3), promotedOn("w1", day1), promotedOn("w2", day2)),
		},
		{
			name:  "raising capacity far enough promotes everyone in waitlist order",
			given: waiting,
			when:  change(domain.ChangeWorkshop{Capacity: ptr(4)}),
			then:  history(changed("Sommerwerkstatt", "Rathaus", 4), promotedOn("w1", day1), promotedOn("w2", day1, day2), promotedOn("w3", day2)),
		},
		{
			name:  "changing the title promotes nobody",
			given: waiting,
			when:  change(domain.ChangeWorkshop{Title: ptr("Neu")}),
			then:  history(changed("Neu", "Rathaus", 2)),
		},
		{
			name:  "no fields is no change",
			given: history(scheduled(5, day1)),
			when:  change(domain.ChangeWorkshop{}),
		},
		{
			name:  "same values are no change",
			given: perDay,
			when:  change(domain.ChangeWorkshop{Title: ptr(" Sommerwerkstatt "), Venue: ptr("Rathaus"), Capacity: ptr(3)}),
		},
	})
}
