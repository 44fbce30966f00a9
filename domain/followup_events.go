package domain

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

// VotesCast records the topics a participant votes for; it replaces their earlier votes, and
// an empty list withdraws them.
type VotesCast struct {
	RegistrationID RegistrationID `json:"registration_id"`
	Topics         []TopicID      `json:"topic_ids"`
}

// TopicVotingOpened records that participants may vote on the workshop's topics.
type TopicVotingOpened struct{}

// TopicVotingClosed records that votes can no longer change.
type TopicVotingClosed struct{}

// VoteLimitSet records how many topics each participant may vote for.
type VoteLimitSet struct {
	Limit int `json:"limit"`
}

// TopicsMerged records that TopicID was a duplicate of Into. The decision carries its result:
// the votes of Moved go to Into; Returned voted for both and get their vote on TopicID back,
// so nobody counts twice.
type TopicsMerged struct {
	TopicID  TopicID          `json:"topic_id"`
	Into     TopicID          `json:"into"`
	Moved    []RegistrationID `json:"moved,omitempty"`
	Returned []RegistrationID `json:"returned,omitempty"`
}

// TopicStatusChanged records a topic's new status; Link is set exactly when it is planned.
type TopicStatusChanged struct {
	TopicID TopicID     `json:"topic_id"`
	Status  TopicStatus `json:"status"`
	Link    *TopicLink  `json:"link,omitempty"`
}

// ActionItemAgreed records something agreed in the meeting: what, who prepares it, and by when
// ("" for no date).
type ActionItemAgreed struct {
	ActionItemID ActionItemID `json:"action_item_id"`
	What         string       `json:"what"`
	Who          ActionOwner  `json:"who"`
	DueBy        Day          `json:"due_by,omitempty"`
}

// ActionItemDone records that an action item was done; By is the registration that closed it,
// "" for an organiser. When it was closed is the time of the event.
type ActionItemDone struct {
	ActionItemID ActionItemID   `json:"action_item_id"`
	By           RegistrationID `json:"by,omitempty"`
}

// ActionItemReopened records that a done action item is open again: it was ticked off by
// mistake or turned out not finished. By is the registration that reopened it, "" for an
// organiser. Who closed it before stays in the log; the item's state forgets it.
type ActionItemReopened struct {
	ActionItemID ActionItemID   `json:"action_item_id"`
	By           RegistrationID `json:"by,omitempty"`
}

func (TopicProposed) Name() string      { return "followup.topic_proposed.v1" }
func (VotesCast) Name() string          { return "followup.votes_cast.v1" }
func (TopicVotingOpened) Name() string  { return "followup.voting_opened.v1" }
func (TopicVotingClosed) Name() string  { return "followup.voting_closed.v1" }
func (VoteLimitSet) Name() string       { return "followup.vote_limit_set.v1" }
func (TopicsMerged) Name() string       { return "followup.topics_merged.v1" }
func (TopicStatusChanged) Name() string { return "followup.topic_status_changed.v1" }
func (ActionItemAgreed) Name() string   { return "followup.action_item_agreed.v1" }
func (ActionItemDone) Name() string     { return "followup.action_item_done.v1" }
func (ActionItemReopened) Name() string { return "followup.action_item_reopened.v1" }

var (
	_ = register[TopicProposed]()
	_ = register[VotesCast]()
	_ = register[TopicVotingOpened]()
	_ = register[TopicVotingClosed]()
	_ = register[VoteLimitSet]()
	_ = register[TopicsMerged]()
	_ = register[TopicStatusChanged]()
	_ = register[ActionItemAgreed]()
	_ = register[ActionItemDone]()
	_ = register[ActionItemReopened]()
)
