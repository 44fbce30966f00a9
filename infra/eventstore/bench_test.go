package eventstore_test

import (
	"log/slog"
	"testing"

	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/internal/bench"
	"github.com/werkstatt/werkstatt/projections"
)

// The benchmarks run on the embedded server (SyncAlways, as in production) and report the
// Measure functions' figures; compare them with the raw baselines measured in the same run (werkstatt bench).

func BenchmarkRawPublishExpected(b *testing.B) {
	eachBenchServer(b, func(b *testing.B, srv *natstest.Server) {
		perSec, err := bench.MeasureRawPublish(b.Context(), srv.JetStream(b), 1, b.N)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(perSec, "msgs/s")
	})
}

func BenchmarkAppend(b *testing.B) {
	eachBenchServer(b, func(b *testing.B, srv *natstest.Server) {
		s, err := eventstore.Open(b.Context(), srv.JetStream(b), eventstore.Config{}, benchKeyring(b, srv))
		if err != nil {
			b.Fatal(err)
		}
		perSec, err := bench.MeasureAppend(b.Context(), s, b.N)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(perSec, "commands/s")
	})
}

// eachBenchServer runs measure on the embedded server (SyncAlways, one fsync per write) and on a
// nats-server process with its default flushing (the ceiling without per-write fsync). Each
// round gets a fresh embedded server; the process is shared, so rounds use fresh stream names.
func eachBenchServer(b *testing.B, measure func(b *testing.B, srv *natstest.Server)) {
	b.Run("embedded", func(b *testing.B) { measure(b, natstest.Embedded(b)) })
	b.Run("process", func(b *testing.B) { measure(b, natstest.Process(b)) })
}

func BenchmarkCatchUp(b *testing.B) {
	srv := natstest.Embedded(b)
	s, err := eventstore.Open(b.Context(), srv.JetStream(b), eventstore.Config{}, benchKeyring(b, srv))
	if err != nil {
		b.Fatal(err)
	}
	if err := bench.Fill(b.Context(), s, b.N); err != nil {
		b.Fatal(err)
	}
	// A projection rebuilding in another process starts with a cold key cache.
	cold, err := eventstore.Open(b.Context(), srv.JetStream(b), eventstore.Config{}, benchKeyring(b, srv))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	c, err := bench.MeasureCatchUp(b.Context(), cold)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(c.EventsPerSec(), "events/s")
	b.ReportMetric(float64(c.Events)/float64(c.Commits), "events/commit")
}

// BenchmarkFeedMemory times the live projection path catching up into memory read models:
// subscriber, decoding with personal data opened, watermill router, projections.
func BenchmarkFeedMemory(b *testing.B) {
	srv := natstest.Embedded(b)
	s, err := eventstore.Open(b.Context(), srv.JetStream(b), eventstore.Config{}, benchKeyring(b, srv))
	if err != nil {
		b.Fatal(err)
	}
	if err := bench.Fill(b.Context(), s, max(b.N, 1000)); err != nil {
		b.Fatal(err)
	}
	last, err := s.LastSeq(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	r := projections.NewRunner(projections.NewMemory(), slog.New(slog.DiscardHandler))
	feed, err := eventstore.NewFeed(s, r, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer feed.Close()
	go feed.Run(b.Context())
	if err := r.WaitFor(b.Context(), last); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkRush registers b.N people from 64 concurrent callers on one workshop, each command
// alone and with group commit, on the embedded server (every write flushed).
func BenchmarkRush(b *testing.B) {
	for _, group := range []bool{false, true} {
		b.Run(map[bool]string{false: "single", true: "grouped"}[group], func(b *testing.B) {
			srv := natstest.Embedded(b)
			s, err := eventstore.Open(b.Context(), srv.JetStream(b), eventstore.Config{GroupCommit: group}, benchKeyring(b, srv))
			if err != nil {
				b.Fatal(err)
			}
			r, err := bench.MeasureRush(b.Context(), s, 64, max(b.N, 64))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(r.PerSecond, "reg/s")
			b.ReportMetric(float64(r.P50.Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(r.P99.Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(r.P999.Microseconds())/1000, "p99.9-ms")
		})
	}
}
