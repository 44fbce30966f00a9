package projections_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/internal/scenario"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/projections/projectionstest"
)

// snapshottingStore is a Memory that, after every batch, is written to a snapshot and read back
// into a fresh Memory, which must hold the same rows and takes over: the contract suite then
// reads every answer from, and applies every later batch to, rows read from a snapshot.
type snapshottingStore struct {
	*projections.Memory
	t *testing.T
}

func (s snapshottingStore) Apply(ctx context.Context, p projections.Projection, batch []domain.Recorded) (uint64, error) {
	cp, err := s.Memory.Apply(ctx, p, batch)
	s.roundTrip()
	return cp, err
}

func (s snapshottingStore) ApplyAll(ctx context.Context, ps []projections.Projection, batch []domain.Recorded) ([]uint64, error) {
	cps, err := s.Memory.ApplyAll(ctx, ps, batch)
	s.roundTrip()
	return cps, err
}

func (s snapshottingStore) roundTrip() {
	n := roundTrip(s.t, s.Memory)
	if n == nil {
		return
	}
	s.Memory.TakeStateOf(n)
}

// roundTrip returns m read back from its snapshot, nil after reporting a difference.
func roundTrip(t testing.TB, m *projections.Memory) *projections.Memory {
	var buf bytes.Buffer
	if err := m.WriteSnapshot(&buf); err != nil {
		t.Errorf("WriteSnapshot: %v", err)
		return nil
	}
	n := projections.NewMemory()
	if err := n.ReadSnapshot(&buf); err != nil {
		t.Errorf("ReadSnapshot: %v", err)
		return nil
	}
	if d := projections.SnapshotDiff(m, n); d != "" {
		t.Errorf("read back from a snapshot, these rows differ: %s", d)
		return nil
	}
	if !reflect.DeepEqual(m.Checkpoints(), n.Checkpoints()) || m.ForgotAt() != n.ForgotAt() {
		t.Errorf("read back from a snapshot: checkpoints %v, forgot at %d; want %v, %d", n.Checkpoints(), n.ForgotAt(),
			m.Checkpoints(), m.ForgotAt())
	}
	return n
}

func TestMemorySnapshots(t *testing.T) {
	projectionstest.Run(t, func(t *testing.T) projections.Store {
		return snapshottingStore{Memory: projections.NewMemory(), t: t}
	})
}

// seriesMemory returns a Memory caught up on a small series decoded from JSON.
func seriesMemory(t testing.TB) (*projections.Memory, []domain.Recorded) {
	events := scenario.Series(scenario.SeriesSize{Workshops: 3, Participants: 40, Sessions: 4, Feedback: 70})
	m := projections.NewMemory()
	catchUp(t, m, storeEvents(t, events))
	return m, events
}

// TestSnapshotSeries compares the rows and every answer of the Reader before and after a
// snapshot of a series.
func TestSnapshotSeries(t *testing.T) {
	ctx := context.Background()
	m, _ := seriesMemory(t)
	n := roundTrip(t, m)
	if n == nil {
		t.FailNow()
	}
	same := func(what string, read func(s *projections.Memory) (any, error)) {
		t.Helper()
		want, err := read(m)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		got, err := read(n)
		if err != nil {
			t.Fatalf("%s after the snapshot: %v", what, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s after the snapshot:\n got %+v\nwant %+v", what, got, want)
		}
	}
	ws, err := m.Workshops(ctx)
	if err != nil || len(ws) != 3 {
		t.Fatalf("workshops: %v %v", len(ws), err)
	}
	same("workshops", func(s *projections.Memory) (any, error) { return s.Workshops(ctx) })
	same("series figures", func(s *projections.Memory) (any, error) { return s.SeriesFigures(ctx, ws[0].Series) })
	for _, w := range ws {
		same("workshop", func(s *projections.Memory) (any, error) { return s.Workshop(ctx, w.ID) })
		same("registrations", func(s *projections.Memory) (any, error) { return s.Registrations(ctx, w.ID) })
		same("attendance", func(s *projections.Memory) (any, error) { return s.Attendance(ctx, w.ID) })
		same("check-ins", func(s *projections.Memory) (any, error) {
			cs, err := s.CheckIns(ctx, w.ID)
			slices.SortFunc(cs, func(a, b domain.CheckIn) int {
				return cmpStrings(string(a.RegistrationID)+"|"+string(a.Day)+"|"+string(a.SessionID),
					string(b.RegistrationID)+"|"+string(b.Day)+"|"+string(b.SessionID))
			})
			return cs, err
		})
		same("feedback", func(s *projections.Memory) (any, error) { return s.Feedback(ctx, w.ID) })
		same("evaluation", func(s *projections.Memory) (any, error) { return s.Evaluation(ctx, w.ID) })
		same("follow-ups", func(s *projections.Memory) (any, error) { return s.FollowUps(ctx, w.ID) })
		same("materials", func(s *projections.Memory) (any, error) { return s.Materials(ctx, w.ID) })
		rs, _ := m.Registrations(ctx, w.ID)
		for _, r := range rs[:5] {
			same("registration", func(s *projections.Memory) (any, error) { return s.Registration(ctx, w.ID, r.ID) })
		}
	}
}

func cmpStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestSnapshotLayout(t *testing.T) {
	format, fingerprint, unknown, err := projections.SnapshotLayout()
	if err != nil {
		t.Fatal(err)
	}
	if len(unknown) > 0 {
		t.Errorf("Memory fields %v are neither in a snapshot nor transient (see snapshotFields)", unknown)
	}
	// The fingerprint of the rows of each format: when the rows change, bump snapshotFormat and
	// pin the new fingerprint here, so that no snapshot of old rows is read into new ones.
	pinned := map[int]uint64{1: 0xdc651c650fccac7d}
	if pinned[format] != fingerprint {
		t.Errorf("snapshot format %d: the rows' fingerprint is %#x, pinned %#x: bump snapshotFormat and pin the new fingerprint",
			format, fingerprint, pinned[format])
	}
}

func TestSnapshotOfEmptyMemory(t *testing.T) {
	n := roundTrip(t, projections.NewMemory())
	if n == nil {
		t.FailNow()
	}
	if ws, err := n.Workshops(context.Background()); err != nil || len(ws) != 0 {
		t.Errorf("workshops %v, %v; want none", ws, err)
	}
}

func snapshotOf(t testing.TB, m *projections.Memory) []byte {
	var buf bytes.Buffer
	if err := m.WriteSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestSnapshotFormat checks that a snapshot of another format, of other rows or of nothing
// is refused with ErrSnapshotFormat, and that a snapshot is read into empty read models only.
func TestSnapshotFormat(t *testing.T) {
	m, _ := seriesMemory(t)
	snap := snapshotOf(t, m)
	magic := len("werkstatt memory snapshot\n")
	for name, change := range map[string]func(b []byte){
		"other format":      func(b []byte) { b[magic]++ },
		"other rows":        func(b []byte) { b[magic+1] ^= 0xff },
		"no snapshot":       func(b []byte) { b[0] = 'W' },
		"other fingerprint": func(b []byte) { b[magic+8] ^= 1 },
	} {
		b := slices.Clone(snap)
		change(b)
		n := projections.NewMemory()
		if err := n.ReadSnapshot(bytes.NewReader(b)); !errors.Is(err, projections.ErrSnapshotFormat) {
			t.Errorf("%s: %v, want ErrSnapshotFormat", name, err)
		}
		assertEmpty(t, n)
	}
	if err := m.ReadSnapshot(bytes.NewReader(snap)); err == nil {
		t.Error("a snapshot read into read models that are not empty")
	}
}

func assertEmpty(t *testing.T, m *projections.Memory) {
	t.Helper()
	ws, _ := m.Workshops(context.Background())
	if len(ws) > 0 || len(m.Checkpoints()) > 0 || m.ForgotAt() != 0 {
		t.Errorf("after a failed read: %d workshops, checkpoints %v, forgot at %d; want empty", len(ws), m.Checkpoints(), m.ForgotAt())
	}
}

// TestSnapshotHostileInput checks that truncated, damaged and random input gives an error (or,
// when a damaged byte still reads, rows), never a panic, and leaves the read models empty on
// an error.
func TestSnapshotHostileInput(t *testing.T) {
	m, _ := seriesMemory(t)
	snap := snapshotOf(t, m)
	step := max(1, len(snap)/2000)
	for n := 0; n < len(snap); n += step {
		r := projections.NewMemory()
		if err := r.ReadSnapshot(bytes.NewReader(snap[:n])); err == nil {
			t.Fatalf("a snapshot cut after %d of %d bytes read without an error", n, len(snap))
		}
		assertEmpty(t, r)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		b := slices.Clone(snap)
		for range 1 + rnd.IntN(4) {
			b[40+rnd.IntN(len(b)-40)] = byte(rnd.Uint32())
		}
		r := projections.NewMemory()
		if err := r.ReadSnapshot(bytes.NewReader(b)); err != nil {
			assertEmpty(t, r)
		}
	}
	for range 300 {
		b := slices.Clone(snap[:40+rnd.IntN(2000)])
		for i := 40; i < len(b); i++ {
			b[i] = byte(rnd.Uint32())
		}
		r := projections.NewMemory()
		if err := r.ReadSnapshot(bytes.NewReader(b)); err == nil {
			t.Error("random bytes after the header read without an error")
		}
		assertEmpty(t, r)
	}
	// A count that claims everything must not allocate it: the read ends at the end of input.
	huge := slices.Concat(snap[:40], []byte{0xff, 0xff, 0xff, 0xff, 0x07})
	if err := projections.NewMemory().ReadSnapshot(bytes.NewReader(huge)); err == nil {
		t.Error("a huge count read without an error")
	}
}

// TestForgotAt checks that an erasure and a reduction to evidence move ForgotAt to their
// sequence, that other events and redeliveries do not, and that a snapshot keeps it.
func TestForgotAt(t *testing.T) {
	ctx := context.Background()
	m, events := seriesMemory(t)
	if got := m.ForgotAt(); got != 0 {
		t.Fatalf("ForgotAt %d before any erasure, want 0", got)
	}
	last := events[len(events)-1]
	w := last.Workshop
	rs, err := m.Registrations(ctx, w)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	next := func(e domain.Event) domain.Recorded {
		last = domain.Recorded{Seq: last.Seq + 1, Workshop: w, At: at, Event: e}
		return last
	}
	apply := func(rs ...domain.Recorded) {
		t.Helper()
		if _, err := m.ApplyAll(ctx, projections.All(), rs); err != nil {
			t.Fatal(err)
		}
	}
	erased := next(domain.PersonalDataErased{RegistrationID: rs[0].ID})
	apply(erased, next(domain.LinkRequested{RegistrationID: rs[1].ID, TokenHash: "new"}))
	if got := m.ForgotAt(); got != erased.Seq {
		t.Errorf("ForgotAt %d after an erasure at %d and a later event, want %d", got, erased.Seq, erased.Seq)
	}
	reduced := next(domain.ReducedToEvidence{RegistrationID: rs[2].ID, Person: &domain.Person{Name: "N"}})
	apply(reduced)
	apply(erased) // redelivered: skipped
	if got := m.ForgotAt(); got != reduced.Seq {
		t.Errorf("ForgotAt %d after a reduction at %d, want %d", got, reduced.Seq, reduced.Seq)
	}
	if n := roundTrip(t, m); n != nil && n.ForgotAt() != reduced.Seq {
		t.Errorf("ForgotAt %d after a snapshot, want %d", n.ForgotAt(), reduced.Seq)
	}
}

// TestSnapshotWhileApplying writes snapshots while batches are applied: each must read back.
func TestSnapshotWhileApplying(t *testing.T) {
	events := storeEvents(t, scenario.Series(scenario.SeriesSize{Workshops: 2, Participants: 30, Sessions: 3, Feedback: 70}))
	m := projections.NewMemory()
	var wg sync.WaitGroup
	wg.Go(func() { catchUp(t, m, events) })
	for range 20 {
		var buf bytes.Buffer
		if err := m.WriteSnapshot(&buf); err != nil {
			t.Fatal(err)
		}
		if err := projections.NewMemory().ReadSnapshot(&buf); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
}

// BenchmarkMemorySnapshot writes and reads a snapshot of the memory read models caught up on
// the series (-series, default 20x200x10): its size, and the heap the read rows hold per event
// (compare BenchmarkMemoryFootprint).
func BenchmarkMemorySnapshot(b *testing.B) {
	stored := storeEvents(b, scenario.Series(footprintSeries))
	m := projections.NewMemory()
	catchUp(b, m, stored)
	snap := snapshotOf(b, m)
	b.Run("write", func(b *testing.B) {
		for b.Loop() {
			var buf bytes.Buffer
			if err := m.WriteSnapshot(&buf); err != nil {
				b.Fatal(err)
			}
			snap = buf.Bytes()
		}
		b.ReportMetric(float64(len(snap)), "bytes")
		b.ReportMetric(float64(len(snap))/float64(len(stored)), "B/event")
	})
	m = nil
	b.Run("read", func(b *testing.B) {
		var perEvent float64
		for b.Loop() {
			b.StopTimer()
			before := heapInUse()
			b.StartTimer()
			n := projections.NewMemory()
			if err := n.ReadSnapshot(bytes.NewReader(snap)); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			perEvent = float64(heapInUse()-before) / float64(len(stored))
			runtime.KeepAlive(n)
			b.StartTimer()
		}
		b.ReportMetric(perEvent, "heapB/event")
	})
}
