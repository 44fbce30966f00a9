package projectionstest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/internal/scenario"
	"github.com/werkstatt/werkstatt/projections"
)

// testChangedRegistration: a changed registration shows its new days, dietary needs and
// overnight stay, and the seat counts of the workshop and the attendance follow, the waiter
// promoted by the freed seat included.
func testChangedRegistration(t *testing.T, s projections.Store) {
	h := scenario.NewHistory(time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC))
	schedule(h, w1, "Werkstatt", []domain.Day{d1, d2}, 1)
	register(h, r1, "Verein A", []domain.Day{d1, d2})
	register(h, r2, "Verein B", []domain.Day{d2})
	days, dietary, overnight := []domain.Day{d1}, "vegetarisch", true
	h.Must(w1, func(w domain.Workshop) ([]domain.Event, error) {
		return w.ChangeRegistration(domain.ChangeRegistration{ID: r1, Days: &days, Dietary: &dietary, Overnight: &overnight})
	})
	consent := true
	h.Must(w1, func(w domain.Workshop) ([]domain.Event, error) {
		return w.ChangeRegistration(domain.ChangeRegistration{ID: r2, Overnight: &overnight, PhotoConsent: &consent})
	})
	ApplyAll(t, s, h.Events, 2)

	ctx := context.Background()
	v, err := s.Registration(ctx, w1, r1)
	if err != nil || !slices.Equal(v.Days, days) || v.Dietary != dietary || !v.Overnight || v.Name != "Name R1" || v.Status != domain.Confirmed || v.PhotoConsent {
		t.Errorf("Registration(R1) = %+v, %v; want confirmed on %v, %q, overnight", v, err, days, dietary)
	}
	v2, err := s.Registration(ctx, w1, r2)
	if err != nil || v2.Status != domain.Confirmed || !v2.Overnight || v2.Dietary != "vegan" || !v2.PhotoConsent ||
		!slices.Equal(v2.Days, []domain.Day{d2}) {
		t.Errorf("Registration(R2) = %+v, %v; want promoted, overnight, still vegan, consenting to photos", v2, err)
	}
	wv, err := s.Workshop(ctx, w1)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range wv.Seats {
		if d.Confirmed != 1 || d.Free != 0 {
			t.Errorf("workshop seats %+v, want 1 confirmed and none free on each day", wv.Seats)
		}
	}
	a, err := s.Attendance(ctx, w1)
	if err != nil {
		t.Fatal(err)
	}
	if a.Confirmed != 2 || a.Waitlisted != 0 {
		t.Errorf("attendance %d confirmed, %d waitlisted; want 2 and 0", a.Confirmed, a.Waitlisted)
	}
	for _, d := range a.Days {
		if d.Confirmed != 1 || d.Waitlisted != 0 {
			t.Errorf("attendance days %+v, want 1 confirmed and none waiting on each day", a.Days)
		}
	}
}
