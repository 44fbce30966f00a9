package keys_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/infra/keys"
)

// TestErasureSeenAcrossNodeDeath: two replicas share the key bucket of a three-node cluster.
// The node that leads the bucket dies; an erasure by the one replica afterwards still reaches
// the other, whose cache held the key: it opens the person's data no more.
func TestErasureSeenAcrossNodeDeath(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a NATS cluster")
	}
	cluster := natstest.StartCluster(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	bucket, master := newBucket(), randomKey(t)
	open := func() *keys.Keyring {
		k, err := keys.Open(ctx, cluster.JetStream(t), bucket, master, 3)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { k.Close() })
		return k
	}
	a, b := open(), open()
	ad := []byte("W1/0")
	sealed, err := a.Seal(ctx, "R1", []byte(`{"name":"Ada"}`), ad)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Open(ctx, "R1", sealed, ad); err != nil { // a holds the key now
		t.Fatal(err)
	}
	leader, err := cluster.StreamLeader("KV_"+bucket, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	cluster.Kill(leader)
	t.Logf("killed %s, the bucket's leader", leader)
	if _, err := cluster.NewStreamLeader("KV_"+bucket, leader, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	for {
		// Each attempt within 5 s, as a request without a deadline gets from nats.go: a
		// request the dead node took is never answered.
		actx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := b.Erase(actx, "R1")
		cancel()
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("erasing after the node's death: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	erased := time.Now()
	for {
		actx, cancel := context.WithTimeout(ctx, 5*time.Second)
		_, err := a.Open(actx, "R1", sealed, ad)
		cancel()
		if errors.Is(err, keys.ErrErased) {
			t.Logf("the other replica saw the erasure after %s", time.Since(erased).Round(time.Millisecond))
			return
		}
		// The watch's consumer is recreated after two missed heartbeats of 5 s.
		if time.Since(erased) > 30*time.Second {
			t.Fatalf("30 s after the erasure the other replica still opens the person's data (%v)", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
