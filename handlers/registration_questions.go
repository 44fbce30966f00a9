package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// registrationQuestionsBody sets the workshop's registration questions as a whole.
type registrationQuestionsBody struct {
	Questions *[]domain.RegistrationQuestion `json:"questions"`
}

type registrationQuestionsJSON struct {
	Questions []domain.RegistrationQuestion `json:"questions"`
}

// showRegistrationQuestions is public: the registration form needs them.
func (a *api) showRegistrationQuestions(c echo.Context) error {
	w, err := a.seenWorkshop(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, registrationQuestionsJSON{Questions: nonNil(w.RegistrationQuestions)})
}

// setRegistrationQuestions replaces the registration questions and answers them as they are
// now; an empty list removes them.
func (a *api) setRegistrationQuestions(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	var b registrationQuestionsBody
	if err := decode(c, &b); err != nil {
		return err
	}
	if b.Questions == nil {
		return domain.FieldErrors{{Field: "questions", Code: domain.CodeRequired, Detail: "must be a list of questions, [] for none"}}
	}
	res, err := run(a, c, id, app.ActorOrganiser, a.cmds.SetRegistrationQuestions, *b.Questions)
	if err != nil {
		return err
	}
	for _, e := range res.Events { // as decided, whether or not the read model caught up
		if s, ok := e.(domain.RegistrationQuestionsSet); ok {
			return c.JSON(http.StatusOK, registrationQuestionsJSON{Questions: nonNil(s.Questions)})
		}
	}
	return a.showRegistrationQuestions(c)
}

// shownAnswers returns the answers to the questions the workshop asks now, never nil.
func shownAnswers(qs []domain.RegistrationQuestion, answers map[string]string) map[string]string {
	out := map[string]string{}
	for _, q := range qs {
		if v, ok := answers[q.ID]; ok {
			out[q.ID] = v
		}
	}
	return out
}

// questionsOf returns the workshop's registration questions for showing registrations.
func (a *api) questionsOf(c echo.Context, id domain.WorkshopID) ([]domain.RegistrationQuestion, error) {
	w, err := a.Reader.Workshop(c.Request().Context(), id)
	if err != nil {
		return nil, err
	}
	return w.RegistrationQuestions, nil
}
