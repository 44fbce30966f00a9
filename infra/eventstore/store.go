// Package eventstore keeps Werkstatt's events in NATS JetStream: one stream, one subject per
// workshop, one message per decision. The append is the commit: a message is published with
// the workshop's last stream sequence as its expectation, so two concurrent decisions on one
// workshop cannot both land.
package eventstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/natsconn"
)

// Config names the stream. The zero value is the default configuration.
type Config struct {
	Stream   string // default "WERKSTATT"
	Subjects string // subject prefix, default "werkstatt.events"
	Replicas int    // default 1
	// GroupCommit lets commands on one workshop that arrive while an append is in flight be
	// decided one after the other and appended together as one atomic batch (one flush).
	// Off by default: see Store.Update.
	GroupCommit bool
	// MaxCached bounds the workshops whose folded state the Store keeps in memory (and, apart,
	// the networks): the least recently used idle one is evicted and folded from the log again
	// on its next use. Default 2000.
	MaxCached int
	// KeepAnswers is how many of a workshop's (or network's) most recent commands keep their
	// full answer (their events) for repeats; an older command's repeat reads its commit from
	// the log again. Default 256.
	KeepAnswers int
}

func (c Config) withDefaults() Config {
	if c.Stream == "" {
		c.Stream = "WERKSTATT"
	}
	if c.Subjects == "" {
		c.Subjects = "werkstatt.events"
	}
	if c.Replicas < 1 {
		c.Replicas = 1
	}
	if c.MaxCached < 1 {
		c.MaxCached = defaultMaxCached
	}
	if c.KeepAnswers < 1 {
		c.KeepAnswers = defaultKeepAnswers
	}
	return c
}

// streamConfig is the stream docs/architecture.md ("Decisions") describes: nothing is ever
// dropped or deleted, and the dedup window backs idempotent commands.
func (c Config) streamConfig() jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:              c.Stream,
		Description:       "Werkstatt events: one subject per workshop, one message per decision",
		Subjects:          []string{c.Subjects + ".>"},
		Storage:           jetstream.FileStorage,
		Retention:         jetstream.LimitsPolicy,
		Discard:           jetstream.DiscardNew,
		MaxMsgs:           -1,
		MaxBytes:          -1,
		MaxMsgsPerSubject: -1,
		MaxAge:            0, // an emptied subject would accept "expected 0" again
		Duplicates:        2 * time.Minute,
		DenyDelete:        true,
		DenyPurge:         true,
		AllowDirect:       true,
		// Group commit appends the commits of several commands as one atomic batch; an existing
		// stream gets the setting on the next start (an update keeps its messages).
		AllowAtomicPublish: true,
		Replicas:           c.Replicas,
	}
}

// Sealer encrypts personal data per data subject; *keys.Keyring implements it. Open returns
// an error matching keys.ErrErased when the subject's key is gone.
type Sealer interface {
	Seal(ctx context.Context, subject string, plaintext, ad []byte) ([]byte, error)
	Open(ctx context.Context, subject string, sealed, ad []byte) ([]byte, error)
}

// bulkKeys is a Sealer that reads all its keys in one go while the caller opens a long stretch
// of the log: *keys.Keyring.
type bulkKeys interface {
	CatchingUp() (done func())
}

// longCatchUp is how many commits make a stretch of the log long enough to read the keys in
// bulk for: a person's key is opened about once in ten commits of a series.
const longCatchUp = 10_000

// catchingUp tells the sealer, when it reads keys in bulk, that commits from..last are about to
// be opened, if they are many; the function it returns ends that.
func (s *Store) catchingUp(from, last uint64) (done func()) {
	b, ok := s.sealer.(bulkKeys)
	if !ok || last < from+longCatchUp {
		return func() {}
	}
	return sync.OnceFunc(b.CatchingUp())
}

// Store is the event store. It keeps the workshops it used recently in memory with the stream
// sequence each reflects, so that a command usually costs one publish (bounded.go bounds them). Several Stores (one per
// process) may share a stream. A Store is safe for concurrent use.
type Store struct {
	js     jetstream.JetStream
	stream jetstream.Stream
	cfg    Config
	sealer Sealer

	mu        sync.Mutex
	workshops *lru[domain.WorkshopID, entry]
	networks  *lru[domain.NetworkID, networkEntry]

	batches chan struct{} // bounds the atomic batches in flight (the server allows 50 per stream)
	grouped groupCounts
	// commands counts the workshop commands by outcome (CommandStats).
	commands commandCounts
}

// entry is one workshop as this Store knows it.
type entry struct {
	mu    sync.Mutex // serialises commands on the workshop within this process
	state domain.Workshop
	seq   uint64  // stream sequence of the last commit folded into state
	done  answers // the commands of the commits folded, for idempotency

	qmu     sync.Mutex // guards queue and leading (group commit)
	queue   []*request // commands waiting for the next group
	leading bool       // a caller is deciding and appending groups

	inflight *flight   // a group being appended (group commit), guarded by mu: see settle
	foreign  time.Time // when a catch-up last folded another writer's commit, or an append met one
}

// reset forgets what e holds, as if it had been evicted: its next use reads the log again.
func (e *entry) reset() {
	e.state, e.seq, e.done = domain.Workshop{}, 0, newAnswers(e.done.keep)
}

type applied struct {
	seq     uint64
	events  []domain.Event
	request string // Meta.Request of the command
}

// Open creates or updates the stream and returns a Store over it. sealer may be nil only
// if no event with personal data is ever appended or decoded.
func Open(ctx context.Context, js jetstream.JetStream, cfg Config, sealer Sealer) (*Store, error) {
	cfg = cfg.withDefaults()
	stream, err := js.CreateOrUpdateStream(ctx, cfg.streamConfig())
	if err != nil {
		return nil, fmt.Errorf("eventstore: stream %s: %w", cfg.Stream, err)
	}
	return &Store{js: js, stream: stream, cfg: cfg, sealer: sealer,
		workshops: newLRU[domain.WorkshopID, entry](cfg.MaxCached),
		networks:  newLRU[domain.NetworkID, networkEntry](cfg.MaxCached),
		batches:   make(chan struct{}, maxBatchesInFlight)}, nil
}

// Stream returns the JetStream stream that holds the events.
func (s *Store) Stream() jetstream.Stream { return s.stream }

// LastSeq returns the stream's last sequence, 0 if it is empty.
// An unreachable server is domain.ErrUnavailable.
func (s *Store) LastSeq(ctx context.Context) (uint64, error) {
	if err := natsconn.Up(s.js.Conn()); err != nil {
		return 0, err
	}
	info, err := s.stream.Info(ctx)
	if err != nil {
		return 0, natsconn.Classify(fmt.Errorf("eventstore: stream info: %w", err))
	}
	return info.State.LastSeq, nil
}

// Subject returns the subject of a workshop's events.
func (s *Store) Subject(id domain.WorkshopID) string {
	return s.cfg.Subjects + ".workshop." + string(id)
}

// workshopOf returns the workshop id of a subject: "" for a network's subject, whose events
// concern no workshop (the read models pass them by).
func (s *Store) workshopOf(subject string) (domain.WorkshopID, error) {
	if _, ok := s.networkOf(subject); ok {
		return "", nil
	}
	id, ok := strings.CutPrefix(subject, s.cfg.Subjects+".workshop.")
	if !ok || id == "" || strings.Contains(id, ".") {
		return "", fmt.Errorf("eventstore: %q is not a workshop subject", subject)
	}
	return domain.WorkshopID(id), nil
}

// checkID rejects ids that are not one subject token.
func checkID(id domain.WorkshopID) error {
	if id == "" || strings.ContainsAny(string(id), ".*> \t\r\n") {
		return fmt.Errorf("%w: workshop id %q is not a single subject token", domain.ErrInvalid, id)
	}
	return nil
}

// acquire returns the workshop's entry, locked, with its group in flight settled.
func (s *Store) acquire(id domain.WorkshopID) *entry {
	e := s.use(id)
	e.mu.Lock()
	s.settle(id, e)
	return e
}

// use returns the workshop's entry, counted as used but not locked; release it with unuse.
func (s *Store) use(id domain.WorkshopID) *entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.workshops.use(id, func() *entry { return &entry{done: newAnswers(s.cfg.KeepAnswers)} })
}

// release unlocks e, and forgets it when it holds nothing: ids of workshops that do not
// exist must not fill memory.
func (s *Store) release(id domain.WorkshopID, e *entry) {
	empty := e.seq == 0
	e.mu.Unlock()
	s.unuse(id, empty)
}

// unuse undoes use; empty tells whether the entry held nothing when it was last unlocked.
func (s *Store) unuse(id domain.WorkshopID, empty bool) {
	s.mu.Lock()
	s.workshops.unuse(id, empty)
	s.mu.Unlock()
}

// Cached returns how many workshops the Store keeps in memory.
func (s *Store) Cached() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.workshops.len()
}

// Load returns the workshop as the stream holds it now and the sequence of its last commit.
// A workshop that was never scheduled is the zero Workshop with sequence 0. An unreachable
// server is domain.ErrUnavailable.
func (s *Store) Load(ctx context.Context, id domain.WorkshopID) (domain.Workshop, uint64, error) {
	if err := checkID(id); err != nil {
		return domain.Workshop{}, 0, err
	}
	if err := natsconn.Up(s.js.Conn()); err != nil {
		return domain.Workshop{}, 0, err
	}
	e := s.acquire(id)
	defer s.release(id, e)
	if err := s.catchUp(ctx, id, e); err != nil {
		return domain.Workshop{}, 0, natsconn.Classify(err)
	}
	return e.state.Clone(), e.seq, nil
}

// fold applies one decoded commit to e.
func (e *entry) fold(seq uint64, commandID, request string, events []domain.Event) {
	for _, ev := range events {
		e.state = e.state.Evolve(ev)
	}
	e.record(seq, commandID, request, events)
}

// record notes that the commit at seq, already evolved into e.state, is folded.
func (e *entry) record(seq uint64, commandID, request string, events []domain.Event) {
	e.seq = seq
	if commandID != "" {
		e.done.add(commandID, applied{seq: seq, events: events, request: request})
	}
	for _, ev := range events {
		switch ev := ev.(type) {
		case domain.PersonalDataErased:
			e.forget(ev.RegistrationID, true)
		case domain.ReducedToEvidence:
			e.forget(ev.RegistrationID, false)
		}
	}
}

// forget drops the person of registration id from the answers kept for repeated commands: no
// decrypted copy may outlive the key. A repeat of the registration then answers without them.
// With evidence, the evidence a hold kept (ReducedToEvidence) goes too. Old answers hold no
// events: a repeat reads them from the log without personal data.
func (e *entry) forget(id domain.RegistrationID, evidence bool) {
	for cmd, a := range e.done.recent {
		for i, ev := range a.events {
			var without domain.Event
			switch r := ev.(type) {
			case domain.ParticipantRegistered:
				if r.RegistrationID == id && r.Person != nil {
					without = r.WithPerson(nil)
				}
			case domain.RegistrationChanged:
				if r.RegistrationID == id && r.Person != nil {
					without = r.WithPerson(nil)
				}
			case domain.ReducedToEvidence:
				if evidence && r.RegistrationID == id && r.Person != nil {
					without = r.WithPerson(nil)
				}
			}
			if without != nil {
				a.events = slices.Clone(a.events) // the slice may be shared with a caller's Result
				a.events[i] = without
				e.done.recent[cmd] = a
			}
		}
	}
}
