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
// checks inside a batch too. A group of one command with nothing in flight takes the path of a
// single command exactly (one plain publish).
//
// Groups are pipelined, two deep: once a group is decided and sealed (with new data keys made in
// memory, see KeyStager), a goroutine of its own (a flight) stages its batch on the server while
// the keys are written and commits it once they are, and the lead passes to the first command
// queued meanwhile. That leader decides the next group against the state as it will be after
// the flight, seals it and writes its keys while the flight's batch is stored (the keys go to
// another stream), and then waits for the flight: only once it is acknowledged does the next
// batch go out, expecting the flight's last sequence. A flight answers its callers as soon as it is
// acknowledged. When it fails, the group decided on top of it is decided again, after the
// flight's own commands were (as a group alone would be: a catch-up and a new decision on a
// conflict). Whoever locks the entry first settles its flight (folds it into the state, or
// decides its commands again), so nothing reads a state without it.
//
// A group is decided on a copy of the workshop's state only while another writer (a replica)
// appended to the workshop lately: then a failed append costs a short catch-up. Otherwise it is
// decided on the state itself, which runs ahead of the log while the group is in flight (a copy
// per group cost a third of a rush's CPU at 5,000 people); a refusal ends such a group before
// it (it is decided again on the log's state), and a flight that fails makes the entry read the
// workshop from the log again, as after an eviction.

const (
	// quietAfterForeign is how long after another writer's commit groups are decided on a copy.
	quietAfterForeign = 10 * time.Second
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
	Batches   int64 // atomic batches appended
	Commits   int64 // commits in them
	Pipelined int64 // groups decided while the group before was in flight
}

type groupCounts struct{ batches, commits, pipelined atomic.Int64 }

// GroupStats returns how many atomic batches this Store appended, with how many commits.
func (s *Store) GroupStats() GroupStats {
	return GroupStats{Batches: s.grouped.batches.Load(), Commits: s.grouped.commits.Load(), Pipelined: s.grouped.pipelined.Load()}
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

// lead decides one group (the head of the queue, the leader's own command first) and either
// answers it or sends it off as a flight, then hands the lead on to the first command queued
// meanwhile. With nobody queued it waits for its flight, as the next leader would, and hands
// on what queued meanwhile.
func (s *Store) lead(id domain.WorkshopID, e *entry) {
	e.mu.Lock()
	e.qmu.Lock()
	n := min(len(e.queue), maxGroup)
	group := e.queue[:n:n]
	e.queue = e.queue[n:]
	e.qmu.Unlock()
	f := s.commitPipelined(id, e, group)
	e.mu.Unlock()
	for {
		e.qmu.Lock()
		if len(e.queue) > 0 {
			e.queue[0].done <- outcome{lead: true}
			e.qmu.Unlock()
			return
		}
		if f == nil {
			e.leading = false
			e.qmu.Unlock()
			return
		}
		e.qmu.Unlock()
		e.mu.Lock()
		if e.inflight == f {
			s.settle(id, e)
		}
		e.mu.Unlock()
		f = nil
	}
}

// flight is a group whose atomic batch is being appended by a goroutine of its own.
type flight struct {
	group []*request
	p     plan
	after domain.Workshop // the state with the group's commits, owned by the flight, unless inPlace
	// inPlace: the group was folded into the entry's state when it was decided
	inPlace bool
	before  uint64          // the workshop's last sequence, which the batch expects
	cmds    map[string]bool // the command ids of its commits
	done    chan struct{}   // closed when the append returned; then seqs or err hold
	seqs    []uint64
	err     error
}

// holdsAny reports whether one of the group's commands has the command id of one of f's commits:
// it must be decided once f's commit is folded (a repeat, not a second registration).
func (f *flight) holdsAny(group []*request) bool {
	for _, r := range group {
		if r.meta.CommandID != "" && f.cmds[r.meta.CommandID] {
			return true
		}
	}
	return false
}

// answerGroup sends every caller of group its answer.
func answerGroup(group []*request, answers []answer, empty bool) {
	for i, r := range group {
		r.done <- outcome{r: answers[i].r, err: answers[i].err, empty: empty}
	}
}

// commitPipelined decides the group on top of the flight in the air, if any, prepares its
// messages meanwhile, waits for that flight and sends the group off as the next flight, which
// it returns. Whatever cannot take that path (a first command on a workshop not yet read, a
// group of one with nothing in flight, a refusal, a repeat of a command in flight, a failed
// flight below) settles the flight first and is decided and appended alone, as before, and
// answered here (nil). e is locked.
func (s *Store) commitPipelined(id domain.WorkshopID, e *entry, group []*request) *flight {
	f := e.inflight
	if f != nil && f.holdsAny(group) {
		s.settle(id, e)
		f = nil
	}
	if e.seq == 0 || (f == nil && len(group) == 1) {
		return s.commitAlone(id, e, group)
	}
	// Without another writer lately, the group is decided on the entry's state itself, which then
	// runs ahead of the log until its flights land (a failed one makes the entry read the log
	// again); otherwise on a copy, as a failure then costs a short catch-up only.
	inPlace := time.Since(e.foreign) > quietAfterForeign && (f == nil || f.inPlace)
	base := e.state
	if f != nil && !f.inPlace {
		base = f.after
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(group[0].ctx), groupTimeout)
	p, stale, cut := decideGroup(base, group, false, inPlace, func(meta domain.Meta) (domain.Appended, bool, error) {
		return s.duplicate(ctx, id, "", &e.done, meta)
	})
	if !stale && cut < len(group) { // the rest is decided by the next leader, once this group is folded
		rest := slices.Clone(group[cut:])
		group = group[:cut]
		e.qmu.Lock()
		e.queue = append(rest, e.queue...)
		e.qmu.Unlock()
	}
	// Decided again once the state is the log's (nothing was folded); on a copy, a single
	// commit is appended as one.
	if stale || len(p.commits) == 0 || (!inPlace && len(p.commits) < 2) {
		cancel()
		return s.commitAlone(id, e, group)
	}
	step := s.js.Options().DefaultTimeout
	msgs, write, staged, err := s.encodeStaged(ctx, id, p.commits)
	if err == nil && !staged {
		ectx, ecancel := context.WithTimeout(ctx, step)
		msgs, err = s.encodeGroup(ectx, id, p.commits)
		ecancel()
	}
	if err != nil {
		cancel()
		if inPlace { // the state holds what will not be appended
			s.settle(id, e)
			e.reset()
		}
		return s.commitAlone(id, e, group)
	}
	var keys chan error // the staged keys' write, under way while the flight below is stored
	if staged {
		keys = make(chan error, 1)
		go func() {
			kctx, kcancel := context.WithTimeout(ctx, step)
			defer kcancel()
			keys <- write(kctx)
		}()
	}
	after := p.state // p.own: in place, or two commits or more
	for _, c := range p.commits[p.folded:] {
		after = after.Fold(c.events...)
	}
	if inPlace {
		e.state, after = after, domain.Workshop{}
	}
	if !s.settle(id, e) { // the flight below failed: this group was decided on top of it
		if keys != nil {
			<-keys // whatever was written protects nothing and costs nothing else
		}
		cancel()
		return s.commitAlone(id, e, group)
	}
	nf := &flight{group: group, p: p, after: after, inPlace: inPlace, before: e.seq, cmds: map[string]bool{}, done: make(chan struct{})}
	for _, c := range p.commits {
		if c.meta.CommandID != "" {
			nf.cmds[c.meta.CommandID] = true
		}
	}
	e.inflight = nf
	if f != nil {
		s.grouped.pipelined.Add(1)
	}
	go s.fly(ctx, cancel, id, e, nf, msgs, keys)
	return nf
}

// fly appends f's batch, answers its callers once it is acknowledged, and settles it unless
// somebody else did.
func (s *Store) fly(ctx context.Context, cancel context.CancelFunc, id domain.WorkshopID, e *entry, f *flight, msgs []*nats.Msg, keys <-chan error) {
	defer cancel()
	pctx, pcancel := context.WithTimeout(ctx, 2*s.js.Options().DefaultTimeout) // the keys, then the batch
	f.seqs, f.err = s.publishMsgs(pctx, id, f.before, msgs, keys)
	pcancel()
	if f.err == nil {
		answerGroup(f.group, f.p.answersAt(f.before, f.seqs), false)
	}
	close(f.done)
	e.mu.Lock()
	if e.inflight == f { // not a later flight: waiting for that would hold the lock meanwhile
		s.settle(id, e)
	}
	e.mu.Unlock()
}

// settle waits for e's flight, if any, and folds its commits into e; a flight that failed has
// its commands decided again (after a catch-up, when another commit explains the failure) and
// answered. It reports whether e holds what was decided on top of the flight. e is locked.
func (s *Store) settle(id domain.WorkshopID, e *entry) bool {
	f := e.inflight
	if f == nil {
		return true
	}
	<-f.done
	e.inflight = nil
	if f.err == nil {
		if !f.inPlace {
			e.state = f.after
		}
		for i, c := range f.p.commits {
			e.record(f.seqs[i], c.meta.CommandID, c.meta.Request, c.events)
		}
		return true
	}
	if isConflict(f.err) || isDuplicateInBatch(f.err) { // another writer: decide on copies a while
		e.foreign = time.Now()
	}
	if f.inPlace { // the state holds what was not appended: read it from the log again
		e.reset()
	}
	var answers []answer
	if !isConflict(f.err) && !isDuplicateInBatch(f.err) && !natsconn.IncompleteBatch(f.err) && !errors.Is(f.err, errKeysNotWritten) {
		answers = make([]answer, len(f.group))
		for i := range answers {
			answers[i] = answer{err: f.err}
		}
	} else {
		s.commands.conflicts.Add(1)
		answers = s.commitGroup(id, e, f.group, true)
	}
	answerGroup(f.group, answers, e.seq == 0)
	return false
}

// commitAlone settles e's flight, then decides and appends the group by itself and answers it.
// e is locked.
func (s *Store) commitAlone(id domain.WorkshopID, e *entry, group []*request) *flight {
	s.settle(id, e)
	answerGroup(group, s.commitGroup(id, e, group, false), e.seq == 0)
	return nil
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
	state   domain.Workshop // the base (not a copy) until a second commit needed the first's events
	own     bool            // state is the plan's own copy
	folded  int             // commits folded into state
	commits []groupCommit
	answers []answer
}

// commitGroup decides and appends the group; e is locked. It returns one answer per command.
// retry tells that an append of the group met another commit: it pauses and catches up first.
func (s *Store) commitGroup(id domain.WorkshopID, e *entry, group []*request, retry bool) []answer {
	answers := make([]answer, len(group))
	if len(group) == 1 && !retry { // exactly the path of a single command
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
	first := 0
	if retry {
		pause(ctx, 0)
		fresh, first = true, 1
	}
	if fresh {
		if err := catchUp(); err != nil {
			return fail(err)
		}
	}
	for attempt := first; attempt < maxAttempts; attempt++ {
		p, stale, _ := decideGroup(e.state, group, fresh, false, func(meta domain.Meta) (domain.Appended, bool, error) {
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
		pctx, cancel := context.WithTimeout(ctx, 2*step) // the data keys, then the batch
		seqs, err := s.publishGroup(pctx, id, e.seq, p.commits)
		cancel()
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

// decideGroup decides the group's commands in order, each against base with the events of
// the commits before it; base is not modified. It reports stale when a command was refused or
// decided nothing while base may be behind the log: the group is then decided again after a
// catch-up. duplicate is the Store's duplicate over the entry.
//
// inPlace decides on base itself, folding the commits into it (its maps are shared with the
// caller's copy): a refusal or a no-op on a base that may be behind then ends the group before
// it instead (cut, its length), unless nothing was folded yet.
func decideGroup(base domain.Workshop, group []*request, fresh, inPlace bool, duplicate func(domain.Meta) (domain.Appended, bool, error)) (p plan, stale bool, cut int) {
	p = plan{state: base, own: inPlace, answers: make([]answer, len(group))}
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
			if !p.own {
				p.state, p.own = p.state.Clone(), true
			}
			for _, c := range p.commits[p.folded:] {
				p.state = p.state.Fold(c.events...)
			}
			p.folded = len(p.commits)
		}
		events, err := r.decide(p.state)
		if (err != nil || len(events) == 0) && !fresh {
			if inPlace && len(p.commits) > 0 {
				p.answers = p.answers[:i]
				return p, false, i
			}
			return plan{}, true, 0
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
	return p, false, len(group)
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
	return p.answersAt(before, seqs)
}

// answersAt returns the answers of the plan's commands, its commits appended at seqs after the
// workshop's last sequence before.
func (p plan) answersAt(before uint64, seqs []uint64) []answer {
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
	return s.publishMsgs(ctx, id, expected, msgs, nil)
}

// errKeysNotWritten reports that the data keys a group was sealed with could not be written:
// nothing of the group was appended, and it is decided and sealed again.
var errKeysNotWritten = errors.New("eventstore: the staged data keys were not written")

// publishMsgs appends the encoded commits of a group: one plain publish, or an atomic batch.
// With keys, the messages were sealed with data keys whose write keys reports: the batch is
// staged on the server meanwhile, and committed only once the keys are written.
func (s *Store) publishMsgs(ctx context.Context, id domain.WorkshopID, expected uint64, msgs []*nats.Msg, keys <-chan error) ([]uint64, error) {
	written := func() error {
		if keys == nil {
			return nil
		}
		select {
		case err := <-keys:
			if err != nil {
				return fmt.Errorf("%w: %w", errKeysNotWritten, err)
			}
			return nil
		case <-ctx.Done():
			return fmt.Errorf("%w: %w", errKeysNotWritten, ctx.Err())
		}
	}
	if len(msgs) == 1 {
		if err := written(); err != nil {
			return nil, err
		}
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
	// Without its commit, a staged batch stores nothing; the server drops it after a while.
	if err := written(); err != nil {
		return nil, err
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

// KeyStager is a Sealer that makes the new data keys of a group before they are written
// (*keys.Keyring does), so that the group is sealed, and its batch staged, while they are.
type KeyStager interface {
	StageKeys(subjects []string) (seal func(subject string, plaintext, ad []byte) ([]byte, error), write func(context.Context) error, ok bool, err error)
}

// subjectsOf returns the data subjects of the people in commits.
func subjectsOf(commits []groupCommit) []string {
	var subjects []string
	for _, c := range commits {
		for _, e := range c.events {
			if p, ok := e.(domain.Personal); ok {
				subjects = append(subjects, p.DataSubject())
			}
		}
	}
	return subjects
}

// encodeStaged encodes the commits' messages sealed with new data keys that write stores; staged
// is false when the sealer stages no keys for them (then use encodeGroup).
func (s *Store) encodeStaged(ctx context.Context, id domain.WorkshopID, commits []groupCommit) (msgs []*nats.Msg, write func(context.Context) error, staged bool, err error) {
	st, ok := s.sealer.(KeyStager)
	if !ok {
		return nil, nil, false, nil
	}
	seal, write, ok, err := st.StageKeys(subjectsOf(commits))
	if err != nil || !ok {
		return nil, nil, false, err
	}
	msgs, err = s.encodeMsgs(ctx, id, commits, func(_ context.Context, subject string, plaintext, ad []byte) ([]byte, error) {
		return seal(subject, plaintext, ad)
	})
	return msgs, write, err == nil, err
}

// encodeGroup encodes the commits' messages. The data keys of the people in them are written
// first, together.
func (s *Store) encodeGroup(ctx context.Context, id domain.WorkshopID, commits []groupCommit) ([]*nats.Msg, error) {
	if p, ok := s.sealer.(KeyPreparer); ok {
		subjects := subjectsOf(commits)
		if len(subjects) > 1 {
			if err := p.Prepare(ctx, subjects); err != nil {
				return nil, fmt.Errorf("eventstore: data keys of workshop %s: %w", id, err)
			}
		}
	}
	return s.encodeMsgs(ctx, id, commits, nil)
}

// encodeMsgs encodes the commits' messages, sealing with seal (the Store's sealer when nil).
func (s *Store) encodeMsgs(ctx context.Context, id domain.WorkshopID, commits []groupCommit, seal sealFunc) ([]*nats.Msg, error) {
	msgs := make([]*nats.Msg, len(commits))
	for i, c := range commits {
		data, err := s.encodeSealed(ctx, c.msgID, c.meta, c.events, seal)
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
