package domain_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

func TestParseDay(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"2026-11-16", true},
		{"2028-02-29", true},
		{"2026-02-29", false},
		{"2026-13-01", false},
		{"2026-1-16", false},
		{"16.11.2026", false},
		{"2026-11-16 ", false},
		{"", false},
	} {
		if d, ok := domain.ParseDay(tc.in); ok != tc.want || string(d) != tc.in {
			t.Errorf("ParseDay(%q) = %q, %v, want %q, %v", tc.in, d, ok, tc.in, tc.want)
		}
	}
}

// everyPartLog returns a log that touches every part of the state. Each call builds new events,
// because a fold shares their slices.
func everyPartLog() []domain.Event {
	return history(scheduled(1, day1, day2),
		planned("s1", day1, "09:00", "10:00", "Saal A"), planned("s2", day2, "09:00", "10:00", "Saal A"),
		domain.SessionChanged{Session: session("s2", day2, "11:00", "12:00", "Saal B")},
		domain.SessionCancelled{SessionID: "s1"},
		confirmed("a", day1), confirmed("b", day2),
		waitlisted("w1", 1, day1), waitlisted("w2", 2, day1, day2), waitlisted("w3", 3, day1),
		checkedIn("a", day1, ""), checkedIn("b", day2, ""), checkedIn("b", day2, "s2"),
		cancelled("a"), promoted("w1"),
		domain.WorkshopChanged{Title: "Neu", Venue: "Bürgerhaus", Capacity: 2}, promoted("w2"),
		checkedIn("w1", day1, ""), checkedIn("w2", day1, ""), domain.CheckInAnnulled{RegistrationID: "w2", Day: day1},
		domain.SessionPlanned{Session: domain.Session{ID: "s3", Title: "Podium", Kind: domain.Discussion,
			Day: day1, Starts: "14:00", Ends: "15:00", Speakers: []string{"Ada", "Grace"}}})
}

func TestFold(t *testing.T) {
	w := domain.Workshop{}.Fold(everyPartLog()...)
	want := domain.Workshop{ID: workshopID, Title: "Neu", Venue: "Bürgerhaus",
		Days: []domain.Day{day1, day2}, Capacity: 2,
		Sessions: map[domain.SessionID]domain.Session{
			"s2": session("s2", day2, "11:00", "12:00", "Saal B"),
			"s3": {ID: "s3", Title: "Podium", Kind: domain.Discussion, Day: day1, Starts: "14:00", Ends: "15:00",
				Speakers: []string{"Ada", "Grace"}},
		},
		Registrations: map[domain.RegistrationID]*domain.Registration{
			"a": {ID: "a", EmailKey: "key-a", Organisation: "Jugendring", Days: []domain.Day{day1}, Status: domain.Cancelled,
				DayStatus: map[domain.Day]domain.Status{}},
			"b": {ID: "b", EmailKey: "key-b", Organisation: "Jugendring", Days: []domain.Day{day2}, Status: domain.Confirmed,
				DayStatus: map[domain.Day]domain.Status{day2: domain.Confirmed}},
			"w1": {ID: "w1", EmailKey: "key-w1", Organisation: "Jugendring", Days: []domain.Day{day1}, Status: domain.Confirmed,
				DayStatus: map[domain.Day]domain.Status{day1: domain.Confirmed}},
			"w2": {ID: "w2", EmailKey: "key-w2", Organisation: "Jugendring", Days: []domain.Day{day1, day2}, Status: domain.Confirmed,
				DayStatus: map[domain.Day]domain.Status{day1: domain.Confirmed, day2: domain.Confirmed}},
			"w3": {ID: "w3", EmailKey: "key-w3", Organisation: "Jugendring", Days: []domain.Day{day1}, Status: domain.Waitlisted,
				DayStatus: map[domain.Day]domain.Status{day1: domain.Waitlisted}},
		},
		Waitlists: map[domain.Day][]domain.RegistrationID{day1: {"w3"}, day2: {}},
		CheckIns: map[domain.CheckIn]bool{{RegistrationID: "b", Day: day2}: true,
			{RegistrationID: "b", Day: day2, SessionID: "s2"}: true, {RegistrationID: "w1", Day: day1}: true},
	}
	if got := exported(w); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	for key, want := range map[string]bool{"key-a": false, "key-b": true, "key-w3": true} {
		if _, got := w.ActiveRegistration(key); got != want {
			t.Errorf("ActiveRegistration(%s) = %v, want %v", key, got, want)
		}
	}
	for _, tc := range []struct {
		day  domain.Day
		want int
	}{{day1, 2}, {day2, 2}, {day3, 0}} {
		if got := w.Confirmed(tc.day); got != tc.want {
			t.Errorf("got %d confirmed on %s, want %d", got, tc.day, tc.want)
		}
	}
	if !w.Scheduled() || !w.HasDay(day2) || w.HasDay(day3) {
		t.Errorf("got Scheduled %v, HasDay(day2) %v, HasDay(day3) %v, want true, true, false",
			w.Scheduled(), w.HasDay(day2), w.HasDay(day3))
	}
}

// exported is w without the counts it derives from its registrations, so that a test can spell
// out the state it wants.
func exported(w domain.Workshop) domain.Workshop {
	return domain.Workshop{ID: w.ID, Title: w.Title, Series: w.Series, Venue: w.Venue, Days: w.Days,
		Capacity: w.Capacity, Sessions: w.Sessions, Registrations: w.Registrations, Waitlists: w.Waitlists,
		CheckIns: w.CheckIns}
}

func TestFoldIsEvolveInOrder(t *testing.T) {
	var w domain.Workshop
	for _, e := range everyPartLog() {
		w = w.Evolve(e)
	}
	if folded := (domain.Workshop{}).Fold(everyPartLog()...); !reflect.DeepEqual(folded, w) {
		t.Errorf("got Fold %+v, want Evolve one by one %+v", folded, w)
	}
}

func TestZeroWorkshop(t *testing.T) {
	var w domain.Workshop
	if w.Scheduled() {
		t.Errorf("got Scheduled() = true for the zero workshop, want false")
	}
	if got := w.Confirmed(day1); got != 0 {
		t.Errorf("got %d confirmed in the zero workshop, want 0", got)
	}
	if c := w.Clone(); !reflect.DeepEqual(c, w) {
		t.Errorf("got clone %+v of the zero workshop, want the zero workshop", c)
	}
	if got := w.Fold(); !reflect.DeepEqual(got, w) {
		t.Errorf("got %+v from folding nothing, want the zero workshop", got)
	}
}

func TestCloneIsDeep(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*domain.Workshop)
	}{
		{"days", func(c *domain.Workshop) { c.Days[0] = day3 }},
		{"waitlist", func(c *domain.Workshop) { c.Waitlists[day1][0] = "x" }},
		{"a registration's day status", func(c *domain.Workshop) { c.Registrations["w3"].DayStatus[day1] = domain.Confirmed }},
		{"sessions", func(c *domain.Workshop) { delete(c.Sessions, "s2"); c.Sessions["x"] = domain.Session{} }},
		{"speakers of a session", func(c *domain.Workshop) { c.Sessions["s3"].Speakers[0] = "x" }},
		{"registrations", func(c *domain.Workshop) { delete(c.Registrations, "a"); c.Registrations["x"] = nil }},
		{"a registration", func(c *domain.Workshop) { c.Registrations["w3"].Status = domain.Confirmed }},
		{"a registration's days", func(c *domain.Workshop) { c.Registrations["w3"].Days[0] = day3 }},
		{"check-ins", func(c *domain.Workshop) { clear(c.CheckIns) }},
		{"evolving the clone", func(c *domain.Workshop) {
			*c = c.Fold(domain.SessionCancelled{SessionID: "s2"}, cancelled("w2"), promoted("w3"),
				checkedIn("w3", day1, ""), cancelled("b"))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			original, want := domain.Workshop{}.Fold(everyPartLog()...), domain.Workshop{}.Fold(everyPartLog()...)
			c := original.Clone()
			if !reflect.DeepEqual(c, original) {
				t.Fatalf("got clone %+v, want %+v", c, original)
			}
			tc.change(&c)
			if !reflect.DeepEqual(original, want) {
				t.Errorf("changing the clone's %s changed the original:\ngot  %+v\nwant %+v", tc.name, original, want)
			}
		})
	}
}

// TestEvolveCancelledDropsOnlyItsCheckIns checks that a cancelled registration loses its
// check-ins and nobody else's.
func TestEvolveCancelledDropsOnlyItsCheckIns(t *testing.T) {
	w := domain.Workshop{}.Fold(history(checkInBase, checkedIn("a", day1, ""), checkedIn("a", day1, "s1"),
		checkedIn("b", day1, ""), cancelled("a"))...)
	want := map[domain.CheckIn]bool{{RegistrationID: "b", Day: day1}: true}
	if !reflect.DeepEqual(w.CheckIns, want) {
		t.Errorf("got check-ins %v, want %v", w.CheckIns, want)
	}
	if !slices.Equal(w.Waitlists[day1], []domain.RegistrationID{"w"}) {
		t.Errorf("got waitlist %v, want [w]", w.Waitlists[day1])
	}
}
