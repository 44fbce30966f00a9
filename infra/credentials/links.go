package credentials

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/natsconn"
)

// MaxLinkAge is the longest a link to set a password may hold.
const MaxLinkAge = 30 * 24 * time.Hour

// linkRecord is a link as the bucket stores it, under the SHA-256 of its token.
type linkRecord struct {
	Account   domain.AccountID `json:"account"`
	Email     string           `json:"email"`
	ExpiresAt time.Time        `json:"expires_at"`
}

func linkOwner(data []byte) (domain.AccountID, error) {
	var r linkRecord
	err := json.Unmarshal(data, &r)
	return r.Account, err
}

// IssueSetLink issues a one-time link for account (with address email) to set its password,
// valid for ttl (at most MaxLinkAge), and returns its token: 128 random bits, shown once. The
// bucket keeps the token's SHA-256 only, and drops the link when it expires.
func (s *Store) IssueSetLink(ctx context.Context, account domain.AccountID, email string, ttl time.Duration) (string, error) {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	token := base64.RawURLEncoding.EncodeToString(b)
	if err := s.IssueSetLinkFor(ctx, account, email, token, ttl); err != nil {
		return "", err
	}
	return token, nil
}

// IssueSetLinkFor issues a one-time link as IssueSetLink does, for a token the caller supplies
// (one derived from a keyed pseudonym, which the outbox derives again to mail it). The token
// must be as hard to guess as a random one of 128 bits; the bucket keeps its SHA-256 only.
func (s *Store) IssueSetLinkFor(ctx context.Context, account domain.AccountID, email, token string, ttl time.Duration) error {
	if account == "" || ttl <= 0 || ttl > MaxLinkAge {
		return fmt.Errorf("credentials: a link needs an account and a lifetime up to %v, got %q, %v", MaxLinkAge, account, ttl)
	}
	if len(token) < 16 || len(token) > 64 {
		return fmt.Errorf("credentials: a link's token has 16 to 64 characters, got %d", len(token))
	}
	data, err := json.Marshal(linkRecord{Account: account, Email: email, ExpiresAt: s.now().Add(ttl).UTC()})
	if err != nil {
		return err
	}
	if err := natsconn.Up(s.nc); err != nil {
		return err
	}
	// The bucket's TTL is whole seconds, at least one; the record's expiry is the exact one.
	keyTTL := max(time.Second, ttl.Truncate(time.Second)+time.Second)
	if _, err := s.kv.Create(ctx, linkKey+digest(token), data, jetstream.KeyTTL(keyTTL)); err != nil {
		return natsconn.Classify(fmt.Errorf("credentials: issue a link: %w", err))
	}
	return nil
}

// link returns the live link of token and its revision.
func (s *Store) link(ctx context.Context, token string) (domain.PasswordLink, uint64, error) {
	if token == "" || len(token) > 64 {
		return domain.PasswordLink{}, 0, ErrLinkNotFound
	}
	e, found, err := s.get(ctx, linkKey+digest(token))
	if err != nil {
		return domain.PasswordLink{}, 0, err
	}
	if !found {
		return domain.PasswordLink{}, 0, ErrLinkNotFound
	}
	var r linkRecord
	if err := json.Unmarshal(e.Value(), &r); err != nil {
		return domain.PasswordLink{}, 0, fmt.Errorf("credentials: stored link is damaged: %w", err)
	}
	if !s.now().Before(r.ExpiresAt) {
		return domain.PasswordLink{}, 0, ErrLinkNotFound
	}
	return domain.PasswordLink(r), e.Revision(), nil
}

// Link returns the link of token while it holds, so that a page can check the password policy
// against the account's address before redeeming it; ErrLinkNotFound for a link unknown,
// expired or used.
func (s *Store) Link(ctx context.Context, token string) (domain.PasswordLink, error) {
	l, _, err := s.link(ctx, token)
	return l, err
}

// RedeemSetLink sets the password of token's account to password, uses the link up (of two
// concurrent redemptions exactly one succeeds) and ends the account's sessions. A link unknown, expired or used gives
// ErrLinkNotFound. The caller checks the password policy first.
func (s *Store) RedeemSetLink(ctx context.Context, token, password string) (domain.AccountID, error) {
	l, rev, err := s.link(ctx, token)
	if err != nil {
		return "", err
	}
	// Using the link up first: a failure afterwards costs the person a new link, never lets a
	// link set two passwords.
	err = s.kv.Delete(ctx, linkKey+digest(token), jetstream.LastRevision(rev))
	if errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
		return "", ErrLinkNotFound
	}
	if err != nil {
		return "", natsconn.Classify(fmt.Errorf("credentials: use a link: %w", err))
	}
	if err := s.SetPassword(ctx, l.Account, password); err != nil {
		return "", err
	}
	// A reset shuts out whoever signed in with the old password.
	if err := s.EndSessions(ctx, l.Account); err != nil {
		return "", err
	}
	return l.Account, nil
}
