package web

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// A participant's feedback page, opened with their token from their personal page or through
// the public entry behind the QR code (feedback_entry.go, which may select one questionnaire)
// while feedback is open: one form per questionnaire (the workshop's, then the sessions'), scales as
// radio groups, choices, free text. Answers are anonymous: the command carries only the
// respondent key, a keyed hash of workshop, questionnaire and registration built exactly as the
// JSON API builds it, and goes to the log under the public actor. For the same reason the page
// cannot show a person's earlier answer; sending the form again replaces it.

// ownFeedback is the participant's feedback page.
type ownFeedback struct {
	W     projections.WorkshopView
	R     projections.RegistrationView
	Token string
	State domain.FeedbackState
	Forms []questionnaireForm
	// Selected is the questionnaire a QR code led to (?q=): the page shows it alone, with a link
	// to the others, so that a phone shows one short form. "" shows every questionnaire.
	Selected domain.QuestionnaireID
	Saved    bool
	// Message is a rejection that is not about the answers (feedback closed meanwhile): the
	// forms may be gone, so it stands at the top.
	Message string
	rows    []projections.QuestionnaireRow // the questionnaires the forms show, in their order
}

// Path is the participant's address of the page, without the token.
func (v ownFeedback) Path() string { return personalPath(v.W.ID, v.R.ID) + "/feedback" }

// Shows reports whether the page shows the form of questionnaire q.
func (v ownFeedback) Shows(q domain.QuestionnaireID) bool { return v.Selected == "" || v.Selected == q }

// Others reports whether the page leaves out questionnaires the participant may answer too.
func (v ownFeedback) Others() bool { return v.Selected != "" && len(v.Forms) > 1 }

// Open reports whether the participant may answer now.
func (v ownFeedback) Open() bool {
	return v.State == domain.AnswersOpen && v.R.Status == domain.Confirmed
}

// questionnaireForm is the form of one questionnaire.
type questionnaireForm struct {
	ID        domain.QuestionnaireID
	Heading   string
	Questions []questionField
	Message   string
}

// questionField is one question as the form shows it. Name is the form field, ID the prefix of
// the page's ids (unique across the questionnaires of the page).
type questionField struct {
	ID, Name string
	Kind     domain.QuestionKind
	Text     string
	Required bool
	Options  []choice // the scale values or the options
	Value    string   // a free text
	Error    string
}

// Choice reports whether the question is answered by ticking.
func (q questionField) Choice() bool { return q.Kind != domain.FreeText }

// Multiple reports whether several options may be ticked.
func (q questionField) Multiple() bool { return q.Kind == domain.MultipleChoice }

// Scale reports whether the question is a scale.
func (q questionField) Scale() bool { return q.Kind == domain.ScaleQuestion }

type choice struct {
	Value, Label string
	Checked      bool
}

// local picks the text in the page's language, or the other one when that is missing.
func (t texts) local(x domain.Text) string {
	if t.lang == "en" {
		return cmp.Or(x.En, x.De)
	}
	return cmp.Or(x.De, x.En)
}

func (s *site) ownFeedback(c echo.Context, token string) (ownFeedback, error) {
	w, r, err := s.actingRegistration(c, token)
	if err != nil {
		return ownFeedback{}, err
	}
	fb, err := s.cfg.Reader.Feedback(c.Request().Context(), w.ID)
	if err != nil {
		return ownFeedback{}, err
	}
	v := ownFeedback{W: w, R: r, Token: token, State: fb.State, Saved: c.QueryParam("saved") == "1",
		rows: fb.Questionnaires}
	t := s.texts(c)
	for _, q := range fb.Questionnaires {
		v.Forms = append(v.Forms, newQuestionnaireForm(t, w, q, form{Values: map[string][]string{}}))
		if string(q.ID) == c.FormValue("q") {
			v.Selected = q.ID
		}
	}
	return v, nil
}

// newQuestionnaireForm builds the form of q with what f holds.
func newQuestionnaireForm(t texts, w projections.WorkshopView, q projections.QuestionnaireRow, f form) questionnaireForm {
	qf := questionnaireForm{ID: q.ID, Heading: questionnaireHeading(t, w, q.SessionID), Message: f.Message}
	for _, question := range q.Questions {
		name := "a." + string(question.ID)
		field := questionField{ID: string(q.ID) + "-" + string(question.ID), Name: name, Kind: question.Kind,
			Text: t.local(question.Text), Required: question.Required, Value: f.V(name), Error: f.E(string(question.ID))}
		if question.Kind == domain.ScaleQuestion {
			for n := domain.ScaleMin; n <= domain.ScaleMax; n++ {
				v := strconv.Itoa(n)
				field.Options = append(field.Options, choice{Value: v, Label: v, Checked: f.Checked(name, v)})
			}
		}
		for _, o := range question.Options {
			field.Options = append(field.Options, choice{Value: o.ID, Label: t.local(o.Text), Checked: f.Checked(name, o.ID)})
		}
		qf.Questions = append(qf.Questions, field)
	}
	return qf
}

// answersOf reads the answers to q from f; unanswered questions are left out, so that the
// domain names the required ones.
func answersOf(q projections.QuestionnaireRow, f form) []domain.Answer {
	var answers []domain.Answer
	for _, question := range q.Questions {
		name := "a." + string(question.ID)
		a := domain.Answer{QuestionID: question.ID}
		switch question.Kind {
		case domain.ScaleQuestion:
			if v := f.V(name); v != "" {
				n, err := strconv.Atoi(v)
				if err != nil {
					n = -1 // not a number: the domain says what a scale wants
				}
				a.Scale = n
			}
		case domain.FreeText:
			a.Text = f.V(name)
		default:
			a.Choices = f.Values[name]
		}
		if a.Scale != 0 || len(a.Choices) > 0 || strings.TrimSpace(a.Text) != "" {
			answers = append(answers, a)
		}
	}
	return answers
}

func (s *site) showOwnFeedback(c echo.Context) error {
	v, err := s.ownFeedback(c, c.QueryParam("token"))
	if err != nil {
		return err
	}
	return s.renderOwnFeedback(c, http.StatusOK, v)
}

func (s *site) renderOwnFeedback(c echo.Context, status int, v ownFeedback) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, status, "feedback-participant.html", "OwnFeedbackTitle", v)
}

// answerOwnFeedback records the answers of one questionnaire, or changes them.
func (s *site) answerOwnFeedback(c echo.Context) error {
	token := c.FormValue("token")
	v, err := s.ownFeedback(c, token)
	if err != nil {
		return err
	}
	f, err := submitted(c)
	if err != nil {
		return err
	}
	qid := domain.QuestionnaireID(f.V("questionnaire"))
	i := slices.IndexFunc(v.rows, func(q projections.QuestionnaireRow) bool { return q.ID == qid })
	if i < 0 {
		return domain.ErrQuestionnaireNotFound
	}
	q := v.rows[i]
	cmd := domain.AnswerFeedback{QuestionnaireID: qid, RegistrationID: v.R.ID,
		RespondentKey: app.RespondentKey(s.cfg.Pseudonyms, v.W.ID, qid, v.R.ID), Answers: answersOf(q, f)}
	// The public actor, as in the JSON API: the participant's id beside the answer would undo
	// the anonymity.
	_, err = s.cmds.AnswerFeedback(c.Request().Context(), v.W.ID, app.Op{Actor: app.ActorPublic}, cmd)
	if err != nil {
		if !f.rejectedAnswer(s.texts(c), err) {
			return err
		}
		if len(f.Errors) == 0 || !v.Open() {
			v.Message, f.Message = f.Message, ""
		}
		v.Forms[i] = newQuestionnaireForm(s.texts(c), v.W, q, f)
		return s.renderOwnFeedback(c, http.StatusUnprocessableEntity, v)
	}
	if v.Selected != "" {
		return seeOther(c, v.Path(), "token", token, "q", string(v.Selected), "saved", "1")
	}
	return seeOther(c, v.Path(), "token", token, "saved", "1")
}

// feedbackRules are the rules an answer may run into, each with the message of its code.
var feedbackRules = []*domain.Rule{domain.ErrFeedbackNotOpen, domain.ErrNotConfirmedForAnswer}

// rejectedAnswer puts the domain's objections to an answer into f, by question id.
func (f *form) rejectedAnswer(t texts, err error) bool {
	var fe domain.FieldErrors
	switch {
	case errors.As(err, &fe):
		for _, e := range fe {
			id, ok := strings.CutPrefix(e.Field, "answers.")
			msg := "ErrInvalidAnswer"
			if e.Code == domain.CodeRequired {
				msg = "ErrAnswerRequired"
			}
			if !ok {
				id = "" // an answer to a question the form does not have: the whole form
			}
			if _, seen := f.Errors[id]; id != "" && !seen {
				f.Errors[id] = t.T(msg)
			}
		}
		f.Message = t.T("ErrForm")
		return true
	}
	if msg, ok := t.ruleMessage(err, feedbackRules); ok {
		f.Message = msg
		return true
	}
	return false
}
