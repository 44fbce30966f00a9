// Package grants keeps the access that organisers grant project leads to the reports of a
// series. A grant is a credential, not a domain fact: it lives in a JetStream KV bucket beside
// the keyring, not in the event log, so that it can be revoked one by one. The bucket keeps
// every revision of a grant (issued, then perhaps revoked) and nothing is ever deleted, so it
// doubles as the audit trail of who got access when and until when.
package grants

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/natsconn"
)

var (
	// ErrNotFound is returned by Get, Revoke and History for an id that names no grant. It
	// matches domain.ErrNotFound.
	ErrNotFound = fmt.Errorf("grants: no such grant: %w", domain.ErrNotFound)
	// ErrExists is returned by Issue when a grant with the id exists already. It matches
	// domain.ErrLeadGrantExists.
	ErrExists = fmt.Errorf("grants: %w", domain.ErrLeadGrantExists)
)

// record is a grant as the bucket stores it (and backups carry it): its JSON is a storage
// format, so it stays apart from domain.LeadGrant.
type record struct {
	ID        string    `json:"id"`
	Series    string    `json:"series"`
	Label     string    `json:"label"`
	IssuedAt  time.Time `json:"issued_at"`
	ExpiresAt time.Time `json:"expires_at"`
	RevokedAt time.Time `json:"revoked_at,omitzero"` // zero while not revoked
}

func (r record) grant() domain.LeadGrant { return domain.LeadGrant(r) }

func recordOf(g domain.LeadGrant) record { return record(g) }

// history is how many revisions of a grant the bucket keeps: a grant has two at most (issued,
// revoked), so this keeps them all.
const history = 8

// revokeAttempts bounds the retries of a revocation that races another write of the grant.
const revokeAttempts = 5

// Store keeps grants in a JetStream KV bucket, one key per grant id. It is safe for concurrent
// use, and every process (replica) connected to the same NATS sees the same grants at once:
// nothing is cached, so a revocation holds everywhere from the next lookup on.
//
// While the NATS connection is down every method fails at once with an error matching
// domain.ErrUnavailable, as do timeouts.
type Store struct {
	nc *nats.Conn
	kv jetstream.KeyValue
}

// Open opens (creating if needed) the grants bucket and returns a Store over it.
func Open(ctx context.Context, js jetstream.JetStream, bucket string, replicas int) (*Store, error) {
	if replicas < 1 {
		replicas = 1
	}
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      bucket,
		Description: "Werkstatt project-lead access grants and their revocations (audit trail)",
		History:     history,
		Storage:     jetstream.FileStorage,
		Replicas:    replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("grants: bucket %s: %w", bucket, err)
	}
	return &Store{nc: js.Conn(), kv: kv}, nil
}

// Issue stores g as a new grant and returns it as stored (times in UTC, to the second). An
// empty g.ID gets a random one (26 characters of base32, 128 bits). It returns ErrExists if the id is taken, so that a caller
// that derives the id from an idempotency key recognises a repeat.
func (s *Store) Issue(ctx context.Context, g domain.LeadGrant) (domain.LeadGrant, error) {
	if g.ID == "" {
		g.ID = rand.Text()
	}
	if !domain.ValidID(g.ID) || strings.TrimSpace(g.Series) == "" || strings.TrimSpace(g.Label) == "" {
		return domain.LeadGrant{}, fmt.Errorf("grants: a grant needs an id of letters and digits, a series and a label, got %+v", g)
	}
	g.IssuedAt, g.ExpiresAt = g.IssuedAt.UTC().Truncate(time.Second), g.ExpiresAt.UTC().Truncate(time.Second)
	g.RevokedAt = time.Time{}
	data, err := json.Marshal(recordOf(g))
	if err != nil {
		return domain.LeadGrant{}, err
	}
	if err := natsconn.Up(s.nc); err != nil {
		return domain.LeadGrant{}, err
	}
	if _, err := s.kv.Create(ctx, g.ID, data); err != nil {
		if errors.Is(err, jetstream.ErrKeyExists) {
			return domain.LeadGrant{}, fmt.Errorf("%w: %s", ErrExists, g.ID)
		}
		return domain.LeadGrant{}, natsconn.Classify(fmt.Errorf("grants: issue %s: %w", g.ID, err))
	}
	return g, nil
}

// Get returns grant id as it stands now.
func (s *Store) Get(ctx context.Context, id string) (domain.LeadGrant, error) {
	g, _, err := s.get(ctx, id)
	return g, err
}

func (s *Store) get(ctx context.Context, id string) (domain.LeadGrant, uint64, error) {
	if !domain.ValidID(id) {
		return domain.LeadGrant{}, 0, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	if err := natsconn.Up(s.nc); err != nil {
		return domain.LeadGrant{}, 0, err
	}
	e, err := s.kv.Get(ctx, id)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return domain.LeadGrant{}, 0, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if err != nil {
		return domain.LeadGrant{}, 0, natsconn.Classify(fmt.Errorf("grants: read %s: %w", id, err))
	}
	g, err := decode(e)
	return g, e.Revision(), err
}

// Revoke ends grant id at at and returns it. Revoking a revoked grant changes nothing and
// returns it with the first revocation's time.
func (s *Store) Revoke(ctx context.Context, id string, at time.Time) (domain.LeadGrant, error) {
	for range revokeAttempts {
		g, rev, err := s.get(ctx, id)
		if err != nil || !g.RevokedAt.IsZero() {
			return g, err
		}
		g.RevokedAt = at.UTC().Truncate(time.Second)
		data, err := json.Marshal(recordOf(g))
		if err != nil {
			return domain.LeadGrant{}, err
		}
		_, err = s.kv.Update(ctx, id, data, rev)
		if err == nil {
			return g, nil
		}
		if !errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
			return domain.LeadGrant{}, natsconn.Classify(fmt.Errorf("grants: revoke %s: %w", id, err))
		}
		// Another process wrote the grant meanwhile (most likely revoked it): look again.
	}
	return domain.LeadGrant{}, fmt.Errorf("grants: revoke %s: the grant kept changing", id)
}

// List returns the grants of series as they stand now, the most recently issued first.
func (s *Store) List(ctx context.Context, series string) ([]domain.LeadGrant, error) {
	if err := natsconn.Up(s.nc); err != nil {
		return nil, err
	}
	w, err := s.kv.WatchAll(ctx, jetstream.IgnoreDeletes())
	if err != nil {
		return nil, natsconn.Classify(fmt.Errorf("grants: list: %w", err))
	}
	defer w.Stop()
	var out []domain.LeadGrant
	for {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case e := <-w.Updates():
			if e == nil { // the watcher delivered every grant's latest revision
				slices.SortFunc(out, func(a, b domain.LeadGrant) int {
					return cmpIssued(b, a)
				})
				return out, nil
			}
			g, err := decode(e)
			if err != nil {
				return nil, err
			}
			if g.Series == series {
				out = append(out, g)
			}
		}
	}
}

// History returns every stored revision of grant id, the oldest first: when it was issued, and
// when it was revoked.
func (s *Store) History(ctx context.Context, id string) ([]domain.LeadGrant, error) {
	if !domain.ValidID(id) {
		return nil, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	entries, err := s.kv.History(ctx, id)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if err != nil {
		return nil, natsconn.Classify(fmt.Errorf("grants: history of %s: %w", id, err))
	}
	out := make([]domain.LeadGrant, 0, len(entries))
	for _, e := range entries {
		g, err := decode(e)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

func cmpIssued(a, b domain.LeadGrant) int {
	if c := a.IssuedAt.Compare(b.IssuedAt); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

func decode(e jetstream.KeyValueEntry) (domain.LeadGrant, error) {
	var r record
	if err := json.Unmarshal(e.Value(), &r); err != nil {
		return domain.LeadGrant{}, fmt.Errorf("grants: stored grant %s is damaged: %w", e.Key(), err)
	}
	return r.grant(), nil
}
