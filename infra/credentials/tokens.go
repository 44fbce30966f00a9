package credentials

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/natsconn"
)

// TokenPrefix starts every personal API token, so that a token pasted where it does not belong
// (a chat, a repository) is recognised, by people and by secret scanners.
const TokenPrefix = "wst_"

// tokenLength is the length of a token: the prefix and 32 random bytes in unpadded base64url.
var tokenLength = len(TokenPrefix) + base64.RawURLEncoding.EncodedLen(32)

// tokenRecord is a token as the bucket stores it, under the SHA-256 of the token.
type tokenRecord struct {
	ID        string           `json:"id"`
	Account   domain.AccountID `json:"account"`
	Network   string           `json:"network"`
	Label     string           `json:"label"`
	IssuedAt  time.Time        `json:"issued_at"`
	RevokedAt time.Time        `json:"revoked_at,omitzero"`
}

func (r tokenRecord) info() domain.TokenInfo { return domain.TokenInfo(r) }

func tokenOwner(data []byte) (domain.AccountID, error) {
	var r tokenRecord
	err := json.Unmarshal(data, &r)
	return r.Account, err
}

// maxLabel bounds a token's label, in bytes.
const maxLabel = 200

// IssueToken issues a personal API token that acts as account in network, named label for its
// owner's list. It returns the token's id (to list and revoke it) and the token itself, shown
// once: the bucket keeps only its SHA-256.
func (s *Store) IssueToken(ctx context.Context, account domain.AccountID, network, label string) (id, token string, err error) {
	label = strings.TrimSpace(label)
	if account == "" || network == "" || len(label) > maxLabel || !domain.ValidText(label, false) {
		return "", "", fmt.Errorf("credentials: a token needs an account, a network and a short label, got %q, %q, %q", account, network, label)
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	token = TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	r := tokenRecord{ID: rand.Text(), Account: account, Network: network, Label: label, IssuedAt: s.now().UTC().Truncate(time.Second)}
	data, err := json.Marshal(r)
	if err != nil {
		return "", "", err
	}
	if err := natsconn.Up(s.nc); err != nil {
		return "", "", err
	}
	if _, err := s.kv.Create(ctx, tokenKey+digest(token), data); err != nil {
		return "", "", natsconn.Classify(fmt.Errorf("credentials: issue a token: %w", err))
	}
	return r.ID, token, nil
}

// Token returns the token's information and true while it holds; false for a token unknown,
// revoked or malformed (so that an API can answer 401 without asking further).
func (s *Store) Token(ctx context.Context, token string) (domain.TokenInfo, bool, error) {
	if len(token) != tokenLength || !strings.HasPrefix(token, TokenPrefix) {
		return domain.TokenInfo{}, false, nil
	}
	e, found, err := s.get(ctx, tokenKey+digest(token))
	if err != nil || !found {
		return domain.TokenInfo{}, false, err
	}
	var r tokenRecord
	if err := json.Unmarshal(e.Value(), &r); err != nil {
		return domain.TokenInfo{}, false, fmt.Errorf("credentials: stored token is damaged: %w", err)
	}
	if !r.RevokedAt.IsZero() {
		return domain.TokenInfo{}, false, nil
	}
	return r.info(), true, nil
}

// Tokens returns account's tokens, revoked ones too, without their secrets, the most recently
// issued first.
func (s *Store) Tokens(ctx context.Context, account domain.AccountID) ([]domain.TokenInfo, error) {
	var out []domain.TokenInfo
	err := s.each(ctx, tokenKey, func(e jetstream.KeyValueEntry) error {
		var r tokenRecord
		if err := json.Unmarshal(e.Value(), &r); err != nil {
			return fmt.Errorf("credentials: stored token is damaged: %w", err)
		}
		if r.Account == account {
			out = append(out, r.info())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b domain.TokenInfo) int {
		if c := b.IssuedAt.Compare(a.IssuedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// revokeAttempts bounds the retries of a revocation that races another write of the token.
const revokeAttempts = 5

// RevokeToken revokes account's token id: from then on it opens nothing, on every replica. A
// revoked token stays in the list, marked, so that its owner sees what was revoked when.
// Revoking a revoked token changes nothing. An id that names no token of account gives
// ErrTokenNotFound, also when it names another account's token.
func (s *Store) RevokeToken(ctx context.Context, account domain.AccountID, id string) error {
	for range revokeAttempts {
		var key string
		var rev uint64
		var r tokenRecord
		err := s.each(ctx, tokenKey, func(e jetstream.KeyValueEntry) error {
			var c tokenRecord
			if json.Unmarshal(e.Value(), &c) == nil && c.ID == id && c.Account == account {
				key, rev, r = e.Key(), e.Revision(), c
			}
			return nil
		})
		if err != nil {
			return err
		}
		if key == "" {
			return fmt.Errorf("%w: %s", ErrTokenNotFound, id)
		}
		if !r.RevokedAt.IsZero() {
			return nil
		}
		r.RevokedAt = s.now().UTC().Truncate(time.Second)
		data, err := json.Marshal(r)
		if err != nil {
			return err
		}
		_, err = s.kv.Update(ctx, key, data, rev)
		if err == nil {
			return nil
		}
		if !errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
			return natsconn.Classify(fmt.Errorf("credentials: revoke a token: %w", err))
		}
	}
	return fmt.Errorf("credentials: revoke token %s: it kept changing", id)
}
