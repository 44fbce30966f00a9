package projections_test

import (
	"context"
	"testing"

	"github.com/werkstatt/werkstatt/infra/postgres/postgrestest"
	"github.com/werkstatt/werkstatt/internal/bench"
	"github.com/werkstatt/werkstatt/internal/scenario"
	"github.com/werkstatt/werkstatt/projections"
)

// BenchmarkApplyMemory reports how many log events per second the memory store absorbs through
// all projections, in batches of 500 as the subscriber delivers them during catch-up.
func BenchmarkApplyMemory(b *testing.B) {
	events := scenario.Workshops(20, 200)
	b.ResetTimer()
	var total float64
	for b.Loop() {
		rate, err := bench.MeasureApply(context.Background(), projections.NewMemory(), events, 500)
		if err != nil {
			b.Fatal(err)
		}
		total += rate
	}
	b.ReportMetric(total/float64(b.N), "events/s")
	b.ReportMetric(float64(len(events)), "events/op")
}

// BenchmarkApplySeries reports how many events per second of the series (see
// scenario.Series) the memory and the PostgreSQL read models absorb through all projections, in
// batches of 500 as the subscriber delivers them during catch-up. Each round starts from empty
// read models (a fresh database for PostgreSQL, not timed).
func BenchmarkApplySeries(b *testing.B) {
	events := scenario.Series(scenario.DefaultSeriesSize)
	for _, s := range postgrestest.ReadModels() {
		b.Run(s.Name, func(b *testing.B) {
			var total float64
			for b.Loop() {
				b.StopTimer()
				store := s.Open(b)
				b.StartTimer()
				rate, err := bench.MeasureApply(context.Background(), store, events, 500)
				if err != nil {
					b.Fatal(err)
				}
				total += rate
			}
			b.ReportMetric(total/float64(b.N), "events/s")
			b.ReportMetric(float64(len(events)), "events/op")
		})
	}
}
