// Package bench measures Werkstatt's headline figures, each beside a raw baseline measured in
// the same run: the Measure functions that the benchmarks beside the code report, and Run, the
// body of `werkstatt bench`. It builds its data with internal/scenario; cmd/werkstatt wires the
// adapters it measures (Env). Nothing in the service imports it.
package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/internal/scenario"
	"github.com/werkstatt/werkstatt/projections"
)

// Env is what Run measures, wired by cmd/werkstatt on a scratch data folder (or a scratch
// stream and database on given servers), never on an instance's data.
type Env struct {
	JS     jetstream.JetStream
	Events *eventstore.Store // the event store on a scratch stream
	Stream eventstore.Config // the configuration of that stream
	Sealer eventstore.Sealer // seals personal data, also in the series' own stream
	Where  string            // where NATS runs, for the heading
	Log    *slog.Logger      // for the projection runners Run starts
	// ReadModels are PostgreSQL read models in a scratch database, or nil without PostgreSQL.
	ReadModels projections.Store
	// SeriesReadModels opens empty PostgreSQL read models for the series and returns a function
	// that drops them; nil without PostgreSQL.
	SeriesReadModels func(ctx context.Context) (projections.Store, func(), error)
	// Serve runs the instance's projections until ctx ends and returns its HTTP API (with the
	// pages), for which organiserToken is an organiser's token.
	Serve func(ctx context.Context, organiserToken string) (http.Handler, error)
	// Register registers person i on workshop id through the instance's use case
	// (app.RegisterParticipant: idempotency, decision, append, waiting for the read models), as
	// the API does after binding the request; it works once Serve ran.
	Register func(ctx context.Context, id domain.WorkshopID, i int) error
	// Mail wires and runs the instance's mail outbox until ctx ends, sending through the SMTP
	// server at smtpURL as --smtp-url does; nil measures no mails.
	Mail func(ctx context.Context, smtpURL string) error
}

// Sizes are how much Run measures.
type Sizes struct {
	N        int                 // commands and events per measurement (`werkstatt bench -n`)
	Clients  int                 // concurrent HTTP clients
	Replicas int                 // replicas of the raw baseline's scratch stream
	Series   scenario.SeriesSize // the series whose catch-up and reports are measured
}

// Run measures the headline figures, each beside the raw baseline measured in the same run on
// the same server: command appends against raw JetStream publishes with the same
// expected-sequence header, projection catch-up against a raw ordered-consumer read (for a
// generic log and for the series, whose reports are timed against the budgets), HTTP
// registrations against a hello-world echo handler, mails through the outbox against the
// SMTP server's raw acceptance rate, and theme-café plans against the greedy baseline. It prints them as tables to stdout.
func Run(ctx context.Context, env Env, size Sizes, stdout io.Writer) error {
	fmt.Fprintf(stdout, "werkstatt bench: %d cores, %s/%s, %s, %s\n\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), env.Where)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "figure\twerkstatt\traw baseline\tratio\t")
	rawPublish, err := benchAppends(ctx, env, size, tw)
	if err != nil {
		return err
	}
	if err := benchCatchUp(ctx, env, size, tw); err != nil {
		return err
	}
	if err := benchSeries(ctx, env, size, tw); err != nil {
		return err
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	e, err := env.Serve(runCtx, organiserBench)
	if err != nil {
		return err
	}
	base, closeAPI, err := listen(e)
	if err != nil {
		return err
	}
	defer closeAPI()
	if err := benchRush(ctx, env, base, size, rawPublish, tw); err != nil {
		return err
	}
	if err := benchHTTP(ctx, base, size, tw); err != nil {
		return err
	}
	if env.Mail != nil {
		if err := benchMail(runCtx, env, base, size, tw); err != nil {
			return fmt.Errorf("mails: %w", err)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return benchRotation(stdout)
}

// benchRotation plans the theme cafés of the two sizes and compares the plan with the
// greedy baseline in the same run.
func benchRotation(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "\ntheme-café rotation plans (planner vs greedy baseline, same input):")
	fmt.Fprintln(tw, "guests x tables x rounds\ttime\t1st choice\ttop 3\tsame-org pairs\trepeat meetings\tfill\tunseated\t")
	for _, size := range [][3]int{{200, 8, 3}, {2000, 40, 4}} {
		plan, greedy, planTime, greedyTime := MeasureRotation(size[0], size[1], size[2], 1)
		for _, r := range []struct {
			name string
			q    domain.RotationQuality
			took time.Duration
		}{{"planner", plan, planTime}, {"greedy", greedy, greedyTime}} {
			q := r.q
			fmt.Fprintf(tw, "%d x %d x %d %s\t%s\t%.1f%%\t%.1f%%\t%d\t%d\t%.0f-%.0f%%\t%d\t\n", size[0], size[1], size[2], r.name,
				r.took.Round(100*time.Microsecond), 100*q.ChoiceShare[0], 100*(q.ChoiceShare[0]+q.ChoiceShare[1]+q.ChoiceShare[2]),
				q.SameOrgPairs, q.MeetRepeats, 100*q.FillMin, 100*q.FillMax, q.Unseated)
		}
	}
	return tw.Flush()
}

func row(w io.Writer, name string, ours, raw float64, unit, rawUnit string) {
	fmt.Fprintf(w, "%s\t%s %s\t%s %s\t%.2f\t\n", name, human(ours), unit, human(raw), rawUnit, ours/raw)
}

func human(f float64) string {
	switch {
	case f >= 10000:
		return fmt.Sprintf("%.0fk", f/1000)
	case f >= 1000:
		return fmt.Sprintf("%.1fk", f/1000)
	}
	return fmt.Sprintf("%.0f", f)
}

// benchAppends compares Store.Update of check-in commands with raw publishes, and returns the
// raw publishes per second.
func benchAppends(ctx context.Context, env Env, size Sizes, w io.Writer) (float64, error) {
	raw, err := MeasureRawPublish(ctx, env.JS, size.Replicas, size.N)
	if err != nil {
		return 0, err
	}
	ours, err := MeasureAppend(ctx, env.Events, size.N)
	if err != nil {
		return 0, err
	}
	row(w, "command appends", ours, raw, "cmd/s", "publish/s (expected seq)")
	return raw, nil
}

// benchCatchUp fills the stream, then times a fresh projection pipeline (subscriber, watermill
// router, decoding, read-model transactions) from sequence 1 to the end: into memory against
// the raw read of the stream (medians of alternating rounds), into PostgreSQL once.
func benchCatchUp(ctx context.Context, env Env, size Sizes, w io.Writer) error {
	if err := Fill(ctx, env.Events, 10*size.N); err != nil {
		return err
	}
	last, err := env.Events.LastSeq(ctx)
	if err != nil {
		return err
	}
	events := 0
	if err := env.Events.Replay(ctx, 1, func(b []domain.Recorded) error { events += len(b); return nil }); err != nil {
		return err
	}
	m, err := measureMemoryCatchUp(ctx, env, env.Events, env.Stream, events, projections.NewMemory())
	if err != nil {
		return fmt.Errorf("catch-up, memory: %w", err)
	}
	m.print(w, "catch-up, memory")
	if env.ReadModels == nil {
		return nil
	}
	raw, err := MeasureRawRead(ctx, env.Events)
	if err != nil {
		return err
	}
	elapsed, err := catchUp(ctx, env, env.Events, env.Stream, env.ReadModels)
	if err != nil {
		return fmt.Errorf("catch-up, PostgreSQL: %w", err)
	}
	row(w, "catch-up, PostgreSQL", float64(events)/elapsed.Seconds(), raw*float64(events)/float64(last), "events/s", "events/s (ordered consumer)")
	if err := rawUpsertRow(ctx, w, "catch-up, PostgreSQL", env.Events, env.ReadModels, events, elapsed); err != nil {
		return err
	}
	return nil
}

// rawUpserter is a store that can write the rows of a log raw: *postgres.Store.
type rawUpserter interface {
	UpsertRaw(ctx context.Context, batches [][]domain.Recorded) (time.Duration, error)
}

// rawUpsertRow prints, for a store that has one, the catch-up that took elapsed for n events
// beside the store's raw batched upsert of the same rows, in the batches the feed read.
func rawUpsertRow(ctx context.Context, w io.Writer, name string, events *eventstore.Store, store projections.Store, n int, elapsed time.Duration) error {
	took, ok, err := rawUpsert(ctx, events, store)
	if err != nil || !ok {
		return err
	}
	row(w, name, float64(n)/elapsed.Seconds(), float64(n)/took.Seconds(), "events/s", "events/s (raw batched upsert, same rows)")
	return nil
}

// rawUpsert times the store's raw batched upsert of the rows of the whole log, in the batches
// the feed reads; ok is false for a store that has none (memory).
func rawUpsert(ctx context.Context, events *eventstore.Store, store projections.Store) (took time.Duration, ok bool, err error) {
	raw, ok := store.(rawUpserter)
	if !ok {
		return 0, false, nil
	}
	var batches [][]domain.Recorded
	if err := events.Replay(ctx, 1, func(b []domain.Recorded) error { batches = append(batches, b); return nil }); err != nil {
		return 0, true, err
	}
	took, err = raw.UpsertRaw(ctx, batches)
	return took, true, err
}

// catchUp times a fresh projection pipeline over the stream sc of events, from the store's
// checkpoints to the stream's last sequence.
func catchUp(ctx context.Context, env Env, events *eventstore.Store, sc eventstore.Config, store projections.Store) (time.Duration, error) {
	last, err := events.LastSeq(ctx)
	if err != nil {
		return 0, err
	}
	runner := projections.NewRunner(store, env.Log)
	feed, err := eventstore.NewFeed(events, runner, env.Log, nil)
	if err != nil {
		return 0, err
	}
	defer feed.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := time.Now()
	go feed.Run(ctx)
	if err := runner.WaitFor(ctx, last); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// benchRush registers people concurrently on one workshop through the instance's use case
// (no HTTP), every write flushed, and compares the rate with the same run's raw single flushed
// publishes (issue 15, goal 1: at least as many, p99 at most 20 ms).
func benchRush(ctx context.Context, env Env, base string, size Sizes, rawPublish float64, w io.Writer) error {
	if env.Register == nil {
		return nil
	}
	capacity := size.N / 2
	status, out, err := DoJSON(http.DefaultClient, base, "POST", "/api/v1/workshops", organiserBench, map[string]any{
		"title": "Rush", "venue": "Loopback", "days": []string{"2030-01-07", "2030-01-08"}, "capacity": capacity})
	if err != nil || status != 201 {
		return fmt.Errorf("creating the rush workshop: %d %v %v", status, out, err)
	}
	id := domain.WorkshopID(out["id"].(string))
	var first error
	var once sync.Once
	res := Load(size.N, size.Clients, func(_ *http.Client, i int) bool {
		err := env.Register(ctx, id, i)
		if err != nil {
			once.Do(func() { first = err })
		}
		return err == nil
	})
	if res.Errors > 0 {
		return fmt.Errorf("%d of %d registrations failed, the first: %w", res.Errors, res.Requests, first)
	}
	row(w, fmt.Sprintf("registrations on one workshop, %d clients (app)", size.Clients), res.PerSecond(), rawPublish, "reg/s", "publish/s (single, acknowledged)")
	fmt.Fprintf(w, "  latency p50 / p99 / p99.9\t%s / %s / %s\t\t\t\n", res.P50.Round(10*time.Microsecond),
		res.P99.Round(10*time.Microsecond), res.P999.Round(10*time.Microsecond))
	if g := env.Events.GroupStats(); g.Batches > 0 {
		fmt.Fprintf(w, "  group commit: %d atomic batches, %.1f commits each (whole run)\t\t\t\t\n", g.Batches, float64(g.Commits)/float64(g.Batches))
	}
	return nil
}

// benchHTTP registers people concurrently on one workshop of the instance at base over
// loopback HTTP, then checks
// that no day is overbooked. The baseline is a hello-world echo handler driven the same way.
func benchHTTP(ctx context.Context, base string, size Sizes, w io.Writer) error {
	hello := echo.New()
	hello.GET("/", func(c echo.Context) error { return c.JSON(200, map[string]string{"hello": "world"}) })
	helloURL, closeHello, err := listen(hello)
	if err != nil {
		return err
	}
	defer closeHello()
	baseline := Load(size.N, size.Clients, func(c *http.Client, i int) bool {
		status, _, err := DoJSON(c, helloURL, "GET", "/", "", nil)
		return err == nil && status == 200
	})

	capacity := size.N / 2
	status, out, err := DoJSON(http.DefaultClient, base, "POST", "/api/v1/workshops", organiserBench, map[string]any{
		"title": "Bench", "venue": "Loopback", "days": []string{"2030-01-07", "2030-01-08"}, "capacity": capacity})
	if err != nil || status != 201 {
		return fmt.Errorf("creating the bench workshop: %d %v %v", status, out, err)
	}
	path := "/api/v1/workshops/" + out["id"].(string)
	res := Load(size.N, size.Clients, func(c *http.Client, i int) bool {
		status, _, err := DoJSON(c, base, "POST", path+"/registrations", "", map[string]any{
			"name": fmt.Sprint("Person ", i), "email": fmt.Sprintf("p%d@example.org", i), "organisation": "Bench e.V.", "consent": true})
		return err == nil && status == 201
	})
	if res.Errors > 0 {
		return fmt.Errorf("%d of %d registrations failed", res.Errors, res.Requests)
	}
	_, att, err := DoJSON(http.DefaultClient, base, "GET", path+"/attendance", organiserBench, nil)
	if err != nil {
		return err
	}
	verdict := "no day overbooked"
	for _, d := range att["days"].([]any) {
		if n := int(d.(map[string]any)["confirmed"].(float64)); n > capacity {
			verdict = fmt.Sprintf("OVERBOOKED: %d confirmed, capacity %d", n, capacity)
		}
	}
	row(w, fmt.Sprintf("HTTP registrations, %d clients", size.Clients), res.PerSecond(), baseline.PerSecond(), "req/s", "req/s (hello world)")
	fmt.Fprintf(w, "  latency p50 / p99 / p99.9\t%s / %s / %s\t%s / %s / %s\t\t\n", res.P50.Round(10*time.Microsecond), res.P99.Round(10*time.Microsecond),
		res.P999.Round(10*time.Microsecond), baseline.P50.Round(10*time.Microsecond), baseline.P99.Round(10*time.Microsecond), baseline.P999.Round(10*time.Microsecond))
	fmt.Fprintf(w, "  %d registrations, capacity %d per day: %s\t\t\t\t\n", res.Requests, capacity, verdict)
	if strings.HasPrefix(verdict, "OVERBOOKED") {
		return fmt.Errorf("%s", verdict)
	}
	return nil
}

const organiserBench = "bench-organiser"

// listen serves h on a free loopback port.
func listen(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}
