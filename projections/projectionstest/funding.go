package projectionstest

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// testFunding: the workshop view shows the funding details as last set, none once removed, and
// a store takes whatever text the log holds (a hand-made event may carry a NUL).
func testFunding(t *testing.T, s projections.Store) {
	at := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	logo := &domain.Logo{Digest: "sha256:" + strings.Repeat("0f", 32), ContentType: "image/png", Size: 2048, Width: 400, Height: 200}
	amif := domain.Funding{Project: "Ankommen im Quartier", FundingReference: "AMIF-2026-0815",
		Funder: "Asyl-, Migrations- und Integrationsfonds (AMIF)", Logo: logo}
	rec := func(seq uint64, w domain.WorkshopID, e domain.Event) domain.Recorded {
		return domain.Recorded{Seq: seq, Workshop: w, At: at, Actor: "organiser", Event: e}
	}
	events := []domain.Recorded{
		rec(1, w1, domain.WorkshopScheduled{ID: w1, Title: "Nord", Series: "Netz", Venue: "Rathaus", Days: []domain.Day{d1}, Capacity: 5}),
		rec(2, w2, domain.WorkshopScheduled{ID: w2, Title: "Süd", Series: "Netz", Venue: "Rathaus", Days: []domain.Day{d2}, Capacity: 5}),
		rec(3, w1, domain.FundingSet{Funding: domain.Funding{Project: "erst"}}),
		rec(4, w1, domain.FundingSet{Funding: amif}),
		rec(5, w2, domain.FundingSet{Funding: domain.Funding{Project: "Pro\x00jekt", FundingReference: "\xff"}}),
		rec(6, w3, domain.WorkshopScheduled{ID: w3, Title: "Ost", Venue: "Rathaus", Days: []domain.Day{d1}, Capacity: 5}),
		rec(7, w3, domain.FundingSet{Funding: amif}),
		rec(8, w3, domain.FundingSet{}),
	}
	for _, n := range []int{1, 8} { // the second pass redelivers every event
		ApplyAll(t, s, events, n)
	}
	ctx := context.Background()
	got := map[domain.WorkshopID]domain.Funding{}
	for _, id := range []domain.WorkshopID{w1, w2, w3} {
		w, err := s.Workshop(ctx, id)
		if err != nil {
			t.Fatalf("Workshop(%s): %v", id, err)
		}
		got[id] = w.Funding
	}
	if !reflect.DeepEqual(got[w1], amif) {
		t.Errorf("funding of W1 = %+v, want %+v", got[w1], amif)
	}
	if p := got[w2].Project; !strings.HasPrefix(p, "Pro") || !strings.HasSuffix(p, "jekt") || got[w2].FundingReference == "" {
		t.Errorf("funding of W2 = %+v, want the project and reference as text can hold them", got[w2])
	}
	if got[w3].Set() || got[w3].Logo != nil {
		t.Errorf("funding of W3 = %+v, want none after its removal", got[w3])
	}
	list, err := s.Workshops(ctx)
	if err != nil {
		t.Fatalf("Workshops: %v", err)
	}
	for _, w := range list {
		if w.ID == w1 && !reflect.DeepEqual(w.Funding, amif) {
			t.Errorf("funding of W1 in Workshops = %+v, want %+v", w.Funding, amif)
		}
	}
}
