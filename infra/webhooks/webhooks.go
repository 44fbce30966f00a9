// Package webhooks keeps the webhooks' delivery progress in a JetStream KV bucket that every
// replica shares: which deliveries their receivers accepted (so that a commit tried again does
// not post twice to them) and the last attempts of each webhook (for its list). Neither holds
// personal data: ids, event types, times, statuses.
package webhooks

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/natsconn"
	"github.com/werkstatt/werkstatt/webhooks"
)

// Kept is how many attempts the list of a webhook keeps.
const Kept = 20

// sentFor is how long a delivered message is remembered: longer than the outbox tries a commit.
const sentFor = 7 * 24 * time.Hour

// Store is a webhooks.Log.
type Store struct {
	nc *nats.Conn
	kv jetstream.KeyValue
}

// Open opens (creating if needed) the bucket.
func Open(ctx context.Context, js jetstream.JetStream, bucket string, replicas int) (*Store, error) {
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      bucket,
		Description: "Werkstatt webhook deliveries: which receivers accepted what, and each webhook's last attempts",
		Storage:     jetstream.FileStorage,
		Replicas:    max(replicas, 1),
		// Per-key TTLs forget the delivered marks after a week; the lists are kept.
		LimitMarkerTTL: time.Minute,
	})
	if err != nil {
		return nil, fmt.Errorf("webhooks: bucket %s: %w", bucket, err)
	}
	return &Store{nc: js.Conn(), kv: kv}, nil
}

// hashed turns any id into a bucket key's token (KV keys allow letters, digits and -/_=.).
func hashed(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:16])
}

func sentKey(messageID string) string      { return "sent." + hashed(messageID) }
func listKey(hook domain.WebhookID) string { return "list." + hashed(string(hook)) }

// Delivered reports whether the receiver accepted message messageID.
func (s *Store) Delivered(ctx context.Context, messageID string) (bool, error) {
	if err := natsconn.Up(s.nc); err != nil {
		return false, err
	}
	_, err := s.kv.Get(ctx, sentKey(messageID))
	switch {
	case errors.Is(err, jetstream.ErrKeyNotFound):
		return false, nil
	case err != nil:
		return false, natsconn.Classify(fmt.Errorf("webhooks: read %s: %w", messageID, err))
	}
	return true, nil
}

// Record adds a to its webhook's last attempts and, when delivered, remembers that.
func (s *Store) Record(ctx context.Context, a webhooks.Attempt) error {
	if err := natsconn.Up(s.nc); err != nil {
		return err
	}
	if a.Delivered {
		if _, err := s.kv.Create(ctx, sentKey(a.MessageID), []byte(a.At.Format(time.RFC3339)), jetstream.KeyTTL(sentFor)); err != nil &&
			!errors.Is(err, jetstream.ErrKeyExists) {
			return natsconn.Classify(fmt.Errorf("webhooks: mark %s delivered: %w", a.MessageID, err))
		}
	}
	key := listKey(a.Webhook)
	// Replicas may record attempts of one webhook at once: compare and set, then again.
	for try := range 100 {
		if try > 0 {
			// Back off a little, randomly, so that racing replicas take turns.
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Duration(rand.IntN(10*min(try, 10))+1) * time.Millisecond):
			}
		}
		list, rev, err := s.list(ctx, key)
		if err != nil {
			return err
		}
		list = append([]webhooks.Attempt{a}, list...)
		slices.SortStableFunc(list, func(x, y webhooks.Attempt) int { return y.At.Compare(x.At) })
		if len(list) > Kept {
			list = list[:Kept]
		}
		b, err := json.Marshal(list)
		if err != nil {
			return err
		}
		if rev == 0 {
			_, err = s.kv.Create(ctx, key, b)
		} else {
			_, err = s.kv.Update(ctx, key, b, rev)
		}
		if err == nil {
			return nil
		}
		if !errors.Is(err, jetstream.ErrKeyExists) && !isWrongSequence(err) {
			return natsconn.Classify(fmt.Errorf("webhooks: record %s: %w", a.MessageID, err))
		}
	}
	return fmt.Errorf("webhooks: record %s: the list kept changing", a.MessageID)
}

// isWrongSequence reports whether an update lost the race for its revision.
func isWrongSequence(err error) bool {
	var apiErr *jetstream.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence
}

// Attempts returns the webhook's last attempts, newest first.
func (s *Store) Attempts(ctx context.Context, hook domain.WebhookID) ([]webhooks.Attempt, error) {
	if err := natsconn.Up(s.nc); err != nil {
		return nil, err
	}
	list, _, err := s.list(ctx, listKey(hook))
	for i := range list {
		list[i].Webhook = hook
	}
	return list, err
}

func (s *Store) list(ctx context.Context, key string) ([]webhooks.Attempt, uint64, error) {
	e, err := s.kv.Get(ctx, key)
	switch {
	case errors.Is(err, jetstream.ErrKeyNotFound):
		return nil, 0, nil
	case err != nil:
		return nil, 0, natsconn.Classify(fmt.Errorf("webhooks: read %s: %w", key, err))
	}
	var list []webhooks.Attempt
	if err := json.Unmarshal(e.Value(), &list); err != nil {
		return nil, 0, fmt.Errorf("webhooks: read %s: %w", key, err)
	}
	slices.SortStableFunc(list, func(a, b webhooks.Attempt) int { return b.At.Compare(a.At) })
	return list, e.Revision(), nil
}
