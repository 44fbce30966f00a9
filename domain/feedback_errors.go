package domain

// Rules of feedback that adapters or tests may want to tell apart.
var (
	ErrQuestionnaireNotFound = &Rule{"questionnaire not found", ErrNotFound}

	ErrFeedbackNotOpen       = &Rule{"answers can only be given or changed while feedback is open", ErrConflict}
	ErrNotConfirmedForAnswer = &Rule{"only a confirmed registration may give feedback", ErrInvalid}
)
