package domain

import (
	"maps"
	"slices"
	"strings"
)

// Feedback is collected per workshop: one questionnaire for the whole workshop and, optionally,
// one per session. It lives in the Workshop aggregate because only people confirmed for the
// workshop may answer. Answers are anonymous: the state and the events know a respondent only
// by a keyed hash (the respondent key) that the caller derives from questionnaire and
// registration, so that each person answers each questionnaire once and may change the answer,
// while nobody can tell from the log who gave it. This file holds the state, the events and
// how they change it; feedback_commands.go holds the decisions.

// QuestionnaireID names a questionnaire of a workshop: WorkshopQuestionnaire, or the
// questionnaire of a session (see QuestionnaireFor).
type QuestionnaireID string

// WorkshopQuestionnaire is the id of the questionnaire about the workshop as a whole.
const WorkshopQuestionnaire QuestionnaireID = "workshop"

// sessionQuestionnairePrefix keeps session questionnaires apart from WorkshopQuestionnaire
// whatever a session's id is.
const sessionQuestionnairePrefix = "session-"

// QuestionnaireFor returns the id of the questionnaire of session s, or WorkshopQuestionnaire
// for the empty session.
func QuestionnaireFor(s SessionID) QuestionnaireID {
	if s == "" {
		return WorkshopQuestionnaire
	}
	return QuestionnaireID(sessionQuestionnairePrefix + string(s))
}

// Session returns the session the questionnaire is about, "" for the whole workshop, and
// whether q is a well-formed questionnaire id at all.
func (q QuestionnaireID) Session() (SessionID, bool) {
	if q == WorkshopQuestionnaire {
		return "", true
	}
	s, ok := strings.CutPrefix(string(q), sessionQuestionnairePrefix)
	if !ok || s == "" {
		return "", false
	}
	return SessionID(s), true
}

// QuestionKind is how a question is answered.
type QuestionKind string

const (
	// ScaleQuestion is answered with a whole number from ScaleMin to ScaleMax.
	ScaleQuestion QuestionKind = "scale"
	// SingleChoice is answered with exactly one of the options.
	SingleChoice QuestionKind = "single_choice"
	// MultipleChoice is answered with one or more distinct options.
	MultipleChoice QuestionKind = "multiple_choice"
	// FreeText is answered in the respondent's words.
	FreeText QuestionKind = "text"
)

// QuestionKinds lists every kind in the order forms offer them.
var QuestionKinds = []QuestionKind{ScaleQuestion, SingleChoice, MultipleChoice, FreeText}

// The range of every scale question: 1 is the worst, 5 the best.
const (
	ScaleMin = 1
	ScaleMax = 5
)

// Limits of questionnaires and answers, so that one request cannot bloat every replay.
const (
	MaxQuestions     = 30
	MaxOptions       = 20
	MaxAnswerText    = 2000
	maxQuestionText  = 300
	maxQuestionIDLen = 40
)

// QuestionID names a question within its questionnaire.
type QuestionID string

// Text is a text in German and English; at least one of them is set.
type Text struct {
	De string `json:"de,omitempty"`
	En string `json:"en,omitempty"`
}

// Option is a possible answer of a choice question.
type Option struct {
	ID   string `json:"id"`
	Text Text   `json:"text"`
}

// Question is one question of a questionnaire. Options are set exactly for choice questions.
type Question struct {
	ID       QuestionID   `json:"id"`
	Kind     QuestionKind `json:"kind"`
	Text     Text         `json:"text"`
	Options  []Option     `json:"options,omitempty"`
	Required bool         `json:"required,omitempty"`
}

// Answer answers one question: Scale for a scale question, Choices (option ids) for a choice
// question, Text for a free-text one.
type Answer struct {
	QuestionID QuestionID `json:"question_id"`
	Scale      int        `json:"scale,omitempty"`
	Choices    []string   `json:"choices,omitempty"`
	Text       string     `json:"text,omitempty"`
}

// FeedbackState is whether participants may answer.
type FeedbackState string

const (
	AnswersNotOpen FeedbackState = "not_open"
	AnswersOpen    FeedbackState = "open"
	AnswersClosed  FeedbackState = "closed"
)

// DefaultQuestions is the questionnaire a workshop gets when feedback opens before an
// organiser set one: four scales and three free-text questions.
func DefaultQuestions() []Question {
	scale := func(id, de, en string) Question {
		return Question{ID: QuestionID(id), Kind: ScaleQuestion, Text: Text{De: de, En: en}, Required: true}
	}
	text := func(id, de, en string) Question {
		return Question{ID: QuestionID(id), Kind: FreeText, Text: Text{De: de, En: en}}
	}
	return []Question{
		scale("satisfaction", "Wie zufrieden waren Sie insgesamt?", "How satisfied were you overall?"),
		scale("content", "Wie bewerten Sie die Inhalte?", "How do you rate the content?"),
		scale("organisation", "Wie bewerten Sie die Organisation?", "How do you rate the organisation?"),
		scale("usefulness", "Wie nützlich ist die Werkstatt für Ihre eigene Arbeit?", "How useful is the workshop for your own work?"),
		text("most_useful", "Was war am nützlichsten?", "What was most useful?"),
		text("missing", "Was hat gefehlt?", "What was missing?"),
		text("next_topics", "Welche Themen wünschen Sie sich für die nächste Werkstatt?", "Which topics would you like for the next workshop?"),
	}
}

// Questionnaire is the current version of a questionnaire. Respondents maps the respondent
// key of everyone who answered to the version they answered.
type Questionnaire struct {
	ID          QuestionnaireID
	SessionID   SessionID
	Version     int
	Questions   []Question
	Respondents map[string]int
}

// Answered reports whether someone answered the current version: from then on a change of
// questions makes a new version, so that reports keep answers to different questions apart.
func (q *Questionnaire) Answered() bool {
	for _, v := range q.Respondents {
		if v == q.Version {
			return true
		}
	}
	return false
}

// Question returns the question id of the current version.
func (q *Questionnaire) Question(id QuestionID) (Question, bool) {
	i := slices.IndexFunc(q.Questions, func(x Question) bool { return x.ID == id })
	if i < 0 {
		return Question{}, false
	}
	return q.Questions[i], true
}

// Feedback is the feedback state of a workshop.
type Feedback struct {
	State          FeedbackState
	Questionnaires map[QuestionnaireID]*Questionnaire
}

func newFeedback() *Feedback {
	return &Feedback{State: AnswersNotOpen, Questionnaires: map[QuestionnaireID]*Questionnaire{}}
}

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

func (QuestionnaireSet) Name() string { return "feedback.questionnaire_set.v1" }

var _ = register[QuestionnaireSet]()

// FeedbackOpened records that participants may answer the workshop's questionnaires.
type FeedbackOpened struct{}

func (FeedbackOpened) Name() string { return "feedback.opened.v1" }

var _ = register[FeedbackOpened]()

// FeedbackClosed records that answers can no longer be given or changed.
type FeedbackClosed struct{}

func (FeedbackClosed) Name() string { return "feedback.closed.v1" }

var _ = register[FeedbackClosed]()

// FeedbackAnswered records an anonymous answer to a version of a questionnaire. It replaces
// any earlier answer with the same RespondentKey to that questionnaire, whatever its version.
type FeedbackAnswered struct {
	QuestionnaireID QuestionnaireID `json:"questionnaire_id"`
	Version         int             `json:"version"`
	RespondentKey   string          `json:"respondent_key"`
	Answers         []Answer        `json:"answers"`
}

func (FeedbackAnswered) Name() string { return "feedback.answered.v1" }

var _ = register[FeedbackAnswered]()

// evolveFeedback applies the events of feedback to w (which Evolve has set up).
func (w Workshop) evolveFeedback(e Event) {
	f := w.Feedback
	switch e := e.(type) {
	case QuestionnaireSet:
		q, ok := f.Questionnaires[e.QuestionnaireID]
		if !ok {
			q = &Questionnaire{ID: e.QuestionnaireID, SessionID: e.SessionID, Respondents: map[string]int{}}
			f.Questionnaires[e.QuestionnaireID] = q
		}
		q.Version, q.Questions = e.Version, cloneQuestions(e.Questions)
	case FeedbackOpened:
		f.State = AnswersOpen
	case FeedbackClosed:
		f.State = AnswersClosed
	case FeedbackAnswered:
		if q, ok := f.Questionnaires[e.QuestionnaireID]; ok {
			q.Respondents[e.RespondentKey] = e.Version
		}
	}
}

func cloneQuestions(qs []Question) []Question {
	out := slices.Clone(qs)
	for i := range out {
		out[i].Options = slices.Clone(out[i].Options)
	}
	return out
}

func (f *Feedback) clone() *Feedback {
	if f == nil {
		return nil
	}
	c := &Feedback{State: f.State, Questionnaires: make(map[QuestionnaireID]*Questionnaire, len(f.Questionnaires))}
	for k, q := range f.Questionnaires {
		d := *q
		d.Questions, d.Respondents = cloneQuestions(q.Questions), maps.Clone(q.Respondents)
		c.Questionnaires[k] = &d
	}
	return c
}
