package keys_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/infra/keys"
)

func TestMain(m *testing.M) { natstest.Main(m) }

var bucketSeq struct {
	sync.Mutex
	n int
}

// newBucket returns a bucket name no other test uses (tests share the process server).
func newBucket() string {
	bucketSeq.Lock()
	defer bucketSeq.Unlock()
	bucketSeq.n++
	return "keys_" + strconv.Itoa(bucketSeq.n) + "_" + rand.Text()[:8]
}

func randomKey(t *testing.T) []byte {
	t.Helper()
	k := make([]byte, 32)
	rand.Read(k)
	return k
}

func openKeyring(t *testing.T, js jetstream.JetStream, bucket string, master []byte) *keys.Keyring {
	t.Helper()
	k, err := keys.Open(context.Background(), js, bucket, master, 1)
	if err != nil {
		t.Fatalf("open keyring %s: %v", bucket, err)
	}
	t.Cleanup(func() { k.Close() })
	return k
}

// eachServer runs test against the embedded server and a nats-server process.
func eachServer(t *testing.T, test func(t *testing.T, js jetstream.JetStream)) {
	for _, srv := range natstest.Servers(t) {
		t.Run(srv.Name, func(t *testing.T) { test(t, srv.JetStream(t)) })
	}
}

func TestSealOpen(t *testing.T) {
	eachServer(t, func(t *testing.T, js jetstream.JetStream) {
		ctx := context.Background()
		k := openKeyring(t, js, newBucket(), randomKey(t))
		plain, ad := []byte(`{"name":"Ada Lovelace"}`), []byte("msg-1/0")
		sealed, err := k.Seal(ctx, "REG1", plain, ad)
		if err != nil {
			t.Fatalf("Seal: %v", err)
		}
		if bytes.Contains(sealed, []byte("Ada")) {
			t.Errorf("sealed value contains the plaintext")
		}
		got, err := k.Open(ctx, "REG1", sealed, ad)
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("Open: got %q, %v; want %q", got, err, plain)
		}
		if _, err := k.Open(ctx, "REG1", sealed, []byte("msg-2/0")); err == nil || errors.Is(err, keys.ErrErased) {
			t.Errorf("Open with other additional data: got %v, want an authentication error", err)
		}
		if _, err := k.Open(ctx, "REG2", sealed, ad); !errors.Is(err, keys.ErrErased) {
			t.Errorf("Open under a subject without key: got %v, want ErrErased", err)
		}
		if _, err := k.Seal(ctx, "bad.subject", plain, ad); err == nil {
			t.Errorf("Seal with a dotted subject: got no error, want one")
		}
	})
}

func TestErase(t *testing.T) {
	eachServer(t, func(t *testing.T, js jetstream.JetStream) {
		ctx := context.Background()
		bucket, master := newBucket(), randomKey(t)
		a, b := openKeyring(t, js, bucket, master), openKeyring(t, js, bucket, master)
		sealed, err := a.Seal(ctx, "REG1", []byte("person"), nil)
		if err != nil {
			t.Fatalf("Seal: %v", err)
		}
		other, err := a.Seal(ctx, "REG2", []byte("someone else"), nil)
		if err != nil {
			t.Fatalf("Seal: %v", err)
		}
		if _, err := b.Open(ctx, "REG1", sealed, nil); err != nil {
			t.Fatalf("Open by the second keyring before Erase: %v", err) // caches the key in b
		}
		if err := a.Erase(ctx, "REG1"); err != nil {
			t.Fatalf("Erase: %v", err)
		}
		if _, err := a.Open(ctx, "REG1", sealed, nil); !errors.Is(err, keys.ErrErased) {
			t.Errorf("Open after Erase: got %v, want ErrErased", err)
		}
		// b learns of the erasure by watching the bucket.
		waitFor(t, "the second keyring to drop the erased key", func() bool {
			_, err := b.Open(ctx, "REG1", sealed, nil)
			return errors.Is(err, keys.ErrErased)
		})
		if got, err := b.Open(ctx, "REG2", other, nil); err != nil || string(got) != "someone else" {
			t.Errorf("Open of another person after Erase: got %q, %v; want %q", got, err, "someone else")
		}
		// A new key for the same subject does not revive the old data.
		fresh, err := a.Seal(ctx, "REG1", []byte("new"), nil)
		if err != nil {
			t.Fatalf("Seal after Erase: %v", err)
		}
		if _, err := a.Open(ctx, "REG1", sealed, nil); !errors.Is(err, keys.ErrErased) {
			t.Errorf("Open of data sealed before Erase under the new key: got %v, want ErrErased", err)
		}
		if got, err := b.Open(ctx, "REG1", fresh, nil); err != nil || string(got) != "new" {
			t.Errorf("Open of data sealed after Erase: got %q, %v; want %q", got, err, "new")
		}
		if err := a.Erase(ctx, "NOKEY"); err != nil {
			t.Errorf("Erase of a subject without key: got %v, want nil", err)
		}
		// Erasing again (a repair) writes nothing to the bucket.
		if err := a.Erase(ctx, "REG2"); err != nil {
			t.Fatal(err)
		}
		kv, err := js.KeyValue(ctx, bucket)
		if err != nil {
			t.Fatal(err)
		}
		before, err := kv.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if err := a.Erase(ctx, "REG2"); err != nil {
				t.Fatal(err)
			}
		}
		if after, err := kv.Status(ctx); err != nil || after.(*jetstream.KeyValueBucketStatus).StreamInfo().State.LastSeq !=
			before.(*jetstream.KeyValueBucketStatus).StreamInfo().State.LastSeq {
			t.Errorf("erasing an erased key again wrote to the bucket (%v)", err)
		}
	})
}

func TestConcurrentFirstSeal(t *testing.T) {
	eachServer(t, func(t *testing.T, js jetstream.JetStream) {
		ctx := context.Background()
		bucket, master := newBucket(), randomKey(t)
		rings := []*keys.Keyring{openKeyring(t, js, bucket, master), openKeyring(t, js, bucket, master)}
		const n = 8
		sealed := make([][]byte, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { sealed[i], errs[i] = rings[i%2].Seal(ctx, "REG1", []byte{byte(i)}, nil) })
		}
		wg.Wait()
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("Seal %d: %v", i, errs[i])
			}
			for _, k := range rings {
				if got, err := k.Open(ctx, "REG1", sealed[i], nil); err != nil || !bytes.Equal(got, []byte{byte(i)}) {
					t.Errorf("Open of seal %d: got %v, %v; want [%d]: all seals must share one key", i, got, err, i)
				}
			}
		}
	})
}

// A replica started with another master key than the bucket's refuses to start, instead of
// writing data keys the others cannot unwrap; also on a bucket from before check values.
func TestWrongMasterKey(t *testing.T) {
	js := natstest.Embedded(t).JetStream(t)
	ctx := context.Background()
	bucket, master := newBucket(), randomKey(t)
	sealed, err := openKeyring(t, js, bucket, master).Seal(ctx, "REG1", []byte("x"), nil)
	if err != nil {
		t.Fatalf("Seal: %v", err)
	}
	if _, err := keys.Open(ctx, js, bucket, randomKey(t), 1); !errors.Is(err, keys.ErrWrongMasterKey) {
		t.Errorf("Open the bucket with another master key: got %v, want ErrWrongMasterKey", err)
	} else if !strings.Contains(err.Error(), "WERKSTATT_MASTER_KEY") {
		t.Errorf("the refusal %q does not say what to do", err)
	}
	if got, err := openKeyring(t, js, bucket, master).Open(ctx, "REG1", sealed, nil); err != nil || string(got) != "x" {
		t.Errorf("Open with the bucket's master key: %q, %v", got, err)
	}

	// A bucket written before check values: its first data key decides.
	kv, err := js.KeyValue(ctx, bucket)
	if err != nil {
		t.Fatal(err)
	}
	if err := kv.Purge(ctx, "_werkstatt_master_key_check"); err != nil {
		t.Fatal(err)
	}
	if _, err := keys.Open(ctx, js, bucket, randomKey(t), 1); !errors.Is(err, keys.ErrWrongMasterKey) {
		t.Errorf("Open an old bucket with another master key: got %v, want ErrWrongMasterKey", err)
	}
	openKeyring(t, js, bucket, master) // the right key writes the check value again
	if _, err := keys.Open(ctx, js, bucket, randomKey(t), 1); !errors.Is(err, keys.ErrWrongMasterKey) {
		t.Errorf("Open with another master key after the upgrade: got %v, want ErrWrongMasterKey", err)
	}
	if _, err := keys.Open(ctx, js, newBucket(), []byte("short"), 1); err == nil {
		t.Errorf("Open with a 5-byte master key: got no error, want one")
	}
}

func TestPseudonym(t *testing.T) {
	js := natstest.Embedded(t).JetStream(t)
	master := randomKey(t)
	k := openKeyring(t, js, newBucket(), master)
	same := openKeyring(t, js, newBucket(), master)
	other := openKeyring(t, js, newBucket(), randomKey(t))
	p := k.Pseudonym("email", "ada@example.org")
	if got := same.Pseudonym("email", "ada@example.org"); got != p {
		t.Errorf("same master, purpose and value: got %q, want %q", got, p)
	}
	for _, tc := range []struct {
		name string
		got  string
	}{
		{"other value", k.Pseudonym("email", "bob@example.org")},
		{"other purpose", k.Pseudonym("token", "ada@example.org")},
		{"other master key", other.Pseudonym("email", "ada@example.org")},
	} {
		if tc.got == p {
			t.Errorf("%s: got the same pseudonym %q, want a different one", tc.name, p)
		}
	}
	if len(p) != 43 {
		t.Errorf("pseudonym length: got %d, want 43 (base64url of 32 bytes)", len(p))
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
