package postgres

import (
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// feedbackStatements are the SQL of the feedback's row operations (feedback.v1).
type feedbackStatements struct {
	putBoard, setState, putQuestionnaire, putAnswer string
}

// newFeedbackStatements builds the statements; q puts them into a generation schema.
func newFeedbackStatements(q func(string) string) feedbackStatements {
	return feedbackStatements{
		putBoard: q(`INSERT INTO rm.feedback_boards (workshop, state) VALUES ($1, 'not_open') ON CONFLICT DO NOTHING`),
		setState: q(`UPDATE rm.feedback_boards SET state = $2 WHERE workshop = $1`),
		putQuestionnaire: q(`INSERT INTO rm.feedback_questionnaires (workshop, id, version, session, questions, set_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (workshop, id, version) DO UPDATE SET session = $4, questions = $5, set_at = $6`),
		putAnswer: q(`INSERT INTO rm.feedback_answers (workshop, questionnaire, respondent, version, answers, answered_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (workshop, questionnaire, respondent) DO UPDATE SET version = $4, answers = $5, answered_at = $6`),
	}
}

func (r *rowQueue) PutFeedbackBoard(w domain.WorkshopID) {
	r.b.Queue(r.q.feedback.putBoard, w)
}

func (r *rowQueue) SetFeedbackState(w domain.WorkshopID, s domain.FeedbackState) {
	r.b.Queue(r.q.feedback.setState, w, s)
}

func (r *rowQueue) PutQuestionnaire(q projections.QuestionnaireRow) {
	qs := q.Questions
	if qs == nil {
		qs = []domain.Question{} // a nil slice would be SQL NULL
	}
	r.b.Queue(r.q.feedback.putQuestionnaire, q.Workshop, q.ID, q.Version, q.SessionID, qs, q.SetAt)
}

func (r *rowQueue) PutFeedbackAnswer(a projections.AnswerRow) {
	as := a.Answers
	if as == nil {
		as = []domain.Answer{}
	}
	r.b.Queue(r.q.feedback.putAnswer, a.Workshop, a.Questionnaire, a.Respondent, a.Version, as, a.At)
}
