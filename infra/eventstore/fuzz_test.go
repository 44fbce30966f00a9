package eventstore_test

import (
	"context"
	"crypto/rand"
	"reflect"
	"sync/atomic"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/infra/keys"
)

// FuzzDecode feeds any bytes to the event decoder, as a stream message and as a subscriber's
// batch: it must decode them or return an error, never panic. The seeds are the messages a
// realistic workshop writes (personal data sealed, a cancellation, an erasure).
func FuzzDecode(f *testing.F) {
	ctx := context.Background()
	js := natstest.Embedded(f).JetStream(f)
	master := make([]byte, 32)
	rand.Read(master)
	keyring, err := keys.Open(ctx, js, "FUZZ_KEYS", master, 1)
	if err != nil {
		f.Fatalf("keyring: %v", err)
	}
	f.Cleanup(func() { keyring.Close() })
	s, err := eventstore.Open(ctx, js, eventstore.Config{}, keyring)
	if err != nil {
		f.Fatalf("store: %v", err)
	}
	for _, decide := range fuzzWorkshop() {
		r, err := s.Update(ctx, "W1", organiser(""), decide)
		if err != nil {
			f.Fatalf("seed the workshop: %v", err)
		}
		raw, err := s.Stream().GetMsg(ctx, r.Seq)
		if err != nil {
			f.Fatalf("message %d: %v", r.Seq, err)
		}
		f.Add(raw.Subject, raw.Data)
	}
	if err := keyring.Erase(ctx, "R3"); err != nil {
		f.Fatalf("erase R3's key: %v", err)
	}
	f.Add("werkstatt.events.workshop.W2", []byte(`{"id":"x","events":[{"name":"registration.registered.v1","v":1,"data":{"person_sealed":"AAAA"}}]}`))
	f.Add("werkstatt.events.workshop.", []byte(`{"events":[{"name":"nope"}]}`))
	f.Add("werkstatt.events.workshop.W1", []byte(`null`))

	var seq atomic.Uint64
	seq.Store(1 << 40)
	f.Fuzz(func(t *testing.T, subject string, data []byte) {
		n := seq.Add(1)
		// Whatever the one-pass decoder takes, the generic one decodes to the same events.
		if onePass, generic, err, genericErr := eventstore.DecodeTwoWays(ctx, s, n, subject, data); err == nil &&
			(genericErr != nil || !reflect.DeepEqual(onePass, generic)) {
			t.Fatalf("%q: one pass %+v, generic %+v (%v)", data, onePass, generic, genericErr)
		}
		if events, err := s.Decode(ctx, n, subject, data); err == nil {
			for _, e := range events {
				if e.Event == nil {
					t.Fatalf("Decode(%q, %q): an event without a value", subject, data)
				}
			}
		}
	})
}

// fuzzWorkshop is the decisions behind FuzzDecode's seeds, each one commit.
func fuzzWorkshop() []func(domain.Workshop) ([]domain.Event, error) {
	reg := func(id domain.RegistrationID, name string) func(domain.Workshop) ([]domain.Event, error) {
		return func(w domain.Workshop) ([]domain.Event, error) { return w.Register(registration(id, name)) }
	}
	return []func(domain.Workshop) ([]domain.Event, error){
		func(w domain.Workshop) ([]domain.Event, error) {
			return w.Schedule(domain.ScheduleWorkshop{ID: "W1", Title: "Werkstatt Nord", Series: "Nord", Venue: "Kiel", Days: days, Capacity: 2})
		},
		func(w domain.Workshop) ([]domain.Event, error) {
			return w.Plan(domain.PlanSession{Session: domain.Session{ID: "S1", Title: "Begrüßung", Kind: domain.Keynote,
				Day: days[0], Starts: "09:30", Ends: "10:00", Room: "Saal 1", Speakers: []string{"Dr. Meier"}}})
		},
		reg("R1", "Ada Lovelace"),
		reg("R2", "Grace Hopper"),
		reg("R3", "Jörg Weiß"), // waitlisted
		func(w domain.Workshop) ([]domain.Event, error) { return w.CancelRegistration("R1") },
		func(w domain.Workshop) ([]domain.Event, error) {
			return w.Erase(domain.EraseParticipant{RegistrationID: "R3"})
		},
	}
}
