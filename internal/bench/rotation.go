package bench

import (
	"fmt"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/internal/scenario"
)

// MeasureRotation plans scenario.Cafe(guests, tables, rounds, seed) with PlanRotation and
// GreedyRotation and returns the quality and the time of each. It panics if the planner
// rejects the café, which would be a bug in scenario.Cafe.
func MeasureRotation(guests, tables, rounds int, seed uint64) (plan, greedy domain.RotationQuality, planTime, greedyTime time.Duration) {
	in := scenario.Cafe(guests, tables, rounds, seed)
	start := time.Now()
	p, err := domain.PlanRotation(in)
	planTime = time.Since(start)
	if err != nil {
		panic(fmt.Sprintf("bench: generated café rejected: %v", err))
	}
	start = time.Now()
	gp := domain.GreedyRotation(in)
	greedyTime = time.Since(start)
	return p.Quality(in), gp.Quality(in), planTime, greedyTime
}
