package objectstore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
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

// TestPutStream: a stream is stored under its digest without a copy in memory, the same bytes
// twice once, and a reader that fails leaves nothing behind.
func TestPutStream(t *testing.T) {
	srv := natstest.Servers(t)[0]
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s, err := objectstore.Open(ctx, srv.JetStream(t), fmt.Sprintf("BLOBS_%d", buckets.Add(1)), 1)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	data := bytes.Repeat([]byte("%PDF-1.7 slides "), 30000)
	digest, n, err := s.PutStream(ctx, "application/pdf", bytes.NewReader(data))
	if err != nil || digest != objectstore.Digest(data) || n != int64(len(data)) {
		t.Fatalf("PutStream = %q, %d, %v; want %q, %d", digest, n, err, objectstore.Digest(data), len(data))
	}
	if again, _, err := s.PutStream(ctx, "application/pdf", bytes.NewReader(data)); err != nil || again != digest {
		t.Fatalf("PutStream again = %q, %v", again, err)
	}
	if got, err := s.Get(ctx, digest); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("Get after PutStream: %d bytes, %v", len(got), err)
	}
	rc, err := s.Open(ctx, digest)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(rc); err != nil || !bytes.Equal(buf.Bytes(), data) {
		t.Fatalf("Open read %d bytes, %v", buf.Len(), err)
	}
	rc.Close()
	if _, err := s.Open(ctx, objectstore.Digest([]byte("never"))); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("Open a missing object: %v, want domain.ErrNotFound", err)
	}
	tooLarge := errors.New("too large")
	if _, _, err := s.PutStream(ctx, "application/pdf", io.MultiReader(bytes.NewReader(data), iotest.ErrReader(tooLarge))); !errors.Is(err, tooLarge) {
		t.Errorf("PutStream of a failing reader: %v, want its error", err)
	}
}

// TestDelete: deleted bytes are gone (Get answers domain.ErrNotFound); deleting them again, or
// bytes never stored, is no error.
func TestDelete(t *testing.T) {
	srv := natstest.Servers(t)[0]
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s, err := objectstore.Open(ctx, srv.JetStream(t), fmt.Sprintf("BLOBS_%d", buckets.Add(1)), 1)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	digest, err := s.Put(ctx, "application/pdf", []byte("%PDF-1.7 Protokoll"))
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	for i := range 2 {
		if err := s.Delete(ctx, digest); err != nil {
			t.Fatalf("delete #%d: %v", i+1, err)
		}
	}
	if _, err := s.Get(ctx, digest); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("get after delete: got %v, want not found", err)
	}
	if err := s.Delete(ctx, objectstore.Digest([]byte("never stored"))); err != nil {
		t.Errorf("delete of bytes never stored: %v", err)
	}
}
