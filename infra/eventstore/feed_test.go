package eventstore_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/projections/projectionstest"
)

// runFeed runs a feed from s to a runner over store until the test ends.
func runFeed(t *testing.T, s *eventstore.Store, store projections.Store, reg prometheus.Registerer) *projections.Runner {
	t.Helper()
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError + 1}))
	r := projections.NewRunner(store, log)
	feed, err := eventstore.NewFeed(s, r, log, reg)
	if err != nil {
		t.Fatalf("NewFeed: %v", err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- feed.Run(ctx) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		_ = feed.Close()
	})
	select {
	case <-feed.Running():
	case err := <-done:
		t.Fatalf("Run ended before running: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("feed did not run within 10s")
	}
	return r
}

// TestFeedRetriesReportsAndGoesOn: a projection that keeps failing (or panicking) on a batch
// is retried, reported stuck with the commit's sequence once the retries are spent, and goes
// on from there when the cause is gone; the read models then equal a replay of the log.
func TestFeedRetriesReportsAndGoesOn(t *testing.T) {
	for _, panics := range []bool{false, true} {
		t.Run(map[bool]string{false: "error", true: "panic"}[panics], func(t *testing.T) {
			w := newWorld(t, natstest.Embedded(t))
			s := w.store(t)
			first := fillStream(t, s, 600)
			memory := projections.NewMemory()
			store := &projectionstest.Flaky{Store: memory, Projection: projections.AttendanceSheet{}.Name()}
			// Each attempt applies the batch to all, then to the projection alone, then commit
			// by commit up to the failing one: 30 failing applies outlast the Retry
			// middleware's 6 attempts, so one Nack at least.
			store.Failures.Store(30)
			store.Panics.Store(panics)
			reg := prometheus.NewRegistry()
			r := runFeed(t, s, store, reg)
			ctx, cancel := context.WithTimeout(testCtx(t), 30*time.Second)
			defer cancel()
			sawStuck := false
			for {
				err := r.WaitFor(ctx, first)
				if err == nil {
					break
				}
				if !errors.Is(err, projections.ErrStuck) {
					t.Fatalf("WaitFor(%d): %v", first, err)
				}
				if !sawStuck {
					for _, st := range r.Statuses() {
						if st.Stuck != nil && (st.Projection != store.Projection || st.Stuck.Seq != 1) {
							t.Errorf("stuck: %s at %d, want only %s, at 1", st.Projection, st.Stuck.Seq, store.Projection)
						}
					}
				}
				sawStuck = true
				time.Sleep(20 * time.Millisecond)
			}
			if !sawStuck {
				t.Errorf("WaitFor never reported the stuck projection")
			}
			for _, st := range r.Statuses() {
				if st.Stuck != nil || (st.Projection == store.Projection) != (st.Failures > 0) {
					t.Errorf("status of %s = %+v: want it going on, the failure counted for %s only", st.Projection, st, store.Projection)
				}
			}
			// Live: a later commit arrives on its own.
			live := schedule(t, s, "LIVE", 3)
			if err := r.WaitFor(ctx, live.Seq); err != nil {
				t.Fatalf("WaitFor(live): %v", err)
			}
			want := projections.NewMemory()
			replayInto(t, s, want)
			compareModels(t, memory, want)
			if n := testutil.CollectAndCount(reg, "werkstatt_feed_handler_execution_time_seconds"); n == 0 {
				t.Errorf("the feed registered no handler metrics")
			}
		})
	}
}

// replayInto applies the whole log to store, as a rebuild does.
func replayInto(t *testing.T, s *eventstore.Store, store projections.Store) {
	t.Helper()
	err := s.Replay(testCtx(t), 1, func(batch []domain.Recorded) error {
		for _, p := range projections.All() {
			if _, err := store.Apply(testCtx(t), p, batch); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Replay: %v", err)
	}
}

// compareModels compares every workshop's views in got and want.
func compareModels(t *testing.T, got, want projections.Reader) {
	t.Helper()
	ctx := testCtx(t)
	workshops, err := want.Workshops(ctx)
	if err != nil || len(workshops) == 0 {
		t.Fatalf("Workshops: %d, %v", len(workshops), err)
	}
	for _, w := range workshops {
		for _, read := range []func(projections.Reader) (any, error){
			func(r projections.Reader) (any, error) { return r.Workshop(ctx, w.ID) },
			func(r projections.Reader) (any, error) { return r.Registrations(ctx, w.ID) },
			func(r projections.Reader) (any, error) { return r.Attendance(ctx, w.ID) },
		} {
			g, err1 := read(got)
			x, err2 := read(want)
			if err := errors.Join(err1, err2); err != nil {
				t.Fatalf("read %s: %v", w.ID, err)
			}
			if !reflect.DeepEqual(g, x) {
				t.Errorf("live view of %s differs from a replay:\n%s", w.ID, strings.TrimSpace(diffHint(g, x)))
			}
		}
	}
}

func diffHint(got, want any) string {
	return "got  " + short(got) + "\nwant " + short(want)
}

func short(v any) string {
	s := fmt.Sprintf("%+v", v)
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}
