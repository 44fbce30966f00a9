package eventstore

import (
	"context"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/domain"
)

// Commit is one message of the stream: the events of one decision, as stored.
type Commit struct {
	Seq     uint64
	Subject string
	Data    []byte
}

// Replay reads the log from fromSeq up to its last sequence as of the call, decodes it with
// personal data opened, and hands it to apply in batches of whole commits, in log order. It
// stops at the first error apply returns. Rebuilds use it; live projections use Subscriber.
func (s *Store) Replay(ctx context.Context, fromSeq uint64, apply func([]domain.Recorded) error) error {
	last, err := s.LastSeq(ctx)
	if err != nil || last < max(fromSeq, 1) {
		return err
	}
	defer s.catchingUp(fromSeq, last)()
	return s.ReadRaw(ctx, fromSeq, last, func(commits []Commit) error {
		batch, err := s.decodeCommits(ctx, commits)
		if err != nil {
			return err
		}
		return apply(batch)
	})
}

// ReadRaw reads commits fromSeq..last with an ordered consumer and hands them to f in batches,
// undecoded: personal data stays sealed. Replay decodes what it reads; `werkstatt bench` times
// it as the ceiling for any projection's catch-up.
func (s *Store) ReadRaw(ctx context.Context, fromSeq, last uint64, f func([]Commit) error) error {
	cons, err := s.stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{
		DeliverPolicy: jetstream.DeliverByStartSequencePolicy, OptStartSeq: max(fromSeq, 1),
		MaxResetAttempts: maxResetAttempts})
	if err != nil {
		return fmt.Errorf("eventstore: replay: %w", err)
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(2 * maxBatch))
	if err != nil {
		return fmt.Errorf("eventstore: replay: %w", err)
	}
	defer it.Stop()
	for {
		commits, err := readBatch(ctx, it)
		if err != nil {
			return fmt.Errorf("eventstore: replay: %w", err)
		}
		for len(commits) > 0 && commits[len(commits)-1].Seq > last {
			commits = commits[:len(commits)-1] // written after the call: not this replay's
		}
		if len(commits) > 0 {
			if err := f(commits); err != nil {
				return err
			}
		}
		if len(commits) == 0 || commits[len(commits)-1].Seq >= last {
			return nil
		}
	}
}
