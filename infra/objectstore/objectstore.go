// Package objectstore keeps images (the funders' logos) in a JetStream object store on the same
// NATS as the event log, content-addressed by their SHA-256: the events carry only the digest,
// so a replay never needs the bytes, and the same image is stored once. *Store implements
// app.Blobs.
package objectstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
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
		Description: "Werkstatt images (funders' logos), named by their SHA-256",
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
