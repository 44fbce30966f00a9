package projections

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"

	"github.com/werkstatt/werkstatt/domain"
)

// Runner feeds every projection of All from a watermill Subscriber and tells waiters how far
// the read models are. One Router handler (topic Topic) applies each batch to every
// projection, each in its own transaction with its own checkpoint: the log is read and decoded
// once for all of them, which triples catch-up speed over a subscription per projection.
//
// The subscriber is expected to start the topic after the checkpoint StartSeq reports, to
// deliver one batch of whole commits per message and the next message only after an Ack, and
// to redeliver a Nacked message. A handler that keeps failing is retried a few times with
// backoff, then Nacked: the projections stop there rather than skip an event, and keep trying
// the batch again, so that they go on once the cause is fixed. A projection that still fails
// after the retries is stuck: the Runner logs an error naming it and the stream sequence of the
// commit it fails on, counts the failure and reports it in Statuses until it applies that
// commit. The other projections go on.
type Runner struct {
	store       Store
	router      *message.Router
	projections []Projection
	log         *slog.Logger

	mu      sync.Mutex
	known   map[string]uint64
	changed chan struct{} // closed and replaced whenever a checkpoint moves or a projection gets stuck
	stuck   map[string]Stuck
	failed  map[string]uint64 // batches that failed after their retries, by projection
}

// NewRunner wires each projection as a Router handler fed by sub and decoded by dec.
func NewRunner(store Store, sub message.Subscriber, dec Decoder, logger *slog.Logger) (*Runner, error) {
	if logger == nil {
		logger = slog.Default()
	}
	wlog := watermill.NewSlogLogger(logger)
	router, err := message.NewRouter(message.RouterConfig{CloseTimeout: 10 * time.Second}, wlog)
	if err != nil {
		return nil, fmt.Errorf("projections: new router: %w", err)
	}
	r := &Runner{store: store, router: router, projections: All(), log: logger,
		known: map[string]uint64{}, changed: make(chan struct{}), stuck: map[string]Stuck{}, failed: map[string]uint64{}}
	// report sees what is left after the retries; Retry runs outside Recoverer, so that a panic
	// becomes an error that is retried too.
	router.AddMiddleware(r.report, middleware.Retry{MaxRetries: 5, InitialInterval: 100 * time.Millisecond,
		MaxInterval: 2 * time.Second, Multiplier: 2, Logger: wlog}.Middleware, middleware.Recoverer)
	router.AddConsumerHandler(Topic, Topic, sub, r.handler(dec))
	return r, nil
}

// Topic is the subscriber topic the Runner reads.
const Topic = "projections"

// StartSeq returns the subscriber's start function for store: the lowest checkpoint over the
// projections, so that none misses an event (the others skip what they already applied).
func StartSeq(store Store) func(ctx context.Context, topic string) (uint64, error) {
	return func(ctx context.Context, _ string) (uint64, error) {
		var lowest uint64
		for i, p := range All() {
			cp, err := store.Checkpoint(ctx, p.Name())
			if err != nil {
				return 0, err
			}
			if i == 0 || cp < lowest {
				lowest = cp
			}
		}
		return lowest, nil
	}
}

// handler applies a batch to every projection. A projection that fails on the batch is applied
// commit by commit, which finds the commit it fails on and keeps what comes before; the others
// go on. The error names each failing projection (ApplyError).
func (r *Runner) handler(dec Decoder) message.NoPublishHandlerFunc {
	return func(msg *message.Message) error {
		ctx := msg.Context()
		batch, err := dec.DecodeBatch(ctx, msg.Payload)
		if err != nil {
			seq, _ := strconv.ParseUint(msg.Metadata.Get("seq_first"), 10, 64)
			return &ApplyError{Seq: seq, Err: fmt.Errorf("decode batch: %w", err)}
		}
		var errs []error
		for _, p := range r.projections {
			cp, err := r.store.Apply(ctx, p, batch)
			if err != nil {
				cp, err = r.applyEach(ctx, p, batch)
			}
			r.advance(p.Name(), cp)
			if err != nil {
				errs = append(errs, err)
			}
		}
		return errors.Join(errs...)
	}
}

// applyEach applies batch to p one commit at a time and returns p's checkpoint and the
// ApplyError of the first commit that fails.
func (r *Runner) applyEach(ctx context.Context, p Projection, batch []domain.Recorded) (uint64, error) {
	var cp uint64
	for _, commit := range Batches(batch, 1) {
		next, err := r.store.Apply(ctx, p, commit)
		if err != nil {
			return cp, &ApplyError{Projection: p.Name(), Seq: commit[0].Seq, Err: err}
		}
		cp = next
	}
	return cp, nil
}

// Run loads the checkpoints and runs the router until ctx is done.
func (r *Runner) Run(ctx context.Context) error {
	for _, p := range r.projections {
		cp, err := r.store.Checkpoint(ctx, p.Name())
		if err != nil {
			return fmt.Errorf("projection %s: checkpoint: %w", p.Name(), err)
		}
		r.advance(p.Name(), cp)
	}
	if err := r.router.Run(ctx); err != nil {
		return fmt.Errorf("projections: router: %w", err)
	}
	return nil
}

// Running is closed when the router runs.
func (r *Runner) Running() chan struct{} { return r.router.Running() }

// advance records that projection reached cp and wakes the waiters. A stuck projection that
// got past the commit it failed on is no longer stuck.
func (r *Runner) advance(projection string, cp uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if st, ok := r.stuck[projection]; ok && cp >= st.Seq {
		delete(r.stuck, projection)
		r.log.Info("projection recovered", "projection", projection, "seq", cp)
	}
	if cp <= r.known[projection] {
		return
	}
	r.known[projection] = cp
	close(r.changed)
	r.changed = make(chan struct{})
}

// Checkpoint returns the lowest checkpoint over the projections, as this process knows them.
func (r *Runner) Checkpoint() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.minLocked()
}

func (r *Runner) minLocked() uint64 {
	lowest := uint64(0)
	for i, p := range r.projections {
		if cp := r.known[p.Name()]; i == 0 || cp < lowest {
			lowest = cp
		}
	}
	return lowest
}

// WaitFor blocks until every projection's checkpoint is at least seq, so that a read after a
// command whose events were recorded at seq sees them. It returns ctx's error when ctx ends
// first, and an error matching ErrStuck when a projection it waits for is stuck. It does not
// poll: the handlers wake it when they apply a batch.
func (r *Runner) WaitFor(ctx context.Context, seq uint64) error {
	for {
		r.mu.Lock()
		reached, changed := r.minLocked() >= seq, r.changed
		r.mu.Unlock()
		if reached {
			return nil
		}
		if err := r.stuckBefore(seq); err != nil {
			return err // it would wait for the timeout: report it at once
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("projections: waiting for sequence %d: %w", seq, ctx.Err())
		}
	}
}

// Batches splits events into batches of about n events, as the subscriber delivers them: a
// batch ends only where the sequence changes, because the events of one commit share a Seq and
// a store skips a Seq it has applied.
func Batches(events []domain.Recorded, n int) [][]domain.Recorded {
	var batches [][]domain.Recorded
	for len(events) > 0 {
		end := min(max(n, 1), len(events))
		for end < len(events) && events[end].Seq == events[end-1].Seq {
			end++
		}
		batches = append(batches, events[:end:end])
		events = events[end:]
	}
	return batches
}
