package eventstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

const (
	// maxBatch bounds the commits of one watermill message: big enough for fast catch-up,
	// small enough for one read-model transaction.
	maxBatch = 500
	// nackDelay is how long a Nacked batch waits before it is delivered again.
	nackDelay = 500 * time.Millisecond
	// batchLinger is how long readBatch looks for more commits once the stream had no more
	// when the last one was sent; it delays a live batch by at most that much.
	batchLinger = 200 * time.Microsecond
	// restartDelay is how long a subscription waits after a read error before it reads again.
	restartDelay = time.Second
)

// Subscriber is a watermill message.Subscriber over the whole event stream. Each watermill
// message carries a batch of consecutive commits (see EncodeBatch); a topic names a
// projection, whose checkpoint tells where to start.
type Subscriber struct {
	js       jetstream.JetStream
	cfg      Config
	startSeq func(ctx context.Context, topic string) (uint64, error)
	logger   watermill.LoggerAdapter

	mu      sync.Mutex
	closed  bool
	closing chan struct{}
	running sync.WaitGroup
}

// NewSubscriber returns a watermill message.Subscriber over the whole stream. Subscribe(ctx,
// topic) starts an ordered consumer at startSeq(ctx, topic)+1 and delivers watermill messages
// each carrying a batch of consecutive commits: whatever is already available, up to maxBatch
// (during live operation usually one). It sends the next message only after the previous one
// was Acked; a Nacked message is delivered again (same batch) after a short delay. Metadata
// "seq_first" and "seq_last" hold the batch's first and last stream sequence.
func NewSubscriber(js jetstream.JetStream, cfg Config, startSeq func(ctx context.Context, topic string) (uint64, error), logger watermill.LoggerAdapter) message.Subscriber {
	if logger == nil {
		logger = watermill.NopLogger{}
	}
	return &Subscriber{js: js, cfg: cfg.withDefaults(), startSeq: startSeq, logger: logger, closing: make(chan struct{})}
}

// Subscribe starts delivering the stream's commits after topic's checkpoint. The channel is
// closed when ctx is cancelled or the Subscriber is closed.
func (s *Subscriber) Subscribe(ctx context.Context, topic string) (<-chan *message.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errors.New("eventstore: subscriber is closed")
	}
	start, err := s.startSeq(ctx, topic)
	if err != nil {
		return nil, fmt.Errorf("eventstore: checkpoint of %s: %w", topic, err)
	}
	stream, err := s.js.Stream(ctx, s.cfg.Stream)
	if err != nil {
		return nil, fmt.Errorf("eventstore: stream %s: %w", s.cfg.Stream, err)
	}
	ctx, cancel := context.WithCancel(ctx)
	sub := &subscription{stream: stream, next: start + 1, out: make(chan *message.Message),
		logger: s.logger.With(watermill.LogFields{"topic": topic})}
	s.running.Add(1)
	go func() {
		defer s.running.Done()
		select {
		case <-ctx.Done():
		case <-s.closing:
			cancel()
		}
	}()
	s.running.Add(1)
	go func() {
		defer s.running.Done()
		defer cancel()
		sub.run(ctx)
	}()
	return sub.out, nil
}

// Close stops every subscription and waits until their channels are closed.
func (s *Subscriber) Close() error {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.closing)
	}
	s.mu.Unlock()
	s.running.Wait()
	return nil
}

// subscription delivers one topic's batches.
type subscription struct {
	stream jetstream.Stream
	next   uint64 // sequence of the first commit not yet acknowledged
	out    chan *message.Message
	logger watermill.LoggerAdapter
}

func (sub *subscription) run(ctx context.Context) {
	defer close(sub.out)
	for ctx.Err() == nil {
		err := sub.consume(ctx)
		if ctx.Err() != nil {
			return
		}
		sub.logger.Error("Reading the event stream failed; starting again", err,
			watermill.LogFields{"next_seq": sub.next})
		sleep(ctx, restartDelay)
	}
}

// consume reads batches from an ordered consumer starting at sub.next and hands them out
// until ctx ends or reading fails.
func (sub *subscription) consume(ctx context.Context) error {
	cons, err := sub.stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{
		DeliverPolicy: jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:   sub.next,
	})
	if err != nil {
		return err
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(2 * maxBatch))
	if err != nil {
		return err
	}
	defer it.Stop()
	for {
		commits, err := readBatch(ctx, it)
		if err != nil {
			return err
		}
		if !sub.deliver(ctx, commits) {
			return ctx.Err()
		}
		sub.next = commits[len(commits)-1].Seq + 1
	}
}

// readBatch waits for one commit and adds those that follow it without delay, up to maxBatch.
// NumPending tells whether the stream held more when a commit was sent. When it held none,
// readBatch still takes what arrived meanwhile, looking for batchLinger at most: under load,
// while the projections applied the last batch, the writers appended more, and one transaction
// for all of them keeps the read models up with the writers (a commit per transaction would
// not keep up with PostgreSQL).
func readBatch(ctx context.Context, it jetstream.MessagesContext) ([]Commit, error) {
	var commits []Commit
	next := jetstream.NextContext(ctx)
	for len(commits) < maxBatch {
		msg, err := it.Next(next)
		if err != nil {
			if len(commits) > 0 && errors.Is(err, nats.ErrTimeout) {
				break // nothing more arrived
			}
			return nil, err
		}
		md, err := msg.Metadata()
		if err != nil {
			return nil, err
		}
		commits = append(commits, Commit{Seq: md.Sequence.Stream, Subject: msg.Subject(), Data: msg.Data()})
		if md.NumPending == 0 {
			next = jetstream.NextMaxWait(batchLinger)
		}
	}
	return commits, nil
}

// deliver sends a batch and waits for its Ack, sending it again after each Nack. It reports
// false when ctx ended first.
func (sub *subscription) deliver(ctx context.Context, commits []Commit) bool {
	payload := EncodeBatch(commits)
	first, last := strconv.FormatUint(commits[0].Seq, 10), strconv.FormatUint(commits[len(commits)-1].Seq, 10)
	uuid := watermill.NewUUID()
	for {
		m := message.NewMessage(uuid, payload)
		m.Metadata.Set("seq_first", first)
		m.Metadata.Set("seq_last", last)
		m.SetContext(ctx)
		select {
		case sub.out <- m:
		case <-ctx.Done():
			return false
		}
		select {
		case <-m.Acked():
			return true
		case <-m.Nacked():
			sub.logger.Debug("Batch nacked; delivering it again", watermill.LogFields{"seq_first": first, "seq_last": last})
			if !sleep(ctx, nackDelay) {
				return false
			}
		case <-ctx.Done():
			return false
		}
	}
}

// sleep waits d and reports whether ctx was still alive after it.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
