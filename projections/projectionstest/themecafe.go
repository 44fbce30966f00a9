package projectionstest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/internal/scenario"
	"github.com/werkstatt/werkstatt/projections"
)

// Theme cafés of the café fixture: C1 is planned, moved, published and has notes; C2 is
// cancelled with its session.
const c1, c2 domain.SessionID = "C1", "C2"

// cafeFixture decides a theme café with the real rules: 8 participants (P7 on the other day),
// tables T1-T3 (T3 hosted by P0), rankings, a plan, a move, publication, notes, then a table
// removed, a cancellation and a second plan's worth of changes.
func cafeFixture(t *testing.T) *scenario.History {
	t.Helper()
	h := scenario.NewHistory(time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC))
	schedule(h, w1, "Werkstatt", []domain.Day{d1, d2}, 20)
	plan(h, domain.Session{ID: c1, Title: "Themencafé", Kind: domain.ThemeCafe, Day: d1, Starts: "10:00", Ends: "12:00"})
	plan(h, domain.Session{ID: c2, Title: "Zweites Café", Kind: domain.ThemeCafe, Day: d2, Starts: "10:00", Ends: "12:00"})
	for i := range 8 {
		day := d1
		if i == 7 {
			day = d2
		}
		register(h, domain.RegistrationID(fmt.Sprint("P", i)), fmt.Sprint("Verein ", i%3), []domain.Day{day})
	}
	for i, host := range []domain.RegistrationID{"", "", "P0"} {
		id := domain.TableID(fmt.Sprint("T", i+1))
		must(t, h, func(w domain.Workshop) ([]domain.Event, error) {
			return w.AddTable(domain.AddTable{SessionID: c1, Table: domain.Table{ID: id, Topic: "Thema " + string(id),
				Host: host, HostGuest: map[bool]string{true: "Dr. Gast"}[host == "" && i == 0], Capacity: 3}})
		})
	}
	must(t, h, func(w domain.Workshop) ([]domain.Event, error) {
		return w.SetRounds(domain.SetRounds{SessionID: c1, Rounds: 2})
	})
	must(t, h, func(w domain.Workshop) ([]domain.Event, error) { return w.OpenPreferences(c1) })
	for i, ranking := range [][]domain.TableID{{"T1"}, {"T2", "T1"}, {"T3"}, {"T1", "T3"}, {"T2"}} {
		must(t, h, func(w domain.Workshop) ([]domain.Event, error) {
			return w.StatePreferences(domain.StatePreferences{SessionID: c1, RegistrationID: domain.RegistrationID(fmt.Sprint("P", i+1)), Ranking: ranking})
		})
	}
	must(t, h, func(w domain.Workshop) ([]domain.Event, error) { return w.ClosePreferences(c1) })
	must(t, h, func(w domain.Workshop) ([]domain.Event, error) {
		return w.PlanCafe(domain.PlanCafe{SessionID: c1, Seed: 9})
	})
	route := h.Workshop(w1).ThemeCafes[c1].Route("P1")
	to := slices.DeleteFunc([]domain.TableID{"T1", "T2", "T3"}, func(x domain.TableID) bool { return slices.Contains(route, x) })[0]
	must(t, h, func(w domain.Workshop) ([]domain.Event, error) {
		return w.MoveGuest(domain.MoveGuest{SessionID: c1, RegistrationID: "P1", Round: 2, TableID: to})
	})
	must(t, h, func(w domain.Workshop) ([]domain.Event, error) { return w.PublishPlan(c1) })
	for _, tb := range []domain.TableID{"T1", "T2"} {
		must(t, h, func(w domain.Workshop) ([]domain.Event, error) {
			return w.RecordNotes(domain.RecordNotes{SessionID: c1, TableID: tb, Round: 1,
				Notes: domain.TableNotes{KeyPoints: []string{"Punkt " + string(tb)}, OpenQuestions: []string{"Frage?"}}})
		})
	}
	must(t, h, func(w domain.Workshop) ([]domain.Event, error) { return w.RemoveTable(c1, "T2") })
	must(t, h, func(w domain.Workshop) ([]domain.Event, error) { return w.CancelRegistration("P0") })
	must(t, h, func(w domain.Workshop) ([]domain.Event, error) { return w.CancelRegistration("P4") })
	must(t, h, func(w domain.Workshop) ([]domain.Event, error) { return w.CancelSession(c2) })
	return h
}

func must(t *testing.T, h *scenario.History, decide domain.Decision) {
	t.Helper()
	if _, err := h.Decide(w1, decide); err != nil {
		t.Fatalf("fixture decision: %v", err)
	}
}

// wantCafe is the view the domain's state implies.
func wantCafe(h *scenario.History, sid domain.SessionID) projections.ThemeCafeView {
	c := h.Workshop(w1).ThemeCafes[sid]
	v := projections.ThemeCafeView{Workshop: w1, Session: sid, Rounds: c.Rounds, Tables: slices.Clone(c.Tables),
		Collection: c.Collection, Preferences: c.Preferences, Plan: c.Plan, Seed: c.PlanSeed, Quality: c.Quality,
		Published: c.Published, ChangedSincePlan: true}
	for k, n := range c.Notes {
		v.Notes = append(v.Notes, projections.CafeNotes{Table: k.Table, Round: k.Round, Notes: n})
	}
	v.Normalise()
	return v
}

func testThemeCafes(t *testing.T, s projections.Store) {
	h := cafeFixture(t)
	ApplyAll(t, s, h.Events, 5)
	ctx := context.Background()
	got, err := s.ThemeCafe(ctx, w1, c1)
	if err != nil {
		t.Fatalf("ThemeCafe(C1): %v", err)
	}
	for i := range got.Notes {
		if got.Notes[i].RecordedAt.IsZero() {
			t.Errorf("notes %d have no time, want the time of their event", i)
		}
		got.Notes[i].RecordedAt = time.Time{}
	}
	want := wantCafe(h, c1)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ThemeCafe(C1) =\n%+v\nwant the domain's\n%+v", got, want)
	}
	if got.Chose() != 3 || len(got.Tables) != 2 || got.Plan == nil || len(got.Notes) != 1 {
		t.Errorf("got %d chose, %d tables, plan %v, %d notes; want 3 (P4 cancelled, P5 ranked only T2), 2, a plan, 1", got.Chose(), len(got.Tables), got.Plan != nil, len(got.Notes))
	}
	for _, sid := range []domain.SessionID{c2, s1, "nope"} {
		if _, err := s.ThemeCafe(ctx, w1, sid); !errors.Is(err, domain.ErrSessionNotFound) {
			t.Errorf("ThemeCafe(%s): got %v, want %v", sid, err, domain.ErrSessionNotFound)
		}
	}
	ApplyAll(t, s, h.Events, 3) // redelivered: skipped
	again, err := s.ThemeCafe(ctx, w1, c1)
	if err != nil || !reflect.DeepEqual(zeroTimes(again), want) {
		t.Errorf("after redelivery ThemeCafe(C1) = %+v, %v; want it unchanged", again, err)
	}
}

// testThemeCafeBatches: one event per batch gives the same café, also right after the plan.
func testThemeCafeBatches(t *testing.T, s projections.Store) {
	h := cafeFixture(t)
	ApplyAll(t, s, h.Events, 1)
	got, err := s.ThemeCafe(context.Background(), w1, c1)
	if err != nil {
		t.Fatal(err)
	}
	m := projections.NewMemory()
	ApplyAll(t, m, h.Events, 500)
	want, _ := m.ThemeCafe(context.Background(), w1, c1)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("café with batches of 1 =\n%+v\nwant\n%+v", got, want)
	}
}

func zeroTimes(v projections.ThemeCafeView) projections.ThemeCafeView {
	for i := range v.Notes {
		v.Notes[i].RecordedAt = time.Time{}
	}
	return v
}
