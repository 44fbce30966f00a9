package eventstore

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/natsconn"
)

// commandHeader carries the command id of a commit, so that every Store folding the commit
// learns that the command was applied.
const commandHeader = "Werkstatt-Command"

// requestHeader carries the Meta.Request of a command's commit, so that every Store can tell a
// repeat of the command from another request under the same command id.
const requestHeader = "Werkstatt-Request"

// maxAttempts bounds how often Update decides again after a concurrent write.
const maxAttempts = 20

// Update loads the workshop (from memory, catching up from the stream when needed), lets
// decide produce events from it, and appends them as one message with the
// workshop's last stream sequence as the expectation. On a concurrent write by another
// process it catches up and decides again, up to maxAttempts times, then returns
// ErrConcurrentUpdate. Commands on one workshop in one process take turns, so they never
// conflict with each other. With Config.GroupCommit, the commands that queue while an append
// is in flight are decided in turn and appended together as one atomic batch (group.go); each
// caller gets the same answer it would have got alone.
//
// decide gets the cached state itself, not a copy (a copy per command costs more than the
// append as a workshop grows): it must not modify it, which the domain's decisions never do.
// decide's errors are returned unchanged and nothing is appended; no events append nothing
// and report the workshop's last sequence. Before reporting either, Update makes sure that
// decide saw the latest state (another process may have changed it).
//
// With a CommandID, a command that was already applied to this workshop returns the first
// result with Duplicate set and appends nothing; if it was applied with another Meta.Request,
// Update returns ErrCommandReused instead. Events of a duplicate that this Store did not
// append itself, or whose answer it no longer keeps (older than the workshop's last
// Config.KeepAnswers commands, or the workshop was evicted from memory since), come from the
// log, without personal data (Person nil).
//
// While the NATS connection is down Update fails at once; an error that says the server could
// not be reached or did not answer in time matches domain.ErrUnavailable.
func (s *Store) Update(ctx context.Context, id domain.WorkshopID, meta domain.Meta, decide domain.Decision) (domain.Appended, error) {
	if err := checkID(id); err != nil {
		return domain.Appended{}, err
	}
	if err := natsconn.Up(s.js.Conn()); err != nil {
		return domain.Appended{}, err
	}
	r, err := s.update(ctx, id, meta, decide)
	err = natsconn.Classify(err)
	s.commands.count(r, err)
	return r, err
}

func (s *Store) update(ctx context.Context, id domain.WorkshopID, meta domain.Meta, decide domain.Decision) (domain.Appended, error) {
	if s.cfg.GroupCommit {
		return s.updateGrouped(ctx, id, meta, decide)
	}
	e := s.acquire(id)
	defer s.release(id, e)
	return s.updateLocked(ctx, id, e, meta, decide)
}

// decideAndAppend is Update's loop; e is locked, and fresh tells whether e reflects the log as
// it is now (not just this process's last view of it).
func (s *Store) decideAndAppend(ctx context.Context, id domain.WorkshopID, e *entry, fresh bool, meta domain.Meta, decide domain.Decision) (domain.Appended, error) {
	msgID := msgIDFor(id, meta.CommandID)
	for attempt := 0; attempt < maxAttempts; attempt++ {
		if r, ok, err := s.duplicate(ctx, id, "", &e.done, meta); ok || err != nil {
			return r, err
		}
		events, err := decide(e.state)
		if (err != nil || len(events) == 0) && !fresh {
			if err := s.catchUp(ctx, id, e); err != nil {
				return domain.Appended{}, err
			}
			fresh = true
			continue
		}
		if err != nil {
			return domain.Appended{}, err
		}
		if len(events) == 0 {
			return domain.Appended{Seq: e.seq}, nil
		}
		ack, err := s.publish(ctx, id, e.seq, msgID, meta, events)
		switch {
		case err == nil && !ack.Duplicate:
			e.fold(ack.Sequence, meta.CommandID, meta.Request, events)
			return domain.Appended{Seq: ack.Sequence, Events: events}, nil
		case err == nil: // the dedup window knew the command: it was appended by another process
			return s.duplicateAfterAck(ctx, id, e, meta, ack.Sequence)
		case !isConflict(err):
			return domain.Appended{}, err
		}
		s.commands.conflicts.Add(1)
		pause(ctx, attempt)
		if err := s.catchUp(ctx, id, e); err != nil {
			return domain.Appended{}, err
		}
		fresh = true
	}
	return domain.Appended{}, domain.ErrConcurrentUpdate
}

// msgIDFor returns the Nats-Msg-Id of a commit. A command id is scoped to its workshop, as
// idempotency is: the same id sent to two workshops is two commands.
func msgIDFor(id domain.WorkshopID, commandID string) string {
	if commandID == "" {
		return crand.Text()
	}
	return string(id) + "/" + commandID
}

func (s *Store) duplicateAfterAck(ctx context.Context, id domain.WorkshopID, e *entry, meta domain.Meta, seq uint64) (domain.Appended, error) {
	if err := s.catchUp(ctx, id, e); err != nil {
		return domain.Appended{}, err
	}
	if r, ok, err := s.duplicate(ctx, id, "", &e.done, meta); ok || err != nil {
		return r, err
	}
	return domain.Appended{}, fmt.Errorf("eventstore: command %s of workshop %s is a duplicate of message %d, which is not among the workshop's commits", meta.CommandID, id, seq)
}

func (s *Store) publish(ctx context.Context, id domain.WorkshopID, expected uint64, msgID string, meta domain.Meta, events []domain.Event) (*jetstream.PubAck, error) {
	data, err := s.encodeCommit(ctx, msgID, meta, events)
	if err != nil {
		return nil, err
	}
	msg := &nats.Msg{Subject: s.Subject(id), Data: data, Header: nats.Header{}}
	if meta.CommandID != "" {
		msg.Header.Set(commandHeader, meta.CommandID)
		if meta.Request != "" {
			msg.Header.Set(requestHeader, meta.Request)
		}
	}
	ack, err := s.js.PublishMsg(ctx, msg, jetstream.WithMsgID(msgID), jetstream.WithExpectLastSequencePerSubject(expected))
	if err != nil && !isConflict(err) {
		return nil, fmt.Errorf("eventstore: append to workshop %s: %w", id, err)
	}
	return ack, err
}

// isConflict reports whether err says that the workshop got a commit since its expected
// sequence: 10071 on a single server, 10164 on a replicated stream with a write in flight.
func isConflict(err error) bool {
	var apiErr *jetstream.APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	return apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence ||
		apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequenceConstant
}

// pause waits a jittered, growing while before a retry, so that competing writers fall out
// of step; the first retry goes at once.
func pause(ctx context.Context, attempt int) {
	if attempt == 0 {
		return
	}
	ceiling := time.Millisecond << min(attempt, 6)
	t := time.NewTimer(rand.N(ceiling))
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
