package eventstore_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/eventstore"
)

// boundedStore opens a Store that keeps at most maxCached workshops and the answers of the
// last keep commands of each.
func (w *world) boundedStore(t *testing.T, maxCached, keep int, group bool) *eventstore.Store {
	t.Helper()
	cfg := w.cfg
	cfg.MaxCached, cfg.KeepAnswers, cfg.GroupCommit = maxCached, keep, group
	return w.storeWith(t, cfg)
}

func keyedRegister(s *eventstore.Store, w *testing.T, id domain.WorkshopID, rid domain.RegistrationID, cmd, request string) (domain.Appended, error) {
	meta := domain.Meta{Actor: "public", At: at, CommandID: cmd, Request: request}
	return s.Update(testCtx(w), id, meta, func(ws domain.Workshop) ([]domain.Event, error) {
		return ws.Register(registration(rid, "P "+string(rid)))
	})
}

// TestRepeatOfAnOldCommand repeats commands older than the answers a Store keeps: they answer
// Duplicate with the first commit's sequence and events (read from the log, without personal
// data), a reused id for another request is still refused, and nothing is appended.
func TestRepeatOfAnOldCommand(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		s := w.boundedStore(t, 10, 2, false)
		schedule(t, s, "W1", 10)
		var first []domain.Appended
		for i := range 5 {
			r, err := keyedRegister(s, t, "W1", domain.RegistrationID(fmt.Sprintf("R%d", i)), fmt.Sprintf("cmd-%d", i), fmt.Sprintf("req-%d", i))
			if err != nil {
				t.Fatalf("register %d: %v", i, err)
			}
			first = append(first, r)
		}
		after := lastSeq(t, s)
		// The Store that appended them, one with group commit that folded them from the log, and
		// one whose cache holds a single workshop.
		stores := map[string]*eventstore.Store{"same store": s, "group commit": w.boundedStore(t, 10, 2, true), "one workshop cached": w.boundedStore(t, 1, 1, false)}
		for name, st := range stores {
			for i := range 5 {
				rid := domain.RegistrationID(fmt.Sprintf("R%d", i))
				again, err := keyedRegister(st, t, "W1", rid, fmt.Sprintf("cmd-%d", i), fmt.Sprintf("req-%d", i))
				if err != nil {
					t.Fatalf("%s: repeat of command %d: %v", name, i, err)
				}
				if !again.Duplicate || again.Seq != first[i].Seq || !slices.Equal(eventNames(again.Events), eventNames(first[i].Events)) {
					t.Errorf("%s: repeat of command %d: got duplicate=%v seq %d events %v; want duplicate, seq %d, events %v",
						name, i, again.Duplicate, again.Seq, eventNames(again.Events), first[i].Seq, eventNames(first[i].Events))
					continue
				}
				reg, ok := again.Events[0].(domain.ParticipantRegistered)
				if !ok || reg.RegistrationID != rid {
					t.Errorf("%s: repeat of command %d: got %+v, want the registration of %s", name, i, again.Events[0], rid)
				}
				if name == "same store" && i >= 3 && reg.Person == nil { // a kept answer is the first one itself
					t.Errorf("%s: repeat of recent command %d: person gone from the kept answer", name, i)
				}
				if i < 3 && reg.Person != nil {
					t.Errorf("%s: repeat of old command %d: got person %+v, want none (read from the log)", name, i, reg.Person)
				}
				if _, err := keyedRegister(st, t, "W1", rid+"X", fmt.Sprintf("cmd-%d", i), "another"); !errors.Is(err, domain.ErrCommandReused) {
					t.Errorf("%s: command id %d for another request: got %v, want ErrCommandReused", name, i, err)
				}
			}
			// An unknown command id that is not one of the old ones is decided as usual.
			if r, err := keyedRegister(st, t, "W1", "R0", "cmd-new-"+name, "x"); !errors.Is(err, domain.ErrConflict) {
				t.Errorf("%s: a new command for R0: got %+v, %v; want ErrConflict (the id is taken)", name, r, err)
			}
		}
		if got := lastSeq(t, s); got != after {
			t.Errorf("stream last sequence after repeats: got %d, want %d", got, after)
		}
	})
}

// TestEvictedWorkshopDecides registers through a Store that keeps one workshop, evicting the
// workshop between every two commands while another process registers too: each decision sees
// every seat taken, so nobody is overbooked, and old commands are still recognised.
func TestEvictedWorkshopDecides(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		ctx := testCtx(t)
		a, b := w.boundedStore(t, 1, 1, false), w.store(t)
		schedule(t, a, "W1", 3)
		schedule(t, a, "W2", 3)
		var first []domain.Appended
		for i := range 6 {
			s := a
			if i%3 == 1 {
				s = b
			}
			r, err := keyedRegister(s, t, "W1", domain.RegistrationID(fmt.Sprintf("R%d", i)), fmt.Sprintf("cmd-%d", i), "req")
			if err != nil {
				t.Fatalf("register %d: %v", i, err)
			}
			first = append(first, r)
			if _, _, err := a.Load(ctx, "W2"); err != nil { // evicts W1 from a
				t.Fatal(err)
			}
			if n := a.Cached(); n != 1 {
				t.Fatalf("a keeps %d workshops, want 1", n)
			}
		}
		for i := range 6 {
			again, err := keyedRegister(a, t, "W1", domain.RegistrationID(fmt.Sprintf("R%d", i)), fmt.Sprintf("cmd-%d", i), "req")
			if err != nil || !again.Duplicate || again.Seq != first[i].Seq {
				t.Errorf("repeat of command %d after eviction: got %+v, %v; want a duplicate of seq %d", i, again, err, first[i].Seq)
			}
		}
		if _, err := keyedRegister(a, t, "W1", "R0", "cmd-again", "req"); !errors.Is(err, domain.ErrConflict) {
			t.Errorf("R0 again after eviction: got %v, want ErrConflict (the id is taken)", err)
		}
		for _, s := range []*eventstore.Store{a, w.store(t)} {
			ws, _, err := s.Load(ctx, "W1")
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range days {
				if got := ws.Confirmed(d); got != 3 {
					t.Errorf("%s: confirmed %d, want 3 (capacity)", d, got)
				}
			}
			if got := len(ws.Registrations); got != 6 {
				t.Errorf("registrations: got %d, want 6", got)
			}
		}
	})
}

// TestEvictionUnderConcurrentUse rushes eight workshops at once through a Store that keeps
// two, alone and with group commit, some commands sent twice at once: workshops are evicted
// while others are in use, and every workshop ends exactly as its answers say.
func TestEvictionUnderConcurrentUse(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		for _, group := range []bool{false, true} {
			t.Run(fmt.Sprintf("group=%v", group), func(t *testing.T) {
				ctx := testCtx(t)
				s := w.boundedStore(t, 2, 3, group)
				const workshops, perWorkshop, capacity = 8, 12, 5
				ids := make([]domain.WorkshopID, workshops)
				for i := range ids {
					ids[i] = domain.WorkshopID(fmt.Sprintf("G%v%d", group, i))
					schedule(t, s, ids[i], capacity)
				}
				type sent struct {
					ws      domain.WorkshopID
					rid     domain.RegistrationID
					cmd     string
					got     domain.Appended
					err     error
					twiceOf int
				}
				var cmds []*sent
				for i := range workshops * perWorkshop {
					c := &sent{ws: ids[i%workshops], rid: domain.RegistrationID(fmt.Sprintf("R%d", i)), cmd: fmt.Sprintf("cmd-%d", i), twiceOf: -1}
					cmds = append(cmds, c)
					if i%5 == 2 {
						again := *c
						again.twiceOf = len(cmds) - 1
						cmds = append(cmds, &again)
					}
				}
				var wg sync.WaitGroup
				start := make(chan struct{})
				for _, c := range cmds {
					wg.Go(func() {
						<-start
						c.got, c.err = keyedRegister(s, t, c.ws, c.rid, c.cmd, "req")
					})
				}
				close(start)
				wg.Wait()
				commits := map[domain.WorkshopID]map[uint64]bool{}
				for _, c := range cmds {
					if c.err != nil {
						t.Fatalf("%s on %s: %v", c.cmd, c.ws, c.err)
					}
					if commits[c.ws] == nil {
						commits[c.ws] = map[uint64]bool{}
					}
					commits[c.ws][c.got.Seq] = true
					if c.twiceOf >= 0 {
						o := cmds[c.twiceOf]
						if o.got.Seq != c.got.Seq || o.got.Duplicate == c.got.Duplicate {
							t.Errorf("%s sent twice: seqs %d/%d, duplicate %v/%v; want one commit, one duplicate", c.cmd, o.got.Seq, c.got.Seq, o.got.Duplicate, c.got.Duplicate)
						}
					}
				}
				if n := s.Cached(); n > 2 {
					t.Errorf("the Store keeps %d workshops, want at most 2", n)
				}
				for _, c := range cmds { // every command again at once, most answers from the log
					wg.Go(func() {
						again, err := keyedRegister(s, t, c.ws, c.rid, c.cmd, "req")
						if err != nil || !again.Duplicate || again.Seq != c.got.Seq || !slices.Equal(eventNames(again.Events), eventNames(c.got.Events)) {
							t.Errorf("repeat of %s: got %+v, %v; want a duplicate of seq %d", c.cmd, again, err, c.got.Seq)
						}
					})
				}
				wg.Wait()
				cold := w.store(t)
				for _, id := range ids {
					ws, _, err := cold.Load(ctx, id)
					if err != nil {
						t.Fatal(err)
					}
					if got := len(ws.Registrations); got != perWorkshop || len(commits[id]) != perWorkshop {
						t.Errorf("%s: %d registrations, %d commits answered; want %d", id, got, len(commits[id]), perWorkshop)
					}
					for _, d := range days {
						if got := ws.Confirmed(d); got != capacity {
							t.Errorf("%s %s: confirmed %d, want %d", id, d, got, capacity)
						}
					}
				}
			})
		}
	})
}

// TestRepeatOfAnOldNetworkCommand is TestRepeatOfAnOldCommand for a network, through a Store
// that keeps one network and one answer.
func TestRepeatOfAnOldNetworkCommand(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		ctx := testCtx(t)
		s := w.boundedStore(t, 1, 1, false)
		meta := func(cmd, request string) domain.Meta {
			return domain.Meta{Actor: "organiser", At: at, CommandID: cmd, Request: request}
		}
		add := func(account domain.AccountID) domain.NetworkDecision {
			return func(n domain.Network) ([]domain.Event, error) {
				return n.AddMember(domain.AddMember{Account: account, Name: "Anna", Email: string(account) + "@example.org",
					Roles: []domain.RoleGrant{{Role: domain.RoleAdmin}}})
			}
		}
		create, err := s.UpdateNetwork(ctx, "forum", meta("c0", "r0"), func(n domain.Network) ([]domain.Event, error) { return n.Create("forum", "Forum") })
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range []domain.AccountID{"anna", "ben"} {
			if _, err := s.UpdateNetwork(ctx, "forum", meta("add-"+string(a), "r"), add(a)); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := s.LoadNetwork(ctx, "other"); err != nil { // a network never created is not kept
			t.Fatal(err)
		}
		again, err := s.UpdateNetwork(ctx, "forum", meta("c0", "r0"), func(n domain.Network) ([]domain.Event, error) { return n.Create("forum", "Forum") })
		if err != nil || !again.Duplicate || again.Seq != create.Seq || !slices.Equal(eventNames(again.Events), eventNames(create.Events)) {
			t.Errorf("repeat of the old creation: got %+v, %v; want a duplicate of %+v", again, err, create)
		}
		if _, err := s.UpdateNetwork(ctx, "forum", meta("c0", "other"), add("cleo")); !errors.Is(err, domain.ErrCommandReused) {
			t.Errorf("old command id for another request: got %v, want ErrCommandReused", err)
		}
	})
}
