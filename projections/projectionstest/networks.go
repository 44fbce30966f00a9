package projectionstest

import (
	"context"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// testNetworks: a workshop shows the network that owns it and who sees it, as last set; a
// network's own events, which concern no workshop, pass by the read models and still move the
// checkpoints (or a command on a network would wait for them forever).
func testNetworks(t *testing.T, s projections.Store) {
	at := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	rec := func(seq uint64, w domain.WorkshopID, e domain.Event) domain.Recorded {
		return domain.Recorded{Seq: seq, Workshop: w, At: at, Actor: "organiser", Event: e}
	}
	events := []domain.Recorded{
		rec(1, "", domain.NetworkCreated{ID: "forum", Title: "Forum Integration"}),
		rec(2, w1, domain.WorkshopScheduled{ID: w1, Title: "Nord", Venue: "Rathaus", Days: []domain.Day{d1}, Capacity: 5,
			Network: "forum", Visibility: domain.MembersOnly}),
		rec(3, w2, domain.WorkshopScheduled{ID: w2, Title: "Süd", Venue: "Rathaus", Days: []domain.Day{d2}, Capacity: 5, Network: "forum"}),
		rec(4, w3, domain.WorkshopScheduled{ID: w3, Title: "Ost", Venue: "Rathaus", Days: []domain.Day{d1}, Capacity: 5}),
		rec(5, w2, domain.WorkshopVisibilitySet{Visibility: domain.MembersOnly}),
		rec(6, w1, domain.WorkshopVisibilitySet{Visibility: domain.Public}),
		rec(7, "", domain.MemberAdded{Account: "anna", Roles: []domain.RoleGrant{{Role: domain.RoleAdmin}},
			Person: &domain.Person{Name: "Anna", Email: "anna@example.org"}}),
	}
	for _, n := range []int{1, 7} {
		ApplyAll(t, s, events, n)
	}
	ctx := context.Background()
	want := map[domain.WorkshopID][2]string{w1: {"forum", "public"}, w2: {"forum", "members"}, w3: {"", "public"}}
	for id, nv := range want {
		w, err := s.Workshop(ctx, id)
		if err != nil {
			t.Fatalf("Workshop(%s): %v", id, err)
		}
		if string(w.Network) != nv[0] || string(w.Visibility) != nv[1] {
			t.Errorf("workshop %s: got network %q, visibility %q, want %q, %q", id, w.Network, w.Visibility, nv[0], nv[1])
		}
	}
	for _, p := range projections.All() {
		if cp, err := s.Checkpoint(ctx, p.Name()); err != nil || cp != 7 {
			t.Errorf("checkpoint of %s = %d, %v, want 7: a network's events move it too", p.Name(), cp, err)
		}
	}
}
