package keys

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/infra/natsconn"
)

// Two replicas started without a shared master key each made their own: each wrapped data
// keys the other could not unwrap, and the other's projections retried "stored key does not
// unwrap" for ever while it reported ready. So the bucket keeps a check value of the master key
// (an HMAC under a subkey: it tells nothing about the key), written by the first process to
// open the bucket; a process whose master key gives another value refuses to start.

// checkKey is the check value's entry; no data subject has this name (checkSubject refuses it).
const checkKey = "_werkstatt_master_key_check"

// ErrWrongMasterKey says that the master key is not the one the bucket's data keys are
// wrapped with.
var ErrWrongMasterKey = errors.New("keys: this master key is not the one the key bucket was created with " +
	"(another replica or an earlier start used another key): start every replica with the same " +
	"WERKSTATT_MASTER_KEY, or the master key file of the first start")

// checkValue is the master key's check value.
func (k *Keyring) checkValue() []byte {
	m := hmac.New(sha256.New, k.subkey("check"))
	m.Write([]byte("werkstatt master key check v1"))
	return m.Sum(nil)
}

// verifyMaster compares the bucket's check value with the master key's, writing it when the
// bucket has none yet. A bucket from before check values that holds data keys must unwrap
// one of them first.
func (k *Keyring) verifyMaster(ctx context.Context) error {
	want := k.checkValue()
	for range 2 {
		e, err := k.getNew(ctx, checkKey)
		switch {
		case err == nil:
			if !hmac.Equal(e.Value(), want) {
				return ErrWrongMasterKey
			}
			return nil
		case !errors.Is(err, jetstream.ErrKeyNotFound):
			return natsconn.Classify(fmt.Errorf("keys: read the master key's check value: %w", err))
		}
		if err := k.unwrapsExisting(ctx); err != nil {
			return err
		}
		if _, err := k.kv.Create(ctx, checkKey, want); err == nil {
			return nil
		} else if !errors.Is(err, jetstream.ErrKeyExists) {
			return natsconn.Classify(fmt.Errorf("keys: store the master key's check value: %w", err))
		}
		// Another process wrote it first: compare with theirs.
	}
	return fmt.Errorf("keys: the master key's check value disappeared while it was written")
}

// getNew is kv.Get on a bucket that may have been created a moment ago: on a cluster its
// replicas answer direct gets only once they run the new stream, and until then a read finds
// no responders (a replica starting on a new cluster refused to start so). It asks again for
// up to newBucketWait.
func (k *Keyring) getNew(ctx context.Context, key string) (jetstream.KeyValueEntry, error) {
	deadline := time.Now().Add(newBucketWait)
	for {
		e, err := k.kv.Get(ctx, key)
		if !errors.Is(err, nats.ErrNoResponders) || time.Now().After(deadline) {
			return e, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// newBucketWait bounds how long getNew waits for a new bucket's replicas.
const newBucketWait = 10 * time.Second

// unwrapsExisting checks one data key of a bucket that has no check value yet (written before
// check values existed) against the master key.
func (k *Keyring) unwrapsExisting(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	lister, err := k.kv.ListKeys(ctx)
	if err != nil {
		return natsconn.Classify(fmt.Errorf("keys: list the key bucket: %w", err))
	}
	defer lister.Stop() //nolint:errcheck // only stops the listing
	for subject := range lister.Keys() {
		if subject == checkKey {
			continue
		}
		e, err := k.kv.Get(ctx, subject)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			continue // erased meanwhile
		}
		if err != nil {
			return natsconn.Classify(fmt.Errorf("keys: read key of %s: %w", subject, err))
		}
		if _, err := k.unwrapAndCache(subject, e.Value()); err != nil {
			return ErrWrongMasterKey
		}
		return nil
	}
	return nil
}
