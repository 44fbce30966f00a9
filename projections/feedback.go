package projections

import (
	"context"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// Evaluation builds what organisers read after a workshop: per questionnaire and version the
// number of responses, the response rate against the people checked in, and per question the
// count, mean, median, distribution and (with enough responses) the free-text answers. Its
// rows hold no registration id: an answer is known by its respondent key only. The people
// checked in come from the AttendanceSheet rows of the same store when the evaluation is read,
// so a report read while the models catch up may count check-ins one batch ahead or behind.
type Evaluation struct{}

// Name is stable: changing it rebuilds the model from the start of the log.
func (Evaluation) Name() string { return "feedback.v1" }

// Apply writes the rows that follow from e.
func (Evaluation) Apply(_ context.Context, tx Tx, r domain.Recorded) error {
	w := r.Workshop
	switch e := r.Event.(type) {
	case domain.WorkshopScheduled:
		tx.PutFeedbackBoard(w)
	case domain.QuestionnaireSet:
		tx.PutQuestionnaire(QuestionnaireRow{Workshop: w, ID: e.QuestionnaireID, SessionID: e.SessionID,
			Version: e.Version, Questions: e.Questions, SetAt: r.At})
	case domain.FeedbackOpened:
		tx.SetFeedbackState(w, domain.AnswersOpen)
	case domain.FeedbackClosed:
		tx.SetFeedbackState(w, domain.AnswersClosed)
	case domain.FeedbackAnswered:
		tx.PutFeedbackAnswer(AnswerRow{Workshop: w, Questionnaire: e.QuestionnaireID, Respondent: e.RespondentKey,
			Version: e.Version, Answers: e.Answers, At: r.At})
	}
	return nil
}

// QuestionnaireRow is one version of a questionnaire.
type QuestionnaireRow struct {
	Workshop  domain.WorkshopID      `json:"-"`
	ID        domain.QuestionnaireID `json:"id"`
	SessionID domain.SessionID       `json:"session_id,omitempty"`
	Version   int                    `json:"version"`
	Questions []domain.Question      `json:"questions"`
	SetAt     time.Time              `json:"set_at"`
}

// AnswerRow is one respondent's answer to a questionnaire, to the version they answered.
type AnswerRow struct {
	Workshop      domain.WorkshopID
	Questionnaire domain.QuestionnaireID
	Respondent    string
	Version       int
	Answers       []domain.Answer
	At            time.Time
}

// FeedbackRows are the rows of Evaluation. Operations on a board that does not exist do
// nothing.
type FeedbackRows interface {
	// PutFeedbackBoard records a workshop's feedback, not open yet.
	PutFeedbackBoard(w domain.WorkshopID)
	SetFeedbackState(w domain.WorkshopID, s domain.FeedbackState)
	// PutQuestionnaire records a version of a questionnaire, replacing the same version.
	PutQuestionnaire(q QuestionnaireRow)
	// PutFeedbackAnswer records an answer, replacing the respondent's earlier answer to the
	// questionnaire whatever its version.
	PutFeedbackAnswer(a AnswerRow)
}

// FeedbackReader reads feedback.
type FeedbackReader interface {
	// Feedback returns a workshop's feedback state and the current version of each of its
	// questionnaires, or domain.ErrWorkshopNotFound.
	Feedback(ctx context.Context, w domain.WorkshopID) (FeedbackView, error)
	// Evaluation returns a workshop's evaluation (see Evaluate), or domain.ErrWorkshopNotFound.
	Evaluation(ctx context.Context, w domain.WorkshopID) (FeedbackEvaluation, error)
}

// FeedbackView is what a participant answers: the state and the current questionnaires, the
// workshop's first, then the sessions' by id.
type FeedbackView struct {
	Workshop       domain.WorkshopID    `json:"workshop_id"`
	State          domain.FeedbackState `json:"state"`
	Questionnaires []QuestionnaireRow   `json:"questionnaires"`
}

// FeedbackFacts is what an evaluation is computed from. Stores load it; Evaluate computes, so
// that every store reports the same numbers.
type FeedbackFacts struct {
	Workshop       domain.WorkshopID
	State          domain.FeedbackState
	Questionnaires []QuestionnaireRow // every version
	Answers        []AnswerRow
	CheckIns       []domain.CheckIn                // of the AttendanceSheet
	SessionDays    map[domain.SessionID]domain.Day // of the AttendanceSheet's sessions
}

// MinAnswersForTexts is how many people must have written an answer to a free-text question
// (of one questionnaire version) before its texts are shown: fewer would let readers guess who
// wrote what. It counts the non-empty answers to that question, not the responses to the
// questionnaire.
const MinAnswersForTexts = 3

// FeedbackEvaluation is a workshop's evaluation. CheckedIn counts the distinct people checked
// in on any day or at any session.
type FeedbackEvaluation struct {
	Workshop       domain.WorkshopID         `json:"workshop_id"`
	State          domain.FeedbackState      `json:"state"`
	CheckedIn      int                       `json:"checked_in"`
	Questionnaires []QuestionnaireEvaluation `json:"questionnaires"`
}

// QuestionnaireEvaluation evaluates one version of a questionnaire. CheckedIn is the response
// rate's base: for the workshop's questionnaire everyone checked in; for a session's, the
// people checked in at that session or, when nobody was checked in there, on its day.
// ResponseRate is Responses / CheckedIn, 0 when nobody was checked in; it may exceed 1 when
// people answered without being checked in.
type QuestionnaireEvaluation struct {
	ID           domain.QuestionnaireID `json:"id"`
	SessionID    domain.SessionID       `json:"session_id,omitempty"`
	Version      int                    `json:"version"`
	Current      bool                   `json:"current"`
	Responses    int                    `json:"responses"`
	CheckedIn    int                    `json:"checked_in"`
	ResponseRate float64                `json:"response_rate"`
	// TextsWithheld reports that some question's free-text answers exist but are not shown
	// (see QuestionEvaluation.TextsWithheld).
	TextsWithheld bool                 `json:"texts_withheld"`
	Questions     []QuestionEvaluation `json:"questions"`
}

// QuestionEvaluation evaluates one question. Answers counts the people who answered it. Mean
// and Median are set for scale questions with answers. Distribution counts each scale value
// (ScaleMin to ScaleMax) or each option, in order; a multiple-choice answer counts once per
// chosen option. Texts are the free-text answers, sorted so that their order tells nothing
// about who answered when. TextsWithheld reports that the question's free-text answers exist
// but are not shown: fewer than MinAnswersForTexts people wrote one.
type QuestionEvaluation struct {
	Question      domain.Question `json:"question"`
	Answers       int             `json:"answers"`
	Mean          *float64        `json:"mean,omitempty"`
	Median        *float64        `json:"median,omitempty"`
	Distribution  []ValueCount    `json:"distribution,omitempty"`
	Texts         []string        `json:"texts,omitempty"`
	TextsWithheld bool            `json:"texts_withheld,omitempty"`
}

// ValueCount is how often a scale value ("1" to "5") or an option id was given.
type ValueCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}
