package eventstore_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/infra/keys"
	"github.com/werkstatt/werkstatt/internal/bench"
	"github.com/werkstatt/werkstatt/projections"
)

// countingKeys is the keyring, counting the catch-ups it is told of and their ends.
type countingKeys struct {
	*keys.Keyring
	started, ended atomic.Int32
}

func (k *countingKeys) CatchingUp() func() {
	k.started.Add(1)
	done := k.Keyring.CatchingUp()
	return func() { k.ended.Add(1); done() }
}

// TestLongCatchUpReadsKeysInBulk: a projection feed (and a replay) that starts more than ten
// thousand commits behind tells the keyring it is catching up, and that it is done once it
// reached the end the stream had; a short one does not.
func TestLongCatchUpReadsKeysInBulk(t *testing.T) {
	w := newWorld(t, natstest.Embedded(t))
	ctx := testCtx(t)
	if err := bench.Fill(ctx, w.store(t), 10_500); err != nil {
		t.Fatal(err)
	}
	k := &countingKeys{Keyring: w.newKeyring(t)}
	s, err := eventstore.Open(ctx, w.srv.JetStream(t), w.cfg, k)
	if err != nil {
		t.Fatal(err)
	}
	last := lastSeq(t, s)
	r := runFeed(t, s, projections.NewMemory(), nil)
	if err := r.WaitFor(ctx, last); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); k.ended.Load() == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the feed caught up but did not tell the keyring it was done")
		}
	}
	if got := k.started.Load(); got != 1 {
		t.Errorf("a feed 10,500 commits behind told the keyring %d catch-ups, want 1", got)
	}

	// A replay of the whole log is one more; one of its last few commits is none.
	if err := s.Replay(ctx, 1, func([]domain.Recorded) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if err := s.Replay(ctx, last-100, func([]domain.Recorded) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if started, ended := k.started.Load(), k.ended.Load(); started != 2 || ended != 2 {
		t.Errorf("after a full and a short replay: %d catch-ups told, %d ended, want 2 and 2", started, ended)
	}
}
