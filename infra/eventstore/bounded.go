package eventstore

import (
	"container/list"
	"context"
	"crypto/subtle"
	"fmt"
	"hash/maphash"

	"github.com/werkstatt/werkstatt/domain"
)

// What a Store keeps in memory is bounded, so that it does not grow with the log: at most
// Config.MaxCached workshops (and, apart, networks) with their folded state, the least recently
// used idle one evicted first, and per workshop the full answers of its last Config.KeepAnswers
// commands only. Of every older command it keeps what identifies it (a hash of its command id,
// the stream sequence of its commit and a hash of its request); a repeat of one reads its commit
// from the log again. An evicted workshop is folded from the log again on its next use.

const (
	defaultMaxCached   = 2000
	defaultKeepAnswers = 256
)

// answers are the results of the commands folded into one workshop's (or network's) state, for
// idempotency: in full for the recent ones, as an old answer for the others.
type answers struct {
	keep   int
	recent map[string]applied // command id -> first result, for the last keep commands
	order  []string           // the command ids of recent, a ring with the oldest at next
	next   int
	old    map[commandKey]oldAnswer
}

// commandKey is a 128-bit hash of a command id: a collision of two ids of one workshop is as
// likely as guessing a random 128-bit key, and a repeat is checked against its commit's
// headers anyway.
type commandKey [2]uint64

// oldAnswer identifies a command whose answer is no longer kept: its commit's sequence and the
// hash of its request.
type oldAnswer struct {
	seq     uint64
	request uint64
}

// The hash seeds are per process: the hashes never leave memory.
var commandSeeds = [3]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed(), maphash.MakeSeed()}

func keyOf(commandID string) commandKey {
	return commandKey{maphash.String(commandSeeds[0], commandID), maphash.String(commandSeeds[1], commandID)}
}

func fingerprint(request string) uint64 { return maphash.String(commandSeeds[2], request) }

func newAnswers(keep int) answers {
	return answers{keep: keep, recent: map[string]applied{}}
}

// add notes the first result of a command; the oldest recent answer becomes an old one when
// more than keep are kept. A command id folded again (the log may hold it twice) takes the
// later result, as a map of every answer did.
func (a *answers) add(commandID string, r applied) {
	if _, ok := a.recent[commandID]; ok {
		a.recent[commandID] = r
		return
	}
	if len(a.order) < a.keep {
		a.order = append(a.order, commandID)
	} else {
		gone := a.order[a.next]
		g := a.recent[gone]
		delete(a.recent, gone)
		if a.old == nil {
			a.old = map[commandKey]oldAnswer{}
		}
		a.old[keyOf(gone)] = oldAnswer{seq: g.seq, request: fingerprint(g.request)}
		a.order[a.next] = commandID
		a.next = (a.next + 1) % a.keep
	}
	a.recent[commandID] = r
}

// duplicate returns the first result of meta's command if done holds it, or ErrCommandReused if
// done holds the command id with another request. done is workshop id's, or network's when it
// is not "". The answer of an old command is read from the log (its commit at its sequence),
// without personal data.
func (s *Store) duplicate(ctx context.Context, id domain.WorkshopID, network domain.NetworkID, done *answers, meta domain.Meta) (domain.Appended, bool, error) {
	if meta.CommandID == "" {
		return domain.Appended{}, false, nil
	}
	if a, ok := done.recent[meta.CommandID]; ok {
		if subtle.ConstantTimeCompare([]byte(a.request), []byte(meta.Request)) != 1 {
			return domain.Appended{}, false, domain.ErrCommandReused
		}
		return domain.Appended{Seq: a.seq, Events: a.events, Duplicate: true}, true, nil
	}
	o, ok := done.old[keyOf(meta.CommandID)]
	if !ok {
		return domain.Appended{}, false, nil
	}
	if o.request != fingerprint(meta.Request) {
		return domain.Appended{}, false, domain.ErrCommandReused
	}
	subject := s.Subject(id)
	if network != "" {
		subject = s.NetworkSubject(network)
	}
	m, err := s.stream.GetMsg(ctx, o.seq)
	if err != nil {
		return domain.Appended{}, false, fmt.Errorf("eventstore: read the commit of command %s at %d: %w", meta.CommandID, o.seq, err)
	}
	if m.Subject != subject {
		return domain.Appended{}, false, fmt.Errorf("eventstore: the commit of command %s at %d is not on %s", meta.CommandID, o.seq, subject)
	}
	if m.Header.Get(commandHeader) != meta.CommandID {
		return domain.Appended{}, false, nil // another command id with the same hash: not applied
	}
	if subtle.ConstantTimeCompare([]byte(m.Header.Get(requestHeader)), []byte(meta.Request)) != 1 {
		return domain.Appended{}, false, domain.ErrCommandReused
	}
	c, err := s.decodeCommit(ctx, m.Sequence, id, m.Data, false)
	if err != nil {
		return domain.Appended{}, false, err
	}
	events := make([]domain.Event, len(c.events))
	for i, r := range c.events {
		events[i] = r.Event
	}
	return domain.Appended{Seq: m.Sequence, Events: events, Duplicate: true}, true, nil
}

// lru holds a Store's entries of one kind (workshops or networks): at most max of them, unless
// more are in use. An entry is in use while a caller holds it (locked, or waiting in a group
// commit's queue); only idle entries are evicted, the least recently used first. The Store's
// mu guards it.
type lru[K comparable, V any] struct {
	max   int
	items map[K]*slot[V]
	idle  list.List // of K: the idle entries that hold something, the most recently used first
}

type slot[V any] struct {
	val   *V
	users int
	idle  *list.Element // nil while in use
}

func newLRU[K comparable, V any](max int) *lru[K, V] {
	return &lru[K, V]{max: max, items: map[K]*slot[V]{}}
}

// use returns the entry of k, made with fresh if there is none, counted as used.
func (c *lru[K, V]) use(k K, fresh func() *V) *V {
	sl, ok := c.items[k]
	if !ok {
		sl = &slot[V]{val: fresh()}
		c.items[k] = sl
		c.evict()
	}
	if sl.idle != nil {
		c.idle.Remove(sl.idle)
		sl.idle = nil
	}
	sl.users++
	return sl.val
}

// unuse undoes use; empty tells whether the entry held nothing when it was last unlocked: such
// an entry is forgotten at once (ids of workshops that do not exist must not fill memory).
func (c *lru[K, V]) unuse(k K, empty bool) {
	sl := c.items[k]
	sl.users--
	if sl.users > 0 {
		return
	}
	if empty {
		delete(c.items, k)
		return
	}
	sl.idle = c.idle.PushFront(k)
	c.evict()
}

// evict forgets the least recently used idle entries while there are more than max.
func (c *lru[K, V]) evict() {
	for len(c.items) > c.max && c.idle.Len() > 0 {
		k := c.idle.Remove(c.idle.Back()).(K)
		delete(c.items, k)
	}
}

// len returns how many entries are kept.
func (c *lru[K, V]) len() int { return len(c.items) }
