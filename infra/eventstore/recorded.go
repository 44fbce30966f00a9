package eventstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/natsconn"
)

// Recorded returns every event of the workshop id as the log holds it now, oldest first, each
// with the sequence, time and actor of its commit (the events of one commit share them), and
// personal data opened: a Person is nil where the person was erased. A workshop that was never
// scheduled has none. Nothing keeps the decoded events. An unreachable server is
// domain.ErrUnavailable. The history and the read models "as of" a time read it (app.Log).
func (s *Store) Recorded(ctx context.Context, id domain.WorkshopID) ([]domain.Recorded, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	if err := natsconn.Up(s.js.Conn()); err != nil {
		return nil, err
	}
	out, err := s.recorded(ctx, id)
	return out, natsconn.Classify(err)
}

// recorded reads the workshop's subject with an ordered consumer, the way a catch-up does.
func (s *Store) recorded(ctx context.Context, id domain.WorkshopID) ([]domain.Recorded, error) {
	cons, err := s.stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{
		FilterSubjects:    []string{s.Subject(id)},
		DeliverPolicy:     jetstream.DeliverAllPolicy,
		InactiveThreshold: 5 * time.Second, // the server forgets it soon after the read
		MaxResetAttempts:  1,               // a request waits for it (see maxResetAttempts)
	})
	if err != nil {
		return nil, fmt.Errorf("eventstore: read workshop %s: %w", id, err)
	}
	var out []domain.Recorded
	d := s.decoder(ctx, true)
	for {
		batch, err := cons.FetchNoWait(fetchBatch)
		if err != nil {
			return nil, fmt.Errorf("eventstore: read workshop %s: %w", id, err)
		}
		n, pending := 0, uint64(0)
		for msg := range batch.Messages() {
			md, err := msg.Metadata()
			if err != nil {
				return nil, fmt.Errorf("eventstore: read workshop %s: %w", id, err)
			}
			if out, err = d.decodeInto(out, md.Sequence.Stream, id, msg.Data()); err != nil {
				return nil, err
			}
			n, pending = n+1, md.NumPending
		}
		if err := batch.Error(); err != nil && !errors.Is(err, jetstream.ErrNoMessages) {
			return nil, fmt.Errorf("eventstore: read workshop %s: %w", id, err)
		}
		if n == 0 || pending == 0 {
			return out, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
}
