package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// Feedback of a workshop: organisers set the questionnaires (the workshop's and, optionally,
// one per session) and open and close feedback; participants answer with their token, and a
// repeat changes their answer; organisers read the evaluation. Answers are anonymous: the
// handler turns questionnaire and registration into a keyed hash (the respondent key), and only
// that reaches the log.

// questionnaireParam returns the :qid of the path and the session it is about.
func questionnaireParam(c echo.Context) (domain.QuestionnaireID, domain.SessionID, error) {
	q := domain.QuestionnaireID(c.Param("qid"))
	s, ok := q.Session()
	if !ok {
		return "", "", domain.ErrQuestionnaireNotFound
	}
	return q, s, nil
}

// showFeedback answers the state and the current questionnaires, to the organiser and to the
// workshop's participants.
func (a *api) showFeedback(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	if _, err := a.workshopAccess(c, id); err != nil {
		return err
	}
	return a.answerFeedbackView(c, id)
}

func (a *api) answerFeedbackView(c echo.Context, id domain.WorkshopID) error {
	v, err := a.Reader.Feedback(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (a *api) openFeedback(c echo.Context) error {
	return a.feedbackCommand(c, a.cmds.OpenFeedback)
}

func (a *api) closeFeedback(c echo.Context) error {
	return a.feedbackCommand(c, a.cmds.CloseFeedback)
}

// feedbackCommand is an organiser's command without a body; it answers the feedback view.
func (a *api) feedbackCommand(c echo.Context, u app.UseCase) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	if _, err := a.use(c, id, app.ActorOrganiser, u); err != nil {
		return err
	}
	return a.answerFeedbackView(c, id)
}

type questionnaireBody struct {
	// Questions absent or null means the default questionnaire.
	Questions *[]domain.Question `json:"questions"`
}

// setQuestionnaire sets a questionnaire's questions and answers it as now current.
func (a *api) setQuestionnaire(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	qid, sid, err := questionnaireParam(c)
	if err != nil {
		return err
	}
	var b questionnaireBody
	if err := decode(c, &b); err != nil {
		return err
	}
	questions := domain.DefaultQuestions()
	if b.Questions != nil {
		questions = *b.Questions
	}
	res, err := run(a, c, id, app.ActorOrganiser, a.cmds.SetQuestionnaire, domain.SetQuestionnaire{SessionID: sid, Questions: questions})
	if err != nil {
		return err
	}
	v, err := a.Reader.Feedback(c.Request().Context(), id)
	if err != nil && !lagging(err) {
		return err
	}
	var latest *projections.QuestionnaireRow
	for i, q := range v.Questionnaires {
		if q.ID == qid && (latest == nil || q.Version > latest.Version) {
			latest = &v.Questionnaires[i]
		}
	}
	for _, e := range res.Events { // the read model lags beyond the wait: the questions are as decided
		if s, ok := e.(domain.QuestionnaireSet); ok && (latest == nil || latest.Version < s.Version) {
			latest = &projections.QuestionnaireRow{Workshop: id, ID: s.QuestionnaireID, SessionID: s.SessionID,
				Version: s.Version, Questions: s.Questions, SetAt: a.Now().UTC()}
		}
	}
	if latest == nil {
		return domain.ErrQuestionnaireNotFound // nothing decided (the same questions) and nothing readable yet
	}
	return c.JSON(http.StatusOK, *latest)
}

type answerBody struct {
	Answers []domain.Answer `json:"answers"`
}

type answeredJSON struct {
	QuestionnaireID domain.QuestionnaireID `json:"questionnaire_id"`
	Version         int                    `json:"version"`
	Answers         []domain.Answer        `json:"answers"`
}

var errAnswerOwnFeedback = newProblem(http.StatusForbidden, "feedback is given by participants with their own token")

// answerFeedback records a participant's answer, or changes it.
func (a *api) answerFeedback(c echo.Context) error {
	id, acc, err := a.caller(c)
	if err != nil {
		return err
	}
	if acc.actor == app.ActorOrganiser {
		return errAnswerOwnFeedback
	}
	qid, _, err := questionnaireParam(c)
	if err != nil {
		return err
	}
	var b answerBody
	if err := decode(c, &b); err != nil {
		return err
	}
	cmd := domain.AnswerFeedback{QuestionnaireID: qid, RegistrationID: acc.view.ID,
		RespondentKey: app.RespondentKey(a.Pseudonyms, id, qid, acc.view.ID), Answers: b.Answers}
	// The log records the answer under the public actor: the participant's id beside it would
	// undo the anonymity.
	res, err := run(a, c, id, app.ActorPublic, a.cmds.AnswerFeedback, cmd)
	if err != nil {
		return err
	}
	out := answeredJSON{QuestionnaireID: qid, Answers: []domain.Answer{}}
	for _, e := range res.Events {
		if p, ok := e.(domain.FeedbackAnswered); ok {
			out.Version, out.Answers = p.Version, nonNil(p.Answers)
		}
	}
	return c.JSON(http.StatusOK, out)
}

// evaluation answers the workshop's evaluation to the organiser or the lead of its series.
func (a *api) evaluation(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	ev, err := a.Reader.Evaluation(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if ev.Questionnaires == nil {
		ev.Questionnaires = []projections.QuestionnaireEvaluation{}
	}
	return c.JSON(http.StatusOK, ev)
}
