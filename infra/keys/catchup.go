package keys

import (
	"context"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/infra/natsconn"
)

// A catch-up on a long log opens the data key of nearly every person once, mostly keys that are
// not cached: one KV read each (88,000 of them at a million events). While a catch-up runs
// (CatchingUp), the first key not cached makes the Keyring read the whole bucket in one pass
// instead, keeping the keys as stored (wrapped, about 100 B each with the subject) until the
// last catch-up is done; a miss then costs an unwrap, not a round trip.
//
// Erasure stays exact: every eviction (this process's Erase, another's seen by the watch) also
// drops the wrapped key, and one that happens while the bucket is being read is remembered, so
// that the wrapped key read before it is not kept.
type catchUp struct {
	running int                 // catch-ups that said CatchingUp and are not done
	read    bool                // the bucket was read for them (or reading it failed)
	wrapped map[string][]byte   // subject -> wrapped key, as read
	evicted map[string]struct{} // evicted while the bucket was being read
	// generation counts the catch-ups that ended: a read that outlived its catch-up is not
	// kept for the next one, whose evictions it did not see.
	generation uint64
}

// CatchingUp tells the Keyring that the caller is about to open the data of a long stretch of
// the log; done ends that. Calls may overlap.
func (k *Keyring) CatchingUp() (done func()) {
	k.mu.Lock()
	k.catchUp.running++
	k.mu.Unlock()
	return func() {
		k.mu.Lock()
		defer k.mu.Unlock()
		if k.catchUp.running--; k.catchUp.running == 0 {
			k.catchUp = catchUp{generation: k.catchUp.generation + 1}
		}
	}
}

// wrappedKey returns subject's wrapped key from the bucket read in one pass, reading it first
// if a catch-up runs and nobody read it yet; ok is false when there is none to give (no
// catch-up, or the subject has no key in it).
func (k *Keyring) wrappedKey(ctx context.Context, subject string) (wrapped []byte, ok bool) {
	k.mu.Lock()
	if k.catchUp.running == 0 || k.catchUp.read { // the usual cases take no other lock
		wrapped, ok = k.catchUp.wrapped[subject]
		k.mu.Unlock()
		return wrapped, ok
	}
	k.mu.Unlock()
	k.readMu.Lock() // one reads the bucket, the others wait for it
	defer k.readMu.Unlock()
	k.mu.Lock()
	c := &k.catchUp
	if c.running == 0 {
		k.mu.Unlock()
		return nil, false
	}
	if !c.read { // read is set once the read is done: misses meanwhile wait on readMu
		c.evicted = map[string]struct{}{}
		generation := c.generation
		k.mu.Unlock()
		all, err := k.readAll(ctx)
		k.mu.Lock()
		if k.catchUp.running > 0 && k.catchUp.generation == generation {
			if err == nil {
				for s := range k.catchUp.evicted {
					delete(all, s)
				}
				k.catchUp.wrapped = all
			}
			// On an error the keys are read one at a time, as without a catch-up.
			k.catchUp.read = true
			k.catchUp.evicted = nil
		}
	}
	wrapped, ok = k.catchUp.wrapped[subject]
	k.mu.Unlock()
	return wrapped, ok
}

// readAll reads the last value of every key in the bucket: the keys there are (a purged key's
// last message is its purge marker, which is left out).
func (k *Keyring) readAll(ctx context.Context) (map[string][]byte, error) {
	if err := natsconn.Up(k.js.Conn()); err != nil {
		return nil, err
	}
	w, err := k.kv.WatchAll(ctx, jetstream.IgnoreDeletes())
	if err != nil {
		return nil, fmt.Errorf("keys: read the bucket: %w", err)
	}
	defer w.Stop()
	all := map[string][]byte{}
	for {
		select {
		case e := <-w.Updates():
			if e == nil { // the values there were when the watch began are all read
				return all, nil
			}
			all[e.Key()] = e.Value()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// forgetWrapped drops subject's wrapped key (its key was erased), and remembers the eviction
// while the bucket is being read. k.mu is held.
func (k *Keyring) forgetWrapped(subject string) {
	delete(k.catchUp.wrapped, subject)
	if k.catchUp.evicted != nil {
		k.catchUp.evicted[subject] = struct{}{}
	}
}
