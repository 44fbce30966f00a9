package reports_test

import (
	"context"
	"encoding/json"
	"io"
	"testing"

	"github.com/werkstatt/werkstatt/reports"
)

// benchSeries is a series of 20 workshops of 200 registrations (9 sessions each, as
// projections.Scenario plans them) where 7 in 10 confirmed people answer the questionnaire.
func benchSeries(b *testing.B) reports.SeriesSource {
	b.Helper()
	return seriesStore(b, 20, 200, 70)
}

// BenchmarkSeriesReportJSON reads the series report from the memory read model and encodes it.
func BenchmarkSeriesReportJSON(b *testing.B) {
	src := benchSeries(b)
	for b.Loop() {
		r, err := reports.LoadSeries(context.Background(), src, "Jugendarbeit")
		if err != nil {
			b.Fatal(err)
		}
		if err := json.NewEncoder(io.Discard).Encode(r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSeriesReportPDF reads the series report and renders its PDF with both charts.
func BenchmarkSeriesReportPDF(b *testing.B) {
	src := benchSeries(b)
	for b.Loop() {
		r, err := reports.LoadSeries(context.Background(), src, "Jugendarbeit")
		if err != nil {
			b.Fatal(err)
		}
		if err := reports.SeriesPDF(io.Discard, reports.German, r); err != nil {
			b.Fatal(err)
		}
	}
}
