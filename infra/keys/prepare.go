package keys

import (
	"context"
	"crypto/rand"
	"fmt"
	"strconv"
	"sync"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/infra/natsconn"
)

// enableBatches lets the key bucket's stream take atomic batches, so that Prepare writes the
// keys of many people with one flush. A server or bucket that cannot leaves Prepare writing
// them one by one (concurrently).
func (k *Keyring) enableBatches(ctx context.Context, bucket string) {
	stream, err := k.js.Stream(ctx, "KV_"+bucket)
	if err != nil {
		return
	}
	cfg := stream.CachedInfo().Config
	if cfg.Mirror != nil || len(cfg.Subjects) != 1 || cfg.Subjects[0] != "$KV."+bucket+".>" {
		return
	}
	if !cfg.AllowAtomicPublish {
		cfg.AllowAtomicPublish = true
		if _, err := k.js.UpdateStream(ctx, cfg); err != nil {
			return
		}
	}
	k.putPrefix = "$KV." + bucket + "."
}

// maxKeyBatch bounds the keys of one atomic batch (the server takes up to 1000 messages).
const maxKeyBatch = 500

// Prepare makes sure that each subject has a data key, writing the missing ones together: as
// one atomic batch into the bucket (one flush on the server), each only if the subject has no
// key yet. When the batch is refused (a subject got a key meanwhile, or the bucket takes no
// batches), the keys are created one by one, concurrently, as Seal creates them. Seal of a
// prepared subject then needs no write.
func (k *Keyring) Prepare(ctx context.Context, subjects []string) error {
	var missing []string
	seen := map[string]bool{}
	for _, s := range subjects {
		if err := checkSubject(s); err != nil {
			return err
		}
		if !seen[s] && k.cached(s) == nil {
			seen[s] = true
			missing = append(missing, s)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if err := natsconn.Up(k.js.Conn()); err != nil {
		return err
	}
	if len(missing) > 1 && len(missing) <= maxKeyBatch && k.putPrefix != "" {
		if err := k.createBatch(ctx, missing); err == nil {
			return nil
		}
	}
	errs := make([]error, len(missing))
	var wg sync.WaitGroup
	for i, s := range missing {
		wg.Go(func() { _, errs[i] = k.key(ctx, s, true) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// StageKeys makes new data keys for those of subjects that have none in this process, so that
// a group's personal data can be sealed while its keys are written: seal seals for any of
// subjects (with a new key, or the one known here), and write stores the new keys as one atomic
// batch, each only if its subject has no key yet, and makes them everyone's once acknowledged.
// Nothing sealed with a new key may be stored before write succeeded; when write fails (a
// subject got a key meanwhile), seal again after Prepare. ok is false when there is nothing to
// stage this way (fewer than two new keys, or a bucket that takes no batches): use Prepare.
func (k *Keyring) StageKeys(subjects []string) (seal func(subject string, plaintext, ad []byte) ([]byte, error), write func(context.Context) error, ok bool, err error) {
	known := map[string]*dataKey{}
	var missing []string
	for _, s := range subjects {
		if err := checkSubject(s); err != nil {
			return nil, nil, false, err
		}
		if _, seen := known[s]; seen {
			continue
		}
		known[s] = k.cached(s)
		if known[s] == nil {
			missing = append(missing, s)
		}
	}
	if len(missing) < 2 || len(missing) > maxKeyBatch || k.putPrefix == "" {
		return nil, nil, false, nil
	}
	raws := make([][]byte, len(missing))
	made := make([]*dataKey, len(missing))
	for i, s := range missing {
		raws[i] = make([]byte, idSize+keySize)
		if _, err := rand.Read(raws[i]); err != nil {
			return nil, nil, false, fmt.Errorf("keys: new key: %w", err)
		}
		aead, err := newAEAD(raws[i][idSize:])
		if err != nil {
			return nil, nil, false, err
		}
		dk := &dataKey{aead: aead}
		copy(dk.id[:], raws[i][:idSize])
		known[s], made[i] = dk, dk
	}
	seal = func(subject string, plaintext, ad []byte) ([]byte, error) {
		dk := known[subject]
		if dk == nil {
			return nil, fmt.Errorf("keys: no staged key for %s", subject)
		}
		return sealWith(dk, plaintext, ad)
	}
	write = func(ctx context.Context) error {
		if err := natsconn.Up(k.js.Conn()); err != nil {
			return err
		}
		return k.writeBatch(ctx, missing, raws, made)
	}
	return seal, write, true, nil
}

// createBatch writes new keys for subjects as one atomic batch, each expecting that its subject
// holds nothing, and caches them once the batch is acknowledged.
func (k *Keyring) createBatch(ctx context.Context, subjects []string) error {
	raws := make([][]byte, len(subjects))
	for i := range subjects {
		raws[i] = make([]byte, idSize+keySize)
		if _, err := rand.Read(raws[i]); err != nil {
			return fmt.Errorf("keys: new key: %w", err)
		}
	}
	return k.writeBatch(ctx, subjects, raws, nil)
}

// writeBatch writes the keys raws of subjects as one atomic batch, each expecting that its
// subject holds nothing, and caches them once the batch is acknowledged: made, when not nil,
// are the keys made of raws already.
func (k *Keyring) writeBatch(ctx context.Context, subjects []string, raws [][]byte, made []*dataKey) error {
	msgs := make([]*nats.Msg, len(subjects))
	batch := rand.Text()
	for i, s := range subjects {
		wrapped, err := k.wrapKey(s, raws[i])
		if err != nil {
			return err
		}
		m := &nats.Msg{Subject: k.putPrefix + s, Data: wrapped, Header: nats.Header{}}
		m.Header.Set(jetstream.ExpectedLastSubjSeqHeader, "0")
		m.Header.Set("Nats-Batch-Id", batch)
		m.Header.Set("Nats-Batch-Sequence", strconv.Itoa(i+1))
		msgs[i] = m
	}
	last := msgs[len(msgs)-1]
	last.Header.Set("Nats-Batch-Commit", "1")
	nc := k.js.Conn()
	for _, m := range msgs[:len(msgs)-1] {
		if err := nc.PublishMsg(m); err != nil {
			return err
		}
	}
	if _, err := k.js.PublishMsg(ctx, last); err != nil {
		return err
	}
	for i, s := range subjects {
		if made != nil {
			k.remember(s, made[i])
		} else if _, err := k.toKeyAndCache(s, raws[i]); err != nil {
			return err
		}
	}
	return nil
}
