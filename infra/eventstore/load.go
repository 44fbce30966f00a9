package eventstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/werkstatt/werkstatt/domain"
)

const (
	// directReads is how many commits a catch-up reads one by one (direct get, one round trip
	// each, no server state) before it switches to a consumer, which costs a few round trips
	// to set up but then streams.
	directReads = 4
	// fetchBatch is how many commits a consumer fetch asks for at once.
	fetchBatch = 1000
)

// catchUp folds every commit of the workshop after e.seq into e.
func (s *Store) catchUp(ctx context.Context, id domain.WorkshopID, e *entry) error {
	if before := e.seq; before > 0 {
		defer func() {
			if e.seq > before { // commits this Store did not see acknowledged
				e.foreign = time.Now()
			}
		}()
	}
	subject := s.Subject(id)
	for range directReads {
		m, err := s.stream.GetMsg(ctx, e.seq+1, jetstream.WithGetMsgSubject(subject))
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("eventstore: read workshop %s after %d: %w", id, e.seq, err)
		}
		if err := s.foldMsg(ctx, id, e, m.Sequence, m.Header, m.Data); err != nil {
			return err
		}
	}
	return s.catchUpByConsumer(ctx, id, e)
}

// catchUpByConsumer reads the rest of the workshop's commits with an ordered consumer.
func (s *Store) catchUpByConsumer(ctx context.Context, id domain.WorkshopID, e *entry) error {
	cons, err := s.stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{
		FilterSubjects:    []string{s.Subject(id)},
		DeliverPolicy:     jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:       e.seq + 1,
		InactiveThreshold: 5 * time.Second, // the server forgets it soon after the catch-up
		// A command waits for this read, and the workshop's queue with it: no recreation
		// without end (see maxResetAttempts); the command fails and is tried again.
		MaxResetAttempts: 1,
	})
	if err != nil {
		return fmt.Errorf("eventstore: read workshop %s: %w", id, err)
	}
	for {
		batch, err := cons.FetchNoWait(fetchBatch)
		if err != nil {
			return fmt.Errorf("eventstore: read workshop %s: %w", id, err)
		}
		n, pending := 0, uint64(0)
		for msg := range batch.Messages() {
			md, err := msg.Metadata()
			if err != nil {
				return fmt.Errorf("eventstore: read workshop %s: %w", id, err)
			}
			if err := s.foldMsg(ctx, id, e, md.Sequence.Stream, msg.Headers(), msg.Data()); err != nil {
				return err
			}
			n, pending = n+1, md.NumPending
		}
		if err := batch.Error(); err != nil && !errors.Is(err, jetstream.ErrNoMessages) {
			return fmt.Errorf("eventstore: read workshop %s: %w", id, err)
		}
		if n == 0 || pending == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// foldMsg decodes one commit, without opening personal data, and folds it into e.
func (s *Store) foldMsg(ctx context.Context, id domain.WorkshopID, e *entry, seq uint64, h nats.Header, data []byte) error {
	if seq <= e.seq {
		return nil
	}
	c, err := s.decodeCommit(ctx, seq, id, data, false)
	if err != nil {
		return err
	}
	events := make([]domain.Event, len(c.events))
	for i, r := range c.events {
		events[i] = r.Event
	}
	e.fold(seq, h.Get(commandHeader), h.Get(requestHeader), events)
	return nil
}
