package domain_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

var simDays = []domain.Day{day1, day2, day3}

// simulation drives one workshop with random commands and keeps what the invariants need.
type simulation struct {
	rng   *rand.Rand
	w     domain.Workshop
	log   []domain.Event
	order []domain.RegistrationID // registrations in the order they were made
	step  int
	// seen counts outcomes ("cancel promoted", "capacity error"), so that the test can tell
	// that it exercised the rules it checks.
	seen map[string]int
}

// pick returns a registration id that exists most of the time and an unknown one otherwise.
func (s *simulation) pick() domain.RegistrationID {
	if len(s.order) == 0 || s.rng.IntN(20) == 0 {
		return "unknown"
	}
	return s.order[s.rng.IntN(len(s.order))]
}

func (s *simulation) randomDays() []domain.Day {
	var days []domain.Day
	for _, d := range simDays {
		if s.rng.IntN(2) == 0 {
			days = append(days, d)
		}
	}
	if s.rng.IntN(50) == 0 {
		days = append(days, "2026-12-24") // not a day of the workshop
	}
	return days
}

// decide picks a random command and decides it on the current workshop.
func (s *simulation) decide() (string, []domain.Event, error) {
	r, w := s.rng, s.w
	switch n := r.IntN(100); {
	case n < 40:
		c := register(fmt.Sprint("r", s.step), s.randomDays()...)
		c.EmailKey = fmt.Sprint("key-p", r.IntN(60))
		events, err := w.Register(c)
		return "register", events, err
	case n < 56:
		events, err := w.CancelRegistration(s.pick())
		return "cancel", events, err
	case n < 60:
		events, err := w.Erase(domain.EraseParticipant{RegistrationID: s.pick()})
		return "erase", events, err
	case n < 72:
		events, err := w.Change(domain.ChangeWorkshop{Capacity: ptr(max(1, w.Capacity+r.IntN(5)-2))})
		return "capacity", events, err
	case n < 75:
		events, err := w.Change(domain.ChangeWorkshop{Title: ptr(fmt.Sprint("Werkstatt ", r.IntN(3)))})
		return "title", events, err
	case n < 87:
		c := domain.CheckInParticipant{RegistrationID: s.pick(), Day: simDays[r.IntN(len(simDays))]}
		if r.IntN(2) == 0 {
			c.SessionID = domain.SessionID(fmt.Sprint("s", r.IntN(6)))
		}
		events, err := w.CheckIn(c)
		return "check-in", events, err
	case n < 92:
		c := domain.CheckInParticipant{RegistrationID: s.pick(), Day: simDays[r.IntN(len(simDays))]}
		events, err := w.AnnulCheckIn(c)
		return "annul", events, err
	case n < 97:
		starts := 8 + r.IntN(8)
		events, err := w.Plan(domain.PlanSession{Session: domain.Session{ID: domain.SessionID(fmt.Sprint("s", r.IntN(6))),
			Title: "Session", Kind: domain.Talk, Day: simDays[r.IntN(len(simDays))],
			Starts: fmt.Sprintf("%02d:00", starts), Ends: fmt.Sprintf("%02d:30", starts+r.IntN(2)),
			Room: fmt.Sprint("Saal ", r.IntN(2))}})
		return "plan", events, err
	default:
		events, err := w.CancelSession(domain.SessionID(fmt.Sprint("s", r.IntN(6))))
		return "cancel session", events, err
	}
}

// run decides steps commands, evolves the workshop by each decision and checks the invariants.
func (s *simulation) run(t *testing.T, steps int) {
	t.Helper()
	for s.step = range steps {
		// Comparing the whole state is the expensive part, and the table tests check it for
		// every rule; a sample suffices here.
		check := s.step%25 == 0
		var before domain.Workshop
		if check {
			before = s.w.Clone()
		}
		what, events, err := s.decide()
		if check && !reflect.DeepEqual(s.w, before) {
			t.Fatalf("step %d: %s changed the workshop it decided on", s.step, what)
		}
		if err != nil {
			s.seen[what+" error"]++
			if len(events) != 0 {
				t.Fatalf("step %d: %s got events %s with error %v, want no events", s.step, what, show(events), err)
			}
			if n := len(slices.DeleteFunc(slices.Clone(classes), func(c error) bool { return !errors.Is(err, c) })); n != 1 {
				t.Fatalf("step %d: %s got error %q matching %d classes, want exactly one", s.step, what, err, n)
			}
			continue
		}
		if len(events) == 0 {
			s.seen[what+" no-op"]++
		} else {
			s.seen[what]++
		}
		s.w = s.w.Fold(events...)
		s.log = append(s.log, events...)
		for _, e := range events {
			switch e := e.(type) {
			case domain.ParticipantRegistered:
				s.order = append(s.order, e.RegistrationID)
			case domain.RegistrationWaitlisted:
				s.seen["waitlisted"]++
			case domain.RegistrationConfirmed:
				if e.FromWaitlist {
					s.seen[what+" promoted"]++
				}
			}
		}
		if msg := s.broken(events); msg != "" {
			t.Fatalf("step %d: after %s decided %s: %s", s.step, what, show(events), msg)
		}
	}
}

// broken returns which invariant the workshop breaks after a decision, or "".
func (s *simulation) broken(events []domain.Event) string {
	w := s.w
	full := map[domain.Day]bool{}
	for _, d := range w.Days {
		n := 0 // counted here, not trusted from the workshop's own count
		for _, r := range w.Registrations {
			if r.ConfirmedOn(d) {
				n++
			}
		}
		if got := w.Confirmed(d); got != n {
			return fmt.Sprintf("Confirmed(%s) = %d, but %d registrations are confirmed on it", d, got, n)
		}
		if n > w.Capacity {
			return fmt.Sprintf("got %d confirmed on %s, want at most the capacity %d", n, d, w.Capacity)
		}
		full[d] = n == w.Capacity
	}
	waiting := map[domain.Day][]domain.RegistrationID{}
	active := map[string]domain.RegistrationID{}
	for _, id := range s.order {
		r := w.Registrations[id]
		for _, d := range r.Days {
			if r.Status != domain.Cancelled && r.DayStatus[d] != domain.Confirmed && r.DayStatus[d] != domain.Waitlisted {
				return fmt.Sprintf("got %s with status %q on its day %s, want confirmed or waitlisted", id, r.DayStatus[d], d)
			}
			if r.WaitlistedOn(d) && !full[d] {
				return fmt.Sprintf("got %s waitlisted on %s with a seat free, want it confirmed", id, d)
			}
		}
		if want := overall(r); r.Status != want {
			return fmt.Sprintf("got %s with status %s and days %v, want %s", id, r.Status, r.DayStatus, want)
		}
		for d, st := range r.DayStatus {
			if st == domain.Waitlisted {
				waiting[d] = append(waiting[d], id)
			}
		}
		// An erased registration no longer holds its email, even when it keeps its seat.
		if r.Status != domain.Cancelled && !r.Erased {
			if other, ok := active[r.EmailKey]; ok {
				return fmt.Sprintf("got %s and %s active with one email, want one", other, id)
			}
			active[r.EmailKey] = id
		}
	}
	for key, id := range active {
		if got, ok := w.ActiveRegistration(key); !ok || got != id {
			return fmt.Sprintf("ActiveRegistration(%s) = %s, %v, want %s", key, got, ok, id)
		}
	}
	for _, d := range w.Days {
		// The simulation never adds a full day to a confirmed person, so each day's waitlist
		// is in registration order.
		if got := w.Waitlists[d]; !slices.Equal(got, waiting[d]) {
			return fmt.Sprintf("got waitlist %v on %s, want the waitlisted in registration order %v", got, d, waiting[d])
		}
	}
	for _, e := range events {
		if e, ok := e.(domain.RegistrationWaitlisted); ok {
			for d, p := range e.Positions {
				if w.WaitlistPosition(e.RegistrationID, d) != p {
					return fmt.Sprintf("got position %d for %s on %s, want its place in %v", p, e.RegistrationID, d, w.Waitlists[d])
				}
			}
		}
	}
	for _, e := range events {
		if e, ok := e.(domain.PersonalDataErased); ok {
			if r := w.Registrations[e.RegistrationID]; !r.Erased || r.Status == domain.Waitlisted {
				return fmt.Sprintf("got %s erased %v with status %s, want erased and not waiting", r.ID, r.Erased, r.Status)
			}
		}
	}
	for c := range w.CheckIns {
		if r := w.Registrations[c.RegistrationID]; r.Status != domain.Confirmed || !slices.Contains(r.Days, c.Day) {
			return fmt.Sprintf("got check-in %+v of a registration %s for %v, want confirmed for that day", c, r.Status, r.Days)
		}
	}
	return ""
}

func TestInvariantsOverRandomCommands(t *testing.T) {
	s := &simulation{rng: rand.New(rand.NewPCG(2026, 11)), seen: map[string]int{}}
	events, err := s.w.Schedule(domain.ScheduleWorkshop{ID: workshopID, Title: "Werkstatt", Venue: "Rathaus",
		Days: simDays, Capacity: 4})
	if err != nil {
		t.Fatalf("scheduling: %v", err)
	}
	s.w, s.log = s.w.Fold(events...), events
	s.run(t, 4000)

	if replayed := (domain.Workshop{}).Fold(s.log...); !reflect.DeepEqual(replayed, s.w) {
		t.Errorf("got %+v replaying the log, want the state evolved step by step %+v", replayed, s.w)
	}
	// Without these the invariants would hold vacuously.
	for _, outcome := range []string{"register", "register error", "waitlisted", "cancel", "cancel promoted",
		"capacity", "capacity promoted", "capacity error", "capacity no-op", "title", "check-in", "check-in no-op",
		"check-in error", "annul", "annul error", "plan", "plan error", "cancel session",
		"erase", "erase no-op", "erase error", "erase promoted"} {
		if s.seen[outcome] == 0 {
			t.Errorf("got no %q in %d steps, want the simulation to reach it (seen: %v)", outcome, 4000, s.seen)
		}
	}
	t.Logf("outcomes: %v", s.seen)
}

// overall is a registration's status as its days tell it.
func overall(r *domain.Registration) domain.Status {
	switch {
	case r.Status == domain.Cancelled:
		return domain.Cancelled
	case slices.ContainsFunc(r.Days, r.ConfirmedOn):
		return domain.Confirmed
	default:
		return domain.Waitlisted
	}
}
