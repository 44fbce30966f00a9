package mailbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/infra/natsconn"
)

// SentFor is how long a sent mail is remembered: longer than the outbox tries a commit.
const SentFor = 8 * 24 * time.Hour

// Sent remembers which mails the SMTP server accepted, by Message-ID, in a JetStream KV bucket
// every replica shares. JetStream writes a consumer's acknowledgements to disk a few times a
// second, not each one, so after a hard crash the commits of the last moments come again; the
// outbox asks here first and does not send a mail twice. It holds no personal data: hashed
// Message-IDs only. *Sent implements mails.SentLog.
type Sent struct {
	nc *nats.Conn
	kv jetstream.KeyValue
}

// OpenSent opens (creating if needed) the bucket of sent mails.
func OpenSent(ctx context.Context, js jetstream.JetStream, bucket string, replicas int) (*Sent, error) {
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      bucket,
		Description: "Werkstatt: the Message-IDs of mails the SMTP server accepted (hashed), for a week",
		Storage:     jetstream.FileStorage,
		Replicas:    max(replicas, 1),
		TTL:         SentFor,
	})
	if err != nil {
		return nil, fmt.Errorf("mailbox: bucket %s: %w", bucket, err)
	}
	return &Sent{nc: js.Conn(), kv: kv}, nil
}

// sentKey turns a Message-ID into a key (KV keys allow letters, digits and -/_=.).
func sentKey(id string) string {
	sum := sha256.Sum256([]byte(id))
	return "sent." + hex.EncodeToString(sum[:16])
}

// WasSent reports whether the mail with Message-ID id was accepted before.
func (s *Sent) WasSent(ctx context.Context, id string) (bool, error) {
	if err := natsconn.Up(s.nc); err != nil {
		return false, err
	}
	_, err := s.kv.Get(ctx, sentKey(id))
	switch {
	case errors.Is(err, jetstream.ErrKeyNotFound):
		return false, nil
	case err != nil:
		return false, natsconn.Classify(fmt.Errorf("mailbox: read sent %s: %w", id, err))
	}
	return true, nil
}

// MarkSent remembers that the mail with Message-ID id was accepted.
func (s *Sent) MarkSent(ctx context.Context, id string) error {
	if err := natsconn.Up(s.nc); err != nil {
		return err
	}
	if _, err := s.kv.Put(ctx, sentKey(id), nil); err != nil {
		return natsconn.Classify(fmt.Errorf("mailbox: mark sent %s: %w", id, err))
	}
	return nil
}
