package postgres_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/postgres"
	"github.com/werkstatt/werkstatt/internal/scenario"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/projections/projectionstest"
)

// growingLog stands in for the stream: the live writer appends to it before applying, as events
// are in the stream before a subscriber delivers them.
type growingLog struct {
	mu     sync.Mutex
	events []domain.Recorded
	delay  time.Duration // per batch, so that a rebuild takes long enough to overlap writes
}

func (l *growingLog) append(batch []domain.Recorded) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, batch...)
}

func (l *growingLog) source(ctx context.Context, from uint64, apply func([]domain.Recorded) error) error {
	l.mu.Lock()
	events := l.events
	l.mu.Unlock()
	for _, b := range projections.Batches(events, 20) {
		if b[len(b)-1].Seq < from {
			continue
		}
		if err := apply(b); err != nil {
			return err
		}
		time.Sleep(l.delay)
	}
	return ctx.Err()
}

// TestRebuildWithoutDowntime rebuilds while another replica reads and applies live batches:
// some while the new generation catches up (they must come in with the final catch-up), some
// racing the switch, some after it (they must land in the new generation).
func TestRebuildWithoutDowntime(t *testing.T) {
	url := testDatabase(t)
	s, replica := open(t, url), open(t, url)
	events := scenario.Workshops(4, 30)
	batches := projections.Batches(events, 40)
	n := len(batches)
	catchUp, racing, after := batches[n/2:n/2+3], batches[n/2+3:n-2], batches[n-2:]
	log := &growingLog{delay: time.Millisecond}
	live := func(bs [][]domain.Recorded) {
		for _, b := range bs {
			log.append(b)
			projectionstest.ApplyAll(t, replica, b, len(b))
			time.Sleep(2 * time.Millisecond)
		}
	}
	live(batches[:n/2])
	ctx, stopReading := context.WithCancel(context.Background())
	var wg, reading sync.WaitGroup
	reading.Go(func() { readWhileRebuilding(ctx, t, replica) })
	started, caughtUp := make(chan struct{}), make(chan struct{})
	wg.Go(func() {
		<-started
		live(catchUp)
		close(caughtUp)
		live(racing)
	})
	var calls atomic.Int64
	err := s.Rebuild(context.Background(), func(ctx context.Context, from uint64, apply func([]domain.Recorded) error) error {
		if calls.Add(1) > 1 {
			return log.source(ctx, from, apply)
		}
		close(started)
		defer func() { <-caughtUp }() // the catch-up ends after the live batches
		return log.source(ctx, from, apply)
	})
	if err != nil {
		t.Errorf("Rebuild: %v", err)
	}
	wg.Wait()
	live(after)
	stopReading()
	reading.Wait()
	want := projections.NewMemory()
	projectionstest.ApplyAll(t, want, events, 500)
	compare(t, s, want)
	compare(t, replica, want)
	if got := schemas(t, url); !reflectEqual(got, []string{"werkstatt_rm_2"}) {
		t.Errorf("generation schemas after rebuild = %v, want [werkstatt_rm_2]", got)
	}
}

// readWhileRebuilding reads until ctx ends; every read must succeed and nothing seen may vanish
// (a reader never sees a half-built model). Each model moves on its own, so the attendance
// sheet of a listed workshop may not exist yet.
func readWhileRebuilding(ctx context.Context, t *testing.T, s *postgres.Store) {
	seen := 0
	sheets := map[domain.WorkshopID]bool{}
	for ctx.Err() == nil {
		ws, err := s.Workshops(ctx)
		if err != nil {
			if ctx.Err() == nil {
				t.Errorf("Workshops during rebuild: %v", err)
			}
			return
		}
		if len(ws) < seen {
			t.Errorf("Workshops during rebuild: %d, earlier %d", len(ws), seen)
		}
		seen = max(seen, len(ws))
		for _, w := range ws {
			_, err := s.Attendance(ctx, w.ID)
			switch {
			case err == nil:
				sheets[w.ID] = true
			case ctx.Err() != nil:
			case sheets[w.ID] || !errors.Is(err, domain.ErrWorkshopNotFound):
				t.Errorf("Attendance(%s) during rebuild: %v", w.ID, err)
			}
		}
	}
}

func TestRebuildFailureKeepsCurrentGeneration(t *testing.T) {
	url := testDatabase(t)
	s := open(t, url)
	events := scenario.Workshops(2, 10)
	projectionstest.ApplyAll(t, s, events, 100)
	log := &growingLog{}
	log.append(events)
	want := projections.NewMemory()
	projectionstest.ApplyAll(t, want, events, 500)

	broken := errors.New("stream unavailable")
	err := s.Rebuild(context.Background(), func(ctx context.Context, from uint64, apply func([]domain.Recorded) error) error {
		if err := log.source(ctx, from, apply); err != nil {
			return err
		}
		if from > 1 { // fail in the final catch-up, inside the switch
			return broken
		}
		return nil
	})
	if !errors.Is(err, broken) {
		t.Errorf("Rebuild with a failing source = %v, want %v", err, broken)
	}
	short := &growingLog{}
	short.append(events[:len(projections.Batches(events, 30)[0])])
	if err := s.Rebuild(context.Background(), short.source); err == nil || !strings.Contains(err.Error(), "ended early") {
		t.Errorf("Rebuild with a source that ends early = %v, want an error", err)
	}
	compare(t, s, want)
	if got := schemas(t, url); !reflectEqual(got, []string{"werkstatt_rm_1"}) {
		t.Errorf("generation schemas after failed rebuilds = %v, want [werkstatt_rm_1]", got)
	}
	if err := s.Rebuild(context.Background(), log.source); err != nil {
		t.Fatalf("Rebuild: %v", err)
	}
	compare(t, s, want)
	projectionstest.ApplyAll(t, s, events, 100) // redelivery after the switch changes nothing
	compare(t, s, want)
}

func schemas(t *testing.T, url string) []string {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, _ := conn.Query(context.Background(), `SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'werkstatt\_rm\_%' ORDER BY 1`)
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func reflectEqual(a, b []string) bool { return strings.Join(a, ",") == strings.Join(b, ",") }
