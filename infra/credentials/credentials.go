// Package credentials keeps what accounts sign in with: password hashes (argon2id), one-time
// links to set a password, and personal API tokens. Credentials are not domain facts: they
// live in a JetStream KV bucket beside the keyring, like the lead grants, so that one can be
// replaced or revoked on its own and erasing an account forgets them.
//
// The bucket never holds a secret as a person has it: a password only as its argon2id hash, a
// link and a token only as their SHA-256, so a copy of the bucket opens nothing.
package credentials

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/natsconn"
)

var (
	// ErrLinkNotFound is returned by Link and RedeemSetLink for a link that is unknown,
	// expired or used already. It matches domain.ErrNotFound.
	ErrLinkNotFound = fmt.Errorf("credentials: no such link to set a password: %w", domain.ErrNotFound)
	// ErrTokenNotFound is returned by RevokeToken for an id that names no token of the
	// account. It matches domain.ErrNotFound.
	ErrTokenNotFound = fmt.Errorf("credentials: no such token: %w", domain.ErrNotFound)
)

// The kinds of entries, each under its own key prefix.
const (
	passwordKey = "password."
	linkKey     = "link."
	tokenKey    = "token."
	// endedKey (sessions.go) holds when an account's sessions last ended.
)

// Store keeps credentials in a JetStream KV bucket. It is safe for concurrent use and caches
// nothing, so every replica sees a new password or a revoked token at once.
//
// While the NATS connection is down every method fails at once with an error matching
// domain.ErrUnavailable, as do timeouts.
type Store struct {
	nc  *nats.Conn
	kv  jetstream.KeyValue
	now func() time.Time
}

// Option configures Open.
type Option func(*Store)

// Clock makes the store read the time from now (default time.Now): when a token was issued or
// revoked, when a link expires.
func Clock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// Open opens (creating or updating) the credentials bucket and returns a Store over it.
func Open(ctx context.Context, js jetstream.JetStream, bucket string, replicas int, opts ...Option) (*Store, error) {
	if replicas < 1 {
		replicas = 1
	}
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      bucket,
		Description: "Werkstatt accounts' password hashes, links to set a password and API tokens (hashed)",
		// An old password hash is of no use to anyone: keep only the latest revision.
		History:  1,
		Storage:  jetstream.FileStorage,
		Replicas: replicas,
		// Links expire by themselves (a per-key TTL), with the address they carry.
		LimitMarkerTTL: time.Minute,
	})
	if err != nil {
		return nil, fmt.Errorf("credentials: bucket %s: %w", bucket, err)
	}
	s := &Store{nc: js.Conn(), kv: kv, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// digest is the hex SHA-256 of a secret (a link's or a token's): the part of a key that names
// it without revealing it. The secrets are 128 bits or more of randomness, so no salt or slow
// hash is needed.
func digest(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// accountKey is the part of a key that names an account: hex, since an account id is not
// bound to the characters a key may hold.
func accountKey(a domain.AccountID) string { return hex.EncodeToString([]byte(a)) }

// get reads key; found is false when it does not exist.
func (s *Store) get(ctx context.Context, key string) (jetstream.KeyValueEntry, bool, error) {
	if err := natsconn.Up(s.nc); err != nil {
		return nil, false, err
	}
	e, err := s.kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, natsconn.Classify(fmt.Errorf("credentials: read: %w", err))
	}
	return e, true, nil
}

// each calls f with every entry under prefix as it stands now.
func (s *Store) each(ctx context.Context, prefix string, f func(jetstream.KeyValueEntry) error) error {
	if err := natsconn.Up(s.nc); err != nil {
		return err
	}
	w, err := s.kv.Watch(ctx, prefix+">", jetstream.IgnoreDeletes())
	if err != nil {
		return natsconn.Classify(fmt.Errorf("credentials: list: %w", err))
	}
	defer w.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case e := <-w.Updates():
			if e == nil { // every entry's latest revision was delivered
				return nil
			}
			if err := f(e); err != nil {
				return err
			}
		}
	}
}

// purge forgets key and every revision of it; a key that does not exist is no error.
func (s *Store) purge(ctx context.Context, key string) error {
	if err := natsconn.Up(s.nc); err != nil {
		return err
	}
	if err := s.kv.Purge(ctx, key); err != nil && !errors.Is(err, jetstream.ErrKeyNotFound) {
		return natsconn.Classify(fmt.Errorf("credentials: remove: %w", err))
	}
	return nil
}

// Erase forgets every credential of account: its password, its links to set one and its API
// tokens (revoked ones too), and ends its sessions. Erasing an account calls it.
func (s *Store) Erase(ctx context.Context, account domain.AccountID) error {
	if account == "" {
		return errors.New("credentials: erase needs an account")
	}
	if err := s.purge(ctx, passwordKey+accountKey(account)); err != nil {
		return err
	}
	var keys []string
	collect := func(prefix string, owner func([]byte) (domain.AccountID, error)) error {
		return s.each(ctx, prefix, func(e jetstream.KeyValueEntry) error {
			if a, err := owner(e.Value()); err == nil && a == account {
				keys = append(keys, e.Key())
			}
			return nil
		})
	}
	if err := collect(linkKey, linkOwner); err != nil {
		return err
	}
	if err := collect(tokenKey, tokenOwner); err != nil {
		return err
	}
	for _, k := range keys {
		if err := s.purge(ctx, k); err != nil {
			return err
		}
	}
	return s.EndSessions(ctx, account)
}
