package projections_test

import (
	"context"
	"errors"
	"log/slog"
	"reflect"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/internal/scenario"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/projections/projectionstest"
)

func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(discard{}, &slog.HandlerOptions{Level: slog.LevelError + 1}))
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// TestRunner: a projection that fails is found, retried by whoever feeds the runner, reported
// stuck after the retries, and goes on from the commit it failed on; the others go on.
func TestRunner(t *testing.T) {
	events := scenario.Workshops(2, 25)
	batches := projections.Batches(events, len(events)/4)
	memory := projections.NewMemory()
	store := &projectionstest.Flaky{Store: memory, Projection: projections.AttendanceSheet{}.Name()}
	r := projections.NewRunner(store, quietLogger())
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if from, err := r.Start(ctx); err != nil || from != 0 {
		t.Fatalf("Start() = %d, %v; want 0", from, err)
	}
	if err := r.Apply(ctx, batches[0]); err != nil {
		t.Fatalf("Apply(first batch): %v", err)
	}
	// The batch to all, then to the projection alone, then commit by commit up to the first:
	// all three fail.
	store.Failures.Store(3)
	second := batches[1]
	err := r.Apply(ctx, second)
	var ae *projections.ApplyError
	if !errors.As(err, &ae) || ae.Projection != store.Projection || ae.Seq != second[0].Seq {
		t.Fatalf("Apply(failing) = %v, want an ApplyError of %s at %d", err, store.Projection, second[0].Seq)
	}
	r.GaveUp(err)
	if err := r.WaitFor(ctx, second[len(second)-1].Seq); !errors.Is(err, projections.ErrStuck) {
		t.Errorf("WaitFor(past the stuck commit) = %v, want %v", err, projections.ErrStuck)
	}
	for _, st := range r.Statuses() {
		stuck := st.Projection == store.Projection
		if got := st.Stuck != nil; got != stuck || (stuck && (st.Stuck.Seq != second[0].Seq || st.Failures != 1)) {
			t.Errorf("status of %s = %+v (stuck %v), want stuck %v", st.Projection, st, st.Stuck, stuck)
		}
		if !stuck && st.Checkpoint != second[len(second)-1].Seq {
			t.Errorf("%s at %d, want the others to go on to %d", st.Projection, st.Checkpoint, second[len(second)-1].Seq)
		}
	}
	// Tried again, it gets past the commit and is no longer stuck; the count stays.
	for _, b := range batches[1:] {
		if err := r.Apply(ctx, b); err != nil {
			t.Fatalf("Apply: %v", err)
		}
	}
	last := events[len(events)-1].Seq
	if err := r.WaitFor(ctx, last); err != nil {
		t.Fatalf("WaitFor(last): %v", err)
	}
	if got := r.Checkpoint(); got != last {
		t.Errorf("Checkpoint() = %d, want %d", got, last)
	}
	for _, st := range r.Statuses() {
		if st.Stuck != nil || (st.Projection == store.Projection) != (st.Failures == 1) {
			t.Errorf("status of %s = %+v, want not stuck and one failure counted for %s", st.Projection, st, store.Projection)
		}
	}
	want := projections.NewMemory()
	applyAll(t, want, events)
	for _, id := range []domain.WorkshopID{"W00000", "W00001"} {
		compareViews(t, memory, want, id)
	}
	short, cancelShort := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancelShort()
	if err := r.WaitFor(short, last+1); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitFor(beyond the log) = %v, want %v", err, context.DeadlineExceeded)
	}
}

// TestStartIsTheLowestCheckpoint: a projection that is behind (new, or rebuilt) makes the feed
// start early enough for it; the others skip what they already applied.
func TestStartIsTheLowestCheckpoint(t *testing.T) {
	events := scenario.Workshops(1, 10)
	store := projections.NewMemory()
	first := projections.Batches(events, 40)[0]
	for _, p := range projections.All()[1:] {
		if _, err := store.Apply(context.Background(), p, first); err != nil {
			t.Fatal(err)
		}
	}
	r := projections.NewRunner(store, quietLogger())
	got, err := r.Start(context.Background())
	if err != nil || got != 0 {
		t.Errorf("Start with one projection at 0 = %d, %v; want 0", got, err)
	}
	applyAll(t, store, first)
	if got, _ := r.Start(context.Background()); got != first[len(first)-1].Seq {
		t.Errorf("Start = %d, want %d", got, first[len(first)-1].Seq)
	}
	if err := r.Apply(context.Background(), events); err != nil {
		t.Fatalf("Apply(all, the first batch again among them): %v", err)
	}
	want := projections.NewMemory()
	applyAll(t, want, events)
	compareViews(t, store, want, "W00000")
}

func applyAll(t *testing.T, s projections.Store, events []domain.Recorded) {
	t.Helper()
	for _, p := range projections.All() {
		for _, b := range projections.Batches(events, 100) {
			if _, err := s.Apply(context.Background(), p, b); err != nil {
				t.Fatalf("apply %s: %v", p.Name(), err)
			}
		}
	}
}

func compareViews(t *testing.T, got, want projections.Reader, id domain.WorkshopID) {
	t.Helper()
	ctx := context.Background()
	for _, read := range []func(projections.Reader) (any, error){
		func(r projections.Reader) (any, error) { return r.Workshop(ctx, id) },
		func(r projections.Reader) (any, error) { return r.Registrations(ctx, id) },
		func(r projections.Reader) (any, error) { return r.Attendance(ctx, id) },
	} {
		g, err1 := read(got)
		w, err2 := read(want)
		if err := errors.Join(err1, err2); err != nil {
			t.Fatalf("read %s: %v", id, err)
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("view of %s = %+v\nwant %+v", id, g, w)
		}
	}
}
