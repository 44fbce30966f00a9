package objectstore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/infra/objectstore"
)

func TestMain(m *testing.M) { natstest.Main(m) }

var buckets atomic.Int64

func TestStore(t *testing.T) {
	for _, srv := range natstest.Servers(t) {
		t.Run(srv.Name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			bucket := fmt.Sprintf("BLOBS_%d", buckets.Add(1))
			s, err := objectstore.Open(ctx, srv.JetStream(t), bucket, 1)
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			data := bytes.Repeat([]byte("\x89PNG logo bytes "), 20000) // spans several chunks
			digest, err := s.Put(ctx, "image/png", data)
			if err != nil {
				t.Fatalf("put: %v", err)
			}
			if want := objectstore.Digest(data); digest != want || !strings.HasPrefix(digest, "sha256:") {
				t.Fatalf("put: got digest %q, want %q", digest, want)
			}
			again, err := s.Put(ctx, "image/png", data)
			if err != nil || again != digest {
				t.Fatalf("put again: got %q, %v, want %q", again, err, digest)
			}
			// Another process opening the bucket sees the object.
			other, err := objectstore.Open(ctx, srv.JetStream(t), bucket, 1)
			if err != nil {
				t.Fatalf("open again: %v", err)
			}
			got, err := other.Get(ctx, digest)
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("get: got %d bytes, %v, want %d bytes", len(got), err, len(data))
			}
			missing := objectstore.Digest([]byte("never stored"))
			if _, err := s.Get(ctx, missing); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("get a missing object: got %v, want domain.ErrNotFound", err)
			}
			if _, err := s.Get(ctx, "sha256:../../etc"); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("get a bad digest: got %v, want domain.ErrNotFound", err)
			}
		})
	}
}

func TestStoreUnavailable(t *testing.T) {
	srv := natstest.Embedded(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	js := srv.JetStream(t)
	s, err := objectstore.Open(ctx, js, fmt.Sprintf("BLOBS_%d", buckets.Add(1)), 1)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	digest, err := s.Put(ctx, "image/png", []byte("logo"))
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	js.Conn().Close()
	if _, err := s.Get(ctx, digest); !errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("get with the connection closed: got %v, want domain.ErrUnavailable", err)
	}
	if _, err := s.Put(ctx, "image/png", []byte("other")); !errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("put with the connection closed: got %v, want domain.ErrUnavailable", err)
	}
}
