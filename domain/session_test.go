package domain_test

import (
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

func plan(s domain.Session) command {
	return func(w domain.Workshop) ([]domain.Event, error) { return w.Plan(domain.PlanSession{Session: s}) }
}

func changeSession(s domain.Session) command {
	return func(w domain.Workshop) ([]domain.Event, error) {
		return w.ChangeSession(domain.ChangeSession{Session: s})
	}
}

func cancelSession(id string) command {
	return func(w domain.Workshop) ([]domain.Event, error) { return w.CancelSession(domain.SessionID(id)) }
}

// with returns s changed by f, so that a table row names only what differs from a valid session.
func with(s domain.Session, f func(*domain.Session)) domain.Session {
	f(&s)
	return s
}

// sessionRules are the rules on a session's own values; Plan and ChangeSession share them.
var sessionRules = []struct {
	name   string
	change func(*domain.Session)
	fields []string
}{
	{"empty title", func(s *domain.Session) { s.Title = " " }, []string{"title"}},
	{"title too long", func(s *domain.Session) { s.Title = strings.Repeat("t", 201) }, []string{"title"}},
	{"room too long", func(s *domain.Session) { s.Room = strings.Repeat("r", 201) }, []string{"room"}},
	{"unknown kind", func(s *domain.Session) { s.Kind = "workshop" }, []string{"kind"}},
	{"no kind", func(s *domain.Session) { s.Kind = "" }, []string{"kind"}},
	{"day not of the workshop", func(s *domain.Session) { s.Day = day3 }, []string{"day"}},
	{"day not a date", func(s *domain.Session) { s.Day = "Montag" }, []string{"day"}},
	{"starts without leading zero", func(s *domain.Session) { s.Starts = "9:00" }, []string{"starts"}},
	{"starts at 24:00", func(s *domain.Session) { s.Starts = "24:00" }, []string{"starts"}},
	{"starts at minute 60", func(s *domain.Session) { s.Starts = "09:60" }, []string{"starts"}},
	{"starts with seconds", func(s *domain.Session) { s.Starts = "09:00:00" }, []string{"starts"}},
	{"starts not a time", func(s *domain.Session) { s.Starts = "ab:cd" }, []string{"starts"}},
	{"starts empty", func(s *domain.Session) { s.Starts = "" }, []string{"starts"}},
	{"ends at 25:00", func(s *domain.Session) { s.Ends = "25:00" }, []string{"ends"}},
	{"ends with a dot", func(s *domain.Session) { s.Ends = "10.00" }, []string{"ends"}},
	{"ends when it starts", func(s *domain.Session) { s.Starts, s.Ends = "10:00", "10:00" }, []string{"ends"}},
	{"ends before it starts", func(s *domain.Session) { s.Starts, s.Ends = "11:00", "10:00" }, []string{"ends"}},
	{"speaker too long", func(s *domain.Session) { s.Speakers = []string{"Ada", strings.Repeat("s", 201)} }, []string{"speakers"}},
	{
		"everything wrong",
		func(s *domain.Session) { *s = domain.Session{ID: s.ID, Starts: "x", Ends: "y"} },
		[]string{"day", "ends", "kind", "starts", "title"},
	},
}

func TestPlan(t *testing.T) {
	base := history(scheduled(10, day1, day2), planned("s1", day1, "09:00", "10:00", "Saal A"))
	tests := []decision{
		{
			name: "workshop not scheduled",
			when: plan(session("s2", day1, "09:00", "10:00", "")),
			err:  domain.ErrWorkshopNotFound, class: domain.ErrNotFound,
		},
		{
			name:  "text is trimmed and blank speakers dropped",
			given: base,
			when: plan(domain.Session{ID: "s2", Title: " Eröffnung ", Kind: domain.Keynote, Day: day2,
				Starts: "09:00", Ends: "09:30", Room: " Saal B ", Speakers: []string{" Ada ", " ", "Grace"}}),
			then: history(domain.SessionPlanned{Session: domain.Session{ID: "s2", Title: "Eröffnung",
				Kind: domain.Keynote, Day: day2, Starts: "09:00", Ends: "09:30", Room: "Saal B",
				Speakers: []string{"Ada", "Grace"}}}),
		},
		{
			name:  "whole day from 00:00 to 23:59",
			given: base,
			when:  plan(session("s2", day2, "00:00", "23:59", "Saal A")),
			then:  history(planned("s2", day2, "00:00", "23:59", "Saal A")),
		},
		{
			name:  "same room overlapping at the start",
			given: base,
			when:  plan(session("s2", day1, "08:30", "09:30", "Saal A")),
			err:   domain.ErrRoomOccupied, class: domain.ErrConflict,
		},
		{
			name:  "same room overlapping at the end",
			given: base,
			when:  plan(session("s2", day1, "09:59", "11:00", "Saal A")),
			err:   domain.ErrRoomOccupied, class: domain.ErrConflict,
		},
		{
			name:  "same room inside the other",
			given: base,
			when:  plan(session("s2", day1, "09:15", "09:45", "Saal A")),
			err:   domain.ErrRoomOccupied, class: domain.ErrConflict,
		},
		{
			name:  "same room around the other",
			given: base,
			when:  plan(session("s2", day1, "08:00", "12:00", "Saal A")),
			err:   domain.ErrRoomOccupied, class: domain.ErrConflict,
		},
		{
			name:  "same room and time once the room is trimmed",
			given: base,
			when:  plan(session("s2", day1, "09:00", "10:00", "  Saal A ")),
			err:   domain.ErrRoomOccupied, class: domain.ErrConflict,
		},
		{
			name:  "adjacent after",
			given: base,
			when:  plan(session("s2", day1, "10:00", "11:00", "Saal A")),
			then:  history(planned("s2", day1, "10:00", "11:00", "Saal A")),
		},
		{
			name:  "adjacent before",
			given: base,
			when:  plan(session("s2", day1, "08:00", "09:00", "Saal A")),
			then:  history(planned("s2", day1, "08:00", "09:00", "Saal A")),
		},
		{
			name:  "different room at the same time",
			given: base,
			when:  plan(session("s2", day1, "09:00", "10:00", "Saal B")),
			then:  history(planned("s2", day1, "09:00", "10:00", "Saal B")),
		},
		{
			name:  "same room and time on another day",
			given: base,
			when:  plan(session("s2", day2, "09:00", "10:00", "Saal A")),
			then:  history(planned("s2", day2, "09:00", "10:00", "Saal A")),
		},
		{
			name:  "sessions without a room never conflict",
			given: history(base, planned("s2", day1, "09:00", "10:00", "")),
			when:  plan(session("s3", day1, "09:00", "10:00", " ")),
			then:  history(planned("s3", day1, "09:00", "10:00", "")),
		},
		{
			name:  "a cancelled session frees its room",
			given: history(base, domain.SessionCancelled{SessionID: "s1"}),
			when:  plan(session("s2", day1, "09:00", "10:00", "Saal A")),
			then:  history(planned("s2", day1, "09:00", "10:00", "Saal A")),
		},
		{
			name:  "session id already planned",
			given: base,
			when:  plan(session("s1", day2, "14:00", "15:00", "Saal B")),
			class: domain.ErrConflict,
		},
	}
	for _, k := range domain.Kinds {
		tests = append(tests, decision{
			name:  "kind " + string(k),
			given: base,
			when:  plan(with(session("s2", day2, "09:00", "10:00", ""), func(s *domain.Session) { s.Kind = k })),
			then: history(domain.SessionPlanned{Session: with(session("s2", day2, "09:00", "10:00", ""),
				func(s *domain.Session) { s.Kind = k })}),
		})
	}
	for _, r := range sessionRules {
		tests = append(tests, decision{
			name:   r.name,
			given:  base,
			when:   plan(with(session("s2", day2, "09:00", "10:00", "Saal A"), r.change)),
			fields: r.fields,
		})
	}
	runDecisions(t, tests)
}

func TestChangeSession(t *testing.T) {
	base := history(scheduled(10, day1, day2), planned("s1", day1, "09:00", "10:00", "Saal A"),
		planned("s2", day1, "10:00", "11:00", "Saal A"))
	tests := []decision{
		{
			name: "workshop not scheduled",
			when: changeSession(session("s1", day1, "09:00", "10:00", "")),
			err:  domain.ErrWorkshopNotFound, class: domain.ErrNotFound,
		},
		{
			name:  "unknown session",
			given: base,
			when:  changeSession(session("s9", day1, "12:00", "13:00", "")),
			err:   domain.ErrSessionNotFound, class: domain.ErrNotFound,
		},
		{
			name:  "cancelled session",
			given: history(base, domain.SessionCancelled{SessionID: "s1"}),
			when:  changeSession(session("s1", day1, "09:00", "10:00", "Saal A")),
			err:   domain.ErrSessionNotFound, class: domain.ErrNotFound,
		},
		{
			name:  "new title in its own slot",
			given: base,
			when:  changeSession(with(session("s1", day1, "09:00", "10:00", "Saal A"), func(s *domain.Session) { s.Title = "Neu" })),
			then: history(domain.SessionChanged{Session: with(session("s1", day1, "09:00", "10:00", "Saal A"),
				func(s *domain.Session) { s.Title = "Neu" })}),
		},
		{
			name:  "longer within its own slot and the free time before",
			given: base,
			when:  changeSession(session("s1", day1, "08:00", "10:00", "Saal A")),
			then:  history(domain.SessionChanged{Session: session("s1", day1, "08:00", "10:00", "Saal A")}),
		},
		{
			name:  "into the slot of another session",
			given: base,
			when:  changeSession(session("s1", day1, "09:30", "10:30", "Saal A")),
			err:   domain.ErrRoomOccupied, class: domain.ErrConflict,
		},
		{
			name:  "to another day",
			given: base,
			when:  changeSession(session("s2", day2, "09:30", "10:30", "Saal A")),
			then:  history(domain.SessionChanged{Session: session("s2", day2, "09:30", "10:30", "Saal A")}),
		},
		{
			name:  "to another room at the time of another session",
			given: base,
			when:  changeSession(session("s2", day1, "09:00", "10:00", "Saal B")),
			then:  history(domain.SessionChanged{Session: session("s2", day1, "09:00", "10:00", "Saal B")}),
		},
		{
			name:  "into a slot a cancelled session freed",
			given: history(base, domain.SessionCancelled{SessionID: "s1"}),
			when:  changeSession(session("s2", day1, "09:00", "10:00", "Saal A")),
			then:  history(domain.SessionChanged{Session: session("s2", day1, "09:00", "10:00", "Saal A")}),
		},
		{
			name:  "same values are no change",
			given: base,
			when:  changeSession(with(session("s1", day1, "09:00", "10:00", " Saal A "), func(s *domain.Session) { s.Title += " " })),
		},
	}
	for _, r := range sessionRules {
		tests = append(tests, decision{
			name:   r.name,
			given:  base,
			when:   changeSession(with(session("s1", day1, "09:00", "10:00", "Saal A"), r.change)),
			fields: r.fields,
		})
	}
	runDecisions(t, tests)
}

func TestCancelSession(t *testing.T) {
	base := history(scheduled(10, day1), planned("s1", day1, "09:00", "10:00", "Saal A"))
	runDecisions(t, []decision{
		{
			name: "workshop not scheduled",
			when: cancelSession("s1"),
			err:  domain.ErrWorkshopNotFound, class: domain.ErrNotFound,
		},
		{
			name:  "planned session",
			given: base,
			when:  cancelSession("s1"),
			then:  history(domain.SessionCancelled{SessionID: "s1"}),
		},
		{
			name:  "unknown session",
			given: base,
			when:  cancelSession("s9"),
			err:   domain.ErrSessionNotFound, class: domain.ErrNotFound,
		},
		{
			name:  "already cancelled",
			given: history(base, domain.SessionCancelled{SessionID: "s1"}),
			when:  cancelSession("s1"),
			err:   domain.ErrSessionNotFound, class: domain.ErrNotFound,
		},
	})
}
