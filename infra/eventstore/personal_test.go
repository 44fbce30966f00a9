package eventstore_test

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/infra/eventstore"
)

func TestPersonalDataIsSealed(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		ctx := testCtx(t)
		s := w.store(t)
		schedule(t, s, "W1", 5)
		c := registration("R1", "Ada Lovelace")
		r, err := register(ctx, s, "W1", c, "cmd-1")
		if err != nil {
			t.Fatalf("register: %v", err)
		}
		raw, err := s.Stream().GetMsg(ctx, r.Seq)
		if err != nil {
			t.Fatalf("get raw message %d: %v", r.Seq, err)
		}
		for _, secret := range []string{"Ada Lovelace", c.Person.Email, "vegan"} {
			if bytes.Contains(raw.Data, []byte(secret)) {
				t.Errorf("raw message contains %q: %s", secret, raw.Data)
			}
		}
		for _, public := range []string{"person_sealed", "Jugendring", c.EmailKey, `"actor":"public"`, `"id":"W1/cmd-1"`} {
			if !bytes.Contains(raw.Data, []byte(public)) {
				t.Errorf("raw message lacks %q: %s", public, raw.Data)
			}
		}
		if got := raw.Header.Get("Werkstatt-Command"); got != "cmd-1" {
			t.Errorf("Werkstatt-Command header: got %q, want %q", got, "cmd-1")
		}

		// Another process decodes with its own keyring.
		other := w.store(t)
		rec := decodeRegistered(t, other, raw.Sequence, raw.Subject, raw.Data)
		if rec.Person == nil || !reflect.DeepEqual(*rec.Person, domain.Person{Name: "Ada Lovelace", Email: c.Person.Email, Dietary: "vegan"}) {
			t.Errorf("decoded person: got %+v, want Ada Lovelace's data", rec.Person)
		}

		if err := w.keyring.Erase(ctx, "R1"); err != nil {
			t.Fatalf("Erase: %v", err)
		}
		fresh := w.store(t) // a cache-free keyring: the erasure must hold everywhere
		rec = decodeRegistered(t, fresh, raw.Sequence, raw.Subject, raw.Data)
		if rec.Person != nil {
			t.Errorf("person after Erase: got %+v, want nil", rec.Person)
		}
		if rec.Organisation != "Jugendring" || rec.EmailKey != c.EmailKey || rec.RegistrationID != "R1" || len(rec.Days) != 2 {
			t.Errorf("other fields after Erase: got %+v, want them kept", rec)
		}
		// The workshop itself never needs the key.
		ws, _, err := fresh.Load(ctx, "W1")
		if err != nil || ws.Registrations["R1"] == nil || ws.Registrations["R1"].Status != domain.Confirmed {
			t.Errorf("Load after Erase: got %+v, %v; want R1 confirmed", ws.Registrations["R1"], err)
		}
	})
}

func decodeRegistered(t *testing.T, s *eventstore.Store, seq uint64, subject string, data []byte) domain.ParticipantRegistered {
	t.Helper()
	recs, err := s.Decode(testCtx(t), seq, subject, data)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if len(recs) != 2 {
		t.Fatalf("Decode: got %d events, want 2", len(recs))
	}
	for _, r := range recs {
		if r.Seq != seq || r.Workshop != "W1" || r.Actor != "public" || !r.At.Equal(at) {
			t.Errorf("recorded: got seq %d workshop %s actor %q at %v; want %d W1 public %v", r.Seq, r.Workshop, r.Actor, r.At, seq, at)
		}
	}
	e, ok := recs[0].Event.(domain.ParticipantRegistered)
	if !ok {
		t.Fatalf("first event: got %T, want domain.ParticipantRegistered", recs[0].Event)
	}
	return e
}

func TestDecodeRejects(t *testing.T) {
	w := newWorld(t, natstest.Embedded(t))
	s := w.store(t)
	ctx := testCtx(t)
	for _, tc := range []struct {
		name, subject, data string
	}{
		{"unknown event", w.cfg.Subjects + ".workshop.W1", `{"id":"x","events":[{"name":"nope.v9","data":{}}]}`},
		{"not JSON", w.cfg.Subjects + ".workshop.W1", `{`},
		{"foreign subject", "elsewhere.W1", `{"id":"x","events":[]}`},
	} {
		if _, err := s.Decode(ctx, 1, tc.subject, []byte(tc.data)); err == nil {
			t.Errorf("%s: got no error, want one", tc.name)
		}
	}
}

// TestErasureLeavesNoPersonInTheLog erases a registration as the API does (append the
// erasure, then delete the key) in a process that had decoded the person before.
func TestErasureLeavesNoPersonInTheLog(t *testing.T) {
	w := newWorld(t, natstest.Embedded(t))
	ctx := testCtx(t)
	keyring := w.newKeyring(t)
	s, err := eventstore.Open(ctx, w.js, w.cfg, keyring)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	schedule(t, s, "W1", 5)
	ada, grace := registration("R1", "Ada Lovelace"), registration("R2", "Grace Hopper")
	for _, c := range []domain.RegisterParticipant{ada, grace} {
		if _, err := register(ctx, s, "W1", c, "cmd-"+string(c.ID)); err != nil {
			t.Fatalf("register %s: %v", c.ID, err)
		}
	}
	if got := replayedPeople(t, s); got["R1"] == nil {
		t.Fatalf("R1 before the erasure: got nil, want Ada (the test needs a decoded copy)")
	}

	res, err := s.Update(ctx, "W1", organiser(""), func(w domain.Workshop) ([]domain.Event, error) {
		return w.Erase(domain.EraseParticipant{RegistrationID: "R1"})
	})
	if err != nil || len(res.Events) == 0 {
		t.Fatalf("erase: got %v, %v; want events", res.Events, err)
	}
	if err := keyring.Erase(ctx, "R1"); err != nil {
		t.Fatalf("Erase key: %v", err)
	}

	for seq := uint64(1); seq <= lastSeq(t, s); seq++ {
		raw, err := s.Stream().GetMsg(ctx, seq)
		if err != nil {
			continue // another subject's gap
		}
		for _, secret := range []string{"Ada Lovelace", ada.Person.Email, "Grace Hopper", grace.Person.Email} {
			if bytes.Contains(raw.Data, []byte(secret)) {
				t.Errorf("raw message %d contains %q in clear: %s", seq, secret, raw.Data)
			}
		}
	}
	for name, store := range map[string]*eventstore.Store{"the erasing process": s, "another process": w.store(t)} {
		got := replayedPeople(t, store)
		if got["R1"] != nil {
			t.Errorf("%s replays R1 as %+v, want nil", name, got["R1"])
		}
		if got["R2"] == nil || got["R2"].Name != "Grace Hopper" {
			t.Errorf("%s replays R2 as %+v, want Grace Hopper kept", name, got["R2"])
		}
	}
	// The store keeps the answers of recent commands for their repeats: a repeat of Ada's
	// registration is recognised, but answers without her.
	again, err := register(ctx, s, "W1", ada, "cmd-R1")
	if err != nil || len(again.Events) == 0 {
		t.Fatalf("repeat Ada's registration: got %v, %v; want the first answer", again.Events, err)
	}
	if r, ok := again.Events[0].(domain.ParticipantRegistered); !ok || r.Person != nil {
		t.Errorf("repeat of an erased registration: got %+v, want its person gone", again.Events[0])
	}
	ws, _, err := w.store(t).Load(ctx, "W1")
	if r := ws.Registrations["R1"]; err != nil || r == nil || !r.Erased || r.Status != domain.Cancelled {
		t.Errorf("Load after the erasure: got %+v, %v; want R1 erased and cancelled", r, err)
	}
}

// replayedPeople replays s and returns the person of every registration (nil when erased).
func replayedPeople(t *testing.T, s *eventstore.Store) map[domain.RegistrationID]*domain.Person {
	t.Helper()
	people := map[domain.RegistrationID]*domain.Person{}
	if err := s.Replay(testCtx(t), 1, func(batch []domain.Recorded) error {
		for _, r := range batch {
			if e, ok := r.Event.(domain.ParticipantRegistered); ok {
				people[e.RegistrationID] = e.Person
			}
		}
		return nil
	}); err != nil {
		t.Fatalf("Replay: %v", err)
	}
	return people
}
