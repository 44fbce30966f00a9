package eventstore_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/infra/eventstore"
)

// BenchmarkStoreMemory applies 40,000 commands with command ids over some workshops through
// Store.Update (each workshop scheduled, then up to 50 registrations with personal data, then
// check-ins and annulments) and reports the heap the Store holds afterwards per event, measured
// after a GC: the cache of folded workshops and the idempotency answers (the heap with the Store
// less the heap once it is dropped, so the keyring's cached data keys do not count). It runs on a nats-server process (no fsync per write), which
// leaves the Store's heap the same. "long": 40 workshops of 1,000 commands; "many": 4,000
// workshops of 10.
func BenchmarkStoreMemory(b *testing.B) {
	for _, c := range []struct {
		name      string
		workshops int
	}{{"long", 40}, {"many", 4000}} {
		b.Run(c.name, func(b *testing.B) { benchStoreMemory(b, c.workshops) })
	}
}

func benchStoreMemory(b *testing.B, workshops int) {
	const commands, people = 40000, 50
	for b.Loop() {
		srv := natstest.Process(b)
		n := names.Add(1)
		cfg := eventstore.Config{Stream: fmt.Sprintf("MEM_%d", n), Subjects: fmt.Sprintf("mem%d.events", n)}
		keyring := benchKeyring(b, srv)
		s, err := eventstore.Open(b.Context(), srv.JetStream(b), cfg, keyring)
		if err != nil {
			b.Fatal(err)
		}
		perWorkshop := commands / workshops
		var wg sync.WaitGroup
		errs := make(chan error, workshops)
		sem := make(chan struct{}, 32)
		for i := range workshops {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				if err := fillWorkshop(b.Context(), s, domain.WorkshopID(fmt.Sprintf("MEM%d", i)), perWorkshop, people); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
		with := heapAfterGC()
		runtime.KeepAlive(s)
		s = nil // what the Store alone holds: the heap with it less the heap without it
		without := heapAfterGC()
		runtime.KeepAlive(keyring)
		held := float64(int64(with) - int64(without))
		b.ReportMetric(held/commands, "heap-B/event") // one event per command
		b.ReportMetric(held/(1<<20), "heap-MiB")
	}
}

// fillWorkshop schedules the workshop and applies commands-1 more commands to it, each with a
// command id: people registrations, then check-ins and annulments.
func fillWorkshop(ctx context.Context, s *eventstore.Store, id domain.WorkshopID, commands, people int) error {
	meta := func(k int) domain.Meta {
		return domain.Meta{Actor: "organiser", At: at, CommandID: fmt.Sprintf("%s-cmd-%d", id, k), Request: fmt.Sprintf("request %d", k)}
	}
	for k := range commands {
		_, err := s.Update(ctx, id, meta(k), func(w domain.Workshop) ([]domain.Event, error) {
			switch {
			case k == 0:
				return w.Schedule(domain.ScheduleWorkshop{ID: id, Title: "Werkstatt Nord", Venue: "Kiel", Days: days, Capacity: people})
			case k <= people:
				return w.Register(registration(domain.RegistrationID(fmt.Sprintf("%s-r%d", id, k%people)), fmt.Sprintf("Person %d", k)))
			}
			c := domain.CheckInParticipant{RegistrationID: domain.RegistrationID(fmt.Sprintf("%s-r%d", id, k%people)), Day: days[k/people%2]}
			if w.CheckIns[domain.CheckIn(c)] {
				return w.AnnulCheckIn(c)
			}
			return w.CheckIn(c)
		})
		if err != nil {
			return fmt.Errorf("workshop %s command %d: %w", id, k, err)
		}
	}
	return nil
}

func heapAfterGC() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
