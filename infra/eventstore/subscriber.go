package eventstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/werkstatt/werkstatt/domain"
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
	// maxResetAttempts is how often an ordered consumer that lost its heartbeats is recreated
	// before reading fails (1 and 2 s apart, each attempt waiting up to 10 s). nats.go's default
	// is without end, and it ignores the reader's context meanwhile.
	maxResetAttempts = 3
	// restartDelay is how long a subscription waits after a read error before it reads again.
	restartDelay = time.Second
)

// Subscriber is a watermill message.Subscriber over the whole event stream that hands out
// decoded commits. Each watermill message carries a batch of consecutive commits, decoded once
// with personal data opened (Events returns them); a topic names a reader, whose start function
// tells where to begin.
type Subscriber struct {
	store    *Store
	startSeq func(ctx context.Context, topic string) (uint64, error)
	logger   watermill.LoggerAdapter

	closer
}

// NewSubscriber returns a watermill message.Subscriber over store's stream. Subscribe(ctx,
// topic) starts an ordered consumer at startSeq(ctx, topic)+1 and delivers watermill messages
// each carrying a batch of consecutive commits: whatever is already available, up to maxBatch
// (during live operation usually one). While a batch is being handled, the next is read and
// decoded; it is sent once the previous message was Acked. A Nacked message is delivered again
// (same batch) after a short delay. Metadata "seq_first" and "seq_last" hold the batch's first
// and last stream sequence.
func NewSubscriber(store *Store, startSeq func(ctx context.Context, topic string) (uint64, error), logger watermill.LoggerAdapter) *Subscriber {
	if logger == nil {
		logger = watermill.NopLogger{}
	}
	return &Subscriber{store: store, startSeq: startSeq, logger: logger, closer: closer{closing: make(chan struct{})}}
}

// Events returns the recorded events of a message from a Subscriber, in stream order. When
// decoding failed while the message was read ahead (say the keys could not be reached), it
// decodes again, so that a retry of the handler can succeed.
func Events(msg *message.Message) ([]domain.Recorded, error) {
	b, ok := msg.Context().Value(batchKey{}).(*batch)
	if !ok {
		return nil, errors.New("eventstore: the message does not come from a Subscriber")
	}
	if b.err != nil {
		b.events, b.err = b.store.decodeCommits(msg.Context(), b.commits)
	}
	return b.events, b.err
}

// batchKey is the context key of a message's batch.
type batchKey struct{}

// batch is what one message carries: the commits as read and the events decoded from them.
// Once sent, only the handler touches it.
type batch struct {
	store   *Store
	commits []Commit
	events  []domain.Recorded
	err     error // decoding failed: Events tries again
}

func (b *batch) first() uint64 { return b.commits[0].Seq }
func (b *batch) last() uint64  { return b.commits[len(b.commits)-1].Seq }

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
	sub := &subscription{store: s.store, next: start + 1, out: make(chan *message.Message),
		logger: s.logger.With(watermill.LogFields{"topic": topic})}
	s.run(ctx, sub.run)
	return sub.out, nil
}

// subscription delivers one topic's batches.
type subscription struct {
	store  *Store
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

// readAhead is how many decoded batches wait for the handler: reading and decoding the next
// batch while the read models apply this one is what keeps catch-up near the speed of reading.
const readAhead = 2

// consume reads and decodes batches from an ordered consumer starting at sub.next, ahead of the
// handler, and hands them out until ctx ends or reading fails.
func (sub *subscription) consume(ctx context.Context) error {
	cons, err := sub.store.stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{
		DeliverPolicy: jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:   sub.next,
		// nats.go recreates an ordered consumer that lost its heartbeats, by default without
		// end: after a stream leader's death one replica's recreation kept failing for good
		// (TestClusterRush), and the projections, silently, with it. A few attempts, then the
		// error: this subscription starts a new consumer from its own sequence, and says so.
		MaxResetAttempts: maxResetAttempts,
	})
	if err != nil {
		return err
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(2 * maxBatch))
	if err != nil {
		return err
	}
	defer it.Stop()
	// A long catch-up reads the keys in bulk until it reached the end the stream had now.
	last, err := sub.store.LastSeq(ctx)
	if err != nil {
		return err
	}
	caughtUp := sub.store.catchingUp(sub.next, last)
	defer caughtUp()
	readCtx, stop := context.WithCancel(ctx)
	defer stop()
	// Three stages, so that reading, decoding and applying overlap: the reader hands the
	// commits it reads to the decoder, which hands decoded batches to the delivery below.
	read := make(chan []Commit, readAhead)
	var readErr error // set before read is closed
	go func() {
		defer close(read)
		for {
			commits, err := readBatch(readCtx, it)
			if err != nil {
				readErr = err
				return
			}
			select {
			case read <- commits:
			case <-readCtx.Done():
				return
			}
		}
	}()
	decoded := make(chan *batch, readAhead)
	go func() {
		defer close(decoded)
		for commits := range read {
			b := &batch{store: sub.store, commits: commits}
			if len(decoded) == 0 {
				// The handler waits for this batch: decode it on every core.
				b.events, b.err = sub.store.decodeParallel(readCtx, commits)
			} else {
				// The handler is the slower stage (PostgreSQL): leave it a core.
				b.events, b.err = sub.store.decodeCommits(readCtx, commits)
			}
			select {
			case decoded <- b:
			case <-readCtx.Done():
			}
		}
	}()
	var held *batch // taken from decoded but not merged: delivered next
	for {
		b := held
		if b == nil {
			var ok bool
			if b, ok = <-decoded; !ok {
				return readErr
			}
		}
		b, held = merge(b, decoded)
		if !sub.deliver(ctx, b) {
			stop()
			for range decoded { // let the stages end before the iterator stops
			}
			return ctx.Err()
		}
		sub.next = b.last() + 1
		if sub.next > last {
			caughtUp()
		}
	}
}

// merge adds to b the decoded batches that are already waiting, up to maxBatch commits, so that
// while the read models apply one batch the next gathers everything that arrived meanwhile
// (one transaction for all of them keeps the read models up with the writers). It returns the
// batch it took but could not add, if any.
func merge(b *batch, decoded <-chan *batch) (merged, held *batch) {
	for b.err == nil {
		select {
		case next, ok := <-decoded:
			if !ok {
				return b, nil
			}
			if next.err != nil || len(b.commits)+len(next.commits) > maxBatch {
				return b, next
			}
			b.commits, b.events = append(b.commits, next.commits...), append(b.events, next.events...)
		default:
			return b, nil
		}
	}
	return b, nil
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
func (sub *subscription) deliver(ctx context.Context, b *batch) bool {
	first, last := strconv.FormatUint(b.first(), 10), strconv.FormatUint(b.last(), 10)
	uuid := watermill.NewUUID()
	bctx := context.WithValue(ctx, batchKey{}, b)
	for {
		m := message.NewMessage(uuid, nil)
		m.Metadata.Set("seq_first", first)
		m.Metadata.Set("seq_last", last)
		m.SetContext(bctx)
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
