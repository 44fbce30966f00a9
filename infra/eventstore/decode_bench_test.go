package eventstore_test

import (
	"slices"
	"testing"

	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/internal/scenario"
)

// BenchmarkDecodeSeries decodes the commits of a series (personal data opened, keys cached) as
// catching up does, without reading them: the CPU a catch-up spends beside the raw read.
func BenchmarkDecodeSeries(b *testing.B) {
	srv := natstest.Embedded(b)
	s, err := eventstore.Open(b.Context(), srv.JetStream(b), eventstore.Config{}, benchKeyring(b, srv))
	if err != nil {
		b.Fatal(err)
	}
	size := scenario.DefaultSeriesSize
	size.Workshops = 4
	if _, err := s.Import(b.Context(), scenario.Series(size)); err != nil {
		b.Fatal(err)
	}
	last, err := s.LastSeq(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	var commits []eventstore.Commit
	if err := s.ReadRaw(b.Context(), 1, last, func(c []eventstore.Commit) error { commits = append(commits, c...); return nil }); err != nil {
		b.Fatal(err)
	}
	events := 0
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		events = 0
		for part := range slices.Chunk(commits, 500) { // as catching up reads them
			r, err := eventstore.DecodeCommits(s, b.Context(), part)
			if err != nil {
				b.Fatal(err)
			}
			events += len(r)
		}
	}
	b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(events), "ns/event")
}
