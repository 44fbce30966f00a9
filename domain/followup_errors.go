package domain

// Rules of follow-up topics and action items that adapters or tests may want to tell apart.
var (
	ErrTopicNotFound      = &Rule{"topic not found", ErrNotFound}
	ErrActionItemNotFound = &Rule{"action item not found", ErrNotFound}

	ErrVotingNotOpen     = &Rule{"votes can only be cast while voting is open", ErrConflict}
	ErrOverVoteLimit     = &Rule{"more topics than the workshop's vote limit", ErrConflict}
	ErrTopicMerged       = &Rule{"the topic was merged into another one", ErrConflict}
	ErrNotLaterInSeries  = &Rule{"a topic can only be planned into a later workshop of the same series", ErrConflict}
	ErrNotActionOwner    = &Rule{"only the person the action item names or an organiser may close or reopen it", ErrConflict}
	ErrTooManyFollowUps  = &Rule{"the workshop holds as many topics or action items as it may", ErrConflict}
	ErrNotConfirmedToAct = &Rule{"only a confirmed registration may propose or vote", ErrInvalid}
)
