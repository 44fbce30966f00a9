// Package mailbox keeps mails in a JetStream KV bucket: every mail when no SMTP server is
// configured (the zero-setup default: the organiser reads them on the outbox page), and the
// mails whose delivery finally failed. A mail's text is sealed under the key of the person it
// is for (keys.Keyring), so that no mail text outlives the person's key: once they are erased
// the bucket shows only that a mail was there.
package mailbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/keys"
	"github.com/werkstatt/werkstatt/infra/natsconn"
	"github.com/werkstatt/werkstatt/mails"
)

// Sealer seals a mail's text per data subject; *keys.Keyring implements it.
type Sealer interface {
	Seal(ctx context.Context, subject string, plaintext, ad []byte) ([]byte, error)
	Open(ctx context.Context, subject string, sealed, ad []byte) ([]byte, error)
}

// record is a kept mail as the bucket stores it: what the page lists in clear (no personal
// data: ids, kind, times), the message and the failure's reason sealed.
type record struct {
	ID           string `json:"id"`
	Kind         string `json:"kind"`
	Workshop     string `json:"workshop"`
	Registration string `json:"registration"`
	// Account is the recipient's account of a mail about an account (an invitation, a reset), whose key
	// seals it: erasing the account erases the kept mail.
	Account string    `json:"account,omitempty"`
	At      time.Time `json:"at"`
	Failed  bool      `json:"failed,omitempty"`
	Sealed  []byte    `json:"sealed"`
}

type sealed struct {
	Message mails.Message `json:"message"`
	Reason  string        `json:"reason,omitempty"`
}

// Store keeps mails. It is a mails.Sender (Send keeps) and mails.Failures.
type Store struct {
	nc     *nats.Conn
	kv     jetstream.KeyValue
	sealer Sealer
}

// Open opens (creating if needed) the bucket.
func Open(ctx context.Context, js jetstream.JetStream, bucket string, replicas int, sealer Sealer) (*Store, error) {
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      bucket,
		Description: "Werkstatt kept and failed mails, each sealed under its recipient's key",
		Storage:     jetstream.FileStorage,
		Replicas:    max(replicas, 1),
	})
	if err != nil {
		return nil, fmt.Errorf("mailbox: bucket %s: %w", bucket, err)
	}
	return &Store{nc: js.Conn(), kv: kv, sealer: sealer}, nil
}

// key is a bucket key of a Message-ID (KV keys allow letters, digits and -/_=.).
func key(id string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.', r == '=':
			return r
		}
		return '_'
	}, id)
}

// subject is the data subject whose key seals a mail: its registration, else its account.
func subject(registration, account string) string {
	if registration == "" {
		return account
	}
	return registration
}

func ad(id string) []byte { return []byte("mail\x00" + id) }

// Send keeps m.
func (s *Store) Send(ctx context.Context, m mails.Message) error { return s.put(ctx, m, false, "") }

// Failed records that m could not be delivered.
func (s *Store) Failed(ctx context.Context, m mails.Message, reason string) error {
	return s.put(ctx, m, true, reason)
}

func (s *Store) put(ctx context.Context, m mails.Message, failed bool, reason string) error {
	m = m.Redacted() // a kept mail never holds a credential: the instance's administrator reads them
	plain, err := json.Marshal(sealed{Message: m, Reason: reason})
	if err != nil {
		return err
	}
	if err := natsconn.Up(s.nc); err != nil {
		return err
	}
	box, err := s.sealer.Seal(ctx, subject(string(m.Registration), string(m.Account)), plain, ad(m.ID))
	if err != nil {
		return natsconn.Classify(fmt.Errorf("mailbox: seal %s: %w", m.ID, err))
	}
	data, err := json.Marshal(record{ID: m.ID, Kind: string(m.Kind), Workshop: string(m.Workshop),
		Registration: string(m.Registration), Account: string(m.Account), At: m.At.UTC(), Failed: failed, Sealed: box})
	if err != nil {
		return err
	}
	if _, err := s.kv.Put(ctx, key(m.ID), data); err != nil {
		return natsconn.Classify(fmt.Errorf("mailbox: keep %s: %w", m.ID, err))
	}
	return nil
}

// Mails returns the kept and failed mails, newest first, opened; those of erased people
// with Erased set and no message.
func (s *Store) Mails(ctx context.Context) ([]mails.Kept, error) {
	if err := natsconn.Up(s.nc); err != nil {
		return nil, err
	}
	lister, err := s.kv.ListKeys(ctx)
	if err != nil {
		return nil, natsconn.Classify(fmt.Errorf("mailbox: list: %w", err))
	}
	var out []mails.Kept
	for k := range lister.Keys() {
		e, err := s.kv.Get(ctx, k)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			continue
		}
		if err != nil {
			return nil, natsconn.Classify(fmt.Errorf("mailbox: read %s: %w", k, err))
		}
		var r record
		if err := json.Unmarshal(e.Value(), &r); err != nil {
			return nil, fmt.Errorf("mailbox: %s: %w", k, err)
		}
		kept := mails.Kept{ID: r.ID, Kind: mails.Kind(r.Kind), Workshop: domain.WorkshopID(r.Workshop),
			Registration: domain.RegistrationID(r.Registration), At: r.At, Failed: r.Failed}
		plain, err := s.sealer.Open(ctx, subject(r.Registration, r.Account), r.Sealed, ad(r.ID))
		switch {
		case errors.Is(err, keys.ErrErased):
			kept.Erased = true
		case err != nil:
			return nil, natsconn.Classify(fmt.Errorf("mailbox: open %s: %w", r.ID, err))
		default:
			var sd sealed
			if err := json.Unmarshal(plain, &sd); err != nil {
				return nil, fmt.Errorf("mailbox: %s: %w", k, err)
			}
			kept.Message, kept.Reason = sd.Message, sd.Reason
		}
		out = append(out, kept)
	}
	_ = lister.Stop()
	slices.SortFunc(out, func(a, b mails.Kept) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return out, nil
}
