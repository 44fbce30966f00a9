package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

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
func serveMetrics(addr string, h *health, reg *prometheus.Registry, stdout io.Writer) (*http.Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	ms := metricsServer(addr, h, reg)
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
