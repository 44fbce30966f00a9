package projections_test

import (
	"context"
	"testing"

	"github.com/werkstatt/werkstatt/projections"
)

// BenchmarkApplyMemory reports how many log events per second the memory store absorbs through
// all projections, in batches of 500 as the subscriber delivers them during catch-up.
func BenchmarkApplyMemory(b *testing.B) {
	events := projections.Scenario(20, 200)
	b.ResetTimer()
	var total float64
	for b.Loop() {
		rate, err := projections.MeasureApply(context.Background(), projections.NewMemory(), events, 500)
		if err != nil {
			b.Fatal(err)
		}
		total += rate
	}
	b.ReportMetric(total/float64(b.N), "events/s")
	b.ReportMetric(float64(len(events)), "events/op")
}
