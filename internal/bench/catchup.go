package bench

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"time"

	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/projections"
)

// catchUpRounds is how often a memory catch-up and the raw read of the same stream are timed,
// alternately; the medians count. On a shared two-core machine the embedded server's reads
// alone swing by a third from one to the next.
const catchUpRounds = 5

// memoryCatchUp is what measureMemoryCatchUp measured: medians of catchUpRounds.
type memoryCatchUp struct {
	events          int
	raw, ours       time.Duration // reading the stream raw; catching fresh memory read models up on it
	rawCPU, oursCPU time.Duration // the process's CPU time for each; zero where it cannot tell
}

// measureMemoryCatchUp times, catchUpRounds times each and alternately, a raw ordered read of
// the stream of events (the ceiling) and a fresh projection pipeline catching fresh memory read
// models up on it from the first sequence, the last round into the empty store last (whose
// reports are timed next); n is how many events the stream holds.
func measureMemoryCatchUp(ctx context.Context, env Env, events *eventstore.Store, sc eventstore.Config, n int, last *projections.Memory) (memoryCatchUp, error) {
	lastSeq, err := events.LastSeq(ctx)
	if err != nil {
		return memoryCatchUp{}, err
	}
	var raw, ours, rawCPU, oursCPU []time.Duration
	for i := range catchUpRounds {
		runtime.GC() // neither round pays for the garbage of the one before
		c0, _ := cpuTime()
		start := time.Now()
		if err := events.ReadRaw(ctx, 1, lastSeq, func([]eventstore.Commit) error { return nil }); err != nil {
			return memoryCatchUp{}, err
		}
		raw = append(raw, time.Since(start))
		c1, _ := cpuTime()
		rawCPU = append(rawCPU, c1-c0)
		runtime.GC()
		c1, _ = cpuTime()
		store := projections.NewMemory()
		if i == catchUpRounds-1 {
			store = last
		}
		took, err := catchUp(ctx, env, events, sc, store)
		if err != nil {
			return memoryCatchUp{}, err
		}
		c2, _ := cpuTime()
		ours, oursCPU = append(ours, took), append(oursCPU, c2-c1)
	}
	return memoryCatchUp{events: n, raw: median(raw), ours: median(ours), rawCPU: median(rawCPU), oursCPU: median(oursCPU)}, nil
}

// print writes the catch-up's row, and the CPU time per event beside the raw read's.
func (m memoryCatchUp) print(w io.Writer, name string) {
	row(w, name, float64(m.events)/m.ours.Seconds(), float64(m.events)/m.raw.Seconds(), "events/s", "events/s (ordered consumer)")
	if m.rawCPU <= 0 || m.oursCPU <= 0 {
		return
	}
	perEvent := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1000 / float64(m.events) }
	fmt.Fprintf(w, "  CPU per event (raw read: %.1f of %d cores busy)\t%.1f µs\t%.1f µs\t%.2f\t\n",
		m.rawCPU.Seconds()/m.raw.Seconds(), runtime.GOMAXPROCS(0), perEvent(m.oursCPU), perEvent(m.rawCPU),
		m.rawCPU.Seconds()/m.oursCPU.Seconds())
}

func median(d []time.Duration) time.Duration {
	d = slices.Clone(d)
	slices.Sort(d)
	return d[len(d)/2]
}
