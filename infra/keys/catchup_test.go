package keys_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/infra/keys"
)

// TestCatchingUp opens the data of many people on a keyring that caches none of their keys,
// as a process catching up on a long log does: while it says CatchingUp the keys come from one
// read of the whole bucket (no read per key), erased keys stay erased (before the read, and
// after it by another process), and once done keys are read one at a time again.
func TestCatchingUp(t *testing.T) {
	eachServer(t, func(t *testing.T, js jetstream.JetStream) {
		ctx := context.Background()
		bucket, master := newBucket(), randomKey(t)
		writer := openKeyring(t, js, bucket, master)
		sealed := map[string][]byte{}
		for i := range 50 {
			subject := fmt.Sprintf("R%d", i)
			var err error
			if sealed[subject], err = writer.Seal(ctx, subject, []byte("person "+subject), []byte("ad")); err != nil {
				t.Fatal(err)
			}
		}
		if err := writer.Erase(ctx, "R0"); err != nil {
			t.Fatal(err)
		}
		gets := countKeyReads(t, js, bucket)

		reader := openKeyring(t, js, bucket, master)
		done := reader.CatchingUp()
		for subject, s := range sealed {
			plain, err := reader.Open(ctx, subject, s, []byte("ad"))
			switch {
			case subject == "R0" && !errors.Is(err, keys.ErrErased):
				t.Errorf("R0 erased before the catch-up: got %q, %v, want ErrErased", plain, err)
			case subject != "R0" && (err != nil || string(plain) != "person "+subject):
				t.Errorf("%s: got %q, %v", subject, plain, err)
			}
		}
		// R0's key is not in the bucket: it may have been made since the bucket was read.
		if n := gets(); n != 1 {
			t.Errorf("%d keys read one at a time while catching up, want R0's only (the others from one read of the bucket)", n)
		}

		// Erased by another process while the catch-up runs: the cached and the wrapped key go.
		if err := writer.Erase(ctx, "R1"); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "R1's erasure reaching the reader", func() bool {
			_, err := reader.Open(ctx, "R1", sealed["R1"], []byte("ad"))
			return errors.Is(err, keys.ErrErased)
		})
		done()
		done() // a second call changes nothing

		newcomer, err := writer.Seal(ctx, "R99", []byte("person R99"), []byte("ad"))
		if err != nil {
			t.Fatal(err)
		}
		before := gets()
		if plain, err := reader.Open(ctx, "R99", newcomer, []byte("ad")); err != nil || string(plain) != "person R99" {
			t.Errorf("a key made after the catch-up: got %q, %v", plain, err)
		}
		if n := gets() - before; n != 1 {
			t.Errorf("after the catch-up a key not cached was read %d times from the bucket, want once", n)
		}
	})
}

// countKeyReads counts the reads of single data keys (direct gets; the master key's check
// value, which every Open reads, is not one) from the key bucket since it was called. The
// requests come back to this connection too; after a flush every one sent so far is queued.
func countKeyReads(t *testing.T, js jetstream.JetStream, bucket string) func() int {
	t.Helper()
	sub, err := js.Conn().SubscribeSync("$JS.API.DIRECT.GET.KV_" + bucket + ".>")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sub.Unsubscribe() })
	if err := js.Conn().Flush(); err != nil {
		t.Fatal(err)
	}
	n := 0
	return func() int {
		t.Helper()
		if err := js.Conn().Flush(); err != nil {
			t.Fatal(err)
		}
		for {
			m, err := sub.NextMsg(0)
			if errors.Is(err, nats.ErrTimeout) {
				return n
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(m.Subject, ".$KV."+bucket+"._werkstatt_master_key_check") {
				n++
			}
		}
	}
}

// BenchmarkOpenCold opens the data of 5,000 people on a keyring that caches none of their keys,
// one key read at a time and, catching up, from one read of the bucket.
func BenchmarkOpenCold(b *testing.B) {
	srv := natstest.Embedded(b)
	js := srv.JetStream(b)
	ctx := context.Background()
	master := make([]byte, 32)
	bucket := newBucket()
	writer, err := keys.Open(ctx, js, bucket, master, 1)
	if err != nil {
		b.Fatal(err)
	}
	defer writer.Close()
	sealed := make([][]byte, 5000)
	for i := range sealed {
		if sealed[i], err = writer.Seal(ctx, fmt.Sprintf("R%d", i), []byte("person"), nil); err != nil {
			b.Fatal(err)
		}
	}
	for _, catchingUp := range []bool{false, true} {
		b.Run(fmt.Sprintf("catching-up=%v", catchingUp), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				reader, err := keys.Open(ctx, js, bucket, master, 1)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				done := func() {}
				if catchingUp {
					done = reader.CatchingUp()
				}
				for i, s := range sealed {
					if _, err := reader.Open(ctx, fmt.Sprintf("R%d", i), s, nil); err != nil {
						b.Fatal(err)
					}
				}
				done()
				b.StopTimer()
				reader.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(sealed)), "ns/key")
		})
	}
}
