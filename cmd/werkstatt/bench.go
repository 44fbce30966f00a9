package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"
	"github.com/nats-io/nats-server/v2/server"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/domain/rotationbench"
	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/projections"
)

// bench measures the headline figures, each beside the raw baseline measured in the same run
// on the same server: command appends against raw JetStream publishes with the same
// expected-sequence header, projection catch-up against a raw ordered-consumer read (for a
// generic log and for the series, whose reports are timed against the issue's
// budgets), and HTTP registrations against a hello-world echo handler. It never touches the
// instance's data: it works in a scratch data folder (or a scratch stream and database when
// given URLs).
func bench(ctx context.Context, cfg config, stdout io.Writer) error {
	dir, err := os.MkdirTemp("", "werkstatt-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg.DataDir, cfg.NATSListen = dir, ""
	cfg.Stream = fmt.Sprintf("BENCH_%d", time.Now().UnixNano())
	if cfg.DatabaseURL != "" {
		db, drop, err := scratchDatabase(ctx, cfg.DatabaseURL)
		if err != nil {
			return err
		}
		defer drop()
		cfg.DatabaseURL = db
	}
	a, err := open(ctx, cfg, newLogger(cfg, io.Discard))
	if err != nil {
		return err
	}
	defer a.close()
	defer func() { // the scratch stream and its buckets: an external server keeps nothing of a run
		ctx := context.WithoutCancel(ctx)
		_ = a.js.DeleteStream(ctx, cfg.Stream)
		_ = a.js.DeleteKeyValue(ctx, cfg.keysBucket())
		_ = a.js.DeleteKeyValue(ctx, cfg.leadGrantsBucket())
		_ = a.js.DeleteKeyValue(ctx, cfg.sessionsBucket())
	}()

	where := "embedded NATS " + server.VERSION + " (flushed on every write)"
	if cfg.NATSURL != "" {
		where = "NATS at " + cfg.NATSURL
	}
	fmt.Fprintf(stdout, "werkstatt bench: %d cores, %s/%s, %s, %s\n\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), where)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "figure\twerkstatt\traw baseline\tratio\t")
	if err := benchAppends(ctx, a, cfg, tw); err != nil {
		return err
	}
	if err := benchCatchUp(ctx, a, cfg, tw); err != nil {
		return err
	}
	if err := benchSeries(ctx, a, cfg, tw); err != nil {
		return err
	}
	if err := benchHTTP(ctx, a, cfg, tw); err != nil {
		return err
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
		plan, greedy, planTime, greedyTime := rotationbench.Measure(size[0], size[1], size[2], 1)
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

// benchAppends compares Store.Update of check-in commands with raw publishes.
func benchAppends(ctx context.Context, a *app, cfg config, w io.Writer) error {
	raw, err := eventstore.MeasureRawPublish(ctx, a.js, cfg.Replicas, cfg.BenchN)
	if err != nil {
		return err
	}
	ours, err := eventstore.MeasureAppend(ctx, a.events, cfg.BenchN)
	if err != nil {
		return err
	}
	row(w, "command appends", ours, raw, "cmd/s", "publish/s (expected seq)")
	return nil
}

// benchCatchUp fills the stream, then times a fresh projection pipeline (subscriber, watermill
// router, decoding, read-model transactions) from sequence 1 to the end.
func benchCatchUp(ctx context.Context, a *app, cfg config, w io.Writer) error {
	if err := eventstore.Fill(ctx, a.events, 10*cfg.BenchN); err != nil {
		return err
	}
	last, err := a.events.LastSeq(ctx)
	if err != nil {
		return err
	}
	raw, err := eventstore.MeasureRawRead(ctx, a.events)
	if err != nil {
		return err
	}
	events := 0
	if err := a.events.Replay(ctx, 1, func(b []domain.Recorded) error { events += len(b); return nil }); err != nil {
		return err
	}
	perCommit := float64(events) / float64(last)
	stores := []struct {
		name  string
		store projections.Store
	}{{"catch-up, memory", projections.NewMemory()}}
	if a.pg != nil {
		stores = append(stores, struct {
			name  string
			store projections.Store
		}{"catch-up, PostgreSQL", a.pg})
	}
	for _, s := range stores {
		elapsed, err := catchUp(ctx, a, a.events, cfg.streamConfig(), s.store)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		row(w, s.name, float64(events)/elapsed.Seconds(), raw*perCommit, "events/s", "events/s (ordered consumer)")
	}
	return nil
}

// catchUp times a fresh projection pipeline over the stream sc of events, from the store's
// checkpoints to the stream's last sequence.
func catchUp(ctx context.Context, a *app, events *eventstore.Store, sc eventstore.Config, store projections.Store) (time.Duration, error) {
	last, err := events.LastSeq(ctx)
	if err != nil {
		return 0, err
	}
	sub := eventstore.NewSubscriber(a.js, sc, projections.StartSeq(store), nil)
	defer sub.Close()
	runner, err := projections.NewRunner(store, sub, events, a.log)
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := time.Now()
	go runner.Run(ctx)
	if err := runner.WaitFor(ctx, last); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// benchHTTP registers people concurrently on one workshop over loopback HTTP, then checks
// that no day is overbooked. The baseline is a hello-world echo handler driven the same way.
func benchHTTP(ctx context.Context, a *app, cfg config, w io.Writer) error {
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	a.start(runCtx)
	e, err := a.handler(ctx, sha256.Sum256([]byte(organiserBench)), httpLimits{})
	if err != nil {
		return err
	}
	base, closeAPI, err := listen(e)
	if err != nil {
		return err
	}
	defer closeAPI()
	hello := echo.New()
	hello.GET("/", func(c echo.Context) error { return c.JSON(200, map[string]string{"hello": "world"}) })
	helloURL, closeHello, err := listen(hello)
	if err != nil {
		return err
	}
	defer closeHello()
	baseline := load(cfg.BenchN, cfg.BenchClients, func(c *http.Client, i int) bool {
		status, _, err := doJSON(c, helloURL, "GET", "/", "", nil)
		return err == nil && status == 200
	})

	capacity := cfg.BenchN / 2
	status, out, err := doJSON(http.DefaultClient, base, "POST", "/api/v1/workshops", organiserBench, map[string]any{
		"title": "Bench", "venue": "Loopback", "days": []string{"2030-01-07", "2030-01-08"}, "capacity": capacity})
	if err != nil || status != 201 {
		return fmt.Errorf("creating the bench workshop: %d %v %v", status, out, err)
	}
	path := "/api/v1/workshops/" + out["id"].(string)
	res := load(cfg.BenchN, cfg.BenchClients, func(c *http.Client, i int) bool {
		status, _, err := doJSON(c, base, "POST", path+"/registrations", "", map[string]any{
			"name": fmt.Sprint("Person ", i), "email": fmt.Sprintf("p%d@example.org", i), "organisation": "Bench e.V.", "consent": true})
		return err == nil && status == 201
	})
	if res.Errors > 0 {
		return fmt.Errorf("%d of %d registrations failed", res.Errors, res.Requests)
	}
	_, att, err := doJSON(http.DefaultClient, base, "GET", path+"/attendance", organiserBench, nil)
	if err != nil {
		return err
	}
	verdict := "no day overbooked"
	for _, d := range att["days"].([]any) {
		if n := int(d.(map[string]any)["confirmed"].(float64)); n > capacity {
			verdict = fmt.Sprintf("OVERBOOKED: %d confirmed, capacity %d", n, capacity)
		}
	}
	row(w, fmt.Sprintf("HTTP registrations, %d clients", cfg.BenchClients), res.PerSecond(), baseline.PerSecond(), "req/s", "req/s (hello world)")
	fmt.Fprintf(w, "  latency p50 / p99\t%s / %s\t%s / %s\t\t\n", res.P50.Round(10*time.Microsecond), res.P99.Round(10*time.Microsecond),
		baseline.P50.Round(10*time.Microsecond), baseline.P99.Round(10*time.Microsecond))
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

// scratchDatabase creates an empty database beside the one url names and returns its URL and
// a function that drops it.
func scratchDatabase(ctx context.Context, dbURL string) (string, func(), error) {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "", nil, fmt.Errorf("--database-url: %w", err)
	}
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("werkstatt_bench_%d", time.Now().UnixNano())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		conn.Close(ctx)
		return "", nil, err
	}
	u.Path = "/" + name
	return u.String(), func() {
		ctx := context.Background()
		conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		conn.Close(ctx)
	}, nil
}
