package eventstore

import (
	"context"
	crand "crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/natsconn"
)

// Group commit (Config.GroupCommit). The commands on one workshop queue up; the first caller
// leads: it takes the queue (at most maxGroup commands), decides them one after the other
// against the state in memory, each seeing the events of the ones before, and appends their
// commits as one JetStream atomic batch: one message per command (so subscribers and outboxes
// see what they always saw), all or none, with one flush on the server. The first message
// carries the workshop's last sequence as its expectation, and the batch is atomic, so the
// expectation covers the whole group; each message keeps its Nats-Msg-Id, which the server
// checks inside a batch too. Then the leader answers every caller of the group and hands the
// lead to the first command that queued meanwhile. A group of one command takes the path of
// a single command exactly (one plain publish).

const (
	// maxGroup bounds the commands of one group; the server takes atomic batches of up to
	// 1000 messages.
	maxGroup = 256
	// maxBatchesInFlight bounds this Store's atomic batches in flight; the server allows 50
	// per stream, shared by every replica.
	maxBatchesInFlight = 16
	// groupTimeout bounds a group's reads and appends: the leader does not use its caller's
	// context, whose end must not fail the others.
	groupTimeout = 30 * time.Second
)

// JetStream error codes of an atomic batch that another commit of the same command explains:
// a message id that the stream already holds (10201) or is appending right now (10158).
const (
	errCodeBatchDuplicate   = 10201
	errCodeDuplicateInFlght = 10158
)

// GroupStats counts the atomic batches of group commit.
type GroupStats struct {
	Batches int64 // atomic batches appended
	Commits int64 // commits in them
}

type groupCounts struct{ batches, commits atomic.Int64 }

// GroupStats returns how many atomic batches this Store appended, with how many commits.
func (s *Store) GroupStats() GroupStats {
	return GroupStats{Batches: s.grouped.batches.Load(), Commits: s.grouped.commits.Load()}
}

// CommandStats counts the workshop commands this Store handled since it was opened, by what
// became of them, and the appends that met another writer's commit (each is decided again).
type CommandStats struct {
	Appended, Unchanged, Duplicates, Refused, Failed int64
	Conflicts                                        int64
}

type commandCounts struct {
	appended, unchanged, duplicates, refused, failed, conflicts atomic.Int64
}

// CommandStats returns the counts of the workshop commands so far.
func (s *Store) CommandStats() CommandStats {
	c := &s.commands
	return CommandStats{Appended: c.appended.Load(), Unchanged: c.unchanged.Load(), Duplicates: c.duplicates.Load(),
		Refused: c.refused.Load(), Failed: c.failed.Load(), Conflicts: c.conflicts.Load()}
}

// count records what became of one command.
func (c *commandCounts) count(r domain.Appended, err error) {
	switch {
	case err == nil && r.Duplicate:
		c.duplicates.Add(1)
	case err == nil && len(r.Events) > 0:
		c.appended.Add(1)
	case err == nil:
		c.unchanged.Add(1)
	case errors.Is(err, domain.ErrUnavailable) || errors.Is(err, domain.ErrConcurrentUpdate):
		c.failed.Add(1)
	default: // a rule, an invalid command, a reused command id
		c.refused.Add(1)
	}
}

// request is one command waiting in a workshop's queue.
type request struct {
	ctx    context.Context
	meta   domain.Meta
	decide domain.Decision
	msgID  string       // the Nats-Msg-Id of its commit, the same in every attempt
	done   chan outcome // buffered: a hand-over of the lead, then the answer
}

// outcome is what a queued caller receives: the lead, or its answer.
type outcome struct {
	lead  bool
	r     domain.Appended
	err   error
	empty bool // the entry held nothing afterwards (see Store.release)
}

// updateGrouped is Update with group commit.
func (s *Store) updateGrouped(ctx context.Context, id domain.WorkshopID, meta domain.Meta, decide domain.Decision) (domain.Appended, error) {
	e := s.use(id)
	req := &request{ctx: ctx, meta: meta, decide: decide, msgID: msgIDFor(id, meta.CommandID), done: make(chan outcome, 2)}
	e.qmu.Lock()
	e.queue = append(e.queue, req)
	lead := !e.leading
	e.leading = true
	e.qmu.Unlock()
	if lead {
		s.lead(id, e)
	}
	for {
		out := <-req.done
		if out.lead {
			s.lead(id, e)
			continue
		}
		s.unuse(id, out.empty)
		return out.r, out.err
	}
}

// lead decides and appends one group (the head of the queue, the leader's own command first),
// hands the lead on if more commands queued meanwhile, and answers the group's callers.
func (s *Store) lead(id domain.WorkshopID, e *entry) {
	e.qmu.Lock()
	n := min(len(e.queue), maxGroup)
	group := e.queue[:n:n]
	e.queue = e.queue[n:]
	e.qmu.Unlock()

	e.mu.Lock()
	answers := s.commitGroup(id, e, group)
	empty := e.seq == 0
	e.mu.Unlock()

	e.qmu.Lock()
	if len(e.queue) == 0 {
		e.leading = false
	} else {
		e.queue[0].done <- outcome{lead: true}
	}
	e.qmu.Unlock()
	for i, r := range group {
		r.done <- outcome{r: answers[i].r, err: answers[i].err, empty: empty}
	}
}

// answer is the result of one command of a group.
type answer struct {
	r      domain.Appended
	err    error
	commit int // index of the command's commit in the plan, -1 for none
	dupOf  int // index of the group's command with the same command id whose commit answers, -1 for none
	prior  int // commits of the plan decided before the command (its answer's Seq without events)
}

// groupCommit is one command's commit in a group.
type groupCommit struct {
	msgID  string
	meta   domain.Meta
	events []domain.Event
}

// plan is a group decided against the state in memory.
type plan struct {
	state   domain.Workshop // e.state (not a copy) until a second commit needed the first's events
	folded  int             // commits folded into state
	commits []groupCommit
	answers []answer
}

// commitGroup decides and appends the group; e is locked. It returns one answer per command.
func (s *Store) commitGroup(id domain.WorkshopID, e *entry, group []*request) []answer {
	answers := make([]answer, len(group))
	if len(group) == 1 { // exactly the path of a single command
		r := group[0]
		answers[0].r, answers[0].err = s.updateLocked(r.ctx, id, e, r.meta, r.decide)
		return answers
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(group[0].ctx), groupTimeout)
	defer cancel()
	fail := func(err error) []answer {
		for i := range answers {
			answers[i] = answer{err: err}
		}
		return answers
	}
	// Each read and append of the group is bounded as a single command's request is (the
	// JetStream default timeout): while the stream has no leader (an election after its
	// leader died) a request gets no answer, and one must not hold the workshop's queue for
	// the whole groupTimeout.
	step := s.js.Options().DefaultTimeout
	catchUp := func() error {
		ctx, cancel := context.WithTimeout(ctx, step)
		defer cancel()
		return s.catchUp(ctx, id, e)
	}
	fresh := e.seq == 0
	if fresh {
		if err := catchUp(); err != nil {
			return fail(err)
		}
	}
	for attempt := 0; attempt < maxAttempts; attempt++ {
		p, stale := decideGroup(e, group, fresh, func(meta domain.Meta) (domain.Appended, bool, error) {
			return s.duplicate(ctx, id, "", &e.done, meta)
		})
		if stale { // a refusal or a no-op must be decided on the latest state
			if err := catchUp(); err != nil {
				return fail(err)
			}
			fresh = true
			continue
		}
		if len(p.commits) == 0 {
			return p.finish(e, nil)
		}
		ahead := s.prepareAhead(ctx, e, p)
		pctx, cancel := context.WithTimeout(ctx, 2*step) // the data keys, then the batch
		seqs, err := s.publishGroup(pctx, id, e.seq, p.commits)
		cancel()
		ahead()
		if err == nil {
			return p.finish(e, seqs)
		}
		if !isConflict(err) && !isDuplicateInBatch(err) && !natsconn.IncompleteBatch(err) {
			return fail(err)
		}
		s.commands.conflicts.Add(1)
		pause(ctx, attempt)
		if err := catchUp(); err != nil {
			return fail(err)
		}
		fresh = true
	}
	return fail(domain.ErrConcurrentUpdate)
}

// prepareAhead writes the data keys of the commands queued for the next group while this
// group is appended, so that the next group's append does not wait for them: it decides the
// queued commands on a copy of the state as it will be after this group (the next leader
// decides them again for real) and prepares the keys of the people in them. A key prepared
// for a command that then decides otherwise protects nothing and costs nothing else. The
// returned function waits until it is done; its errors are left to the next group's own write.
func (s *Store) prepareAhead(ctx context.Context, e *entry, p plan) func() {
	kp, ok := s.sealer.(KeyPreparer)
	if !ok {
		return func() {}
	}
	e.qmu.Lock()
	next := slices.Clone(e.queue[:min(len(e.queue), maxGroup)])
	e.qmu.Unlock()
	if len(next) < 2 {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		state := p.state.Clone()
		for _, c := range p.commits[p.folded:] {
			state = state.Fold(c.events...)
		}
		var subjects []string
		for _, r := range next {
			if r.ctx.Err() != nil {
				continue
			}
			events, err := r.decide(state)
			if err != nil || len(events) == 0 {
				continue
			}
			for _, ev := range events {
				if p, ok := ev.(domain.Personal); ok {
					subjects = append(subjects, p.DataSubject())
				}
			}
			state = state.Fold(events...)
		}
		if len(subjects) > 1 {
			_ = kp.Prepare(ctx, subjects)
		}
	}()
	return func() { <-done }
}

// updateLocked is Update's path for one command on the locked entry e.
func (s *Store) updateLocked(ctx context.Context, id domain.WorkshopID, e *entry, meta domain.Meta, decide domain.Decision) (domain.Appended, error) {
	fresh := e.seq == 0
	if fresh {
		if err := s.catchUp(ctx, id, e); err != nil {
			return domain.Appended{}, err
		}
	}
	return s.decideAndAppend(ctx, id, e, fresh, meta, decide)
}

// decideGroup decides the group's commands in order, each against the state with the events of
// the commits before it. It reports stale when a command was refused or decided nothing while
// e may be behind the log: the group is then decided again after a catch-up. duplicate is the
// Store's duplicate over e.
func decideGroup(e *entry, group []*request, fresh bool, duplicate func(domain.Meta) (domain.Appended, bool, error)) (plan, bool) {
	p := plan{state: e.state, answers: make([]answer, len(group))}
	cloned := false
	first := map[string]int{} // command id -> the group's command that commits it
	for i, r := range group {
		a := &p.answers[i]
		a.commit, a.dupOf, a.prior = -1, -1, len(p.commits)
		if err := r.ctx.Err(); err != nil { // its caller is gone: decide nothing for it
			a.err = err
			continue
		}
		if res, ok, err := duplicate(r.meta); ok || err != nil {
			a.r, a.err = res, err
			continue
		}
		if j, ok := first[r.meta.CommandID]; ok && r.meta.CommandID != "" {
			if subtle.ConstantTimeCompare([]byte(group[j].meta.Request), []byte(r.meta.Request)) != 1 {
				a.err = domain.ErrCommandReused
			} else {
				a.dupOf = j
			}
			continue
		}
		if p.folded < len(p.commits) { // the state must show the commits decided so far
			if !cloned {
				p.state, cloned = p.state.Clone(), true
			}
			for _, c := range p.commits[p.folded:] {
				p.state = p.state.Fold(c.events...)
			}
			p.folded = len(p.commits)
		}
		events, err := r.decide(p.state)
		if (err != nil || len(events) == 0) && !fresh {
			return plan{}, true
		}
		if err != nil {
			a.err = err
			continue
		}
		if len(events) == 0 {
			continue
		}
		if r.meta.CommandID != "" {
			first[r.meta.CommandID] = i
		}
		a.commit = len(p.commits)
		p.commits = append(p.commits, groupCommit{msgID: r.msgID, meta: r.meta, events: events})
	}
	return p, false
}

// finish folds the appended commits (at seqs) into e and returns the answers.
func (p plan) finish(e *entry, seqs []uint64) []answer {
	before := e.seq
	if len(p.commits) > 0 {
		state := p.state
		for _, c := range p.commits[p.folded:] {
			state = state.Fold(c.events...)
		}
		e.state = state
		for i, c := range p.commits {
			e.record(seqs[i], c.meta.CommandID, c.meta.Request, c.events)
		}
	}
	for i := range p.answers {
		a := &p.answers[i]
		switch {
		case a.commit >= 0:
			a.r = domain.Appended{Seq: seqs[a.commit], Events: p.commits[a.commit].events}
		case a.dupOf >= 0:
			j := p.answers[a.dupOf].commit
			a.r = domain.Appended{Seq: seqs[j], Events: p.commits[j].events, Duplicate: true}
		case a.err == nil && !a.r.Duplicate: // decided nothing
			a.r = domain.Appended{Seq: before}
			if a.prior > 0 {
				a.r.Seq = seqs[a.prior-1]
			}
		}
	}
	return p.answers
}

// publishGroup appends the commits as one atomic batch, the first expecting the workshop's
// last sequence, and returns their stream sequences.
func (s *Store) publishGroup(ctx context.Context, id domain.WorkshopID, expected uint64, commits []groupCommit) ([]uint64, error) {
	msgs, err := s.encodeGroup(ctx, id, commits)
	if err != nil {
		return nil, err
	}
	if len(msgs) == 1 {
		msgs[0].Header.Set(jetstream.ExpectedLastSubjSeqHeader, strconv.FormatUint(expected, 10))
		ack, err := s.js.PublishMsg(ctx, msgs[0])
		if err != nil {
			return nil, s.appendError(id, err)
		}
		if ack.Duplicate {
			return nil, &jetstream.APIError{ErrorCode: errCodeBatchDuplicate, Description: "duplicate"}
		}
		return []uint64{ack.Sequence}, nil
	}
	select {
	case s.batches <- struct{}{}:
		defer func() { <-s.batches }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	batch := crand.Text()
	for i, m := range msgs {
		m.Header.Set("Nats-Batch-Id", batch)
		m.Header.Set("Nats-Batch-Sequence", strconv.Itoa(i+1))
	}
	msgs[0].Header.Set(jetstream.ExpectedLastSubjSeqHeader, strconv.FormatUint(expected, 10))
	last := msgs[len(msgs)-1]
	last.Header.Set("Nats-Batch-Commit", "1")
	nc := s.js.Conn()
	for _, m := range msgs[:len(msgs)-1] {
		if err := nc.PublishMsg(m); err != nil { // the server answers the commit only
			return nil, s.appendError(id, err)
		}
	}
	ack, err := s.js.PublishMsg(ctx, last)
	if err != nil {
		return nil, s.appendError(id, err)
	}
	if ack.Sequence < uint64(len(msgs)) {
		return nil, fmt.Errorf("eventstore: append to workshop %s: atomic batch acknowledged at sequence %d", id, ack.Sequence)
	}
	s.grouped.batches.Add(1)
	s.grouped.commits.Add(int64(len(msgs)))
	seqs := make([]uint64, len(msgs))
	for i := range seqs { // an atomic batch lands in consecutive sequences
		seqs[i] = ack.Sequence - uint64(len(msgs)-1-i)
	}
	return seqs, nil
}

// appendError wraps a failed append's error, leaving the ones that make the group retry
// recognisable.
func (s *Store) appendError(id domain.WorkshopID, err error) error {
	if isConflict(err) || isDuplicateInBatch(err) {
		return err
	}
	return fmt.Errorf("eventstore: append to workshop %s: %w", id, err)
}

// KeyPreparer is a Sealer that writes the data keys of several data subjects at once
// (*keys.Keyring does): a group's new people get their keys with one flush, before its commits.
type KeyPreparer interface {
	Prepare(ctx context.Context, subjects []string) error
}

// encodeGroup encodes the commits' messages. The data keys of the people in them are written
// first, together.
func (s *Store) encodeGroup(ctx context.Context, id domain.WorkshopID, commits []groupCommit) ([]*nats.Msg, error) {
	if p, ok := s.sealer.(KeyPreparer); ok {
		var subjects []string
		for _, c := range commits {
			for _, e := range c.events {
				if p, ok := e.(domain.Personal); ok {
					subjects = append(subjects, p.DataSubject())
				}
			}
		}
		if len(subjects) > 1 {
			if err := p.Prepare(ctx, subjects); err != nil {
				return nil, fmt.Errorf("eventstore: data keys of workshop %s: %w", id, err)
			}
		}
	}
	msgs := make([]*nats.Msg, len(commits))
	for i, c := range commits {
		data, err := s.encodeCommit(ctx, c.msgID, c.meta, c.events)
		if err != nil {
			return nil, err
		}
		m := &nats.Msg{Subject: s.Subject(id), Data: data, Header: nats.Header{}}
		m.Header.Set(jetstream.MsgIDHeader, c.msgID)
		if c.meta.CommandID != "" {
			m.Header.Set(commandHeader, c.meta.CommandID)
			if c.meta.Request != "" {
				m.Header.Set(requestHeader, c.meta.Request)
			}
		}
		msgs[i] = m
	}
	return msgs, nil
}

// isDuplicateInBatch reports whether err says that a message id of an atomic batch is already
// in the stream or being appended: another process appended one of the group's commands.
func isDuplicateInBatch(err error) bool {
	var apiErr *jetstream.APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	return apiErr.ErrorCode == errCodeBatchDuplicate || apiErr.ErrorCode == errCodeDuplicateInFlght
}
