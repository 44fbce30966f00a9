package snapshots_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/infra/keys"
	"github.com/werkstatt/werkstatt/infra/snapshots"
)

func TestMain(m *testing.M) { natstest.Main(m) }

var n atomic.Int64

type fixture struct {
	js     jetstream.JetStream
	stream string
	keys   *keys.Keyring
	store  *snapshots.Store
	bucket string
}

// newFixture opens a stream holding events messages, a keyring and the snapshot store.
func newFixture(ctx context.Context, t *testing.T, js jetstream.JetStream, events int) *fixture {
	t.Helper()
	i := n.Add(1)
	f := &fixture{js: js, stream: fmt.Sprintf("SNAP_%d", i), bucket: fmt.Sprintf("SNAP_%d_SNAPSHOTS", i)}
	f.fill(ctx, t, events)
	master := bytes.Repeat([]byte{7}, 32)
	var err error
	if f.keys, err = keys.Open(ctx, js, fmt.Sprintf("SNAP_%d_KEYS", i), master, 1); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.keys.Close() })
	if f.store, err = snapshots.Open(ctx, js, f.bucket, f.stream, 1, f.keys); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) fill(ctx context.Context, t *testing.T, events int) {
	t.Helper()
	subject := "snap." + f.stream
	if _, err := f.js.CreateStream(ctx, jetstream.StreamConfig{Name: f.stream, Subjects: []string{subject}}); err != nil {
		t.Fatal(err)
	}
	for i := range events {
		if _, err := f.js.Publish(ctx, subject, fmt.Appendf(nil, "event %d", i)); err != nil {
			t.Fatal(err)
		}
	}
}

func write(data []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		// in uneven pieces, as an encoder writes
		for len(data) > 0 {
			k := min(len(data), 70001)
			if _, err := w.Write(data[:k]); err != nil {
				return err
			}
			data = data[k:]
		}
		return nil
	}
}

func readInto(got *[]byte) func(io.Reader) error {
	return func(r io.Reader) error {
		b, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		*got = b
		return nil
	}
}

func TestSnapshots(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	js := natstest.Embedded(t).JetStream(t)

	t.Run("round trip over several chunks, newest first", func(t *testing.T) {
		f := newFixture(ctx, t, js, 10)
		old := bytes.Repeat([]byte("old state "), 1000)
		if _, err := f.store.Save(ctx, 4, write(old)); err != nil {
			t.Fatal(err)
		}
		state := make([]byte, 2_500_000+17) // three chunks and a bit
		for i := range state {
			state[i] = byte(i * 7)
		}
		saved, err := f.store.Save(ctx, 9, write(state))
		if err != nil {
			t.Fatal(err)
		}
		var got []byte
		loaded, err := f.store.Load(ctx, readInto(&got))
		if err != nil {
			t.Fatal(err)
		}
		if loaded.Name != saved.Name || loaded.Seq != 9 || !bytes.Equal(got, state) {
			t.Fatalf("loaded %+v (%d bytes), want %+v (%d bytes)", loaded, len(got), saved, len(state))
		}
		// The stored bytes are sealed: the state is not in them.
		obs, _ := f.js.ObjectStore(ctx, f.bucket)
		raw, err := obs.GetBytes(ctx, saved.Name)
		if err != nil || bytes.Contains(raw, state[:4096]) {
			t.Fatalf("stored bytes hold the state in clear (err %v)", err)
		}

		// Prune keeps the newest only, and the older one's key is gone.
		if removed, err := f.store.Prune(ctx, saved); err != nil || removed != 1 {
			t.Fatalf("prune: %d, %v", removed, err)
		}
		list, err := f.store.List(ctx)
		if err != nil || len(list) != 1 || list[0].Name != saved.Name {
			t.Fatalf("after prune: %+v, %v", list, err)
		}
	})

	t.Run("an empty state", func(t *testing.T) {
		f := newFixture(ctx, t, js, 0)
		if _, err := f.store.Save(ctx, 0, write(nil)); err != nil {
			t.Fatal(err)
		}
		got := []byte("not read")
		if _, err := f.store.Load(ctx, readInto(&got)); err != nil || len(got) != 0 {
			t.Fatalf("load: %q, %v", got, err)
		}
	})

	t.Run("invalidated snapshots are unreadable and gone", func(t *testing.T) {
		f := newFixture(ctx, t, js, 10)
		for _, seq := range []uint64{3, 5, 8} {
			if _, err := f.store.Save(ctx, seq, write([]byte(fmt.Sprint("state at ", seq)))); err != nil {
				t.Fatal(err)
			}
		}
		before, _ := f.store.List(ctx)
		// A person's data was forgotten at sequence 6: the snapshots at 3 and 5 go.
		if removed, err := f.store.Invalidate(ctx, 6); err != nil || removed != 2 {
			t.Fatalf("invalidate: %d, %v", removed, err)
		}
		after, _ := f.store.List(ctx)
		if len(after) != 1 || after[0].Seq != 8 {
			t.Fatalf("after invalidate: %+v", after)
		}
		for _, snap := range before[:2] {
			if _, err := f.keys.Open(ctx, "snapshot_"+snap.Name, []byte("x"), nil); !errors.Is(err, keys.ErrErased) {
				t.Fatalf("key of %s: %v, want erased", snap.Name, err)
			}
		}
		if removed, err := f.store.Invalidate(ctx, 9); err != nil || removed != 1 {
			t.Fatalf("invalidate all: %d, %v", removed, err)
		}
		if _, err := f.store.Load(ctx, readInto(new([]byte))); !errors.Is(err, snapshots.ErrNone) {
			t.Fatalf("load after invalidating all: %v, want ErrNone", err)
		}
	})

	t.Run("a failing reader falls back to the older snapshot", func(t *testing.T) {
		f := newFixture(ctx, t, js, 10)
		for _, seq := range []uint64{2, 7} {
			if _, err := f.store.Save(ctx, seq, write([]byte(fmt.Sprint("state at ", seq)))); err != nil {
				t.Fatal(err)
			}
		}
		var got []byte
		loaded, err := f.store.Load(ctx, func(r io.Reader) error {
			b, _ := io.ReadAll(r)
			if bytes.Contains(b, []byte("at 7")) {
				return errors.New("format of another version")
			}
			got = b
			return nil
		})
		if err != nil || loaded.Seq != 2 || string(got) != "state at 2" {
			t.Fatalf("load: %+v %q %v", loaded, got, err)
		}
	})

	t.Run("a snapshot of another log is not used", func(t *testing.T) {
		f := newFixture(ctx, t, js, 5)
		if _, err := f.store.Save(ctx, 5, write([]byte("state"))); err != nil {
			t.Fatal(err)
		}
		// The log is restored from a backup: a new stream of the same name and length.
		if err := f.js.DeleteStream(ctx, f.stream); err != nil {
			t.Fatal(err)
		}
		f.fill(ctx, t, 5)
		if _, err := f.store.Load(ctx, readInto(new([]byte))); !errors.Is(err, snapshots.ErrNone) {
			t.Fatalf("load: %v, want ErrNone", err)
		}
		// Nor is one beyond the log's end.
		if _, err := f.store.Save(ctx, 6, write([]byte("future"))); err == nil {
			t.Fatal("saved a snapshot beyond the log's end")
		}
	})

	t.Run("a write that fails leaves nothing", func(t *testing.T) {
		f := newFixture(ctx, t, js, 3)
		_, err := f.store.Save(ctx, 3, func(w io.Writer) error {
			if _, err := w.Write(make([]byte, 3<<20)); err != nil {
				return err
			}
			return errors.New("encoder failed")
		})
		if err == nil {
			t.Fatal("save succeeded")
		}
		if list, err := f.store.List(ctx); err != nil || len(list) != 0 {
			t.Fatalf("left behind: %+v, %v", list, err)
		}
	})
}
