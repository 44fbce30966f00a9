package bench

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// MeasureApply applies events to a store whose projections are empty (checkpoints 0) the way the
// Runner does: every projection of projections.All concurrently, in batches of batchSize events
// (the subscriber delivers up to 500). It returns log events per second: len(events) divided by
// the time until the slowest projection is done. BenchmarkApplyMemory, BenchmarkApplyPostgres
// and `werkstatt bench` use it with a log from internal/scenario.
func MeasureApply(ctx context.Context, store projections.Store, events []domain.Recorded, batchSize int) (float64, error) {
	if batchSize < 1 {
		return 0, fmt.Errorf("projections: batch size %d, want at least 1", batchSize)
	}
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, len(projections.All()))
	for _, p := range projections.All() {
		wg.Go(func() {
			for _, batch := range projections.Batches(events, batchSize) {
				if _, err := store.Apply(ctx, p, batch); err != nil {
					errs <- fmt.Errorf("projection %s: %w", p.Name(), err)
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	if err := <-errs; err != nil {
		return 0, err
	}
	return float64(len(events)) / elapsed.Seconds(), nil
}
