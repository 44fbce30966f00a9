package eventstore

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	jsonv2 "github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/keys"
)

// envelopeVersion is the "v" of every stored event: the layout of the envelope, not of the
// event (event names carry their own version).
const envelopeVersion = 1

// commitBody is the JSON of one message: the events of one decision.
type commitBody struct {
	ID     string           `json:"id"` // the Nats-Msg-Id; sealed fields use it as additional data
	Events []storedEnvelope `json:"events"`
}

type storedEnvelope struct {
	Name  string          `json:"name"`
	V     int             `json:"v"`
	At    time.Time       `json:"at"`
	Actor string          `json:"actor"`
	Data  json.RawMessage `json:"data"`
}

// sealedField is where a Personal event's "person" goes once sealed.
type sealedField struct {
	PersonSealed []byte `json:"person_sealed"` // base64 in JSON
}

// sealAD is the additional data that binds a sealed person to its event: a sealed value
// copied into another event does not open.
func sealAD(msgID string, index int) []byte {
	return []byte(msgID + "/" + strconv.Itoa(index))
}

// encodeCommit marshals the events of one decision, sealing personal data.
func (s *Store) encodeCommit(ctx context.Context, msgID string, meta domain.Meta, events []domain.Event) ([]byte, error) {
	return s.encodeSealed(ctx, msgID, meta, events, nil)
}

// sealFunc seals one person's data, as Sealer.Seal does.
type sealFunc func(ctx context.Context, subject string, plaintext, ad []byte) ([]byte, error)

// encodeSealed is encodeCommit sealing with seal (the Store's sealer when nil).
func (s *Store) encodeSealed(ctx context.Context, msgID string, meta domain.Meta, events []domain.Event, seal sealFunc) ([]byte, error) {
	body := commitBody{ID: msgID, Events: make([]storedEnvelope, len(events))}
	for i, e := range events {
		data, err := json.Marshal(e)
		if err != nil {
			return nil, fmt.Errorf("eventstore: marshal %s: %w", e.Name(), err)
		}
		if p, ok := e.(domain.Personal); ok {
			if data, err = s.sealPerson(ctx, p, data, sealAD(msgID, i), seal); err != nil {
				return nil, err
			}
		}
		body.Events[i] = storedEnvelope{Name: e.Name(), V: envelopeVersion, At: meta.At, Actor: meta.Actor, Data: data}
	}
	return json.Marshal(body)
}

// sealPerson replaces the "person" field of data by "person_sealed".
func (s *Store) sealPerson(ctx context.Context, p domain.Personal, data, ad []byte, seal sealFunc) ([]byte, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return nil, fmt.Errorf("eventstore: %s: %w", p.Name(), err)
	}
	person, ok := fields["person"]
	if !ok || string(person) == "null" {
		return data, nil
	}
	if seal == nil && s.sealer == nil {
		return nil, fmt.Errorf("eventstore: %s carries personal data but the store has no sealer", p.Name())
	}
	if seal == nil {
		seal = s.sealer.Seal
	}
	sealed, err := seal(ctx, p.DataSubject(), person, ad)
	if err != nil {
		return nil, fmt.Errorf("eventstore: seal person of %s: %w", p.Name(), err)
	}
	delete(fields, "person")
	fields["person_sealed"], _ = json.Marshal(base64.StdEncoding.EncodeToString(sealed))
	return json.Marshal(fields)
}

// decodedCommit is a commit as the store reads it back.
type decodedCommit struct {
	id     string
	events []domain.Recorded
}

// decodeCommit unmarshals one message. With open, sealed personal data is opened (nil when the
// person was erased); without, it stays nil and no key is looked up.
func (s *Store) decodeCommit(ctx context.Context, seq uint64, id domain.WorkshopID, data []byte, open bool) (decodedCommit, error) {
	d := s.decoder(ctx, open)
	events, err := d.decodeInto(nil, seq, id, data)
	return decodedCommit{id: string(d.msgID), events: events}, err
}

// decodeGeneric is decodeCommit appending the events to dst, unmarshalling the envelope into
// body first. It reads any commit the log can hold; commitDecoder.decodeInto tries the one-pass
// decoder first. It uses go-json-experiment's v1 package: encoding/json's behaviour on the
// json/v2 engine, about 2.5 times faster.
func (s *Store) decodeGeneric(ctx context.Context, dst []domain.Recorded, body *commitBody, seq uint64, id domain.WorkshopID, data []byte, open bool) ([]domain.Recorded, error) {
	if err := jsonv1.Unmarshal(data, body); err != nil {
		return dst, fmt.Errorf("eventstore: message %d: %w", seq, err)
	}
	for i, env := range body.Events {
		e, err := domain.DecodeEventWith(env.Name, env.Data, jsonv1.Unmarshal)
		if err != nil {
			return dst, fmt.Errorf("eventstore: message %d: %w", seq, err)
		}
		if open {
			if e, err = s.openPerson(ctx, e, env.Data, sealAD(body.ID, i)); err != nil {
				return dst, fmt.Errorf("eventstore: message %d: %w", seq, err)
			}
		}
		dst = append(dst, domain.Recorded{Seq: seq, Workshop: id, At: env.At, Actor: env.Actor, Event: e})
	}
	return dst, nil
}

// openPerson returns e with the Person of a Personal event opened from its sealed field. An
// erased key leaves Person nil: the person is gone, the rest of the event stays.
func (s *Store) openPerson(ctx context.Context, e domain.Event, data, ad []byte) (domain.Event, error) {
	if _, ok := e.(domain.Personal); !ok {
		return e, nil
	}
	var f sealedField
	if err := jsonv2.Unmarshal(data, &f, oneValidation); err != nil {
		return e, err
	}
	return s.openSealed(ctx, e, f.PersonSealed, ad)
}

// openSealed is openPerson given the sealed person of e, none when empty.
func (s *Store) openSealed(ctx context.Context, e domain.Event, sealed, ad []byte) (domain.Event, error) {
	p, ok := e.(domain.Personal)
	if !ok || len(sealed) == 0 {
		return e, nil
	}
	if s.sealer == nil {
		return nil, fmt.Errorf("%s carries sealed personal data but the store has no sealer", e.Name())
	}
	plain, err := s.sealer.Open(ctx, p.DataSubject(), sealed, ad)
	if errors.Is(err, keys.ErrErased) {
		return e, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open person of %s: %w", e.Name(), err)
	}
	var person *domain.Person
	if err := jsonv2.Unmarshal(plain, &person, oneValidation); err != nil {
		return nil, fmt.Errorf("person of %s: %w", e.Name(), err)
	}
	return p.WithPerson(person), nil
}

// Decode turns one commit (a stream message) into recorded events, all with Seq = seq and the
// workshop named by the subject, opening sealed personal data (Person nil when erased). Nothing
// keeps the decoded events: no decrypted copy outlives its reader, or a person's erased key.
func (s *Store) Decode(ctx context.Context, seq uint64, subject string, data []byte) ([]domain.Recorded, error) {
	id, err := s.workshopOf(subject)
	if err != nil {
		return nil, err
	}
	c, err := s.decodeCommit(ctx, seq, id, data, true)
	if err != nil {
		return nil, err
	}
	return c.events, nil
}

// decodeParallel decodes consecutive commits as decodeCommits does, a large batch in parallel
// (one part per CPU), so that catching up on a long log is not bound to one core.
func (s *Store) decodeParallel(ctx context.Context, commits []Commit) ([]domain.Recorded, error) {
	parts := min(runtime.GOMAXPROCS(0), len(commits)/minPart)
	if parts < 2 {
		return s.decodeCommits(ctx, commits)
	}
	events := make([][]domain.Recorded, parts)
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for i := range parts {
		part := commits[i*len(commits)/parts : (i+1)*len(commits)/parts]
		wg.Go(func() { events[i], errs[i] = s.decodeCommits(ctx, part) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return slices.Concat(events...), nil
}

// minPart is the fewest commits decodeParallel hands one goroutine.
const minPart = 32

// decodeCommits decodes consecutive commits into recorded events, in stream order.
func (s *Store) decodeCommits(ctx context.Context, commits []Commit) ([]domain.Recorded, error) {
	out := make([]domain.Recorded, 0, len(commits)*2)
	d := s.decoder(ctx, true)
	for _, c := range commits {
		id, err := s.workshopOf(c.Subject)
		if err != nil {
			return nil, err
		}
		if out, err = d.decodeInto(out, c.Seq, id, c.Data); err != nil {
			return nil, err
		}
	}
	return out, nil
}
