package projections

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// ErrStuck is returned by Runner.WaitFor when a projection it would wait for is stuck.
var ErrStuck = errors.New("a projection is stuck")

// ApplyError reports that a projection failed on the commit at stream sequence Seq. An empty
// Projection means the batch could not be decoded, which stops every projection.
type ApplyError struct {
	Projection string
	Seq        uint64
	Err        error
}

func (e *ApplyError) Error() string {
	name := e.Projection
	if name == "" {
		name = "every projection"
	}
	return fmt.Sprintf("projection %s at sequence %d: %v", name, e.Seq, e.Err)
}

func (e *ApplyError) Unwrap() error { return e.Err }

// Stuck is a projection that still failed on a commit after its retries. It keeps trying.
type Stuck struct {
	Seq    uint64    // the stream sequence of the commit it fails on
	Reason string    // a short classification: "unreachable" (the read models or the log could not be reached) or "failing"
	Since  time.Time // the first failure after retries on this commit
}

func (s Stuck) String() string { return fmt.Sprintf("stuck at seq %d: %s", s.Seq, s.Reason) }

// Status is how one projection is doing, as this process knows it.
type Status struct {
	Projection string
	Checkpoint uint64
	Failures   uint64 // batches that failed after their retries since the process started
	Stuck      *Stuck // nil while the projection applies what it gets
}

// Statuses returns the status of every projection, in the order of All.
func (r *Runner) Statuses() []Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Status, 0, len(r.projections))
	for _, p := range r.projections {
		st := Status{Projection: p.Name(), Checkpoint: r.known[p.Name()], Failures: r.failed[p.Name()]}
		if s, ok := r.stuck[p.Name()]; ok {
			st.Stuck = &s
		}
		out = append(out, st)
	}
	return out
}

// GaveUp reports the error a batch still has after the feed's retries: it marks each failing
// projection stuck (every projection for an error that names none, such as a commit that could
// not be decoded), counts the failure and logs it.
func (r *Runner) GaveUp(err error) {
	failures := applyErrors(err)
	if len(failures) == 0 {
		failures = []*ApplyError{{Err: err}}
	}
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	defer func() { // wake the waiters: they stop waiting for a stuck projection
		close(r.changed)
		r.changed = make(chan struct{})
	}()
	for _, f := range failures {
		names := []string{f.Projection}
		if f.Projection == "" {
			names = names[:0]
			for _, p := range r.projections {
				names = append(names, p.Name())
			}
		}
		reason := "failing"
		if errors.Is(f.Err, domain.ErrUnavailable) {
			reason = "unreachable"
		}
		for _, name := range names {
			st, ok := r.stuck[name]
			if !ok || st.Seq != f.Seq {
				st = Stuck{Seq: f.Seq, Since: now}
			}
			st.Reason = reason
			r.stuck[name] = st
			r.failed[name]++
		}
		r.log.Error("projection stuck: it keeps trying", "projection", strings.Join(names, ","), "seq", f.Seq,
			"reason", reason, "err", f.Err)
	}
}

// applyErrors returns the ApplyErrors in err's tree.
func applyErrors(err error) []*ApplyError {
	var ae *ApplyError
	if errors.As(err, &ae) {
		if joined, ok := err.(interface{ Unwrap() []error }); ok {
			var out []*ApplyError
			for _, e := range joined.Unwrap() {
				out = append(out, applyErrors(e)...)
			}
			return out
		}
		return []*ApplyError{ae}
	}
	return nil
}

// stuckBefore returns an error if a projection whose checkpoint is below seq is stuck: it will
// not reach seq until someone fixes its cause.
func (r *Runner) stuckBefore(seq uint64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for name, st := range r.stuck {
		if r.known[name] < seq {
			return fmt.Errorf("%w: waiting for sequence %d: %s is %s", ErrStuck, seq, name, st)
		}
	}
	return nil
}
