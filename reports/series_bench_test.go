package reports_test

import (
	"context"
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/infra/postgres/postgrestest"
	"github.com/werkstatt/werkstatt/internal/bench"
	"github.com/werkstatt/werkstatt/internal/scenario"
	"github.com/werkstatt/werkstatt/reports"
)

// The budgets for the series report of scenario.DefaultSeriesSize.
const (
	seriesJSONBudget = 50 * time.Millisecond
	seriesPDFBudget  = time.Second
)

// BenchmarkSeriesReport reads the series report of the series (scenario.DefaultSeriesSize:
// 20 workshops x 200 participants x 10 sessions, 70% feedback) from the memory and from the
// PostgreSQL read model, filled once and untimed, and encodes it as JSON or renders its PDF with
// both charts. Besides ns/op it reports the share of the budget (50 ms for JSON, 1 s
// for the PDF) that one report takes.
func BenchmarkSeriesReport(b *testing.B) {
	events := scenario.Series(scenario.DefaultSeriesSize)
	for _, s := range postgrestest.ReadModels() {
		b.Run(s.Name, func(b *testing.B) {
			store := s.Open(b)
			if _, err := bench.MeasureApply(context.Background(), store, events, 500); err != nil {
				b.Fatal(err)
			}
			b.Run("json", func(b *testing.B) {
				benchSeriesReport(b, store, seriesJSONBudget, func(r reports.SeriesReport) error {
					return json.NewEncoder(io.Discard).Encode(r)
				})
			})
			b.Run("pdf", func(b *testing.B) {
				benchSeriesReport(b, store, seriesPDFBudget, func(r reports.SeriesReport) error {
					return reports.SeriesPDF(io.Discard, reports.German, r)
				})
			})
		})
	}
}

// benchSeriesReport times loading the series report from src and writing it with write.
func benchSeriesReport(b *testing.B, src reports.SeriesSource, budget time.Duration, write func(reports.SeriesReport) error) {
	for b.Loop() {
		r, err := reports.LoadSeries(context.Background(), src, scenario.SeriesName)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Workshops) != scenario.DefaultSeriesSize.Workshops {
			b.Fatalf("got %d workshops in the report, want %d", len(r.Workshops), scenario.DefaultSeriesSize.Workshops)
		}
		if err := write(r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)/budget.Seconds(), "budget/op")
}
