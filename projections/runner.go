package projections

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"

	"github.com/werkstatt/werkstatt/domain"
)

// Runner applies batches of decoded commits to every projection of All and tells waiters how
// far the read models are. A feed (infra/eventstore.Feed: a subscriber and a watermill router
// with retry, recoverer and metrics middleware) reads the log once for all projections, decodes
// each commit once and calls Apply with each batch in log order; each projection applies it in
// its own transaction with its own checkpoint.
//
// The feed starts after the checkpoint Start reports and hands Apply whole commits. A batch
// that keeps failing is retried by the feed and then handed to GaveUp: the projections stop
// there rather than skip an event, and the feed keeps trying the batch, so that they go on once
// the cause is fixed. A projection that still fails after the retries is stuck: the Runner logs
// an error naming it and the stream sequence of the commit it fails on, counts the failure and
// reports it in Statuses until it applies that commit. The other projections go on.
type Runner struct {
	store       Store
	projections []Projection
	log         *slog.Logger

	mu      sync.Mutex
	known   map[string]uint64
	changed chan struct{} // closed and replaced whenever a checkpoint moves or a projection gets stuck
	stuck   map[string]Stuck
	failed  map[string]uint64 // batches that failed after their retries, by projection
}

// NewRunner returns a Runner over the projections of All in store.
func NewRunner(store Store, logger *slog.Logger) *Runner {
	if logger == nil {
		logger = slog.Default()
	}
	return &Runner{store: store, projections: All(), log: logger,
		known: map[string]uint64{}, changed: make(chan struct{}), stuck: map[string]Stuck{}, failed: map[string]uint64{}}
}

// Start loads the checkpoints and returns the lowest, after which the feed starts, so that no
// projection misses an event (the others skip what they already applied).
func (r *Runner) Start(ctx context.Context) (uint64, error) {
	var lowest uint64
	for i, p := range r.projections {
		cp, err := r.store.Checkpoint(ctx, p.Name())
		if err != nil {
			return 0, fmt.Errorf("projection %s: checkpoint: %w", p.Name(), err)
		}
		r.advance(p.Name(), cp)
		if i == 0 || cp < lowest {
			lowest = cp
		}
	}
	return lowest, nil
}

// Apply applies a batch of whole commits, in log order, to every projection. A projection that
// fails (or panics) on the batch is applied commit by commit, which finds the commit it fails on
// and keeps what comes before; the others go on. The error names each failing projection
// (ApplyError).
func (r *Runner) Apply(ctx context.Context, batch []domain.Recorded) error {
	if cps, err := r.applyAll(ctx, batch); err == nil {
		for i, p := range r.projections {
			r.advance(p.Name(), cps[i])
		}
		return nil
	}
	var errs []error
	for _, p := range r.projections {
		cp, err := r.apply(ctx, p, batch)
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

// applyAll applies batch to every projection at once (one transaction in PostgreSQL).
func (r *Runner) applyAll(ctx context.Context, batch []domain.Recorded) (cps []uint64, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v", v) // apply finds and logs it
		}
	}()
	return r.store.ApplyAll(ctx, r.projections, batch)
}

// apply applies batch to p in the store; a panic is p's error, so that a bug in one projection
// stops only that one.
func (r *Runner) apply(ctx context.Context, p Projection, batch []domain.Recorded) (cp uint64, err error) {
	defer func() {
		if v := recover(); v != nil {
			r.log.Error("projection panicked", "projection", p.Name(), "panic", v, "stack", string(debug.Stack()))
			err = fmt.Errorf("panic: %v", v)
		}
	}()
	return r.store.Apply(ctx, p, batch)
}

// applyEach applies batch to p one commit at a time and returns p's checkpoint and the
// ApplyError of the first commit that fails.
func (r *Runner) applyEach(ctx context.Context, p Projection, batch []domain.Recorded) (uint64, error) {
	var cp uint64
	for _, commit := range Batches(batch, 1) {
		next, err := r.apply(ctx, p, commit)
		if err != nil {
			return cp, &ApplyError{Projection: p.Name(), Seq: commit[0].Seq, Err: err}
		}
		cp = next
	}
	return cp, nil
}

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
