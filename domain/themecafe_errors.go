package domain

// Rules of theme cafés that adapters or tests may want to tell apart.
var (
	ErrTableNotFound = &Rule{"table not found", ErrNotFound}

	ErrNotThemeCafe     = &Rule{"the session is not a theme café", ErrConflict}
	ErrNoTables         = &Rule{"the theme café has no tables yet", ErrConflict}
	ErrAlreadyHosting   = &Rule{"the registration already hosts another table of this café", ErrConflict}
	ErrCollectionClosed = &Rule{"preferences can only be stated while their collection is open", ErrConflict}
	ErrNoPlan           = &Rule{"the theme café has no rotation plan yet", ErrConflict}
	ErrPlanOutdated     = &Rule{"the number of rounds changed since the plan was made: plan again first", ErrConflict}
	ErrNotTableHost     = &Rule{"only the table's host or an organiser may record its notes", ErrConflict}

	ErrNotConfirmedForCafe = &Rule{"only a registration confirmed for the café's day can take part", ErrInvalid}
)
