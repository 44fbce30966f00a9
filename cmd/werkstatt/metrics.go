package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/werkstatt/werkstatt/infra/eventstore"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

var (
	projectionFailures = prometheus.NewDesc("werkstatt_projection_failures_total",
		"Batches of events a projection still failed on after its retries, since the process started.",
		[]string{"projection"}, nil)
	projectionStuck = prometheus.NewDesc("werkstatt_projection_stuck",
		"1 while the projection is stuck on a commit it keeps failing on (it keeps trying), else 0.",
		[]string{"projection"}, nil)
	projectionLag = prometheus.NewDesc("werkstatt_projection_lag",
		"Events the projection is behind the event stream, sampled every second.",
		[]string{"projection"}, nil)
)

// projectionCollector reports the projections' state at each scrape.
type projectionCollector struct{ h *health }

func (c projectionCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- projectionFailures
	ch <- projectionStuck
	ch <- projectionLag
}

func (c projectionCollector) Collect(ch chan<- prometheus.Metric) {
	lags := c.h.lags()
	for _, st := range c.h.runner.Statuses() {
		stuck := 0.0
		if st.Stuck != nil {
			stuck = 1
		}
		ch <- prometheus.MustNewConstMetric(projectionFailures, prometheus.CounterValue, float64(st.Failures), st.Projection)
		ch <- prometheus.MustNewConstMetric(projectionStuck, prometheus.GaugeValue, stuck, st.Projection)
		ch <- prometheus.MustNewConstMetric(projectionLag, prometheus.GaugeValue, float64(lags[st.Projection]), st.Projection)
	}
}

// serveMetrics listens on addr and serves /metrics there until the server is closed.
func serveMetrics(addr string, a *app, stdout io.Writer) (*http.Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	a.metrics.MustRegister(connectionCollector{a})
	ms := metricsServer(addr, a.health, a.metrics)
	go func() { _ = ms.Serve(ln) }()
	fmt.Fprintf(stdout, "Metrics at http://%s/metrics\n", ln.Addr())
	return ms, nil
}

// metricsServer serves /metrics in the Prometheus format on its own address (--metrics-addr),
// apart from the public listener: the projections' failures, whether they are stuck and how far
// behind they are, the feed's handler and subscriber figures (registered in reg by
// eventstore.NewFeed), and the Go runtime's and the process's figures.
func metricsServer(addr string, h *health, reg *prometheus.Registry) *http.Server {
	reg.MustRegister(projectionCollector{h}, collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	return &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
}

// httpDuration is the latency of the HTTP answers by route (the route's pattern, not the path,
// so that ids do not make a series each), method and status class.
var httpDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
	Name:    "werkstatt_http_request_duration_seconds",
	Help:    "Time from reading an HTTP request to its answer, by route pattern, method and status class (2xx, 4xx, ...).",
	Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
}, []string{"route", "method", "status"})

// httpMetrics observes every answer of e in httpDuration. Middleware added with Use runs for
// routes registered before it too (echo applies it per request).
func httpMetrics(reg prometheus.Registerer) echo.MiddlewareFunc {
	hist := httpDuration
	if err := reg.Register(hist); err != nil {
		if are, ok := err.(prometheus.AlreadyRegisteredError); ok {
			hist = are.ExistingCollector.(*prometheus.HistogramVec)
		}
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			status := c.Response().Status
			if err != nil {
				var he *echo.HTTPError
				if errors.As(err, &he) {
					status = he.Code
				} else if !c.Response().Committed {
					status = http.StatusInternalServerError
				}
			}
			route := c.Path()
			if route == "" || status == http.StatusNotFound && c.Path() == "/*" {
				route = "unmatched"
			}
			hist.WithLabelValues(route, c.Request().Method, fmt.Sprintf("%dxx", status/100)).Observe(time.Since(start).Seconds())
			return err
		}
	}
}

var (
	outboxBacklog = prometheus.NewDesc("werkstatt_outbox_backlog",
		"Commits an outbox (mails, webhooks) has still to handle: not yet delivered or not yet acknowledged.",
		[]string{"outbox"}, nil)
	natsMessages = prometheus.NewDesc("werkstatt_nats_messages_total",
		"Messages this process's NATS connection sent (out) and received (in).", []string{"direction"}, nil)
	natsBytes = prometheus.NewDesc("werkstatt_nats_bytes_total",
		"Bytes this process's NATS connection sent (out) and received (in).", []string{"direction"}, nil)
	natsReconnects = prometheus.NewDesc("werkstatt_nats_reconnects_total",
		"Times the NATS connection was re-established since the process started.", nil, nil)
	natsConnected = prometheus.NewDesc("werkstatt_nats_connected",
		"1 while the NATS connection is up, else 0.", nil, nil)
	pgConns = prometheus.NewDesc("werkstatt_postgres_connections",
		"Connections of the read models' PostgreSQL pool by state (acquired, idle, constructing) and the pool's maximum (max).",
		[]string{"state"}, nil)
	pgAcquires = prometheus.NewDesc("werkstatt_postgres_acquires_total",
		"Connections taken from the PostgreSQL pool; empty: those that had to wait for one.", []string{"kind"}, nil)
	commandsTotal = prometheus.NewDesc("werkstatt_commands_total",
		"Workshop commands decided by this process, by outcome: appended, unchanged (decided nothing), duplicate (a repeat answered from the log), refused (a rule or an invalid command), failed (outage or too many concurrent writers).",
		[]string{"outcome"}, nil)
	snapshotSeq = prometheus.NewDesc("werkstatt_snapshot_sequence",
		"Log sequence of the newest snapshot of the memory read models this process wrote or loaded (0: none; a restart replays the log after it).", nil, nil)
	snapshotBytes = prometheus.NewDesc("werkstatt_snapshot_bytes",
		"Size of that snapshot, sealed.", nil, nil)
	snapshotWrites = prometheus.NewDesc("werkstatt_snapshot_writes_total",
		"Snapshots of the memory read models this process wrote, by outcome (written, failed).", []string{"outcome"}, nil)
	appendConflicts = prometheus.NewDesc("werkstatt_append_conflicts_total",
		"Appends that met another writer's commit on the same workshop and were decided again.", nil, nil)
	groupBatches = prometheus.NewDesc("werkstatt_group_batches_total",
		"Atomic batches of group commit (several commands on one workshop appended together).", nil, nil)
	groupCommits = prometheus.NewDesc("werkstatt_group_commits_total",
		"Commits appended in atomic batches of group commit; divided by the batches, the mean group size.", nil, nil)
	pgAcquireWait = prometheus.NewDesc("werkstatt_postgres_acquire_wait_seconds_total",
		"Time spent waiting for a connection of the PostgreSQL pool.", nil, nil)
)

// connectionCollector reports the commands by outcome, group commit's batches, the outboxes'
// backlogs and the NATS and PostgreSQL connections' figures at each scrape.
type connectionCollector struct{ a *app }

func (c connectionCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{outboxBacklog, natsMessages, natsBytes, natsReconnects, natsConnected, pgConns, pgAcquires, pgAcquireWait,
		commandsTotal, appendConflicts, groupBatches, groupCommits, snapshotSeq, snapshotBytes, snapshotWrites} {
		ch <- d
	}
}

func (c connectionCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), natsTimeout)
	defer cancel()
	for name, o := range map[string]*eventstore.Outbox{"mails": c.a.outbox, "webhooks": c.a.hooks} {
		if o == nil {
			continue
		}
		if n, err := o.Backlog(ctx); err == nil { // an outage shows as a missing sample, not as 0
			ch <- prometheus.MustNewConstMetric(outboxBacklog, prometheus.GaugeValue, float64(n), name)
		}
	}
	if nc := c.a.nc; nc != nil {
		st := nc.Stats()
		ch <- prometheus.MustNewConstMetric(natsMessages, prometheus.CounterValue, float64(st.OutMsgs), "out")
		ch <- prometheus.MustNewConstMetric(natsMessages, prometheus.CounterValue, float64(st.InMsgs), "in")
		ch <- prometheus.MustNewConstMetric(natsBytes, prometheus.CounterValue, float64(st.OutBytes), "out")
		ch <- prometheus.MustNewConstMetric(natsBytes, prometheus.CounterValue, float64(st.InBytes), "in")
		ch <- prometheus.MustNewConstMetric(natsReconnects, prometheus.CounterValue, float64(st.Reconnects))
		up := 0.0
		if nc.IsConnected() {
			up = 1
		}
		ch <- prometheus.MustNewConstMetric(natsConnected, prometheus.GaugeValue, up)
	}
	if ev := c.a.events; ev != nil {
		cs, gs := ev.CommandStats(), ev.GroupStats()
		for outcome, n := range map[string]int64{"appended": cs.Appended, "unchanged": cs.Unchanged, "duplicate": cs.Duplicates,
			"refused": cs.Refused, "failed": cs.Failed} {
			ch <- prometheus.MustNewConstMetric(commandsTotal, prometheus.CounterValue, float64(n), outcome)
		}
		ch <- prometheus.MustNewConstMetric(appendConflicts, prometheus.CounterValue, float64(cs.Conflicts))
		ch <- prometheus.MustNewConstMetric(groupBatches, prometheus.CounterValue, float64(gs.Batches))
		ch <- prometheus.MustNewConstMetric(groupCommits, prometheus.CounterValue, float64(gs.Commits))
	}
	if sn := c.a.snapshots; sn != nil {
		ch <- prometheus.MustNewConstMetric(snapshotSeq, prometheus.GaugeValue, float64(sn.seq.Load()))
		ch <- prometheus.MustNewConstMetric(snapshotBytes, prometheus.GaugeValue, float64(sn.size.Load()))
		ch <- prometheus.MustNewConstMetric(snapshotWrites, prometheus.CounterValue, float64(sn.written.Load()), "written")
		ch <- prometheus.MustNewConstMetric(snapshotWrites, prometheus.CounterValue, float64(sn.failed.Load()), "failed")
	}
	if c.a.pg != nil {
		st := c.a.pg.PoolStat()
		ch <- prometheus.MustNewConstMetric(pgConns, prometheus.GaugeValue, float64(st.AcquiredConns()), "acquired")
		ch <- prometheus.MustNewConstMetric(pgConns, prometheus.GaugeValue, float64(st.IdleConns()), "idle")
		ch <- prometheus.MustNewConstMetric(pgConns, prometheus.GaugeValue, float64(st.ConstructingConns()), "constructing")
		ch <- prometheus.MustNewConstMetric(pgConns, prometheus.GaugeValue, float64(st.MaxConns()), "max")
		ch <- prometheus.MustNewConstMetric(pgAcquires, prometheus.CounterValue, float64(st.AcquireCount()), "all")
		ch <- prometheus.MustNewConstMetric(pgAcquires, prometheus.CounterValue, float64(st.EmptyAcquireCount()), "empty")
		ch <- prometheus.MustNewConstMetric(pgAcquireWait, prometheus.CounterValue, st.AcquireDuration().Seconds())
	}
}
