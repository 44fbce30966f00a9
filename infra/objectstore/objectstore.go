// Package objectstore keeps images (the funders' logos) and the workshops' materials in a JetStream object store on the same
// NATS as the event log, content-addressed by their SHA-256: the events carry only the digest,
// so a replay never needs the bytes, and the same image is stored once. *Store implements
// app.Blobs.
package objectstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/natsconn"
)

// Store is a content-addressed object store bucket.
type Store struct {
	nc  *nats.Conn
	obs jetstream.ObjectStore
}

// Open opens (creating if needed) the object store bucket and returns a Store over it.
func Open(ctx context.Context, js jetstream.JetStream, bucket string, replicas int) (*Store, error) {
	if replicas < 1 {
		replicas = 1
	}
	obs, err := js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{
		Bucket:      bucket,
		Description: "Werkstatt files (funders' logos, workshop materials), named by their SHA-256",
		Storage:     jetstream.FileStorage,
		Replicas:    replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("objectstore: bucket %s: %w", bucket, natsconn.Classify(err))
	}
	return &Store{nc: js.Conn(), obs: obs}, nil
}

// Digest returns the name under which data is stored: "sha256:" and its hex SHA-256.
func Digest(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// name is the object's name for digest; it refuses anything but a SHA-256 digest.
func name(digest string) (string, error) {
	h, ok := strings.CutPrefix(digest, "sha256:")
	if b, err := hex.DecodeString(h); !ok || err != nil || len(b) != sha256.Size {
		return "", fmt.Errorf("objectstore: %q is no sha256 digest", digest)
	}
	return "sha256-" + strings.ToLower(h), nil
}

// Put stores data under its digest, which it returns; data already stored is not sent again.
// A failure to reach NATS matches domain.ErrUnavailable.
func (s *Store) Put(ctx context.Context, contentType string, data []byte) (string, error) {
	if err := natsconn.Up(s.nc); err != nil {
		return "", err
	}
	digest := Digest(data)
	n, _ := name(digest)
	if _, err := s.obs.GetInfo(ctx, n); err == nil {
		return digest, nil
	} else if !errors.Is(err, jetstream.ErrObjectNotFound) {
		return "", fmt.Errorf("objectstore: look up %s: %w", n, natsconn.Classify(err))
	}
	meta := jetstream.ObjectMeta{Name: n, Headers: nats.Header{"Content-Type": []string{contentType}}}
	if _, err := s.obs.Put(ctx, meta, bytes.NewReader(data)); err != nil {
		return "", fmt.Errorf("objectstore: put %s: %w", n, natsconn.Classify(err))
	}
	return digest, nil
}

// Get returns the bytes stored under digest. An object that is not there matches
// domain.ErrNotFound, a failure to reach NATS domain.ErrUnavailable; bytes that do not match
// their digest are an error of their own.
func (s *Store) Get(ctx context.Context, digest string) ([]byte, error) {
	n, err := name(digest)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", domain.ErrNotFound, err)
	}
	if err := natsconn.Up(s.nc); err != nil {
		return nil, err
	}
	data, err := s.obs.GetBytes(ctx, n)
	switch {
	case errors.Is(err, jetstream.ErrObjectNotFound):
		return nil, fmt.Errorf("%w: objectstore: no object %s", domain.ErrNotFound, n)
	case err != nil:
		return nil, fmt.Errorf("objectstore: get %s: %w", n, natsconn.Classify(err))
	}
	if Digest(data) != strings.ToLower(digest) {
		return nil, fmt.Errorf("objectstore: object %s does not match its digest", n)
	}
	return data, nil
}

// PutStream stores what r yields under its digest, which it returns with the number of bytes,
// without holding them in memory: they go to the bucket under a name of their own while they
// are hashed, and are renamed to their digest at the end (or dropped, when the same bytes are
// there already). An error of r comes back unchanged, and nothing of the upload stays. A
// failure to reach NATS matches domain.ErrUnavailable.
func (s *Store) PutStream(ctx context.Context, contentType string, r io.Reader) (string, int64, error) {
	if err := natsconn.Up(s.nc); err != nil {
		return "", 0, err
	}
	var nonce [16]byte
	_, _ = rand.Read(nonce[:])
	tmp := "upload-" + hex.EncodeToString(nonce[:])
	hr := &hashingReader{r: r, h: sha256.New()}
	headers := nats.Header{"Content-Type": []string{contentType}}
	if _, err := s.obs.Put(ctx, jetstream.ObjectMeta{Name: tmp, Headers: headers}, hr); err != nil {
		if hr.err != nil {
			return "", 0, hr.err
		}
		return "", 0, fmt.Errorf("objectstore: put %s: %w", tmp, natsconn.Classify(err))
	}
	digest := "sha256:" + hex.EncodeToString(hr.h.Sum(nil))
	n, _ := name(digest)
	err := s.obs.UpdateMeta(ctx, tmp, jetstream.ObjectMeta{Name: n, Headers: headers})
	if errors.Is(err, jetstream.ErrObjectAlreadyExists) {
		err = s.obs.Delete(ctx, tmp) // the same bytes are stored already
	}
	if err != nil {
		return "", 0, fmt.Errorf("objectstore: name %s: %w", n, natsconn.Classify(err))
	}
	return digest, hr.n, nil
}

// hashingReader hashes and counts what it reads and keeps its reader's error apart from the
// store's.
type hashingReader struct {
	r   io.Reader
	h   hash.Hash
	n   int64
	err error
}

func (r *hashingReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.h.Write(p[:n])
	r.n += int64(n)
	if err != nil && err != io.EOF {
		r.err = err
	}
	return n, err
}

// Open returns a reader of the bytes stored under digest, to be closed; NATS checks them
// against its own digest as they are read. An object that is not there matches
// domain.ErrNotFound, a failure to reach NATS domain.ErrUnavailable.
func (s *Store) Open(ctx context.Context, digest string) (io.ReadCloser, error) {
	n, err := name(digest)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", domain.ErrNotFound, err)
	}
	if err := natsconn.Up(s.nc); err != nil {
		return nil, err
	}
	res, err := s.obs.Get(ctx, n)
	switch {
	case errors.Is(err, jetstream.ErrObjectNotFound):
		return nil, fmt.Errorf("%w: objectstore: no object %s", domain.ErrNotFound, n)
	case err != nil:
		return nil, fmt.Errorf("objectstore: get %s: %w", n, natsconn.Classify(err))
	}
	return res, nil
}

// Delete removes the object stored under digest; one that is not there is no error. A failure
// to reach NATS matches domain.ErrUnavailable.
func (s *Store) Delete(ctx context.Context, digest string) error {
	n, err := name(digest)
	if err != nil {
		return fmt.Errorf("%w: %w", domain.ErrNotFound, err)
	}
	if err := natsconn.Up(s.nc); err != nil {
		return err
	}
	if err := s.obs.Delete(ctx, n); err != nil && !errors.Is(err, jetstream.ErrObjectNotFound) {
		return fmt.Errorf("objectstore: delete %s: %w", n, natsconn.Classify(err))
	}
	return nil
}
