package eventstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/natsconn"
)

// Networks are kept in the same stream as the workshops, one subject per network, with the
// same commit format, optimistic concurrency and idempotency. A network's log is short (its
// members and their roles), so it is read message by message; every Load asks the server
// whether the network changed since, so a revoked role holds on every replica at once.

// networkEntry is one network as this Store knows it.
type networkEntry struct {
	mu    sync.Mutex
	state domain.Network
	seq   uint64
	done  answers
}

// NetworkSubject returns the subject of a network's events.
func (s *Store) NetworkSubject(id domain.NetworkID) string {
	return s.cfg.Subjects + ".network." + string(id)
}

// networkOf returns the network id of a subject, and false for a subject of another kind.
func (s *Store) networkOf(subject string) (domain.NetworkID, bool) {
	id, ok := strings.CutPrefix(subject, s.cfg.Subjects+".network.")
	return domain.NetworkID(id), ok && id != "" && !strings.Contains(id, ".")
}

// network returns the network's entry, locked; release it with done.
func (s *Store) network(id domain.NetworkID) *networkEntry {
	s.mu.Lock()
	e := s.networks.use(id, func() *networkEntry { return &networkEntry{done: newAnswers(s.cfg.KeepAnswers)} })
	s.mu.Unlock()
	e.mu.Lock()
	return e
}

// releaseNetwork unlocks e, and forgets it when it holds nothing (a network never created).
func (s *Store) releaseNetwork(id domain.NetworkID, e *networkEntry) {
	empty := e.seq == 0
	e.mu.Unlock()
	s.mu.Lock()
	s.networks.unuse(id, empty)
	s.mu.Unlock()
}

// LoadNetwork returns the network as the stream holds it now and the sequence of its last
// commit; a network never created is the zero Network with sequence 0.
func (s *Store) LoadNetwork(ctx context.Context, id domain.NetworkID) (domain.Network, uint64, error) {
	if err := checkID(domain.WorkshopID(id)); err != nil {
		return domain.Network{}, 0, err
	}
	if err := natsconn.Up(s.js.Conn()); err != nil {
		return domain.Network{}, 0, err
	}
	e := s.network(id)
	defer s.releaseNetwork(id, e)
	if err := s.catchUpNetwork(ctx, id, e); err != nil {
		return domain.Network{}, 0, natsconn.Classify(err)
	}
	return e.state.Clone(), e.seq, nil
}

// NetworkIDs returns the ids of every network in the stream, sorted. The log of the instance's
// privacy notice (domain.InstanceNotice) is no network's.
func (s *Store) NetworkIDs(ctx context.Context) ([]domain.NetworkID, error) {
	if err := natsconn.Up(s.js.Conn()); err != nil {
		return nil, err
	}
	info, err := s.stream.Info(ctx, jetstream.WithSubjectFilter(s.cfg.Subjects+".network.*"))
	if err != nil {
		return nil, natsconn.Classify(fmt.Errorf("eventstore: list networks: %w", err))
	}
	ids := make([]domain.NetworkID, 0, len(info.State.Subjects))
	for subject := range info.State.Subjects {
		if id, ok := s.networkOf(subject); ok && id != domain.InstanceNotice {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// UpdateNetwork is Update for a network: decide sees the network as the log has it, and its
// events are appended with the network's last sequence as the expectation.
func (s *Store) UpdateNetwork(ctx context.Context, id domain.NetworkID, meta domain.Meta, decide domain.NetworkDecision) (domain.Appended, error) {
	if err := checkID(domain.WorkshopID(id)); err != nil {
		return domain.Appended{}, err
	}
	if err := natsconn.Up(s.js.Conn()); err != nil {
		return domain.Appended{}, err
	}
	e := s.network(id)
	defer s.releaseNetwork(id, e)
	r, err := s.updateNetwork(ctx, id, e, meta, decide)
	return r, natsconn.Classify(err)
}

func (s *Store) updateNetwork(ctx context.Context, id domain.NetworkID, e *networkEntry, meta domain.Meta, decide domain.NetworkDecision) (domain.Appended, error) {
	msgID := "network/" + msgIDFor(domain.WorkshopID(id), meta.CommandID)
	for attempt := 0; attempt < maxAttempts; attempt++ {
		if err := s.catchUpNetwork(ctx, id, e); err != nil {
			return domain.Appended{}, err
		}
		if r, ok, err := s.duplicate(ctx, "", id, &e.done, meta); ok || err != nil {
			return r, err
		}
		events, err := decide(e.state.Clone())
		if err != nil {
			return domain.Appended{}, err
		}
		if len(events) == 0 {
			return domain.Appended{Seq: e.seq}, nil
		}
		ack, err := s.publishTo(ctx, s.NetworkSubject(id), e.seq, msgID, meta, events)
		switch {
		case err == nil && !ack.Duplicate:
			e.fold(ack.Sequence, meta, events)
			return domain.Appended{Seq: ack.Sequence, Events: events}, nil
		case err == nil: // another process appended the command: the next round finds it
		case !isConflict(err):
			return domain.Appended{}, fmt.Errorf("eventstore: append to network %s: %w", id, err)
		}
		pause(ctx, attempt)
	}
	return domain.Appended{}, domain.ErrConcurrentUpdate
}

func (e *networkEntry) fold(seq uint64, meta domain.Meta, events []domain.Event) {
	for _, ev := range events {
		e.state = e.state.Evolve(ev)
	}
	e.seq = seq
	if meta.CommandID != "" {
		e.done.add(meta.CommandID, applied{seq: seq, events: events, request: meta.Request})
	}
}

// catchUpNetwork folds every commit of the network after e.seq into e.
func (s *Store) catchUpNetwork(ctx context.Context, id domain.NetworkID, e *networkEntry) error {
	subject := s.NetworkSubject(id)
	for {
		m, err := s.stream.GetMsg(ctx, e.seq+1, jetstream.WithGetMsgSubject(subject))
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("eventstore: read network %s after %d: %w", id, e.seq, err)
		}
		c, err := s.decodeCommit(ctx, m.Sequence, "", m.Data, false)
		if err != nil {
			return err
		}
		events := make([]domain.Event, len(c.events))
		for i, r := range c.events {
			events[i] = r.Event
		}
		e.fold(m.Sequence, domain.Meta{CommandID: m.Header.Get(commandHeader), Request: m.Header.Get(requestHeader)}, events)
	}
}

// NetworkLog returns the network's recorded events with personal data opened (Person nil
// once the account was erased), oldest first: the member list with names reads it.
func (s *Store) NetworkLog(ctx context.Context, id domain.NetworkID) ([]domain.Recorded, error) {
	if err := checkID(domain.WorkshopID(id)); err != nil {
		return nil, err
	}
	if err := natsconn.Up(s.js.Conn()); err != nil {
		return nil, err
	}
	var out []domain.Recorded
	subject := s.NetworkSubject(id)
	for seq := uint64(0); ; {
		m, err := s.stream.GetMsg(ctx, seq+1, jetstream.WithGetMsgSubject(subject))
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			return out, nil
		}
		if err != nil {
			return nil, natsconn.Classify(fmt.Errorf("eventstore: read network %s: %w", id, err))
		}
		c, err := s.decodeCommit(ctx, m.Sequence, "", m.Data, true)
		if err != nil {
			return nil, err
		}
		out = append(out, c.events...)
		seq = m.Sequence
	}
}

// publishTo appends events to subject, expecting the subject's last sequence to be expected.
func (s *Store) publishTo(ctx context.Context, subject string, expected uint64, msgID string, meta domain.Meta, events []domain.Event) (*jetstream.PubAck, error) {
	data, err := s.encodeCommit(ctx, msgID, meta, events)
	if err != nil {
		return nil, err
	}
	msg := &nats.Msg{Subject: subject, Data: data, Header: nats.Header{}}
	if meta.CommandID != "" {
		msg.Header.Set(commandHeader, meta.CommandID)
		if meta.Request != "" {
			msg.Header.Set(requestHeader, meta.Request)
		}
	}
	return s.js.PublishMsg(ctx, msg, jetstream.WithMsgID(msgID), jetstream.WithExpectLastSequencePerSubject(expected))
}
