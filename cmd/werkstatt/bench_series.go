package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/infra/postgres"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

// The budgets for the series report.
const (
	seriesJSONBudget = 50 * time.Millisecond
	seriesPDFBudget  = time.Second
)

// seriesReportRuns is how many times each series report is timed; the median counts.
const seriesReportRuns = 9

// benchSeries measures the data set (--series, projections.SeriesScenario): it
// publishes the series into a stream of its own, catches fresh read models up on it through
// the real pipeline against a raw ordered-consumer read of that stream, then times the series
// report from each read model against the budgets.
func benchSeries(ctx context.Context, a *app, cfg config, w io.Writer) error {
	log := projections.SeriesScenario(cfg.BenchSeries)
	sc := eventstore.Config{Stream: cfg.Stream + "_SERIES", Subjects: strings.ToLower(cfg.Stream) + "_series.events",
		Replicas: cfg.Replicas}
	events, err := eventstore.Open(ctx, a.js, sc, a.keyring)
	if err != nil {
		return err
	}
	defer a.js.DeleteStream(context.WithoutCancel(ctx), sc.Stream)
	start := time.Now()
	commits, err := eventstore.PublishLog(ctx, events, log)
	if err != nil {
		return err
	}
	size := cfg.BenchSeries
	fmt.Fprintf(w, "series %dx%dx%d, %d%% feedback\t%d events\t%d commits, published in %s\t\t\n", size.Workshops,
		size.Participants, size.Sessions, size.Feedback, len(log), commits, time.Since(start).Round(100*time.Millisecond))
	stores := []seriesStore{{name: "memory", store: projections.NewMemory()}}
	if cfg.DatabaseURL != "" {
		pg, closePG, err := seriesDatabase(ctx, cfg.DatabaseURL)
		if err != nil {
			return err
		}
		defer closePG()
		stores = append(stores, seriesStore{name: "PostgreSQL", store: pg})
	}
	if err := benchSeriesCatchUp(ctx, a, events, sc, stores, len(log), commits, w); err != nil {
		return err
	}
	for _, s := range stores {
		if err := benchSeriesReports(ctx, w, s); err != nil {
			return err
		}
	}
	return nil
}

// benchSeriesCatchUp times the projection pipeline from the first sequence of the series
// stream to its last into each store, against a raw ordered-consumer read of that stream.
func benchSeriesCatchUp(ctx context.Context, a *app, events *eventstore.Store, sc eventstore.Config, stores []seriesStore,
	n, commits int, w io.Writer) error {
	raw, err := eventstore.MeasureRawRead(ctx, events)
	if err != nil {
		return err
	}
	for _, s := range stores {
		elapsed, err := catchUp(ctx, a, events, sc, s.store)
		if err != nil {
			return fmt.Errorf("series catch-up, %s: %w", s.name, err)
		}
		row(w, "series catch-up, "+s.name, float64(n)/elapsed.Seconds(), raw*float64(n)/float64(commits),
			"events/s", "events/s (ordered consumer)")
	}
	return nil
}

type seriesStore struct {
	name  string
	store projections.Store
}

// seriesDatabase opens read models in a scratch database beside the one dbURL names, so that
// the series catches up from the first sequence.
func seriesDatabase(ctx context.Context, dbURL string) (*postgres.Store, func(), error) {
	db, drop, err := scratchDatabase(ctx, dbURL)
	if err != nil {
		return nil, nil, err
	}
	pg, err := postgres.Open(ctx, db)
	if err != nil {
		drop()
		return nil, nil, err
	}
	return pg, func() { pg.Close(); drop() }, nil
}

// benchSeriesReports times the series report from one read model as JSON and as PDF, each the
// median of seriesReportRuns, and prints it beside the budget.
func benchSeriesReports(ctx context.Context, w io.Writer, s seriesStore) error {
	formats := []struct {
		name   string
		budget time.Duration
		write  func(reports.SeriesReport) error
	}{
		{"JSON", seriesJSONBudget, func(r reports.SeriesReport) error { return json.NewEncoder(io.Discard).Encode(r) }},
		{"PDF", seriesPDFBudget, func(r reports.SeriesReport) error { return reports.SeriesPDF(io.Discard, reports.German, r) }},
	}
	for _, f := range formats {
		took := make([]time.Duration, seriesReportRuns)
		for i := range took {
			start := time.Now()
			r, err := reports.LoadSeries(ctx, s.store, projections.ScenarioSeries)
			if err != nil {
				return fmt.Errorf("series report from %s: %w", s.name, err)
			}
			if err := f.write(r); err != nil {
				return err
			}
			took[i] = time.Since(start)
		}
		slices.Sort(took)
		median := took[len(took)/2]
		fmt.Fprintf(w, "series report %s, %s\t%s\t%s (issue's budget)\t%.2f\t\n", f.name, s.name,
			median.Round(100*time.Microsecond), f.budget, median.Seconds()/f.budget.Seconds())
	}
	return nil
}
