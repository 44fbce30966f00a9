package eventstore

import (
	"context"
	"crypto/rand"
	"fmt"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/domain"
)

// Import appends a log built elsewhere (internal/scenario, the benchmarks' fill), one message
// per commit (events sharing a Seq), keeping each commit's actor and time and sealing personal
// data as Update does. The stream assigns its own sequences. It publishes asynchronously and
// without expectations, which is safe only where nothing else writes these workshops: use it
// on a scratch stream, never on a service's. It returns the number of commits.
func (s *Store) Import(ctx context.Context, log []domain.Recorded) (int, error) {
	commits := 0
	for len(log) > 0 {
		end := 1
		for end < len(log) && log[end].Seq == log[0].Seq {
			end++
		}
		events := make([]domain.Event, end)
		for i, r := range log[:end] {
			events[i] = r.Event
		}
		meta := domain.Meta{Actor: log[0].Actor, At: log[0].At}
		if err := s.publishAsync(ctx, log[0].Workshop, meta, events); err != nil {
			return commits, err
		}
		if commits++; commits%1000 == 0 {
			if err := waitAsync(ctx, s.js); err != nil {
				return commits, err
			}
		}
		log = log[end:]
	}
	return commits, waitAsync(ctx, s.js)
}

func (s *Store) publishAsync(ctx context.Context, id domain.WorkshopID, meta domain.Meta, events []domain.Event) error {
	msgID := rand.Text()
	data, err := s.encodeCommit(ctx, msgID, meta, events)
	if err != nil {
		return err
	}
	_, err = s.js.PublishMsgAsync(&nats.Msg{Subject: s.Subject(id), Data: data}, jetstream.WithMsgID(msgID))
	return err
}

func waitAsync(ctx context.Context, js jetstream.JetStream) error {
	select {
	case <-js.PublishAsyncComplete():
	case <-ctx.Done():
		return ctx.Err()
	}
	if n := js.PublishAsyncPending(); n != 0 {
		return fmt.Errorf("eventstore: %d asynchronous publishes still pending", n)
	}
	return nil
}
