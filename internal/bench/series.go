package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/internal/scenario"
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

// benchSeries measures the data set (--series, scenario.Series): it publishes the
// series into a stream of its own, catches fresh read models up on it through the real
// pipeline against a raw ordered-consumer read of that stream, then times the series report
// from each read model against the budgets.
func benchSeries(ctx context.Context, env Env, sizes Sizes, w io.Writer) error {
	log := scenario.Series(sizes.Series)
	sc := eventstore.Config{Stream: env.Stream.Stream + "_SERIES", Subjects: strings.ToLower(env.Stream.Stream) + "_series.events",
		Replicas: env.Stream.Replicas}
	events, err := eventstore.Open(ctx, env.JS, sc, env.Sealer)
	if err != nil {
		return err
	}
	defer env.JS.DeleteStream(context.WithoutCancel(ctx), sc.Stream)
	start := time.Now()
	commits, err := events.Import(ctx, log)
	if err != nil {
		return err
	}
	size := sizes.Series
	fmt.Fprintf(w, "series %dx%dx%d, %d%% feedback\t%d events\t%d commits, published in %s\t\t\n", size.Workshops,
		size.Participants, size.Sessions, size.Feedback, len(log), commits, time.Since(start).Round(100*time.Millisecond))
	stores := []seriesStore{{name: "memory", store: projections.NewMemory()}}
	if env.SeriesReadModels != nil {
		pg, closePG, err := env.SeriesReadModels(ctx)
		if err != nil {
			return err
		}
		defer closePG()
		stores = append(stores, seriesStore{name: "PostgreSQL", store: pg})
	}
	if err := benchSeriesCatchUp(ctx, env, events, sc, stores, len(log), commits, w); err != nil {
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
func benchSeriesCatchUp(ctx context.Context, env Env, events *eventstore.Store, sc eventstore.Config, stores []seriesStore,
	n, commits int, w io.Writer) error {
	for _, s := range stores {
		if memory, ok := s.store.(*projections.Memory); ok {
			m, err := measureMemoryCatchUp(ctx, env, events, sc, n, memory)
			if err != nil {
				return fmt.Errorf("series catch-up, %s: %w", s.name, err)
			}
			m.print(w, "series catch-up, "+s.name)
			continue
		}
		raw, err := MeasureRawRead(ctx, events)
		if err != nil {
			return err
		}
		elapsed, err := catchUp(ctx, env, events, sc, s.store)
		if err != nil {
			return fmt.Errorf("series catch-up, %s: %w", s.name, err)
		}
		row(w, "series catch-up, "+s.name, float64(n)/elapsed.Seconds(), raw*float64(n)/float64(commits),
			"events/s", "events/s (ordered consumer)")
		if err := rawUpsertRow(ctx, w, "series catch-up, "+s.name, events, s.store, n, elapsed); err != nil {
			return err
		}
	}
	return nil
}

type seriesStore struct {
	name  string
	store projections.Store
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
			r, err := reports.LoadSeries(ctx, s.store, scenario.SeriesName)
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
