package domain

// The events of feedback. None of them carries a registration id or personal data: an answer
// names its respondent only by the respondent key, a keyed hash the caller derives.

// QuestionnaireSet records a questionnaire's questions. Version is the decision's result: the
// same version while nobody answered it, the next one after the first answer.
type QuestionnaireSet struct {
	QuestionnaireID QuestionnaireID `json:"questionnaire_id"`
	SessionID       SessionID       `json:"session_id,omitempty"`
	Version         int             `json:"version"`
	Questions       []Question      `json:"questions"`
}

// FeedbackOpened records that participants may answer the workshop's questionnaires.
type FeedbackOpened struct{}

// FeedbackClosed records that answers can no longer be given or changed.
type FeedbackClosed struct{}

// FeedbackAnswered records an anonymous answer to a version of a questionnaire. It replaces
// any earlier answer with the same RespondentKey to that questionnaire, whatever its version.
type FeedbackAnswered struct {
	QuestionnaireID QuestionnaireID `json:"questionnaire_id"`
	Version         int             `json:"version"`
	RespondentKey   string          `json:"respondent_key"`
	Answers         []Answer        `json:"answers"`
}

func (QuestionnaireSet) Name() string { return "feedback.questionnaire_set.v1" }
func (FeedbackOpened) Name() string   { return "feedback.opened.v1" }
func (FeedbackClosed) Name() string   { return "feedback.closed.v1" }
func (FeedbackAnswered) Name() string { return "feedback.answered.v1" }

var (
	_ = register[QuestionnaireSet]()
	_ = register[FeedbackOpened]()
	_ = register[FeedbackClosed]()
	_ = register[FeedbackAnswered]()
)
