package projectionstest

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// Flaky is a store whose next applies of one projection fail, or panic, so that a test sees the
// retries, the reports and the redeliveries of whatever feeds it.
type Flaky struct {
	projections.Store
	Projection string       // the projection whose applies fail
	Failures   atomic.Int64 // how many more applies of Projection fail
	Panics     atomic.Bool  // whether they panic instead of returning an error
}

// Apply fails or panics while Failures lasts, for Projection only.
func (s *Flaky) Apply(ctx context.Context, p projections.Projection, batch []domain.Recorded) (uint64, error) {
	if p.Name() == s.Projection && s.Failures.Add(-1) >= 0 {
		if s.Panics.Load() {
			panic("flaky store: a bug")
		}
		return 0, errors.New("flaky store: try again")
	}
	return s.Store.Apply(ctx, p, batch)
}

// ApplyAll goes through Apply, so that the failures happen on this path too.
func (s *Flaky) ApplyAll(ctx context.Context, ps []projections.Projection, batch []domain.Recorded) ([]uint64, error) {
	cps := make([]uint64, len(ps))
	for i, p := range ps {
		cp, err := s.Apply(ctx, p, batch)
		if err != nil {
			return nil, err
		}
		cps[i] = cp
	}
	return cps, nil
}
