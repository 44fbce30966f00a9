package domain_test

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

func planCafe(seed uint64) command {
	return func(w domain.Workshop) ([]domain.Event, error) {
		return w.PlanCafe(domain.PlanCafe{SessionID: "c1", Seed: seed})
	}
}

// decideOK decides when on the workshop of given and fails the test on an error.
func decideOK(t *testing.T, w domain.Workshop, when command) []domain.Event {
	t.Helper()
	events, err := when(w)
	if err != nil {
		t.Fatalf("deciding: %v", err)
	}
	return events
}

func planOf(t *testing.T, events []domain.Event) domain.RotationPlanned {
	t.Helper()
	if len(events) != 1 {
		t.Fatalf("got events %s, want one RotationPlanned", show(events))
	}
	p, ok := events[0].(domain.RotationPlanned)
	if !ok {
		t.Fatalf("got %s, want RotationPlanned", show(events))
	}
	return p
}

func TestPlanCafeRules(t *testing.T) {
	runDecisions(t, []decision{
		{name: "no tables", given: cafeBase(), when: planCafe(1), err: domain.ErrNoTables, class: domain.ErrConflict},
		{name: "not a café", given: cafeBase(), when: func(w domain.Workshop) ([]domain.Event, error) {
			return w.PlanCafe(domain.PlanCafe{SessionID: "s9"})
		}, err: domain.ErrNotThemeCafe, class: domain.ErrConflict},
		{name: "publish without a plan", given: withTables(), when: func(w domain.Workshop) ([]domain.Event, error) {
			return w.PublishPlan("c1")
		}, err: domain.ErrNoPlan, class: domain.ErrConflict},
		{name: "move without a plan", given: withTables(), when: move("a", 1, "t1"), err: domain.ErrNoPlan, class: domain.ErrConflict},
	})
}

func move(id domain.RegistrationID, round int, tid domain.TableID) command {
	return func(w domain.Workshop) ([]domain.Event, error) {
		return w.MoveGuest(domain.MoveGuest{SessionID: "c1", RegistrationID: id, Round: round, TableID: tid})
	}
}

// TestPlanCafePlacesConfirmedGuests: only people confirmed for the café's day are placed, the
// host stays at their table, rankings count, and the same state and seed give the same plan.
func TestPlanCafePlacesConfirmedGuests(t *testing.T) {
	log := history(withTables(), opened(),
		domain.PreferencesStated{SessionID: "c1", RegistrationID: "a", Ranking: []domain.TableID{"t3"}})
	w := domain.Workshop{}.Fold(log...)
	p := planOf(t, decideOK(t, w, planCafe(7)))
	if got := slices.Sorted(maps.Keys(p.Plan.Seats)); !slices.Equal(got, []domain.RegistrationID{"a", "b"}) {
		t.Errorf("got seated %v, want [a b] (c hosts, d comes on day2, w is waitlisted)", got)
	}
	if p.Plan.Seats["a"][0] != "t3" && p.Plan.Seats["a"][1] != "t3" && p.Plan.Seats["a"][2] != "t3" {
		t.Errorf("got route %v for a, want its first choice t3 in some round", p.Plan.Seats["a"])
	}
	if p.Seed != 7 || p.Quality.Visits != 6 {
		t.Errorf("got seed %d and %d visits, want 7 and 6", p.Seed, p.Quality.Visits)
	}
	if again := planOf(t, decideOK(t, w, planCafe(7))); !reflect.DeepEqual(again, p) {
		t.Errorf("got plan %+v the second time, want the same %+v", again, p)
	}
	present := history(log, checkedIn("b", day1, ""), checkedIn("a", day2, ""))
	only := planOf(t, decideOK(t, domain.Workshop{}.Fold(present...), func(w domain.Workshop) ([]domain.Event, error) {
		return w.PlanCafe(domain.PlanCafe{SessionID: "c1", PresentOnly: true})
	}))
	if got := slices.Sorted(maps.Keys(only.Plan.Seats)); !slices.Equal(got, []domain.RegistrationID{"b"}) {
		t.Errorf("got seated %v with PresentOnly, want [b] (a was checked in on another day)", got)
	}
}

// TestCancellationFreesSeats: RegistrationCancelled frees the seats in the same decision,
// without changing the recorded plan event.
func TestCancellationFreesSeats(t *testing.T) {
	base := history(withTables())
	w := domain.Workshop{}.Fold(base...)
	plan := planOf(t, decideOK(t, w, planCafe(1)))
	w = w.Fold(plan, cancelled("a"), cancelled("c"))
	c := w.ThemeCafes["c1"]
	if _, ok := c.Plan.Seats["a"]; ok {
		t.Errorf("got a seated after cancelling, want the seats freed")
	}
	if _, ok := plan.Plan.Seats["a"]; !ok {
		t.Errorf("got the recorded event changed by the cancellation, want it as recorded")
	}
	if tb, _ := c.Table("t3"); tb.Host != "" {
		t.Errorf("got host %q of t3 after the host cancelled, want none", tb.Host)
	}
}

func TestTableRemovedAfterPlanning(t *testing.T) {
	w := domain.Workshop{}.Fold(withTables()...)
	plan := planOf(t, decideOK(t, w, planCafe(1)))
	w = w.Fold(plan, domain.TableRemoved{SessionID: "c1", TableID: "t1"})
	c := w.ThemeCafes["c1"]
	for g, seats := range c.Plan.Seats {
		if slices.Contains(seats, "t1") {
			t.Errorf("got %s at the removed table: %v", g, seats)
		}
	}
	if n := len(c.Plan.Unseated); n != 2 || c.Plan.Unseated[0].Reason != domain.TableRemovedReason {
		t.Errorf("got unseated %+v, want a and b without a seat for the removed table", c.Plan.Unseated)
	}
}

func TestMoveGuestAndPublish(t *testing.T) {
	base := history(withTables(), domain.RoundsSet{SessionID: "c1", Rounds: 2})
	w := domain.Workshop{}.Fold(base...)
	plan := planOf(t, decideOK(t, w, planCafe(3)))
	seats := plan.Plan.Seats["a"]
	free := slices.DeleteFunc([]domain.TableID{"t1", "t2", "t3"}, func(t domain.TableID) bool { return slices.Contains(seats, t) })[0]
	planned := history(base, plan)
	moved := domain.GuestMoved{SessionID: "c1", RegistrationID: "a", Round: 1, TableID: free}
	published := domain.RotationPublished{SessionID: "c1"}
	runDecisions(t, []decision{
		{name: "to the own seat", given: planned, when: move("a", 1, seats[0])},
		{name: "to a table visited in the other round", given: planned, when: move("a", 1, seats[1]),
			err: domain.ErrTableVisited, class: domain.ErrConflict},
		{name: "the host", given: planned, when: move("c", 1, "t1"), err: domain.ErrHostSeated, class: domain.ErrConflict},
		{name: "somebody the plan does not know", given: planned, when: move("d", 1, "t1"),
			err: domain.ErrRegistrationNotFound, class: domain.ErrNotFound},
		{name: "an unknown table", given: planned, when: move("a", 1, "x"), err: domain.ErrTableNotFound, class: domain.ErrNotFound},
		{name: "round out of range", given: planned, when: move("a", 3, free), fields: []string{"round"}},
		{name: "after the rounds changed", given: history(planned, domain.RoundsSet{SessionID: "c1", Rounds: 3}),
			when: move("a", 1, free), err: domain.ErrPlanOutdated, class: domain.ErrConflict},
		{name: "publish", given: planned, when: func(w domain.Workshop) ([]domain.Event, error) { return w.PublishPlan("c1") },
			then: []domain.Event{published}},
		{name: "publish twice", given: history(planned, published),
			when: func(w domain.Workshop) ([]domain.Event, error) { return w.PublishPlan("c1") }},
	})
	events := decideOK(t, domain.Workshop{}.Fold(planned...), move("a", 1, free))
	if len(events) != 1 {
		t.Fatalf("got events %s for a move to a table with room, want one", show(events))
	}
	got := events[0].(domain.GuestMoved)
	if moved.Quality = got.Quality; got != moved || got.Quality.Visits != 4 {
		t.Errorf("got %+v for a move to a table with room, want %+v with 4 visits", got, moved)
	}
	after := domain.Workshop{}.Fold(history(planned, events, published)...).ThemeCafes["c1"]
	if got := after.Route("a"); got[0] != free || !after.Published {
		t.Errorf("got route %v, published %v after the move; want %s first, published", got, after.Published, free)
	}
	replanned := domain.Workshop{}.Fold(history(planned, published, plan)...).ThemeCafes["c1"]
	if replanned.Published {
		t.Errorf("got a new plan published, want it unpublished until published again")
	}
}

// TestReplanMovesFew: a late registration and a cancellation after planning are fitted in by a
// re-plan that keeps almost everybody's seats.
func TestReplanMovesFew(t *testing.T) {
	log := cafeBase()
	for i := range 4 {
		log = append(log, added(table(fmt.Sprint("t", i), fmt.Sprint("Thema ", i), 6)))
	}
	log = append(log, opened())
	for i := range 20 {
		id := fmt.Sprint("p", i)
		log = append(log, confirmed(id, day1)...)
		log = append(log, domain.PreferencesStated{SessionID: "c1", RegistrationID: domain.RegistrationID(id),
			Ranking: []domain.TableID{domain.TableID(fmt.Sprint("t", i%4)), domain.TableID(fmt.Sprint("t", (i+1)%4))}})
	}
	w := domain.Workshop{}.Fold(log...)
	first := planOf(t, decideOK(t, w, planCafe(11)))
	w = w.Fold(first, cancelled("p3"))
	w = w.Fold(confirmed("late", day1)...)
	second := planOf(t, decideOK(t, w, planCafe(12)))
	if _, ok := second.Plan.Seats["late"]; !ok || second.Quality.Unseated != 0 {
		t.Errorf("got late seated %v and %d missing seats, want late seated and none missing", ok, second.Quality.Unseated)
	}
	if second.Quality.Moved > 3 {
		t.Errorf("got %d people moved by the re-plan, want at most 3", second.Quality.Moved)
	}
	if err := second.Plan.Check(inputOf(w)); err != nil && !errors.Is(err, domain.ErrSeatMissing) {
		t.Errorf("got a re-plan that breaks a rule: %v", err)
	}
}

// inputOf is the planner's input of café c1, rebuilt the way a test can see it.
func inputOf(w domain.Workshop) domain.RotationInput {
	c := w.ThemeCafes["c1"]
	in := domain.RotationInput{Rounds: c.Rounds}
	for _, t := range c.Tables {
		in.Tables = append(in.Tables, domain.RotationTable{ID: t.ID, Capacity: t.Capacity, Host: t.Host})
	}
	for id, r := range w.Registrations {
		if r.Status == domain.Confirmed && slices.Contains(r.Days, day1) {
			in.Guests = append(in.Guests, domain.RotationGuest{ID: id, Organisation: r.Organisation, Ranking: c.Preferences[id]})
		}
	}
	return in
}
