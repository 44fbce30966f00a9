package domain

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// feedback returns the workshop's feedback state, or ErrWorkshopNotFound.
func (w Workshop) feedback() (*Feedback, error) {
	if !w.Scheduled() || w.Feedback == nil {
		return nil, ErrWorkshopNotFound
	}
	return w.Feedback, nil
}

// SetQuestionnaire sets the questions of the workshop's questionnaire (SessionID "") or of a
// session's.
type SetQuestionnaire struct {
	SessionID SessionID
	Questions []Question
}

// SetQuestionnaire decides a questionnaire's questions. Until someone answered it they replace
// the current version; afterwards they become the next version, and the answers given stay
// with the version they answered.
func (w Workshop) SetQuestionnaire(c SetQuestionnaire) ([]Event, error) {
	f, err := w.feedback()
	if err != nil {
		return nil, err
	}
	if c.SessionID != "" {
		if _, ok := w.Sessions[c.SessionID]; !ok {
			return nil, ErrSessionNotFound
		}
	}
	qs, err := checkQuestions(c.Questions)
	if err != nil {
		return nil, err
	}
	id := QuestionnaireFor(c.SessionID)
	version := 1
	if q, ok := f.Questionnaires[id]; ok {
		if equalQuestions(q.Questions, qs) {
			return nil, nil
		}
		version = q.Version
		if q.Answered() {
			version++
		}
	}
	return []Event{QuestionnaireSet{QuestionnaireID: id, SessionID: c.SessionID, Version: version, Questions: qs}}, nil
}

// checkQuestions validates questions and returns them with trimmed texts.
func checkQuestions(qs []Question) ([]Question, error) {
	var fe FieldErrors
	if len(qs) == 0 || len(qs) > MaxQuestions {
		fe.add("questions", CodeOutOfRange, fmt.Sprintf("must hold between 1 and %d questions", MaxQuestions))
	}
	out := cloneQuestions(qs)
	for i := range out {
		q := &out[i]
		field := fmt.Sprintf("questions[%d]", i)
		switch {
		case q.ID == "" || utf8.RuneCountInString(string(q.ID)) > maxQuestionIDLen || strings.ContainsRune(string(q.ID), ' ') ||
			!ValidText(string(q.ID), false):
			fe.add(field+".id", CodeNotAnID, fmt.Sprintf("must be a word of at most %d characters", maxQuestionIDLen))
		case slices.ContainsFunc(out[:i], func(x Question) bool { return x.ID == q.ID }):
			fe.add(field+".id", CodeNamedTwice, fmt.Sprintf("%q is named twice", q.ID))
		}
		checkLocalText(&fe, field+".text", &q.Text)
		choice := q.Kind == SingleChoice || q.Kind == MultipleChoice
		switch {
		case !slices.Contains(QuestionKinds, q.Kind):
			fe.add(field+".kind", CodeNotInList, "must be one of scale, single_choice, multiple_choice, text")
		case choice && (len(q.Options) < 2 || len(q.Options) > MaxOptions):
			fe.add(field+".options", CodeOutOfRange, fmt.Sprintf("a choice question needs between 2 and %d options", MaxOptions))
		case !choice && len(q.Options) > 0:
			fe.add(field+".options", CodeNotAllowed, "only a choice question has options")
		}
		for j := range q.Options {
			o := &q.Options[j]
			if o.ID = strings.TrimSpace(o.ID); o.ID == "" || slices.ContainsFunc(q.Options[:j], func(x Option) bool { return x.ID == o.ID }) {
				fe.add(fmt.Sprintf("%s.options[%d].id", field, j), CodeNamedTwice, "must be set and differ from the other options'")
			} else {
				checkID(&fe, fmt.Sprintf("%s.options[%d].id", field, j), o.ID)
			}
			checkLocalText(&fe, fmt.Sprintf("%s.options[%d].text", field, j), &o.Text)
		}
	}
	return out, fe.err()
}

// checkLocalText trims t and checks that it has a German or English text of bounded length.
func checkLocalText(fe *FieldErrors, field string, t *Text) {
	t.De, t.En = strings.TrimSpace(t.De), strings.TrimSpace(t.En)
	if t.De == "" && t.En == "" {
		fe.add(field, CodeRequired, "needs a German or an English text")
		return
	}
	n := len(*fe)
	checkText(fe, field, t.De, false, maxQuestionText)
	if len(*fe) == n {
		checkText(fe, field, t.En, false, maxQuestionText)
	}
}

func equalQuestions(a, b []Question) bool {
	return slices.EqualFunc(a, b, func(x, y Question) bool {
		return x.ID == y.ID && x.Kind == y.Kind && x.Text == y.Text && x.Required == y.Required && slices.Equal(x.Options, y.Options)
	})
}

// OpenFeedback lets participants answer. A workshop without a questionnaire of its own gets
// DefaultQuestions in the same decision. Opening open feedback decides nothing.
func (w Workshop) OpenFeedback() ([]Event, error) {
	f, err := w.feedback()
	if err != nil || f.State == AnswersOpen {
		return nil, err
	}
	var events []Event
	if _, ok := f.Questionnaires[WorkshopQuestionnaire]; !ok {
		events = append(events, QuestionnaireSet{QuestionnaireID: WorkshopQuestionnaire, Version: 1, Questions: DefaultQuestions()})
	}
	return append(events, FeedbackOpened{}), nil
}

// CloseFeedback ends the collection; closing closed feedback decides nothing.
func (w Workshop) CloseFeedback() ([]Event, error) {
	f, err := w.feedback()
	if err != nil || f.State != AnswersOpen {
		return nil, err
	}
	return []Event{FeedbackClosed{}}, nil
}

// AnswerFeedback answers a questionnaire. RegistrationID is checked and then dropped: the
// event carries only RespondentKey, a keyed hash of questionnaire and registration that the
// caller computes, so that a repeat replaces the earlier answer.
type AnswerFeedback struct {
	QuestionnaireID QuestionnaireID
	RegistrationID  RegistrationID
	RespondentKey   string
	Answers         []Answer
}

// AnswerFeedback decides an answer: feedback must be open, the registration confirmed, and
// the answers must fit the current version's questions.
func (w Workshop) AnswerFeedback(c AnswerFeedback) ([]Event, error) {
	f, err := w.feedback()
	if err != nil {
		return nil, err
	}
	r, ok := w.Registrations[c.RegistrationID]
	if !ok {
		return nil, ErrRegistrationNotFound
	}
	if r.Status != Confirmed {
		return nil, fmt.Errorf("%w: the registration is %s", ErrNotConfirmedForAnswer, r.Status)
	}
	q, ok := f.Questionnaires[c.QuestionnaireID]
	if !ok {
		return nil, ErrQuestionnaireNotFound
	}
	if c.RespondentKey == "" {
		return nil, FieldErrors{{"respondent_key", CodeRequired, "must not be empty"}}
	}
	answers, err := checkAnswers(q, c.Answers)
	if err != nil {
		return nil, err
	}
	if f.State != AnswersOpen {
		return nil, ErrFeedbackNotOpen
	}
	return []Event{FeedbackAnswered{QuestionnaireID: q.ID, Version: q.Version, RespondentKey: c.RespondentKey,
		Answers: answers}}, nil
}

// checkAnswers checks answers against q's questions and returns them in question order,
// trimmed, without empty ones.
func checkAnswers(q *Questionnaire, answers []Answer) ([]Answer, error) {
	var fe FieldErrors
	given := map[QuestionID]Answer{}
	for i, a := range answers {
		field := fmt.Sprintf("answers[%d]", i)
		if _, ok := q.Question(a.QuestionID); !ok {
			fe.add(field+".question_id", CodeNotAQuestion, fmt.Sprintf("%q is not a question of this questionnaire", a.QuestionID))
		} else if _, twice := given[a.QuestionID]; twice {
			fe.add(field+".question_id", CodeNamedTwice, fmt.Sprintf("%q is answered twice", a.QuestionID))
		}
		a.Text = strings.TrimSpace(a.Text)
		given[a.QuestionID] = a
	}
	var out []Answer
	for _, question := range q.Questions {
		a, ok := given[question.ID]
		field := "answers." + string(question.ID)
		if !ok || empty(a) {
			if question.Required {
				fe.add(field, CodeRequired, "is required")
			}
			continue
		}
		if code, detail := fits(question, a); code != "" {
			fe.add(field, code, detail)
		}
		out = append(out, Answer{QuestionID: a.QuestionID, Scale: a.Scale, Choices: slices.Clone(a.Choices), Text: a.Text})
	}
	return out, fe.err()
}

func empty(a Answer) bool { return a.Scale == 0 && len(a.Choices) == 0 && a.Text == "" }

// fits says what is wrong with a as an answer to q: the rule's code and its detail, "" when
// nothing is.
func fits(q Question, a Answer) (code, detail string) {
	switch q.Kind {
	case ScaleQuestion:
		if len(a.Choices) > 0 || a.Text != "" || a.Scale < ScaleMin || a.Scale > ScaleMax {
			return CodeInvalidAnswer, fmt.Sprintf("must be a scale value from %d to %d", ScaleMin, ScaleMax)
		}
	case FreeText:
		if a.Scale != 0 || len(a.Choices) > 0 || utf8.RuneCountInString(a.Text) > MaxAnswerText {
			return CodeInvalidAnswer, fmt.Sprintf("must be a text of at most %d characters", MaxAnswerText)
		}
		if code, detail := textProblem(a.Text, true); code != "" {
			return code, detail
		}
	default:
		if a.Scale != 0 || a.Text != "" || (q.Kind == SingleChoice && len(a.Choices) != 1) {
			return CodeInvalidAnswer, "must name the chosen option"
		}
		for i, c := range a.Choices {
			if !slices.ContainsFunc(q.Options, func(o Option) bool { return o.ID == c }) || slices.Contains(a.Choices[:i], c) {
				return CodeInvalidAnswer, fmt.Sprintf("%q is not an option or is named twice", c)
			}
		}
	}
	return "", ""
}
