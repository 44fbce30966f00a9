package domain

import (
	"slices"
)

// Workshops of a series are recurring meetings: the closing discussion of one collects the
// topics for the next, and people agree on who prepares what until then. Topics, their votes
// and action items live in the Workshop aggregate where they were agreed, because votes and
// owners are registrations of that workshop. This file holds their state and how events change
// it; followup_commands.go holds the decisions and followup_events.go the events.

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
