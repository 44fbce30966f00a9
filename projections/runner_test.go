package projections_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/internal/scenario"
	"github.com/werkstatt/werkstatt/projections"
)

// logSubscriber is a message.Subscriber over an in-memory log with the semantics of the event
// store's subscriber: a topic starts after startSeq, every message carries a batch of whole
// commits, the next message comes after an Ack, a Nacked message comes again.
type logSubscriber struct {
	startSeq func(ctx context.Context, topic string) (uint64, error)
	nacks    atomic.Int64

	mu      sync.Mutex
	events  []domain.Recorded
	changed chan struct{}
	starts  map[string]uint64
	closed  chan struct{}
}

func newLogSubscriber(startSeq func(context.Context, string) (uint64, error)) *logSubscriber {
	return &logSubscriber{startSeq: startSeq, changed: make(chan struct{}), starts: map[string]uint64{},
		closed: make(chan struct{})}
}

func (s *logSubscriber) append(events ...domain.Recorded) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, events...)
	close(s.changed)
	s.changed = make(chan struct{})
}

// from returns up to about 5 events of whole commits with Seq >= seq, or a channel that is closed
// when more arrive.
func (s *logSubscriber) from(seq uint64) ([]domain.Recorded, chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, e := range s.events {
		if e.Seq >= seq {
			return projections.Batches(s.events[i:], 5)[0], nil
		}
	}
	return nil, s.changed
}

func (s *logSubscriber) Subscribe(ctx context.Context, topic string) (<-chan *message.Message, error) {
	start, err := s.startSeq(ctx, topic)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.starts[topic] = start
	s.mu.Unlock()
	out := make(chan *message.Message)
	go func() {
		defer close(out)
		for next := start + 1; ; {
			batch, more := s.from(next)
			if batch == nil {
				select {
				case <-more:
					continue
				case <-ctx.Done():
					return
				case <-s.closed:
					return
				}
			}
			if !s.deliver(ctx, out, encode(batch)) {
				return
			}
			next = batch[len(batch)-1].Seq + 1
		}
	}()
	return out, nil
}

// deliver sends payload until it is acked; it reports false when the subscription ends.
func (s *logSubscriber) deliver(ctx context.Context, out chan<- *message.Message, payload []byte) bool {
	for {
		msg := message.NewMessage(watermill.NewUUID(), payload)
		select {
		case out <- msg:
		case <-ctx.Done():
			return false
		case <-s.closed:
			return false
		}
		select {
		case <-msg.Acked():
			return true
		case <-msg.Nacked():
			s.nacks.Add(1)
		case <-ctx.Done():
			return false
		case <-s.closed:
			return false
		}
	}
}

func (s *logSubscriber) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.closed:
	default:
		close(s.closed)
	}
	return nil
}

type jsonRecord struct {
	Seq      uint64            `json:"seq"`
	Workshop domain.WorkshopID `json:"workshop"`
	At       time.Time         `json:"at"`
	Name     string            `json:"name"`
	Data     json.RawMessage   `json:"data"`
}

func encode(events []domain.Recorded) []byte {
	records := make([]jsonRecord, len(events))
	for i, e := range events {
		data, err := json.Marshal(e.Event)
		if err != nil {
			panic(err)
		}
		records[i] = jsonRecord{Seq: e.Seq, Workshop: e.Workshop, At: e.At, Name: e.Event.Name(), Data: data}
	}
	payload, err := json.Marshal(records)
	if err != nil {
		panic(err)
	}
	return payload
}

// jsonDecoder decodes what encode wrote.
type jsonDecoder struct{}

func (jsonDecoder) DecodeBatch(_ context.Context, payload []byte) ([]domain.Recorded, error) {
	var records []jsonRecord
	if err := json.Unmarshal(payload, &records); err != nil {
		return nil, err
	}
	events := make([]domain.Recorded, len(records))
	for i, r := range records {
		e, err := domain.DecodeEvent(r.Name, r.Data)
		if err != nil {
			return nil, err
		}
		events[i] = domain.Recorded{Seq: r.Seq, Workshop: r.Workshop, At: r.At, Event: e}
	}
	return events, nil
}

// flakyStore fails some applies of one projection, so that retries and redeliveries happen.
type flakyStore struct {
	projections.Store
	projection string
	failures   atomic.Int64 // how many more applies of projection fail
}

func (s *flakyStore) Apply(ctx context.Context, p projections.Projection, batch []domain.Recorded) (uint64, error) {
	if p.Name() == s.projection && s.failures.Add(-1) >= 0 {
		return 0, errors.New("flaky store: try again")
	}
	return s.Store.Apply(ctx, p, batch)
}

func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(discard{}, &slog.HandlerOptions{Level: slog.LevelError + 1}))
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func startRunner(t *testing.T, store projections.Store, sub message.Subscriber) *projections.Runner {
	t.Helper()
	r, err := projections.NewRunner(store, sub, jsonDecoder{}, quietLogger())
	if err != nil {
		t.Fatalf("NewRunner: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	select {
	case <-r.Running():
	case err := <-done:
		t.Fatalf("Run ended before running: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("runner did not start within 10s")
	}
	return r
}

func TestRunner(t *testing.T) {
	events := scenario.Workshops(2, 25)
	half := projections.Batches(events, len(events)/2)[0]
	memory := projections.NewMemory()
	store := &flakyStore{Store: memory, projection: projections.AttendanceSheet{}.Name()}
	// Each attempt applies the batch, then commit by commit up to the failing one: 16 failing
	// applies outlast the Retry middleware's 6 attempts, so one Nack at least.
	store.failures.Store(16)
	sub := newLogSubscriber(projections.StartSeq(store))
	sub.append(half...)
	r := startRunner(t, store, sub)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	// WaitFor gives up while attendance.v1 is stuck; the runner keeps trying and gets past it.
	var err error
	for err = r.WaitFor(ctx, half[len(half)-1].Seq); errors.Is(err, projections.ErrStuck); err = r.WaitFor(ctx, half[len(half)-1].Seq) {
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("WaitFor(first half): %v", err)
	}
	if sub.nacks.Load() == 0 {
		t.Errorf("got no Nack, want at least one after %d failing applies", 16)
	}
	for _, st := range r.Statuses() {
		if st.Projection == store.projection && (st.Failures == 0 || st.Stuck != nil) {
			t.Errorf("got %s %d failures, stuck %v: want the failure counted and the projection going on", st.Projection, st.Failures, st.Stuck)
		}
	}
	sub.append(events[len(half):]...)
	last := events[len(events)-1].Seq
	if err := r.WaitFor(ctx, last); err != nil {
		t.Fatalf("WaitFor(last): %v", err)
	}
	if got := r.Checkpoint(); got != last {
		t.Errorf("Checkpoint() = %d, want %d", got, last)
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

func TestRunnerResumesAtCheckpoint(t *testing.T) {
	events := scenario.Workshops(1, 10)
	store := projections.NewMemory()
	applyAll(t, store, events[:len(projections.Batches(events, 40)[0])])
	sub := newLogSubscriber(projections.StartSeq(store))
	sub.append(events...)
	r := startRunner(t, store, sub)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.WaitFor(ctx, events[len(events)-1].Seq); err != nil {
		t.Fatalf("WaitFor: %v", err)
	}
	cp := projections.Batches(events, 40)[0]
	sub.mu.Lock()
	defer sub.mu.Unlock()
	if got, want := sub.starts[projections.Topic], cp[len(cp)-1].Seq; got != want {
		t.Errorf("subscribed after %d, want after the projections' checkpoint %d", got, want)
	}
}

// TestStartSeqIsTheLowestCheckpoint: a projection that is behind (new, or rebuilt) makes the
// subscription start early enough for it; the others skip what they already applied.
func TestStartSeqIsTheLowestCheckpoint(t *testing.T) {
	events := scenario.Workshops(1, 10)
	store := projections.NewMemory()
	first := projections.Batches(events, 40)[0]
	for _, p := range projections.All()[1:] {
		if _, err := store.Apply(context.Background(), p, first); err != nil {
			t.Fatal(err)
		}
	}
	got, err := projections.StartSeq(store)(context.Background(), projections.Topic)
	if err != nil || got != 0 {
		t.Errorf("StartSeq with one projection at 0 = %d, %v; want 0", got, err)
	}
	applyAll(t, store, first)
	if got, _ := projections.StartSeq(store)(context.Background(), projections.Topic); got != first[len(first)-1].Seq {
		t.Errorf("StartSeq = %d, want %d", got, first[len(first)-1].Seq)
	}
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
