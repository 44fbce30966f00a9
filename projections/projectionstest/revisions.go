package projectionstest

import (
	"context"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// testRevisions: a session's revision is the sequence of its last plan or change, a cancelled
// session takes its revision with it, and the workshop's revision follows its last change.
func testRevisions(t *testing.T, s projections.Store) {
	at := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	rec := func(seq uint64, e domain.Event) domain.Recorded {
		return domain.Recorded{Seq: seq, Workshop: w1, At: at, Actor: "organiser", Event: e}
	}
	talk := domain.Session{ID: "S1", Title: "Begrüßung", Kind: "talk", Day: d1, Starts: "09:00", Ends: "09:30", Room: "Saal"}
	moved := talk
	moved.Starts, moved.Ends, moved.Title = "10:00", "10:30", "Begrüßung\x00, später"
	other := domain.Session{ID: "S2", Title: "Pause", Kind: "break", Day: d1, Starts: "11:00", Ends: "11:15"}
	events := []domain.Recorded{
		rec(1, domain.WorkshopScheduled{ID: w1, Title: "Nord", Venue: "Rathaus", Days: []domain.Day{d1}, Capacity: 5}),
		rec(2, domain.SessionPlanned{Session: talk}),
		rec(3, domain.SessionPlanned{Session: other}),
		rec(4, domain.SessionChanged{Session: moved}),
		rec(5, domain.WorkshopChanged{Title: "Nord", Venue: "Rathaus, Saal 2", Capacity: 5}),
		rec(6, domain.SessionCancelled{SessionID: "S2"}),
	}
	for _, n := range []int{1, 6} { // the second pass redelivers every event
		ApplyAll(t, s, events, n)
	}
	check := func(w projections.WorkshopView, how string) {
		t.Helper()
		if len(w.Revisions) != 1 || w.Revisions["S1"] != 4 {
			t.Errorf("%s: revisions %v, want S1 at 4 and no S2", how, w.Revisions)
		}
		if w.Revised != 5 {
			t.Errorf("%s: workshop revised at %d, want 5", how, w.Revised)
		}
	}
	w, err := s.Workshop(context.Background(), w1)
	if err != nil {
		t.Fatalf("Workshop: %v", err)
	}
	check(w, "Workshop")
	list, err := s.Workshops(context.Background())
	if err != nil || len(list) != 1 {
		t.Fatalf("Workshops: %d, %v; want 1", len(list), err)
	}
	check(list[0], "Workshops")
}
