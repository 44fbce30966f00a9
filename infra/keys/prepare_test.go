package keys_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/nats-io/nats.go/jetstream"
)

// TestPrepare writes the keys of many subjects at once (one atomic batch): another process
// opens what this one sealed with them, a subject that had a key keeps it, and a second
// Prepare writes nothing.
func TestPrepare(t *testing.T) {
	eachServer(t, func(t *testing.T, js jetstream.JetStream) {
		ctx := context.Background()
		bucket, master := newBucket(), randomKey(t)
		a, b := openKeyring(t, js, bucket, master), openKeyring(t, js, bucket, master)
		old, err := a.Seal(ctx, "R0", []byte("old"), nil)
		if err != nil {
			t.Fatalf("seal R0: %v", err)
		}
		kv, err := js.KeyValue(ctx, bucket)
		if err != nil {
			t.Fatal(err)
		}
		if st, err := js.Stream(ctx, "KV_"+bucket); err != nil || !st.CachedInfo().Config.AllowAtomicPublish {
			t.Fatalf("the bucket's stream takes no atomic batches (%v)", err)
		}
		status, _ := kv.Status(ctx)
		before := status.Values()
		subjects := []string{"R1", "R2", "R3", "R2"}
		if err := a.Prepare(ctx, subjects); err != nil {
			t.Fatalf("Prepare: %v", err)
		}
		status, _ = kv.Status(ctx)
		if got := status.Values() - before; got != 3 {
			t.Errorf("keys written by Prepare: got %d, want 3", got)
		}
		for _, s := range []string{"R1", "R2", "R3"} {
			sealed, err := a.Seal(ctx, s, []byte("person "+s), nil)
			if err != nil {
				t.Fatalf("seal %s: %v", s, err)
			}
			if plain, err := b.Open(ctx, s, sealed, nil); err != nil || !bytes.Equal(plain, []byte("person "+s)) {
				t.Errorf("open %s in another process: %q, %v", s, plain, err)
			}
		}
		// A subject with a key refuses the batch: every key is then made one by one, the old kept.
		if err := b.Prepare(ctx, []string{"R0", "R4", "R5"}); err != nil {
			t.Fatalf("Prepare with an existing key: %v", err)
		}
		if plain, err := a.Open(ctx, "R0", old, nil); err != nil || string(plain) != "old" {
			t.Errorf("R0 after Prepare: %q, %v; want its old key", plain, err)
		}
		for i := 4; i <= 5; i++ {
			s := fmt.Sprintf("R%d", i)
			sealed, err := b.Seal(ctx, s, []byte("x"), nil)
			if err != nil {
				t.Fatalf("seal %s: %v", s, err)
			}
			if _, err := a.Open(ctx, s, sealed, nil); err != nil {
				t.Errorf("open %s in another process: %v", s, err)
			}
		}
		status, _ = kv.Status(ctx)
		after := status.Values()
		if err := a.Prepare(ctx, []string{"R1", "R2", "R3"}); err != nil {
			t.Fatalf("Prepare again: %v", err)
		}
		if status, _ = kv.Status(ctx); status.Values() != after {
			t.Errorf("Prepare of prepared subjects wrote %d keys", status.Values()-after)
		}
	})
}

// TestStageKeys seals a group with new keys before they are written: once written, another
// process opens what was sealed; a write that meets a subject with a key fails, and the
// staged keys stay unknown (Prepare then finds the subject's own key).
func TestStageKeys(t *testing.T) {
	eachServer(t, func(t *testing.T, js jetstream.JetStream) {
		ctx := context.Background()
		bucket, master := newBucket(), randomKey(t)
		a, b := openKeyring(t, js, bucket, master), openKeyring(t, js, bucket, master)
		seal, write, ok, err := a.StageKeys([]string{"S1", "S2", "S1"})
		if err != nil || !ok {
			t.Fatalf("StageKeys: %v, %v", ok, err)
		}
		sealed, err := seal("S2", []byte("person S2"), []byte("ad"))
		if err != nil {
			t.Fatalf("seal S2: %v", err)
		}
		if _, err := b.Open(ctx, "S2", sealed, []byte("ad")); err == nil {
			t.Errorf("opened with a key that was not written yet")
		}
		if err := write(ctx); err != nil {
			t.Fatalf("write: %v", err)
		}
		c := openKeyring(t, js, bucket, master)
		if plain, err := c.Open(ctx, "S2", sealed, []byte("ad")); err != nil || string(plain) != "person S2" {
			t.Errorf("open S2 in another process: %q, %v", plain, err)
		}
		if _, _, ok, err := a.StageKeys([]string{"S1", "S2", "S3"}); ok || err != nil {
			t.Errorf("StageKeys with one new key: %v, %v; want nothing staged", ok, err)
		}

		old, err := b.Seal(ctx, "T1", []byte("old"), nil)
		if err != nil {
			t.Fatalf("seal T1: %v", err)
		}
		seal, write, ok, err = a.StageKeys([]string{"T1", "T2"})
		if err != nil || !ok {
			t.Fatalf("StageKeys: %v, %v", ok, err)
		}
		if _, err := seal("T1", []byte("new"), nil); err != nil {
			t.Fatalf("seal T1: %v", err)
		}
		if err := write(ctx); err == nil {
			t.Fatalf("write over T1's key succeeded")
		}
		if err := a.Prepare(ctx, []string{"T1", "T2"}); err != nil {
			t.Fatalf("Prepare: %v", err)
		}
		again, err := a.Seal(ctx, "T1", []byte("again"), nil)
		if err != nil {
			t.Fatalf("seal T1: %v", err)
		}
		for _, s := range [][]byte{old, again} {
			if _, err := b.Open(ctx, "T1", s, nil); err != nil {
				t.Errorf("T1 after a failed write: %v; want its old key", err)
			}
		}
	})
}
