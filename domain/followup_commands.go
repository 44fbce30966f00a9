package domain

import (
	"fmt"
	"slices"
	"strings"
)

// followUps returns the workshop's follow-up state, or ErrWorkshopNotFound.
func (w Workshop) followUps() (*FollowUps, error) {
	if !w.Scheduled() || w.FollowUps == nil {
		return nil, ErrWorkshopNotFound
	}
	return w.FollowUps, nil
}

// confirmedAnyDay checks that registration id may propose and vote: it is confirmed.
func (w Workshop) confirmedAnyDay(id RegistrationID) error {
	r, ok := w.Registrations[id]
	if !ok {
		return ErrRegistrationNotFound
	}
	if r.Status != Confirmed {
		return fmt.Errorf("%w: the registration is %s", ErrNotConfirmedToAct, r.Status)
	}
	return nil
}

// ProposeTopic proposes a follow-up topic; ID comes from the caller, By is the proposing
// registration ("" for an organiser).
type ProposeTopic struct {
	ID          TopicID
	Title       string
	Description string
	Source      TopicSource
	By          RegistrationID
}

// ProposeTopic decides a new topic.
func (w Workshop) ProposeTopic(c ProposeTopic) ([]Event, error) {
	f, err := w.followUps()
	if err != nil {
		return nil, err
	}
	var fe FieldErrors
	if c.ID == "" {
		fe.add("id", CodeRequired, "must not be empty")
	}
	checkID(&fe, "id", string(c.ID))
	checkText(&fe, "title", c.Title, true, maxTitle)
	checkProse(&fe, "description", c.Description, false, maxText)
	if err := fe.err(); err != nil {
		return nil, err
	}
	if err := w.checkSource(c.Source); err != nil {
		return nil, err
	}
	if c.By != "" {
		if err := w.confirmedAnyDay(c.By); err != nil {
			return nil, err
		}
	}
	if _, ok := f.Topics[c.ID]; ok {
		return nil, fmt.Errorf("%w: topic id %s is taken", ErrConflict, c.ID)
	}
	if len(f.Topics) >= MaxTopics {
		return nil, fmt.Errorf("%w: at most %d topics", ErrTooManyFollowUps, MaxTopics)
	}
	return []Event{TopicProposed{TopicID: c.ID, Title: strings.TrimSpace(c.Title),
		Description: strings.TrimSpace(c.Description), Source: c.Source, ProposedBy: c.By}}, nil
}

// checkSource checks that a topic's source names what exists: a session of the workshop, or a
// table of one of its theme cafés.
func (w Workshop) checkSource(s TopicSource) error {
	switch s.Kind {
	case FromSession:
		if s.TableID != "" {
			return FieldErrors{{"source.table_id", CodeNotAllowed, "only a theme-café table source names a table"}}
		}
		if _, ok := w.Sessions[s.SessionID]; !ok {
			return ErrSessionNotFound
		}
	case FromThemeCafeTable:
		_, cafe, err := w.cafe(s.SessionID)
		if err != nil {
			return err
		}
		if _, ok := cafe.Table(s.TableID); !ok {
			return ErrTableNotFound
		}
	case FromFeedback, FromClosingDiscussion, FromOther:
		if s.SessionID != "" || s.TableID != "" {
			return FieldErrors{{"source", CodeNotAllowed, fmt.Sprintf("a %s source names no session or table", s.Kind)}}
		}
	default:
		return FieldErrors{{"source.kind", CodeNotInList, "must be one of session, theme_cafe_table, feedback, closing_discussion, other"}}
	}
	return nil
}

// CastVotes sets the topics a participant votes for, one vote each; an empty list withdraws
// the votes.
type CastVotes struct {
	RegistrationID RegistrationID
	Topics         []TopicID
}

// CastVotes decides a participant's votes. Voting must be open, the registration confirmed,
// and the topics distinct, not merged, and no more than the vote limit.
func (w Workshop) CastVotes(c CastVotes) ([]Event, error) {
	f, err := w.followUps()
	if err != nil {
		return nil, err
	}
	if err := w.confirmedAnyDay(c.RegistrationID); err != nil {
		return nil, err
	}
	var fe FieldErrors
	for i, id := range c.Topics {
		t, ok := f.Topics[id]
		switch {
		case !ok:
			fe.add("topic_ids", CodeNotATopic, fmt.Sprintf("%q is not a topic of this workshop", id))
		case t.Status == TopicMerged:
			fe.add("topic_ids", CodeTopicMerged, fmt.Sprintf("%q was merged into %q: vote for that one", id, t.MergedInto))
		case slices.Contains(c.Topics[:i], id):
			fe.add("topic_ids", CodeNamedTwice, fmt.Sprintf("%q is named twice: one vote per topic", id))
		}
	}
	if err := fe.err(); err != nil {
		return nil, err
	}
	if f.Voting != VotingOpen {
		return nil, ErrVotingNotOpen
	}
	if len(c.Topics) > f.VoteLimit {
		return nil, fmt.Errorf("%w: %d topics, the limit is %d", ErrOverVoteLimit, len(c.Topics), f.VoteLimit)
	}
	if slices.Equal(f.Votes[c.RegistrationID], c.Topics) {
		return nil, nil
	}
	return []Event{VotesCast{RegistrationID: c.RegistrationID, Topics: slices.Clone(c.Topics)}}, nil
}

// OpenVoting lets participants vote; opening an open vote decides nothing.
func (w Workshop) OpenVoting() ([]Event, error) {
	f, err := w.followUps()
	if err != nil || f.Voting == VotingOpen {
		return nil, err
	}
	return []Event{TopicVotingOpened{}}, nil
}

// CloseVoting ends the vote; closing a closed vote decides nothing.
func (w Workshop) CloseVoting() ([]Event, error) {
	f, err := w.followUps()
	if err != nil || f.Voting == VotingClosed {
		return nil, err
	}
	return []Event{TopicVotingClosed{}}, nil
}

// SetVoteLimit decides how many topics each participant may vote for. Votes already cast stay
// as they are; a change of them must fit the new limit.
func (w Workshop) SetVoteLimit(limit int) ([]Event, error) {
	f, err := w.followUps()
	if err != nil {
		return nil, err
	}
	if limit < 1 || limit > MaxVoteLimit {
		return nil, FieldErrors{{"limit", CodeOutOfRange, fmt.Sprintf("must be between 1 and %d", MaxVoteLimit)}}
	}
	if limit == f.VoteLimit {
		return nil, nil
	}
	return []Event{VoteLimitSet{Limit: limit}}, nil
}

// MergeTopics merges the duplicate TopicID into Into.
type MergeTopics struct {
	TopicID TopicID
	Into    TopicID
}

// MergeTopics decides a merge. Voters of the duplicate keep one vote on Into: whoever voted for
// both gets the duplicate's vote back.
func (w Workshop) MergeTopics(c MergeTopics) ([]Event, error) {
	f, err := w.followUps()
	if err != nil {
		return nil, err
	}
	from, err := f.topic(c.TopicID)
	if err != nil {
		return nil, err
	}
	into, err := f.topic(c.Into)
	if err != nil {
		return nil, err
	}
	if from.ID == into.ID {
		return nil, FieldErrors{{"into", CodeSameTopic, "must name another topic"}}
	}
	e := TopicsMerged{TopicID: from.ID, Into: into.ID}
	for r, ts := range f.Votes {
		switch {
		case !slices.Contains(ts, from.ID):
		case slices.Contains(ts, into.ID):
			e.Returned = append(e.Returned, r)
		default:
			e.Moved = append(e.Moved, r)
		}
	}
	slices.Sort(e.Moved)
	slices.Sort(e.Returned)
	return []Event{e}, nil
}

// topic returns a topic that exists and was not merged.
func (f *FollowUps) topic(id TopicID) (*Topic, error) {
	t, ok := f.Topics[id]
	if !ok {
		return nil, ErrTopicNotFound
	}
	if t.Status == TopicMerged {
		return nil, fmt.Errorf("%w: %q went into %q", ErrTopicMerged, id, t.MergedInto)
	}
	return t, nil
}

// PlanTarget is the session (or theme-café table) of another workshop that takes a topic up,
// with what the caller read of that workshop: its series and first day.
type PlanTarget struct {
	Workshop  WorkshopID
	Series    string
	FirstDay  Day
	SessionID SessionID
	TableID   TableID
}

// ChangeTopicStatus sets a topic's status. Target is required for TopicPlanned and must be
// absent otherwise.
type ChangeTopicStatus struct {
	TopicID TopicID
	Status  TopicStatus
	Target  *PlanTarget
}

// ChangeTopicStatus decides a status change. Planning checks what the workshop can know: the
// target is another workshop of the same (non-empty) series whose first day comes later. That
// the session exists there is the caller's to check, from the read models.
func (w Workshop) ChangeTopicStatus(c ChangeTopicStatus) ([]Event, error) {
	f, err := w.followUps()
	if err != nil {
		return nil, err
	}
	t, err := f.topic(c.TopicID)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(TopicStatuses, c.Status) {
		return nil, FieldErrors{{"status", CodeNotInList, "must be one of open, planned, addressed, dropped"}}
	}
	var link *TopicLink
	switch {
	case c.Status == TopicPlanned && (c.Target == nil || c.Target.Workshop == "" || c.Target.SessionID == ""):
		return nil, FieldErrors{{"session_id", CodeRequired, "a planned topic names the workshop and session that take it up"}}
	case c.Status != TopicPlanned && c.Target != nil:
		return nil, FieldErrors{{"session_id", CodeNotAllowed, "only a planned topic names a session"}}
	case c.Status == TopicPlanned:
		var fe FieldErrors
		checkID(&fe, "workshop_id", string(c.Target.Workshop))
		checkID(&fe, "session_id", string(c.Target.SessionID))
		checkID(&fe, "table_id", string(c.Target.TableID))
		if err := fe.err(); err != nil {
			return nil, err
		}
		if err := w.checkTarget(*c.Target); err != nil {
			return nil, err
		}
		link = &TopicLink{Workshop: c.Target.Workshop, SessionID: c.Target.SessionID, TableID: c.Target.TableID}
	}
	if t.Status == c.Status && equalLinks(t.Link, link) {
		return nil, nil
	}
	return []Event{TopicStatusChanged{TopicID: t.ID, Status: c.Status, Link: link}}, nil
}

func (w Workshop) checkTarget(p PlanTarget) error {
	if p.Workshop == w.ID || w.Series == "" || p.Series != w.Series || len(w.Days) == 0 || p.FirstDay <= w.Days[0] {
		return fmt.Errorf("%w: %s of series %q starts %s; this workshop is of series %q and starts %v",
			ErrNotLaterInSeries, p.Workshop, p.Series, p.FirstDay, w.Series, w.Days)
	}
	return nil
}

func equalLinks(a, b *TopicLink) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// AgreeActionItem records what someone prepares until the next meeting; ID comes from the
// caller. DueBy "" means no date (callers default it to the next workshop's first day).
type AgreeActionItem struct {
	ID    ActionItemID
	What  string
	Who   ActionOwner
	DueBy Day
}

// AgreeActionItem decides a new action item. Who names a registration of the workshop that is
// not cancelled, or an organisation.
func (w Workshop) AgreeActionItem(c AgreeActionItem) ([]Event, error) {
	f, err := w.followUps()
	if err != nil {
		return nil, err
	}
	var fe FieldErrors
	if c.ID == "" {
		fe.add("id", CodeRequired, "must not be empty")
	}
	checkID(&fe, "id", string(c.ID))
	checkProse(&fe, "what", c.What, true, maxText)
	who := ActionOwner{RegistrationID: c.Who.RegistrationID, Organisation: strings.TrimSpace(c.Who.Organisation)}
	if (who.RegistrationID == "") == (who.Organisation == "") {
		fe.add("who", CodeEitherOr, "name either a registration or an organisation")
	}
	checkText(&fe, "who.organisation", who.Organisation, false, maxTitle)
	if _, ok := ParseDay(string(c.DueBy)); c.DueBy != "" && !ok {
		fe.add("due_by", CodeNotADate, fmt.Sprintf("%q is not a date as YYYY-MM-DD", c.DueBy))
	}
	if err := fe.err(); err != nil {
		return nil, err
	}
	if r := who.RegistrationID; r != "" {
		if reg, ok := w.Registrations[r]; !ok || reg.Status == Cancelled {
			return nil, ErrRegistrationNotFound
		}
	}
	if _, ok := f.ActionItems[c.ID]; ok {
		return nil, fmt.Errorf("%w: action item id %s is taken", ErrConflict, c.ID)
	}
	if len(f.ActionItems) >= MaxActionItems {
		return nil, fmt.Errorf("%w: at most %d action items", ErrTooManyFollowUps, MaxActionItems)
	}
	return []Event{ActionItemAgreed{ActionItemID: c.ID, What: strings.TrimSpace(c.What), Who: who, DueBy: c.DueBy}}, nil
}

// CloseActionItem marks an action item done. By is the registration closing it, "" for an
// organiser; a registration must be the one the item names.
type CloseActionItem struct {
	ID ActionItemID
	By RegistrationID
}

// CloseActionItem decides that an item is done; closing a done item decides nothing.
func (w Workshop) CloseActionItem(c CloseActionItem) ([]Event, error) {
	a, err := w.actionItemFor(c.ID, c.By)
	if err != nil || a.Done {
		return nil, err
	}
	return []Event{ActionItemDone{ActionItemID: c.ID, By: c.By}}, nil
}

// ReopenActionItem takes a "done" back: someone ticked off the wrong item, or it turned out
// not finished. By is the registration reopening it, "" for an organiser; whoever may close
// an item may reopen it.
type ReopenActionItem struct {
	ID ActionItemID
	By RegistrationID
}

// ReopenActionItem decides that a done item is open again; reopening an open item decides
// nothing.
func (w Workshop) ReopenActionItem(c ReopenActionItem) ([]Event, error) {
	a, err := w.actionItemFor(c.ID, c.By)
	if err != nil || !a.Done {
		return nil, err
	}
	return []Event{ActionItemReopened{ActionItemID: c.ID, By: c.By}}, nil
}

// actionItemFor returns item id if by may close or reopen it: an organiser ("") or the
// registration the item names.
func (w Workshop) actionItemFor(id ActionItemID, by RegistrationID) (*ActionItem, error) {
	f, err := w.followUps()
	if err != nil {
		return nil, err
	}
	a, ok := f.ActionItems[id]
	if !ok {
		return nil, ErrActionItemNotFound
	}
	if by != "" && by != a.Who.RegistrationID {
		return nil, ErrNotActionOwner
	}
	return a, nil
}
