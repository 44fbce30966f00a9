package projectionstest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/internal/scenario"
	"github.com/werkstatt/werkstatt/projections"
)

// dayFacts is what the read models tell of one registration's days.
type dayFacts struct {
	Status    domain.Status
	Days      map[domain.Day]domain.Status
	Positions map[domain.Day]int
	Position  int
}

func checkDayFacts(t *testing.T, s projections.Store, want map[domain.RegistrationID]dayFacts) {
	t.Helper()
	ctx := context.Background()
	list, err := s.Registrations(ctx, w1)
	if err != nil {
		t.Fatalf("Registrations(W1): %v", err)
	}
	for _, r := range list {
		got := dayFacts{r.Status, r.DayStatus, r.WaitlistPositions, r.WaitlistPosition}
		if w, ok := want[r.ID]; ok && !reflect.DeepEqual(got, w) {
			t.Errorf("Registrations: %s = %+v, want %+v", r.ID, got, w)
		}
		one, err := s.Registration(ctx, w1, r.ID)
		got = dayFacts{one.Status, one.DayStatus, one.WaitlistPositions, one.WaitlistPosition}
		if w, ok := want[r.ID]; ok && (err != nil || !reflect.DeepEqual(got, w)) {
			t.Errorf("Registration(%s) = %+v, %v; want %+v", r.ID, got, err, w)
		}
	}
}

func checkSeats(t *testing.T, s projections.Store, want []projections.DaySeats) {
	t.Helper()
	w, err := s.Workshop(context.Background(), w1)
	if err != nil || !reflect.DeepEqual(w.Seats, want) {
		t.Errorf("Seats = %+v, %v; want %+v", w.Seats, err, want)
	}
}

func checkDays(t *testing.T, s projections.Store, confirmed, waitlisted, cancelled int, days []projections.DayAttendance) {
	t.Helper()
	a, err := s.Attendance(context.Background(), w1)
	if err != nil {
		t.Fatal(err)
	}
	if a.Confirmed != confirmed || a.Waitlisted != waitlisted || a.Cancelled != cancelled || !reflect.DeepEqual(a.Days, days) {
		t.Errorf("Attendance = %d confirmed, %d waitlisted, %d cancelled, days %+v; want %d, %d, %d, %+v",
			a.Confirmed, a.Waitlisted, a.Cancelled, a.Days, confirmed, waitlisted, cancelled, days)
	}
}

type stat = map[domain.Day]domain.Status

const (
	c = domain.Confirmed
	w = domain.Waitlisted
)

// testPerDay: a registration is confirmed or waitlisted per day; each day's waitlist numbers
// its people in the order they were waitlisted there, and seats and attendance count per day.
func testPerDay(t *testing.T, s projections.Store) {
	h := scenario.NewHistory(time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC))
	schedule(h, w1, "Werkstatt", []domain.Day{d1, d2}, 1)
	register(h, r1, "Verein A", nil)              // both days
	register(h, r2, "Verein B", []domain.Day{d1}) // waits on d1
	register(h, r3, "Verein C", nil)              // waits on both
	register(h, r4, "Verein D", []domain.Day{d2}) // waits on d2 behind R3
	change := func(id domain.RegistrationID, days ...domain.Day) {
		h.Must(w1, func(x domain.Workshop) ([]domain.Event, error) {
			return x.ChangeRegistration(domain.ChangeRegistration{ID: id, Days: &days})
		})
	}
	change(r1, d1)     // frees d2: R3 is promoted there
	change(r1, d1, d2) // R1 waits for d2 again, behind R4 who waited first
	ApplyAll(t, s, h.Events, 3)
	checkDayFacts(t, s, map[domain.RegistrationID]dayFacts{
		r1: {c, stat{d1: c, d2: w}, map[domain.Day]int{d2: 2}, 2},
		r2: {w, stat{d1: w}, map[domain.Day]int{d1: 1}, 1},
		r3: {c, stat{d1: w, d2: c}, map[domain.Day]int{d1: 2}, 2},
		r4: {w, stat{d2: w}, map[domain.Day]int{d2: 1}, 1},
	})
	checkSeats(t, s, []projections.DaySeats{{Day: d1, Confirmed: 1}, {Day: d2, Confirmed: 1}})
	checkDays(t, s, 2, 2, 0, []projections.DayAttendance{{Day: d1, Confirmed: 1, Waitlisted: 2}, {Day: d2, Confirmed: 1, Waitlisted: 2}})

	h.Must(w1, func(x domain.Workshop) ([]domain.Event, error) { return x.CancelRegistration(r3) })
	ApplyAll(t, s, h.Events, 3)
	checkDayFacts(t, s, map[domain.RegistrationID]dayFacts{
		r1: {c, stat{d1: c, d2: w}, map[domain.Day]int{d2: 1}, 1},
		r2: {w, stat{d1: w}, map[domain.Day]int{d1: 1}, 1},
		r3: {domain.Cancelled, stat{}, map[domain.Day]int{}, 0},
		r4: {c, stat{d2: c}, map[domain.Day]int{}, 0},
	})
	checkSeats(t, s, []projections.DaySeats{{Day: d1, Confirmed: 1}, {Day: d2, Confirmed: 1}})
	checkDays(t, s, 2, 1, 1, []projections.DayAttendance{{Day: d1, Confirmed: 1, Waitlisted: 1}, {Day: d2, Confirmed: 1, Waitlisted: 1}})
}

// testOldLog: events as they were written before per-day waitlists (confirmations and
// waitlistings of every day, changes carrying the status) give the read models they gave then.
func testOldLog(t *testing.T, s projections.Store) {
	at := time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)
	var log []domain.Recorded
	add := func(seq uint64, events ...domain.Event) {
		for _, e := range events {
			log = append(log, domain.Recorded{Seq: seq, Workshop: w1, At: at.Add(time.Duration(seq) * time.Minute), Event: e})
		}
	}
	registered := func(id domain.RegistrationID, days ...domain.Day) domain.Event {
		return domain.ParticipantRegistered{RegistrationID: id, Person: &domain.Person{Name: "Name " + string(id),
			Email: string(id) + "@example.org"}, EmailKey: "key-" + string(id), Organisation: "Verein", Days: days,
			TokenHash: "hash-" + string(id)}
	}
	changed := func(id domain.RegistrationID, st domain.Status, days ...domain.Day) domain.Event {
		return domain.RegistrationChanged{RegistrationID: id, Organisation: "Verein", Days: days, Status: st}
	}
	add(1, domain.WorkshopScheduled{ID: w1, Title: "Alt", Venue: "Rathaus", Days: []domain.Day{d1, d2}, Capacity: 1})
	add(2, registered(r1, d1, d2), domain.RegistrationConfirmed{RegistrationID: r1})
	add(3, registered(r2, d1, d2), domain.RegistrationWaitlisted{RegistrationID: r2, Position: 1})
	add(5, registered(r3, d1), domain.RegistrationWaitlisted{RegistrationID: r3, Position: 2})
	add(6, registered(r4, d2), domain.RegistrationWaitlisted{RegistrationID: r4, Position: 3})
	add(7, changed(r2, w, d2))
	add(8, changed(r3, w, d1, d2)) // keeps its place, in front of R4 on d2
	// R1 leaves: the one waitlist of that time promotes R2 (d2 fits); R3 does not fit (d2).
	add(9, domain.RegistrationCancelled{RegistrationID: r1}, domain.RegistrationConfirmed{RegistrationID: r2, FromWaitlist: true})
	add(10, registered(r5, d1), domain.RegistrationWaitlisted{RegistrationID: r5, Position: 3})
	ApplyAll(t, s, log, 2)
	checkDayFacts(t, s, map[domain.RegistrationID]dayFacts{
		r1: {domain.Cancelled, stat{}, map[domain.Day]int{}, 0},
		r2: {c, stat{d2: c}, map[domain.Day]int{}, 0},
		r3: {w, stat{d1: w, d2: w}, map[domain.Day]int{d1: 1, d2: 1}, 1},
		r4: {w, stat{d2: w}, map[domain.Day]int{d2: 2}, 2},
		r5: {w, stat{d1: w}, map[domain.Day]int{d1: 2}, 2},
	})
	checkSeats(t, s, []projections.DaySeats{{Day: d1, Confirmed: 0, Free: 1}, {Day: d2, Confirmed: 1}})
	checkDays(t, s, 1, 3, 1, []projections.DayAttendance{{Day: d1, Waitlisted: 2}, {Day: d2, Confirmed: 1, Waitlisted: 2}})
	// The domain folds the same log to the same waitlists.
	var events []domain.Event
	for _, e := range log {
		events = append(events, e.Event)
	}
	x := domain.Workshop{}.Fold(events...)
	for id, want := range map[domain.RegistrationID]map[domain.Day]int{r3: {d1: 1, d2: 1}, r4: {d2: 2}, r5: {d1: 2}} {
		for d, p := range want {
			if got := x.WaitlistPosition(id, d); got != p {
				t.Errorf("domain: %s at position %d on %s, want %d", id, got, d, p)
			}
		}
	}
}

// testLinkRequested: a request for the personal link switches the registration's token hash to
// the one it carries, and only that registration's; the language the person registered in is
// kept for their mails.
func testLinkRequested(t *testing.T, s projections.Store) {
	at := time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)
	rec := func(seq uint64, e domain.Event) domain.Recorded {
		return domain.Recorded{Seq: seq, Workshop: w1, At: at, Event: e}
	}
	reg := func(id domain.RegistrationID) domain.Event {
		return domain.ParticipantRegistered{RegistrationID: id, Person: &domain.Person{Name: "N", Email: string(id) + "@example.org"},
			EmailKey: "key-" + string(id), Organisation: "Verein", Days: []domain.Day{d1}, TokenHash: "random-" + string(id),
			Lang: map[domain.RegistrationID]string{r1: "en"}[id]}
	}
	ApplyAll(t, s, []domain.Recorded{
		rec(1, domain.WorkshopScheduled{ID: w1, Title: "T", Venue: "V", Days: []domain.Day{d1}, Capacity: 5}),
		rec(2, reg(r1)), rec(2, domain.RegistrationConfirmed{RegistrationID: r1}),
		rec(3, reg(r2)), rec(3, domain.RegistrationConfirmed{RegistrationID: r2}),
		rec(4, domain.LinkRequested{RegistrationID: r1, TokenHash: "derived-r1"}),
	}, 2)
	for id, want := range map[domain.RegistrationID]string{r1: "derived-r1", r2: "random-" + string(r2)} {
		if v, err := s.Registration(context.Background(), w1, id); err != nil || v.TokenHash != want {
			t.Errorf("token hash of %s: %q, %v; want %q", id, v.TokenHash, err, want)
		}
	}
	for id, want := range map[domain.RegistrationID]string{r1: "en", r2: ""} {
		if v, err := s.Registration(context.Background(), w1, id); err != nil || v.Lang != want {
			t.Errorf("language of %s: %q, %v; want %q", id, v.Lang, err, want)
		}
	}
}
