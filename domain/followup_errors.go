package domain

// Rules of follow-up topics and action items that adapters or tests may want to tell apart.
var (
	ErrTopicNotFound      = newRule("topic-not-found", "topic not found", ErrNotFound)
	ErrActionItemNotFound = newRule("action-item-not-found", "action item not found", ErrNotFound)

	ErrVotingNotOpen     = newRule("voting-not-open", "votes can only be cast while voting is open", ErrConflict)
	ErrOverVoteLimit     = newRule("over-vote-limit", "more topics than the workshop's vote limit", ErrConflict)
	ErrTopicMerged       = newRule("topic-merged", "the topic was merged into another one", ErrConflict)
	ErrNotLaterInSeries  = newRule("not-later-in-series", "a topic can only be planned into a later workshop of the same series", ErrConflict)
	ErrNotActionOwner    = newRule("not-action-owner", "only the person the action item names or an organiser may close or reopen it", ErrConflict)
	ErrTooManyFollowUps  = newRule("too-many-follow-ups", "the workshop holds as many topics or action items as it may", ErrConflict)
	ErrNotConfirmedToAct = newRule("not-confirmed-to-act", "only a confirmed registration may propose or vote", ErrInvalid)
)
