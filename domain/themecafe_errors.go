package domain

// Rules of theme cafés that adapters or tests may want to tell apart.
var (
	ErrTableNotFound = newRule("table-not-found", "table not found", ErrNotFound)

	ErrNotThemeCafe     = newRule("not-theme-cafe", "the session is not a theme café", ErrConflict)
	ErrNoTables         = newRule("no-tables", "the theme café has no tables yet", ErrConflict)
	ErrAlreadyHosting   = newRule("already-hosting", "the registration already hosts another table of this café", ErrConflict)
	ErrCollectionClosed = newRule("collection-closed", "preferences can only be stated while their collection is open", ErrConflict)
	ErrNoPlan           = newRule("no-plan", "the theme café has no rotation plan yet", ErrConflict)
	ErrPlanOutdated     = newRule("plan-outdated", "the number of rounds changed since the plan was made: plan again first", ErrConflict)
	ErrNotTableHost     = newRule("not-table-host", "only the table's host or an organiser may record its notes", ErrConflict)

	// ErrNotConfirmedForCafe is a kind of ErrNotConfirmed: the API answers both as not-confirmed.
	ErrNotConfirmedForCafe = newRule("not-confirmed-for-cafe", "only a registration confirmed for the café's day can take part", ErrNotConfirmed)
)
