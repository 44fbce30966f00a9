// Package sessions keeps the sessions of people signed in to the pages (organisers, project
// leads) in a JetStream KV bucket, so that every replica knows every session and ending one
// holds everywhere at once. A session is opaque data under an id; the bucket's TTL drops it
// after the longest session there is, and the caller checks its own expiry too.
//
// The bucket never holds an id as the cookie carries it: the key is the id's SHA-256, so a
// copy of the bucket opens no session.
package sessions

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Store keeps sessions in a KV bucket. It is safe for concurrent use and caches nothing.
type Store struct {
	kv jetstream.KeyValue
}

// Open opens (creating or updating) bucket with a TTL of ttl and returns a Store over it.
func Open(ctx context.Context, js jetstream.JetStream, bucket string, ttl time.Duration, replicas int) (*Store, error) {
	if ttl <= 0 {
		return nil, fmt.Errorf("sessions: bucket %s: the TTL must be positive, got %v", bucket, ttl)
	}
	if replicas < 1 {
		replicas = 1
	}
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      bucket,
		Description: "Werkstatt sessions of signed-in organisers and project leads",
		History:     1,
		TTL:         ttl,
		Storage:     jetstream.FileStorage,
		Replicas:    replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("sessions: bucket %s: %w", bucket, err)
	}
	return &Store{kv: kv}, nil
}

// key is where session id lives in the bucket.
func key(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

// Start stores data as session id. An id that exists already is an error: ids are random.
func (s *Store) Start(ctx context.Context, id string, data []byte) error {
	if id == "" {
		return errors.New("sessions: a session needs an id")
	}
	if _, err := s.kv.Create(ctx, key(id), data); err != nil {
		return fmt.Errorf("sessions: start: %w", err)
	}
	return nil
}

// Lookup returns the data of session id, and false when there is no such session (never
// started, ended, or dropped by the TTL).
func (s *Store) Lookup(ctx context.Context, id string) ([]byte, bool, error) {
	if id == "" {
		return nil, false, nil
	}
	e, err := s.kv.Get(ctx, key(id))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("sessions: look up: %w", err)
	}
	return e.Value(), true, nil
}

// End ends session id for every replica. Ending a session that does not exist is no error.
func (s *Store) End(ctx context.Context, id string) error {
	if id == "" {
		return nil
	}
	if err := s.kv.Purge(ctx, key(id)); err != nil && !errors.Is(err, jetstream.ErrKeyNotFound) {
		return fmt.Errorf("sessions: end: %w", err)
	}
	return nil
}
