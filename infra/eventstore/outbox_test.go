package eventstore_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/eventstore"
)

// runOutbox runs an outbox over s until the test ends.
func runOutbox(t *testing.T, s *eventstore.Store, durable string, h eventstore.OutboxHandler, cfg eventstore.OutboxConfig) {
	t.Helper()
	o, err := eventstore.NewOutbox(s, durable, h, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = o.Run(ctx) }()
	select {
	case <-o.Running():
	case <-done:
		t.Fatal("the outbox did not start")
	}
	t.Cleanup(func() { cancel(); <-done; _ = o.Close() })
}

// seen collects the deliveries of a handler.
type seen struct {
	mu    sync.Mutex
	seqs  map[uint64]int // attempts per commit
	final map[uint64]error
}

func (s *seen) attempts(seq uint64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seqs[seq]
}

func waitUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestOutbox: an outbox starts with the commits after its creation (not the log's history),
// hands each commit to one of the replicas sharing its durable name with the personal data
// opened, tries a failing commit again after the configured waits and, after the last attempt,
// tells GaveUp and goes on; a restarted outbox goes on where the consumer stood.
func TestOutbox(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		s := w.store(t)
		schedule(t, s, "W1", 10)
		old := lastSeq(t, s)
		got := &seen{seqs: map[uint64]int{}, final: map[uint64]error{}}
		var names sync.Map // seq -> the name in the registration, opened
		handler := func(_ context.Context, d eventstore.Delivery) error {
			got.mu.Lock()
			got.seqs[d.Seq]++
			got.mu.Unlock()
			for _, r := range d.Events {
				if p, ok := r.Event.(domain.ParticipantRegistered); ok && p.Person != nil {
					names.Store(d.Seq, p.Person.Name)
					if p.Person.Name == "Fails" {
						return errors.New("the mail server is away")
					}
				}
			}
			return nil
		}
		cfg := eventstore.OutboxConfig{Retries: []time.Duration{50 * time.Millisecond, 50 * time.Millisecond},
			GaveUp: func(_ context.Context, d eventstore.Delivery, err error) {
				got.mu.Lock()
				got.final[d.Seq] = err
				got.mu.Unlock()
			}}
		runOutbox(t, s, "mails", handler, cfg)
		runOutbox(t, w.store(t), "mails", handler, cfg) // a second replica

		ok, err := register(testCtx(t), s, "W1", registration("r1", "Ann"), "")
		if err != nil {
			t.Fatal(err)
		}
		bad, err := register(testCtx(t), s, "W1", registration("r2", "Fails"), "")
		if err != nil {
			t.Fatal(err)
		}
		waitUntil(t, "Ann's commit", func() bool { return got.attempts(ok.Seq) == 1 })
		waitUntil(t, "the failing commit's last attempt", func() bool {
			got.mu.Lock()
			defer got.mu.Unlock()
			return got.final[bad.Seq] != nil
		})
		if n := got.attempts(bad.Seq); n != 3 {
			t.Errorf("the failing commit was attempted %d times, want 3 (1 + 2 retries)", n)
		}
		if name, _ := names.Load(ok.Seq); name != "Ann" {
			t.Errorf("the handler saw the name %v, want Ann opened", name)
		}
		time.Sleep(200 * time.Millisecond)
		if n := got.attempts(old); n != 0 {
			t.Errorf("the commit from before the outbox was created was handled %d times", n)
		}
		if n := got.attempts(ok.Seq); n != 1 {
			t.Errorf("Ann's commit was handled %d times by two replicas, want once", n)
		}
	})
}
