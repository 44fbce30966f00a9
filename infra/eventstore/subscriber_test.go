package eventstore_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/internal/bench"
)

// fillStream appends n commits to a few workshops and returns the stream's last sequence.
func fillStream(t *testing.T, s *eventstore.Store, n int) uint64 {
	t.Helper()
	if err := bench.Fill(testCtx(t), s, n); err != nil {
		t.Fatalf("Fill: %v", err)
	}
	return lastSeq(t, s)
}

func subscribe(t *testing.T, s *eventstore.Store, checkpoint uint64) (message.Subscriber, <-chan *message.Message) {
	t.Helper()
	sub := eventstore.NewSubscriber(s, func(_ context.Context, topic string) (uint64, error) {
		if topic != "attendance" {
			t.Errorf("startSeq topic: got %q, want %q", topic, "attendance")
		}
		return checkpoint, nil
	}, nil)
	t.Cleanup(func() { sub.Close() })
	msgs, err := sub.Subscribe(testCtx(t), "attendance")
	if err != nil {
		t.Fatalf("Subscribe: %v", err)
	}
	return sub, msgs
}

func receive(t *testing.T, msgs <-chan *message.Message) *message.Message {
	t.Helper()
	select {
	case m, ok := <-msgs:
		if !ok {
			t.Fatalf("subscription closed, want a message")
		}
		return m
	case <-time.After(10 * time.Second):
		t.Fatalf("no message within 10s")
	}
	return nil
}

// batchOf checks a message's decoded events and metadata and returns the sequences of its
// commits.
func batchOf(t *testing.T, m *message.Message) []uint64 {
	t.Helper()
	events, err := eventstore.Events(m)
	if err != nil {
		t.Fatalf("Events: %v", err)
	}
	var commits []uint64
	for i, e := range events {
		if e.Event == nil || e.Workshop == "" {
			t.Fatalf("event %d of the batch: %+v, want a decoded event of a workshop", i, e)
		}
		if i == 0 || e.Seq != events[i-1].Seq {
			commits = append(commits, e.Seq)
		}
	}
	if len(commits) == 0 || len(commits) > 500 {
		t.Fatalf("batch size: got %d, want 1..500", len(commits))
	}
	first, last := strconv.FormatUint(commits[0], 10), strconv.FormatUint(commits[len(commits)-1], 10)
	if m.Metadata.Get("seq_first") != first || m.Metadata.Get("seq_last") != last {
		t.Errorf("metadata: got seq_first %q seq_last %q, want %s and %s", m.Metadata.Get("seq_first"), m.Metadata.Get("seq_last"), first, last)
	}
	return commits
}

func TestSubscriberDeliversEveryCommitInOrder(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		s := w.store(t)
		last := fillStream(t, s, 1200)
		_, msgs := subscribe(t, s, 0)
		next, batches := uint64(1), 0
		for next <= last {
			m := receive(t, msgs)
			commits := batchOf(t, m)
			for _, seq := range commits {
				if seq != next {
					t.Fatalf("commit sequence: got %d, want %d", seq, next)
				}
				next++
			}
			m.Ack()
			batches++
		}
		if batches > 10 {
			t.Errorf("batches for %d commits: got %d, want few (commits are batched)", last, batches)
		}
		// Live: a new commit arrives on its own.
		schedule(t, s, "LIVE", 3)
		if got := batchOf(t, receive(t, msgs)); len(got) != 1 || got[0] != last+1 {
			t.Errorf("live batch: got commits %v, want 1 commit %d", got, last+1)
		}
	})
}

func TestSubscriberResumesAfterCheckpoint(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		s := w.store(t)
		last := fillStream(t, s, 30)
		_, msgs := subscribe(t, s, 20)
		m := receive(t, msgs)
		commits := batchOf(t, m)
		if commits[0] != 21 || commits[len(commits)-1] != last {
			t.Errorf("batch after checkpoint 20: got %d..%d, want 21..%d", commits[0], commits[len(commits)-1], last)
		}
	})
}

func TestSubscriberRedeliversAfterNack(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		s := w.store(t)
		fillStream(t, s, 10)
		_, msgs := subscribe(t, s, 0)
		first := receive(t, msgs)
		first.Nack()
		again := receive(t, msgs)
		if !slices.Equal(batchOf(t, again), batchOf(t, first)) {
			t.Errorf("after Nack: got seq %s..%s, want the same batch %s..%s",
				again.Metadata.Get("seq_first"), again.Metadata.Get("seq_last"), first.Metadata.Get("seq_first"), first.Metadata.Get("seq_last"))
		}
		again.Ack()
		schedule(t, s, "AFTER", 3)
		if got := batchOf(t, receive(t, msgs)); got[0] != 11 {
			t.Errorf("after Ack: got commit %d, want 11", got[0])
		}
	})
}

func TestSubscriberClose(t *testing.T) {
	w := newWorld(t, natstest.Embedded(t))
	s := w.store(t)
	fillStream(t, s, 3)
	sub, msgs := subscribe(t, s, 0)
	receive(t, msgs) // not acked: the subscription waits for it
	done := make(chan struct{})
	go func() { sub.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("Close did not return within 5s")
	}
	for range msgs {
	}
	if _, err := sub.Subscribe(context.Background(), "attendance"); err == nil {
		t.Errorf("Subscribe after Close: got no error, want one")
	}
}
