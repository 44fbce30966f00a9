package domain

// Rules of feedback that adapters or tests may want to tell apart.
var (
	ErrQuestionnaireNotFound = newRule("questionnaire-not-found", "questionnaire not found", ErrNotFound)

	ErrFeedbackNotOpen       = newRule("feedback-not-open", "answers can only be given or changed while feedback is open", ErrConflict)
	ErrNotConfirmedForAnswer = newRule("not-confirmed-for-answer", "only a confirmed registration may give feedback", ErrInvalid)
)
