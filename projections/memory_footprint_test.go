package projections_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/internal/scenario"
	"github.com/werkstatt/werkstatt/projections"
)

// footprintSeries is the series BenchmarkMemoryFootprint and BenchmarkMemorySnapshot build, e.g.
// -series 440x200x10 for the million events (a few minutes).
var footprintSeries = scenario.DefaultSeriesSize

// footprintProfile names a file for a heap profile taken while the caught-up read models live.
var footprintProfile = flag.String("footprintprofile", "", "write a heap profile of the caught-up memory read models to this file")

func init() {
	flag.Var(&footprintSeries, "series", "series size of the memory footprint and snapshot benchmarks")
}

// storedEvent is a recorded event as the log holds it: JSON, so that each decoded batch carries
// fresh strings as a catch-up from the log does (applying the scenario's events directly would
// let the rows share their strings and understate the footprint).
type storedEvent struct {
	seq      uint64
	workshop string
	at       time.Time
	actor    string
	name     string
	data     []byte
}

func storeEvents(tb testing.TB, events []domain.Recorded) []storedEvent {
	out := make([]storedEvent, len(events))
	for i, r := range events {
		data, err := json.Marshal(r.Event)
		if err != nil {
			tb.Fatal(err)
		}
		out[i] = storedEvent{seq: r.Seq, workshop: string(r.Workshop), at: r.At, actor: r.Actor, name: r.Event.Name(), data: data}
	}
	return out
}

// catchUp decodes the stored events in batches of 500 and applies each batch to every
// projection, as the feed does, and drops the batch.
func catchUp(tb testing.TB, m *projections.Memory, stored []storedEvent) {
	ctx := context.Background()
	batch := make([]domain.Recorded, 0, 500)
	flush := func() {
		if _, err := m.ApplyAll(ctx, projections.All(), batch); err != nil {
			tb.Fatal(err)
		}
		clear(batch)
		batch = batch[:0]
	}
	for _, s := range stored {
		e, err := domain.DecodeEvent(s.name, s.data)
		if err != nil {
			tb.Fatal(err)
		}
		batch = append(batch, domain.Recorded{Seq: s.seq, Workshop: domain.WorkshopID(strings.Clone(s.workshop)),
			At: s.at, Actor: strings.Clone(s.actor), Event: e})
		if len(batch) == cap(batch) {
			flush()
		}
	}
	flush()
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkMemoryFootprint reports the heap the memory read models hold per log event after a
// catch-up on the series (-series, default 20x200x10) decoded from JSON.
func BenchmarkMemoryFootprint(b *testing.B) {
	stored := storeEvents(b, scenario.Series(footprintSeries))
	b.ResetTimer()
	var perEvent float64
	for b.Loop() {
		b.StopTimer()
		before := heapInUse()
		b.StartTimer()
		m := projections.NewMemory()
		catchUp(b, m, stored)
		b.StopTimer()
		after := heapInUse()
		if *footprintProfile != "" {
			writeHeapProfile(b, *footprintProfile)
		}
		runtime.KeepAlive(m)
		perEvent = float64(after-before) / float64(len(stored))
		b.StartTimer()
	}
	b.ReportMetric(perEvent, "B/event")
	b.ReportMetric(float64(len(stored)), "events/op")
}

func writeHeapProfile(tb testing.TB, name string) {
	f, err := os.Create(name)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		tb.Fatal(err)
	}
}
