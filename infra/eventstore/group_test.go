package eventstore_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/eventstore"
)

// groupStore opens a Store with group commit, as another process would.
func (w *world) groupStore(t *testing.T) *eventstore.Store {
	t.Helper()
	cfg := w.cfg
	cfg.GroupCommit = true
	return w.storeWith(t, cfg)
}

// rushCommand is one registration of a rush and what its caller was answered.
type rushCommand struct {
	rid     domain.RegistrationID
	c       domain.RegisterParticipant
	meta    domain.Meta
	got     domain.Appended
	err     error
	through int // index of the Store it went through
}

// rush sends the commands concurrently, each through stores[cmd.through].
func rush(ctx context.Context, stores []*eventstore.Store, id domain.WorkshopID, cmds []*rushCommand) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, c := range cmds {
		wg.Go(func() {
			<-start
			c.got, c.err = stores[c.through].Update(ctx, id, c.meta, func(w domain.Workshop) ([]domain.Event, error) { return w.Register(c.c) })
		})
	}
	close(start)
	wg.Wait()
}

// checkAnswersInLog checks that every answered commit is in the log at its sequence, with the
// answer's events, and returns the registrations the log holds.
func checkAnswersInLog(t *testing.T, s *eventstore.Store, id domain.WorkshopID, cmds []*rushCommand) domain.Workshop {
	t.Helper()
	ctx := testCtx(t)
	for _, c := range cmds {
		if c.err != nil {
			continue
		}
		m, err := s.Stream().GetMsg(ctx, c.got.Seq)
		if err != nil {
			t.Fatalf("%s: message %d: %v", c.rid, c.got.Seq, err)
		}
		recorded, err := s.Decode(ctx, c.got.Seq, m.Subject, m.Data)
		if err != nil {
			t.Fatalf("%s: decode message %d: %v", c.rid, c.got.Seq, err)
		}
		var names []string
		for _, r := range recorded {
			names = append(names, r.Event.Name())
		}
		reg, ok := recorded[0].Event.(domain.ParticipantRegistered)
		if !ok || reg.RegistrationID != c.rid || !slices.Equal(names, eventNames(c.got.Events)) {
			t.Errorf("%s: answered seq %d with %v; the log holds %v there (%+v)", c.rid, c.got.Seq, eventNames(c.got.Events), names, recorded[0].Event)
		}
		if got := m.Header.Get("Werkstatt-Command"); got != c.meta.CommandID {
			t.Errorf("%s: message %d has command %q, want %q", c.rid, c.got.Seq, got, c.meta.CommandID)
		}
	}
	ws, _, err := s.Load(ctx, id)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return ws
}

// TestGroupCommitRush registers 64 people at once on one workshop with fewer seats, through one
// Store with group commit: some commands are sent twice at once (one commit, both answered with
// it), some reuse a command id for another request, some repeat an email. Nobody is
// overbooked, and every answer is what the log holds.
func TestGroupCommitRush(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		ctx := testCtx(t)
		s := w.groupStore(t)
		schedule(t, s, "W1", 20)
		var cmds []*rushCommand
		for i := range 64 {
			rid := domain.RegistrationID(fmt.Sprintf("R%d", i))
			c := registration(rid, "P")
			if i%16 == 5 { // the email of R4: refused
				c.EmailKey = fmt.Sprintf("key-R%d", i-1)
			}
			cmd := &rushCommand{rid: rid, c: c, meta: domain.Meta{Actor: "public", At: at, CommandID: fmt.Sprintf("cmd-%d", i), Request: "req-" + string(rid)}}
			cmds = append(cmds, cmd)
			switch i % 8 {
			case 3: // sent twice at once
				again := *cmd
				cmds = append(cmds, &again)
			case 6: // the command id again, for another request
				other := *cmd
				other.rid, other.c, other.meta.Request = rid+"X", registration(rid+"X", "Q"), "another"
				cmds = append(cmds, &other)
			}
		}
		rush(ctx, []*eventstore.Store{s}, "W1", cmds)
		checkRush(t, w, s, cmds, 20)
		if g := s.GroupStats(); g.Batches == 0 || g.Commits < 2*g.Batches {
			t.Errorf("group stats %+v: want atomic batches of several commits", g)
		} else {
			t.Logf("group stats %+v", g)
		}
	})
}

// checkRush checks the outcome of a rush of cmds on W1 with capacity seats per day.
func checkRush(t *testing.T, w *world, s *eventstore.Store, cmds []*rushCommand, capacity int) {
	t.Helper()
	commits := map[uint64]bool{}
	byCommand := map[string][]*rushCommand{}
	for _, c := range cmds {
		byCommand[c.meta.CommandID] = append(byCommand[c.meta.CommandID], c)
	}
	for cmd, sent := range byCommand {
		var landed, dup, reused int
		for _, c := range sent {
			switch {
			case errors.Is(c.err, domain.ErrCommandReused):
				reused++
			case c.err != nil && !errors.Is(c.err, domain.ErrAlreadyRegistered):
				t.Errorf("%s (%s): %v", c.rid, cmd, c.err)
			case c.err != nil:
			case c.got.Duplicate:
				dup++
				commits[c.got.Seq] = true
			default:
				landed++
				commits[c.got.Seq] = true
			}
		}
		if landed > 1 {
			t.Errorf("command %s: %d commits, want at most one", cmd, landed)
		}
		if len(sent) == 2 && sent[0].meta.Request == sent[1].meta.Request && (landed+dup > 0) && (landed != 1 || dup != 1 || sent[0].got.Seq != sent[1].got.Seq) {
			t.Errorf("command %s sent twice: %d landed, %d duplicates, seqs %d/%d; want one of each at one seq", cmd, landed, dup, sent[0].got.Seq, sent[1].got.Seq)
		}
		if len(sent) == 2 && sent[0].meta.Request != sent[1].meta.Request && reused != 1 {
			t.Errorf("command %s reused for another request: %d refused, want 1", cmd, reused)
		}
	}
	ws := checkAnswersInLog(t, s, "W1", cmds)
	cold := checkAnswersInLog(t, w.store(t), "W1", cmds) // another process reads the same
	for _, d := range days {
		if got := ws.Confirmed(d); got != min(capacity, len(commits)) || cold.Confirmed(d) != got {
			t.Errorf("%s: confirmed %d (cold store %d), want %d", d, got, cold.Confirmed(d), min(capacity, len(commits)))
		}
	}
	if got := len(ws.Registrations); got != len(commits) {
		t.Errorf("registrations: got %d, want %d (one per answered commit)", got, len(commits))
	}
	if got, want := lastSeq(t, s), uint64(1+len(commits)); got != want {
		t.Errorf("stream last sequence: got %d, want %d (one commit per command, none twice)", got, want)
	}
}

// TestGroupCommitReplicas rushes one workshop through two Stores with group commit and one
// without (three processes): their groups conflict, are decided again, and nothing is lost or
// overbooked.
func TestGroupCommitReplicas(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		ctx := testCtx(t)
		stores := []*eventstore.Store{w.groupStore(t), w.groupStore(t), w.store(t)}
		schedule(t, stores[0], "W1", 30)
		var cmds []*rushCommand
		for i := range 96 {
			rid := domain.RegistrationID(fmt.Sprintf("R%d", i))
			cmds = append(cmds, &rushCommand{rid: rid, c: registration(rid, "P"), through: i % 3,
				meta: domain.Meta{Actor: "public", At: at, CommandID: fmt.Sprintf("cmd-%d", i), Request: "req"}})
			if i%12 == 7 { // the same command through another replica at once
				again := *cmds[len(cmds)-1]
				again.through = (i + 1) % 3
				cmds = append(cmds, &again)
			}
		}
		rush(ctx, stores, "W1", cmds)
		checkRush(t, w, stores[0], cmds, 30)
		for si, s := range stores {
			ws, _, err := s.Load(ctx, "W1")
			if err != nil || ws.Confirmed(days[0]) != 30 || len(ws.Registrations) != 96 {
				t.Errorf("store %d: confirmed %d, registrations %d, %v; want 30, 96", si, ws.Confirmed(days[0]), len(ws.Registrations), err)
			}
		}
	})
}

// TestOpenEnablesAtomicBatches opens a Store on a stream made before group commit (no atomic
// batches): the stream takes them afterwards and keeps its commits.
func TestOpenEnablesAtomicBatches(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		ctx := testCtx(t)
		old := w.store(t)
		schedule(t, old, "W1", 5)
		cfg := old.Stream().CachedInfo().Config
		cfg.AllowAtomicPublish = false
		if _, err := w.js.UpdateStream(ctx, cfg); err != nil {
			t.Fatalf("turning atomic batches off: %v", err)
		}
		s := w.groupStore(t)
		info, err := s.Stream().Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !info.Config.AllowAtomicPublish || info.State.Msgs != 1 {
			t.Errorf("after Open: atomic batches %v, %d messages; want true, 1", info.Config.AllowAtomicPublish, info.State.Msgs)
		}
		cmds := []*rushCommand{}
		for i := range 8 {
			rid := domain.RegistrationID(fmt.Sprintf("R%d", i))
			cmds = append(cmds, &rushCommand{rid: rid, c: registration(rid, "P"), meta: domain.Meta{Actor: "public", At: at}})
		}
		rush(ctx, []*eventstore.Store{s}, "W1", cmds)
		for _, c := range cmds {
			if c.err != nil {
				t.Errorf("%s: %v", c.rid, c.err)
			}
		}
		checkAnswersInLog(t, s, "W1", cmds)
	})
}

// TestGroupCommitKeyTaken rushes people some of whose data keys another process wrote before:
// the new keys a group was sealed with are refused, so the group is sealed again with the keys
// in the bucket. Every answered registration opens in another process, with its person.
func TestGroupCommitKeyTaken(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		ctx := testCtx(t)
		s := w.groupStore(t)
		schedule(t, s, "W1", 100)
		var cmds []*rushCommand
		for i := range 64 {
			rid := domain.RegistrationID(fmt.Sprintf("R%d", i))
			if i%7 == 3 { // another process sealed something for this subject: its key exists
				if _, err := w.keyring.Seal(ctx, string(rid), []byte("before"), nil); err != nil {
					t.Fatal(err)
				}
			}
			cmds = append(cmds, &rushCommand{rid: rid, c: registration(rid, "P"),
				meta: domain.Meta{Actor: "public", At: at, CommandID: fmt.Sprintf("cmd-%d", i), Request: "req"}})
		}
		for range 3 { // several rounds, so that groups form behind the first
			rush(ctx, []*eventstore.Store{s}, "W1", cmds)
			for _, c := range cmds {
				c.meta.CommandID += "x"
				c.rid += "x"
				c.c = registration(c.rid, "P")
			}
		}
		cold := w.store(t)
		ws, _, err := cold.Load(ctx, "W1")
		if err != nil {
			t.Fatal(err)
		}
		if len(ws.Registrations) != 3*64 {
			t.Errorf("registrations: got %d, want %d", len(ws.Registrations), 3*64)
		}
		last := lastSeq(t, cold)
		for seq := uint64(2); seq <= last; seq++ {
			m, err := cold.Stream().GetMsg(ctx, seq)
			if err != nil {
				t.Fatal(err)
			}
			recorded, err := cold.Decode(ctx, seq, m.Subject, m.Data)
			if err != nil {
				t.Fatalf("decode %d: %v", seq, err)
			}
			if reg, ok := recorded[0].Event.(domain.ParticipantRegistered); !ok || reg.Person == nil {
				t.Errorf("message %d: %+v; want a registration with its person", seq, recorded[0].Event)
			}
		}
		if g := s.GroupStats(); g.Batches == 0 {
			t.Errorf("group stats %+v: want atomic batches", g)
		}
	})
}

// TestGroupCommitPipelined keeps one workshop busy with callers that register one person after
// the other, so that groups are decided while the group before is in flight; some commands are
// sent again a moment later (while their first send may still be in flight), some right after
// their answer. Every repeat is answered with the first commit, nobody is overbooked, and every
// answer is what the log holds.
func TestGroupCommitPipelined(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		// Whether groups overlap depends on timing: a fresh stream again until some did.
		for range 10 {
			if pipelinedRush(t, w) > 0 {
				return
			}
			w = newWorld(t, w.srv)
		}
		t.Errorf("no group was decided while another was in flight, in 10 rushes")
	})
}

// pipelinedRush is one rush of TestGroupCommitPipelined on w; it returns how many groups were
// decided while another was in flight.
func pipelinedRush(t *testing.T, w *world) int64 {
	t.Helper()
	{
		ctx := testCtx(t)
		s := w.groupStore(t)
		schedule(t, s, "W1", 150)
		var (
			mu   sync.Mutex
			cmds []*rushCommand
			wg   sync.WaitGroup
		)
		send := func(c *rushCommand) {
			c.got, c.err = s.Update(ctx, "W1", c.meta, func(w domain.Workshop) ([]domain.Event, error) { return w.Register(c.c) })
		}
		for client := range 48 {
			wg.Go(func() {
				for step := range 8 {
					rid := domain.RegistrationID(fmt.Sprintf("R%d-%d", client, step))
					c := &rushCommand{rid: rid, c: registration(rid, "P"),
						meta: domain.Meta{Actor: "public", At: at, CommandID: "cmd-" + string(rid), Request: "req"}}
					again := *c
					mu.Lock()
					cmds = append(cmds, c)
					if (client+step)%9 == 4 {
						cmds = append(cmds, &again)
					}
					mu.Unlock()
					switch (client + step) % 9 {
					case 4: // again a moment later
						wg.Go(func() {
							time.Sleep(time.Duration(client%4) * time.Millisecond)
							send(&again)
						})
						send(c)
					default:
						send(c)
					}
				}
			})
		}
		wg.Wait()
		checkRush(t, w, s, cmds, 150)
		g := s.GroupStats()
		t.Logf("group stats %+v", g)
		return g.Pipelined
	}
}
