package bench

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/projections"
)

// catchUpRounds is how often a memory catch-up and the raw read of the same stream are timed,
// alternately; the medians count. On a shared two-core machine the embedded server's reads
// alone swing by a third from one to the next.
const catchUpRounds = 5

// maxPredecoded bounds the events measureMemoryCatchUp decodes beforehand, all held in memory,
// to time catching up with decoding free.
const maxPredecoded = 200_000

// memoryCatchUp is what measureMemoryCatchUp measured: medians of catchUpRounds.
type memoryCatchUp struct {
	events          int
	raw, ours       time.Duration // reading the stream raw; catching fresh memory read models up on it
	rawCPU, oursCPU time.Duration // the process's CPU time for each; zero where it cannot tell
	// free is reading the stream raw and applying events decoded beforehand to fresh memory
	// read models: catching up were decoding free, the ceiling of any decoder or log format.
	// Zero above maxPredecoded events.
	free, freeCPU time.Duration
}

// measureMemoryCatchUp times, catchUpRounds times each and alternately, a raw ordered read of
// the stream of events (the ceiling), a fresh projection pipeline catching fresh memory read
// models up on it from the first sequence, the last round into the empty store last (whose
// reports are timed next), and, up to maxPredecoded events, the raw read applying events
// decoded beforehand (how close any decoder could come); n is how many events the stream holds.
func measureMemoryCatchUp(ctx context.Context, env Env, events *eventstore.Store, sc eventstore.Config, n int, last *projections.Memory) (memoryCatchUp, error) {
	lastSeq, err := events.LastSeq(ctx)
	if err != nil {
		return memoryCatchUp{}, err
	}
	var decoded []domain.Recorded
	if n <= maxPredecoded {
		if err := events.Replay(ctx, 1, func(b []domain.Recorded) error { decoded = append(decoded, b...); return nil }); err != nil {
			return memoryCatchUp{}, err
		}
	}
	var raw, ours, free samples
	for i := range catchUpRounds {
		err := raw.add(func() (time.Duration, error) {
			start := time.Now()
			err := events.ReadRaw(ctx, 1, lastSeq, func([]eventstore.Commit) error { return nil })
			return time.Since(start), err
		})
		if err == nil {
			store := projections.NewMemory()
			if i == catchUpRounds-1 {
				store = last
			}
			err = ours.add(func() (time.Duration, error) { return catchUp(ctx, env, events, sc, store) })
		}
		if err == nil && decoded != nil {
			err = free.add(func() (time.Duration, error) { return applyDecoded(ctx, env, events, lastSeq, decoded) })
		}
		if err != nil {
			return memoryCatchUp{}, err
		}
	}
	m := memoryCatchUp{events: n, raw: median(raw.took), ours: median(ours.took), rawCPU: median(raw.cpu), oursCPU: median(ours.cpu)}
	if decoded != nil {
		m.free, m.freeCPU = median(free.took), median(free.cpu)
	}
	return m, nil
}

// samples are the wall and CPU times of the rounds of one measurement.
type samples struct{ took, cpu []time.Duration }

// add runs one round of f, after a garbage collection (no round pays for the garbage of the
// one before), and keeps the time f tells and the process's CPU time meanwhile.
func (s *samples) add(f func() (time.Duration, error)) error {
	runtime.GC()
	c0, _ := cpuTime()
	took, err := f()
	if err != nil {
		return err
	}
	c1, _ := cpuTime()
	s.took, s.cpu = append(s.took, took), append(s.cpu, c1-c0)
	return nil
}

// applyDecoded reads the stream raw up to last as catching up does and applies, on another
// goroutine as the feed does, the events decoded beforehand (decoded, in log order) of each
// batch read to fresh memory read models: catching up were decoding free. It returns how long
// that took.
func applyDecoded(ctx context.Context, env Env, events *eventstore.Store, last uint64, decoded []domain.Recorded) (time.Duration, error) {
	runner := projections.NewRunner(projections.NewMemory(), env.Log)
	batches := make(chan []domain.Recorded, 2) // as the subscriber reads ahead
	applied := make(chan error, 1)
	start := time.Now()
	go func() {
		var err error
		for b := range batches {
			if err == nil {
				err = runner.Apply(ctx, b)
			}
		}
		applied <- err
	}()
	err := events.ReadRaw(ctx, 1, last, func(commits []eventstore.Commit) error {
		from, to := commits[0].Seq, commits[len(commits)-1].Seq
		lo, _ := slices.BinarySearchFunc(decoded, from, func(r domain.Recorded, seq uint64) int { return cmp.Compare(r.Seq, seq) })
		hi, _ := slices.BinarySearchFunc(decoded, to+1, func(r domain.Recorded, seq uint64) int { return cmp.Compare(r.Seq, seq) })
		select {
		case batches <- decoded[lo:hi]:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(batches)
	if err := errors.Join(err, <-applied); err != nil {
		return 0, err
	}
	return time.Since(start), nil
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
	if m.free <= 0 {
		return
	}
	row(w, "  were decoding free (events decoded beforehand)", float64(m.events)/m.free.Seconds(), float64(m.events)/m.raw.Seconds(), "events/s", "events/s")
	fmt.Fprintf(w, "  its CPU per event\t%.1f µs\t%.1f µs\t%.2f\t\n", perEvent(m.freeCPU), perEvent(m.rawCPU),
		m.rawCPU.Seconds()/m.freeCPU.Seconds())
}

func median(d []time.Duration) time.Duration {
	d = slices.Clone(d)
	slices.Sort(d)
	return d[len(d)/2]
}
