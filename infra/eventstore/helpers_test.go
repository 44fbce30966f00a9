package eventstore_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/infra/keys"
)

func TestMain(m *testing.M) { natstest.Main(m) }

var names atomic.Int64

// world is one test's stream and key bucket on one server; tests sharing the server process
// use their own names.
type world struct {
	srv     *natstest.Server
	js      jetstream.JetStream
	cfg     eventstore.Config
	keyring *keys.Keyring
	bucket  string
	master  []byte
}

func newWorld(t *testing.T, srv *natstest.Server) *world {
	t.Helper()
	n := names.Add(1)
	w := &world{srv: srv, js: srv.JetStream(t), bucket: fmt.Sprintf("KEYS_%d", n), master: make([]byte, 32),
		cfg: eventstore.Config{Stream: fmt.Sprintf("EVENTS_%d", n), Subjects: fmt.Sprintf("test%d.events", n)}}
	rand.Read(w.master)
	w.keyring = w.newKeyring(t)
	return w
}

func (w *world) newKeyring(t *testing.T) *keys.Keyring {
	t.Helper()
	k, err := keys.Open(context.Background(), w.js, w.bucket, w.master, 1)
	if err != nil {
		t.Fatalf("open keyring: %v", err)
	}
	t.Cleanup(func() { k.Close() })
	return k
}

// store opens a Store as another process would: its own connection, keyring and cache.
func (w *world) store(t *testing.T) *eventstore.Store {
	t.Helper()
	return w.storeWith(t, w.cfg)
}

// storeWith is store with another configuration of the same stream.
func (w *world) storeWith(t *testing.T, cfg eventstore.Config) *eventstore.Store {
	t.Helper()
	js := w.srv.JetStream(t)
	k, err := keys.Open(context.Background(), js, w.bucket, w.master, 1)
	if err != nil {
		t.Fatalf("open keyring: %v", err)
	}
	t.Cleanup(func() { k.Close() })
	s, err := eventstore.Open(context.Background(), js, cfg, k)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	return s
}

// eachServer runs test against the embedded server and a nats-server process.
func eachServer(t *testing.T, test func(t *testing.T, w *world)) {
	for _, srv := range natstest.Servers(t) {
		t.Run(srv.Name, func(t *testing.T) { test(t, newWorld(t, srv)) })
	}
}

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

var at = time.Date(2026, 11, 1, 9, 30, 0, 0, time.UTC)

func organiser(commandID string) domain.Meta {
	return domain.Meta{Actor: "organiser", At: at, CommandID: commandID}
}

var days = []domain.Day{"2026-11-16", "2026-11-17"}

func schedule(t *testing.T, s *eventstore.Store, id domain.WorkshopID, capacity int) domain.Appended {
	t.Helper()
	r, err := s.Update(testCtx(t), id, organiser(""), func(w domain.Workshop) ([]domain.Event, error) {
		return w.Schedule(domain.ScheduleWorkshop{ID: id, Title: "Werkstatt Nord", Venue: "Kiel", Days: days, Capacity: capacity})
	})
	if err != nil {
		t.Fatalf("schedule %s: %v", id, err)
	}
	return r
}

func registration(rid domain.RegistrationID, name string) domain.RegisterParticipant {
	return domain.RegisterParticipant{
		ID: rid, Person: domain.Person{Name: name, Email: string(rid) + "@example.org", Dietary: "vegan"},
		EmailKey: "key-" + string(rid), Organisation: "Jugendring", Consent: true, TokenHash: "hash-" + string(rid),
	}
}

func register(ctx context.Context, s *eventstore.Store, id domain.WorkshopID, c domain.RegisterParticipant, commandID string) (domain.Appended, error) {
	meta := domain.Meta{Actor: "public", At: at, CommandID: commandID}
	return s.Update(ctx, id, meta, func(w domain.Workshop) ([]domain.Event, error) { return w.Register(c) })
}

func lastSeq(t *testing.T, s *eventstore.Store) uint64 {
	t.Helper()
	seq, err := s.LastSeq(testCtx(t))
	if err != nil {
		t.Fatalf("LastSeq: %v", err)
	}
	return seq
}

func eventNames(events []domain.Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.Name()
	}
	return out
}

var benchMaster = make([]byte, 32)

func benchKeyring(b *testing.B, srv *natstest.Server) *keys.Keyring {
	b.Helper()
	k, err := keys.Open(b.Context(), srv.JetStream(b), "BENCHKEYS", benchMaster, 1)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { k.Close() })
	return k
}
