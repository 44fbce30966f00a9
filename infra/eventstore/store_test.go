package eventstore_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/infra/eventstore"
)

func TestAppendAndLoad(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		ctx := testCtx(t)
		s := w.store(t)
		first := schedule(t, s, "W1", 10)
		if first.Seq == 0 || first.Duplicate || len(first.Events) != 1 {
			t.Fatalf("schedule: got %+v, want one event, a sequence and a scheduled workshop", first)
		}
		var last domain.Appended
		for i := range 3 {
			r, err := register(ctx, s, "W1", registration(domain.RegistrationID(fmt.Sprintf("R%d", i)), "Ada"), "")
			if err != nil {
				t.Fatalf("register %d: %v", i, err)
			}
			if want := []string{"participant.registered.v1", "registration.confirmed.v1"}; !slices.Equal(eventNames(r.Events), want) {
				t.Errorf("register %d events: got %v, want %v", i, eventNames(r.Events), want)
			}
			last = r
		}
		if got := lastSeq(t, s); got != last.Seq {
			t.Errorf("stream last sequence: got %d, want the last commit's %d (one message per decision)", got, last.Seq)
		}
		for name, store := range map[string]*eventstore.Store{"same store": s, "another store": w.store(t)} {
			ws, seq, err := store.Load(ctx, "W1")
			if err != nil {
				t.Fatalf("%s: Load: %v", name, err)
			}
			if seq != last.Seq {
				t.Errorf("%s: Load sequence: got %d, want %d", name, seq, last.Seq)
			}
			if got := ws.Confirmed(days[0]); got != 3 || ws.Title != "Werkstatt Nord" || len(ws.Registrations) != 3 {
				t.Errorf("%s: loaded %q with %d registrations, %d confirmed; want %q, 3, 3", name, ws.Title, len(ws.Registrations), got, "Werkstatt Nord")
			}
		}
		ws, seq, err := s.Load(ctx, "NOPE")
		if err != nil || seq != 0 || ws.Scheduled() {
			t.Errorf("Load of an unknown workshop: got scheduled=%v, seq %d, %v; want the zero workshop, 0, nil", ws.Scheduled(), seq, err)
		}
		if _, _, err := s.Load(ctx, "bad.id"); !errors.Is(err, domain.ErrInvalid) {
			t.Errorf("Load of a dotted id: got %v, want ErrInvalid", err)
		}
	})
}

func TestDecisionWithoutEvents(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		ctx := testCtx(t)
		s := w.store(t)
		schedule(t, s, "W1", 10)
		before := lastSeq(t, s)

		_, err := s.Update(ctx, "W1", organiser(""), func(w domain.Workshop) ([]domain.Event, error) {
			return w.Schedule(domain.ScheduleWorkshop{ID: "W1", Title: "Again", Venue: "Kiel", Days: days, Capacity: 1})
		})
		if err != domain.ErrWorkshopExists {
			t.Errorf("decide error: got %v, want domain.ErrWorkshopExists unchanged", err)
		}
		r, err := s.Update(ctx, "W1", organiser(""), func(domain.Workshop) ([]domain.Event, error) { return nil, nil })
		if err != nil || r.Seq != before || len(r.Events) != 0 {
			t.Errorf("no events: got seq %d, %d events, %v; want seq %d, none, nil", r.Seq, len(r.Events), err, before)
		}
		_, err = s.Update(ctx, "NEW", organiser(""), func(w domain.Workshop) ([]domain.Event, error) {
			return w.CancelSession("S1")
		})
		if !errors.Is(err, domain.ErrWorkshopNotFound) {
			t.Errorf("command on an unknown workshop: got %v, want ErrWorkshopNotFound", err)
		}
		if got := lastSeq(t, s); got != before {
			t.Errorf("stream last sequence: got %d, want %d: nothing may be appended", got, before)
		}
		// The metrics count each command by what became of it.
		if _, err := register(ctx, s, "W1", registration("R1", "Ada"), "cmd-1"); err != nil {
			t.Fatal(err)
		}
		if _, err := register(ctx, s, "W1", registration("R1", "Ada"), "cmd-1"); err != nil {
			t.Fatal(err)
		}
		want := eventstore.CommandStats{Appended: 2, Unchanged: 1, Duplicates: 1, Refused: 2} // schedule and Ada; two refusals
		if got := s.CommandStats(); got != want {
			t.Errorf("CommandStats: got %+v, want %+v", got, want)
		}
	})
}

// TestReplicasCompete runs two Stores (two processes) on one stream: their caches go stale,
// appends conflict and are decided again, and the capacity holds.
func TestReplicasCompete(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		ctx := testCtx(t)
		stores := []*eventstore.Store{w.store(t), w.store(t)}
		schedule(t, stores[0], "W1", 30)
		const perStore = 50
		var wg sync.WaitGroup
		errs := make(chan error, 2*perStore)
		for si, s := range stores {
			for i := range perStore {
				rid := domain.RegistrationID(fmt.Sprintf("R%d-%d", si, i))
				wg.Go(func() {
					if _, err := register(ctx, s, "W1", registration(rid, "P"), ""); err != nil {
						errs <- fmt.Errorf("register %s: %w", rid, err)
					}
				})
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		for si, s := range stores {
			ws, _, err := s.Load(ctx, "W1")
			if err != nil {
				t.Fatalf("store %d: Load: %v", si, err)
			}
			if got := ws.Confirmed(days[0]); got != 30 {
				t.Errorf("store %d: confirmed: got %d, want 30", si, got)
			}
			if got := len(ws.Registrations); got != 2*perStore {
				t.Errorf("store %d: registrations: got %d, want %d", si, got, 2*perStore)
			}
			if got := len(ws.Waitlists[days[0]]); got != 2*perStore-30 {
				t.Errorf("store %d: waitlist: got %d, want %d", si, got, 2*perStore-30)
			}
		}
		if got := lastSeq(t, stores[0]); got != 1+2*perStore {
			t.Errorf("stream last sequence: got %d, want %d (one commit per command, none twice)", got, 1+2*perStore)
		}
	})
}

// TestStaleCacheRefusal checks that a Store does not refuse a command because its cache is
// behind: a registration made through another process can be checked in at once.
func TestStaleCacheRefusal(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		ctx := testCtx(t)
		a, b := w.store(t), w.store(t)
		schedule(t, a, "W1", 5)
		if _, _, err := b.Load(ctx, "W1"); err != nil {
			t.Fatalf("Load by b: %v", err)
		}
		if _, err := register(ctx, a, "W1", registration("R1", "Ada"), ""); err != nil {
			t.Fatalf("register by a: %v", err)
		}
		r, err := b.Update(ctx, "W1", organiser(""), func(w domain.Workshop) ([]domain.Event, error) {
			return w.CheckIn(domain.CheckInParticipant{RegistrationID: "R1", Day: days[0]})
		})
		if err != nil || len(r.Events) != 1 {
			t.Fatalf("check-in by b with a stale cache: got %d events, %v; want 1 event, nil", len(r.Events), err)
		}
		r, err = a.Update(ctx, "W1", organiser(""), func(w domain.Workshop) ([]domain.Event, error) {
			return w.CheckIn(domain.CheckInParticipant{RegistrationID: "R1", Day: days[0]})
		})
		if err != nil || len(r.Events) != 0 || r.Seq != lastSeq(t, a) {
			t.Errorf("repeated check-in by a with a stale cache: got %d events at seq %d, %v; want none at the last seq, nil", len(r.Events), r.Seq, err)
		}
	})
}

func TestIdempotentCommand(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		ctx := testCtx(t)
		a, b := w.store(t), w.store(t)
		schedule(t, a, "W1", 5)
		schedule(t, a, "W2", 5)
		if _, _, err := b.Load(ctx, "W1"); err != nil { // b's cache goes stale
			t.Fatalf("Load by b: %v", err)
		}
		first, err := register(ctx, a, "W1", registration("R1", "Ada"), "cmd-1")
		if err != nil {
			t.Fatalf("first register: %v", err)
		}
		after := lastSeq(t, a)
		c := w.store(t) // cold cache
		for name, s := range map[string]*eventstore.Store{"same store": a, "store with a stale cache": b, "store with a cold cache": c} {
			again, err := register(ctx, s, "W1", registration("R1", "Ada"), "cmd-1")
			if err != nil {
				t.Fatalf("%s: repeated register: %v", name, err)
			}
			if !again.Duplicate || again.Seq != first.Seq || !slices.Equal(eventNames(again.Events), eventNames(first.Events)) {
				t.Errorf("%s: repeated command: got duplicate=%v seq %d events %v; want duplicate, seq %d, events %v",
					name, again.Duplicate, again.Seq, eventNames(again.Events), first.Seq, eventNames(first.Events))
			}
		}
		if got := lastSeq(t, a); got != after {
			t.Errorf("stream last sequence after repeats: got %d, want %d", got, after)
		}
		other, err := register(ctx, b, "W2", registration("R1", "Ada"), "cmd-1")
		if err != nil || other.Duplicate {
			t.Errorf("same command id on another workshop: got duplicate=%v, %v; want a new commit", other.Duplicate, err)
		}
	})
}

// TestConcurrentDuplicates sends one command through two Stores at once, many times: exactly
// one commit lands each time, and both report its sequence.
func TestConcurrentDuplicates(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		ctx := testCtx(t)
		a, b := w.store(t), w.store(t)
		schedule(t, a, "W1", 100)
		for i := range 20 {
			rid := domain.RegistrationID(fmt.Sprintf("R%d", i))
			cmd := fmt.Sprintf("cmd-%d", i)
			var ra, rb domain.Appended
			var ea, eb error
			var wg sync.WaitGroup
			wg.Go(func() { ra, ea = register(ctx, a, "W1", registration(rid, "P"), cmd) })
			wg.Go(func() { rb, eb = register(ctx, b, "W1", registration(rid, "P"), cmd) })
			wg.Wait()
			if ea != nil || eb != nil {
				t.Fatalf("command %d: errors %v, %v", i, ea, eb)
			}
			if ra.Seq != rb.Seq || ra.Duplicate == rb.Duplicate {
				t.Errorf("command %d: got seqs %d/%d duplicate %v/%v; want one seq, exactly one duplicate", i, ra.Seq, rb.Seq, ra.Duplicate, rb.Duplicate)
			}
		}
		if got := lastSeq(t, a); got != 1+20 {
			t.Errorf("stream last sequence: got %d, want 21", got)
		}
	})
}

// TestGivesUpAfterBoundedRetries makes another process write the workshop during every
// decision, so that every append conflicts.
func TestGivesUpAfterBoundedRetries(t *testing.T) {
	w := newWorld(t, natstest.Embedded(t))
	ctx := testCtx(t)
	a, b := w.store(t), w.store(t)
	schedule(t, a, "W1", 100)
	if _, _, err := b.Load(ctx, "W1"); err != nil {
		t.Fatalf("Load by b: %v", err)
	}
	decisions := 0
	_, err := a.Update(ctx, "W1", organiser(""), func(ws domain.Workshop) ([]domain.Event, error) {
		decisions++
		rid := domain.RegistrationID(fmt.Sprintf("B%d", decisions))
		if _, err := register(ctx, b, "W1", registration(rid, "B"), ""); err != nil {
			t.Errorf("interfering register: %v", err)
		}
		return ws.Register(registration(domain.RegistrationID(fmt.Sprintf("A%d", decisions)), "A"))
	})
	if !errors.Is(err, domain.ErrConcurrentUpdate) {
		t.Fatalf("Update under constant interference: got %v, want ErrConcurrentUpdate", err)
	}
	if decisions < 5 || decisions > 50 {
		t.Errorf("decisions: got %d, want a bounded number of retries", decisions)
	}
	ws, _, err := a.Load(ctx, "W1")
	if err != nil || len(ws.Registrations) != decisions {
		t.Errorf("registrations: got %d, %v; want only b's %d", len(ws.Registrations), err, decisions)
	}
}

// TestCommandReusedForAnotherRequest repeats a command id with another request through every
// kind of Store: each refuses with ErrCommandReused and appends nothing, while the same request
// still gets the first result. The binding comes from the log, not from one Store's memory.
func TestCommandReusedForAnotherRequest(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		ctx := testCtx(t)
		a, b := w.store(t), w.store(t)
		schedule(t, a, "W1", 5)
		if _, _, err := b.Load(ctx, "W1"); err != nil { // b's cache goes stale
			t.Fatalf("Load by b: %v", err)
		}
		send := func(s *eventstore.Store, rid domain.RegistrationID, request string) (domain.Appended, error) {
			meta := domain.Meta{Actor: "public", At: at, CommandID: "cmd-1", Request: request}
			c := registration(rid, "Ada")
			return s.Update(ctx, "W1", meta, func(w domain.Workshop) ([]domain.Event, error) { return w.Register(c) })
		}
		if _, err := send(a, "R1", "request-A"); err != nil {
			t.Fatalf("first register: %v", err)
		}
		after := lastSeq(t, a)
		c := w.store(t) // cold cache
		for name, s := range map[string]*eventstore.Store{"same store": a, "store with a stale cache": b, "store with a cold cache": c} {
			got, err := send(s, "R2", "request-B")
			if !errors.Is(err, domain.ErrCommandReused) || len(got.Events) != 0 {
				t.Errorf("%s: command id with another request: got %v, %v; want ErrCommandReused and no events", name, eventNames(got.Events), err)
			}
			if again, err := send(s, "R1", "request-A"); err != nil || !again.Duplicate {
				t.Errorf("%s: the same request again: got duplicate=%v, %v; want the first result", name, again.Duplicate, err)
			}
		}
		if got := lastSeq(t, a); got != after {
			t.Errorf("stream last sequence after reuse: got %d, want %d", got, after)
		}
	})
}
