package domain

import (
	"slices"
)

// Workshops of a series are recurring meetings: the closing discussion of one collects the
// topics for the next, and people agree on who prepares what until then. Topics, their votes
// and action items live in the Workshop aggregate where they were agreed, because votes and
// owners are registrations of that workshop. This file holds their state, the events and how
// they change it; followup_commands.go holds the decisions.

// Identifiers of follow-ups, single subject tokens like every id.
type (
	TopicID      string
	ActionItemID string
)

// DefaultVoteLimit is how many topics each participant may vote for until an organiser sets
// another limit (dot voting).
const DefaultVoteLimit = 3

// Limits of follow-ups, so that one workshop cannot bloat every replay of the log.
const (
	MaxVoteLimit   = 20
	MaxTopics      = 300
	MaxActionItems = 300
)

// SourceKind is where a topic came up.
type SourceKind string

const (
	FromSession           SourceKind = "session"
	FromThemeCafeTable    SourceKind = "theme_cafe_table"
	FromFeedback          SourceKind = "feedback"
	FromClosingDiscussion SourceKind = "closing_discussion"
	FromOther             SourceKind = "other"
)

// SourceKinds lists every kind of source in the order forms offer them.
var SourceKinds = []SourceKind{FromSession, FromThemeCafeTable, FromFeedback, FromClosingDiscussion, FromOther}

// TopicSource is where a topic came from: a session of the workshop, a table of one of its
// theme cafés (SessionID and TableID), or a kind without ids.
type TopicSource struct {
	Kind      SourceKind `json:"kind"`
	SessionID SessionID  `json:"session_id,omitempty"`
	TableID   TableID    `json:"table_id,omitempty"`
}

// TopicStatus is where a topic stands. TopicMerged is not set by a status change: a merge
// sets it.
type TopicStatus string

const (
	TopicOpen      TopicStatus = "open"
	TopicPlanned   TopicStatus = "planned"
	TopicAddressed TopicStatus = "addressed"
	TopicDropped   TopicStatus = "dropped"
	TopicMerged    TopicStatus = "merged"
)

// TopicStatuses lists the statuses an organiser may set.
var TopicStatuses = []TopicStatus{TopicOpen, TopicPlanned, TopicAddressed, TopicDropped}

// TopicLink is the session (or theme-café table) of a later workshop of the same series that
// takes a planned topic up.
type TopicLink struct {
	Workshop  WorkshopID `json:"workshop_id"`
	SessionID SessionID  `json:"session_id"`
	TableID   TableID    `json:"table_id,omitempty"`
}

// Voting is where the vote on a workshop's topics stands.
type Voting string

const (
	VotingNotOpen Voting = "not_open"
	VotingOpen    Voting = "open"
	VotingClosed  Voting = "closed"
)

// Topic is a follow-up topic. ProposedBy is the registration that proposed it, "" for an
// organiser.
type Topic struct {
	ID          TopicID
	Title       string
	Description string
	Source      TopicSource
	ProposedBy  RegistrationID
	Status      TopicStatus
	Link        *TopicLink // set while planned
	MergedInto  TopicID    // set when merged
	MergedFrom  []TopicID  // topics merged into this one, in merge order
}

// ActionOwner is who prepares an action item: a registration of the workshop or an
// organisation, never both.
type ActionOwner struct {
	RegistrationID RegistrationID `json:"registration_id,omitempty"`
	Organisation   string         `json:"organisation,omitempty"`
}

// ActionItem is something agreed in the meeting that someone prepares until the next one.
// DueBy "" means no date; DoneBy "" on a done item means an organiser closed it.
type ActionItem struct {
	ID     ActionItemID
	What   string
	Who    ActionOwner
	DueBy  Day
	Done   bool
	DoneBy RegistrationID
}

// FollowUps is the follow-up state of a workshop.
type FollowUps struct {
	Topics map[TopicID]*Topic
	Order  []TopicID // as proposed
	// Votes holds each voter's topics, a set in the order they were named; never empty.
	Votes       map[RegistrationID][]TopicID
	VoteLimit   int
	Voting      Voting
	ActionItems map[ActionItemID]*ActionItem
}

func newFollowUps() *FollowUps {
	return &FollowUps{Topics: map[TopicID]*Topic{}, Votes: map[RegistrationID][]TopicID{},
		VoteLimit: DefaultVoteLimit, Voting: VotingNotOpen, ActionItems: map[ActionItemID]*ActionItem{}}
}

// Voters counts the distinct people who voted for topic.
func (f *FollowUps) Voters(topic TopicID) int {
	n := 0
	for _, ts := range f.Votes {
		if slices.Contains(ts, topic) {
			n++
		}
	}
	return n
}

// The events of follow-up topics and action items. Topic titles, descriptions and action texts
// are not personal data; registrations appear by id only.

// TopicProposed records a follow-up topic for the next meeting. ProposedBy is "" for an
// organiser.
type TopicProposed struct {
	TopicID     TopicID        `json:"topic_id"`
	Title       string         `json:"title"`
	Description string         `json:"description,omitempty"`
	Source      TopicSource    `json:"source"`
	ProposedBy  RegistrationID `json:"proposed_by,omitempty"`
}

func (TopicProposed) Name() string { return "followup.topic_proposed.v1" }

var _ = register[TopicProposed]()

// VotesCast records the topics a participant votes for; it replaces their earlier votes, and
// an empty list withdraws them.
type VotesCast struct {
	RegistrationID RegistrationID `json:"registration_id"`
	Topics         []TopicID      `json:"topic_ids"`
}

func (VotesCast) Name() string { return "followup.votes_cast.v1" }

var _ = register[VotesCast]()

// TopicVotingOpened records that participants may vote on the workshop's topics.
type TopicVotingOpened struct{}

func (TopicVotingOpened) Name() string { return "followup.voting_opened.v1" }

var _ = register[TopicVotingOpened]()

// TopicVotingClosed records that votes can no longer change.
type TopicVotingClosed struct{}

func (TopicVotingClosed) Name() string { return "followup.voting_closed.v1" }

var _ = register[TopicVotingClosed]()

// VoteLimitSet records how many topics each participant may vote for.
type VoteLimitSet struct {
	Limit int `json:"limit"`
}

func (VoteLimitSet) Name() string { return "followup.vote_limit_set.v1" }

var _ = register[VoteLimitSet]()

// TopicsMerged records that TopicID was a duplicate of Into. The decision carries its result:
// the votes of Moved go to Into; Returned voted for both and get their vote on TopicID back,
// so nobody counts twice.
type TopicsMerged struct {
	TopicID  TopicID          `json:"topic_id"`
	Into     TopicID          `json:"into"`
	Moved    []RegistrationID `json:"moved,omitempty"`
	Returned []RegistrationID `json:"returned,omitempty"`
}

func (TopicsMerged) Name() string { return "followup.topics_merged.v1" }

var _ = register[TopicsMerged]()

// TopicStatusChanged records a topic's new status; Link is set exactly when it is planned.
type TopicStatusChanged struct {
	TopicID TopicID     `json:"topic_id"`
	Status  TopicStatus `json:"status"`
	Link    *TopicLink  `json:"link,omitempty"`
}

func (TopicStatusChanged) Name() string { return "followup.topic_status_changed.v1" }

var _ = register[TopicStatusChanged]()

// ActionItemAgreed records something agreed in the meeting: what, who prepares it, and by when
// ("" for no date).
type ActionItemAgreed struct {
	ActionItemID ActionItemID `json:"action_item_id"`
	What         string       `json:"what"`
	Who          ActionOwner  `json:"who"`
	DueBy        Day          `json:"due_by,omitempty"`
}

func (ActionItemAgreed) Name() string { return "followup.action_item_agreed.v1" }

var _ = register[ActionItemAgreed]()

// ActionItemDone records that an action item was done; By is the registration that closed it,
// "" for an organiser. When it was closed is the time of the event.
type ActionItemDone struct {
	ActionItemID ActionItemID   `json:"action_item_id"`
	By           RegistrationID `json:"by,omitempty"`
}

func (ActionItemDone) Name() string { return "followup.action_item_done.v1" }

var _ = register[ActionItemDone]()

// ActionItemReopened records that a done action item is open again: it was ticked off by
// mistake or turned out not finished. By is the registration that reopened it, "" for an
// organiser. Who closed it before stays in the log; the item's state forgets it.
type ActionItemReopened struct {
	ActionItemID ActionItemID   `json:"action_item_id"`
	By           RegistrationID `json:"by,omitempty"`
}

func (ActionItemReopened) Name() string { return "followup.action_item_reopened.v1" }

var _ = register[ActionItemReopened]()

// evolveFollowUps applies the events of follow-ups to w (which Evolve has set up). An event
// about a topic or item that does not exist changes nothing: Evolve never fails.
func (w Workshop) evolveFollowUps(e Event) {
	f := w.FollowUps
	switch e := e.(type) {
	case RegistrationCancelled:
		delete(f.Votes, e.RegistrationID) // only confirmed people vote
	case TopicProposed:
		f.Topics[e.TopicID] = &Topic{ID: e.TopicID, Title: e.Title, Description: e.Description,
			Source: e.Source, ProposedBy: e.ProposedBy, Status: TopicOpen}
		f.Order = append(f.Order, e.TopicID)
	case VotesCast:
		if len(e.Topics) == 0 {
			delete(f.Votes, e.RegistrationID)
		} else {
			f.Votes[e.RegistrationID] = slices.Clone(e.Topics)
		}
	case TopicVotingOpened:
		f.Voting = VotingOpen
	case TopicVotingClosed:
		f.Voting = VotingClosed
	case VoteLimitSet:
		f.VoteLimit = e.Limit
	case TopicsMerged:
		f.merge(e)
	case TopicStatusChanged:
		if t, ok := f.Topics[e.TopicID]; ok {
			t.Status, t.Link = e.Status, cloneLink(e.Link)
		}
	case ActionItemAgreed:
		f.ActionItems[e.ActionItemID] = &ActionItem{ID: e.ActionItemID, What: e.What, Who: e.Who, DueBy: e.DueBy}
	case ActionItemDone:
		if a, ok := f.ActionItems[e.ActionItemID]; ok {
			a.Done, a.DoneBy = true, e.By
		}
	case ActionItemReopened:
		if a, ok := f.ActionItems[e.ActionItemID]; ok {
			a.Done, a.DoneBy = false, ""
		}
	}
}

// merge moves the votes as the decision computed them: Moved voters' vote goes to Into,
// Returned voters (who voted for both) get theirs back.
func (f *FollowUps) merge(e TopicsMerged) {
	from, ok := f.Topics[e.TopicID]
	into, ok2 := f.Topics[e.Into]
	if !ok || !ok2 {
		return
	}
	from.Status, from.MergedInto, from.Link = TopicMerged, e.Into, nil
	into.MergedFrom = append(into.MergedFrom, e.TopicID)
	for _, r := range e.Moved {
		if ts, ok := f.Votes[r]; ok {
			f.Votes[r] = replaceTopic(ts, e.TopicID, e.Into)
		}
	}
	for _, r := range e.Returned {
		if ts := slices.DeleteFunc(slices.Clone(f.Votes[r]), func(t TopicID) bool { return t == e.TopicID }); len(ts) == 0 {
			delete(f.Votes, r)
		} else {
			f.Votes[r] = ts
		}
	}
}

func replaceTopic(ts []TopicID, old, new TopicID) []TopicID {
	out := slices.Clone(ts)
	for i, t := range out {
		if t == old {
			out[i] = new
		}
	}
	return out
}

func cloneLink(l *TopicLink) *TopicLink {
	if l == nil {
		return nil
	}
	c := *l
	return &c
}

func (f *FollowUps) clone() *FollowUps {
	if f == nil {
		return nil
	}
	c := &FollowUps{Topics: make(map[TopicID]*Topic, len(f.Topics)), Order: slices.Clone(f.Order),
		Votes: make(map[RegistrationID][]TopicID, len(f.Votes)), VoteLimit: f.VoteLimit, Voting: f.Voting,
		ActionItems: make(map[ActionItemID]*ActionItem, len(f.ActionItems))}
	for k, t := range f.Topics {
		d := *t
		d.Link, d.MergedFrom = cloneLink(t.Link), slices.Clone(t.MergedFrom)
		c.Topics[k] = &d
	}
	for k, v := range f.Votes {
		c.Votes[k] = slices.Clone(v)
	}
	for k, a := range f.ActionItems {
		d := *a
		c.ActionItems[k] = &d
	}
	return c
}
