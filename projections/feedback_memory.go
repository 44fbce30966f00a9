package projections

import (
	"context"
	"slices"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// feedbackRows are the rows of one workshop's feedback in a Memory store.
type feedbackRows struct {
	state          domain.FeedbackState
	questionnaires map[questionnaireKey]QuestionnaireRow
	answers        map[answerKey]storedAnswer
}

// storedAnswer is an AnswerRow without what its key and board hold: one of these is kept for
// every respondent of every questionnaire.
type storedAnswer struct {
	version int
	answers []answerItem
	at      time.Time
}

// answerItem is a domain.Answer in half its size: most answers are a scale.
type answerItem struct {
	question domain.QuestionID
	scale    int
	more     *answerMore // nil for no choices (nil) and no text
}

type answerMore struct {
	choices []string
	text    string
}

// answerFields are the fields of domain.Answer that answerItem keeps: the conversion below stops
// compiling when domain.Answer gains a field that answerItem would lose.
type answerFields struct {
	QuestionID domain.QuestionID
	Scale      int
	Choices    []string
	Text       string
}

var _ = domain.Answer(answerFields{})

func (t memoryTx) answerItems(as []domain.Answer) []answerItem {
	if as == nil {
		return nil
	}
	out := make([]answerItem, len(as))
	for i, a := range as {
		out[i] = answerItem{question: domain.QuestionID(t.m.intern(string(a.QuestionID))), scale: a.Scale}
		if a.Choices != nil || a.Text != "" {
			more := &answerMore{choices: slices.Clone(a.Choices), text: a.Text}
			for j, c := range more.choices {
				more.choices[j] = t.m.intern(c) // from the question's few choices
			}
			out[i].more = more
		}
	}
	return out
}

func (a storedAnswer) row(w domain.WorkshopID, k answerKey) AnswerRow {
	r := AnswerRow{Workshop: w, Questionnaire: k.questionnaire, Respondent: k.respondent, Version: a.version, At: a.at}
	if a.answers != nil {
		r.Answers = make([]domain.Answer, len(a.answers))
		for i, x := range a.answers {
			r.Answers[i] = domain.Answer{QuestionID: x.question, Scale: x.scale}
			if x.more != nil {
				r.Answers[i].Choices, r.Answers[i].Text = slices.Clone(x.more.choices), x.more.text
			}
		}
	}
	return r
}

type questionnaireKey struct {
	id      domain.QuestionnaireID
	version int
}

type answerKey struct {
	questionnaire domain.QuestionnaireID
	respondent    string
}

func (t memoryTx) PutFeedbackBoard(w domain.WorkshopID) {
	if _, ok := t.m.feedback[w]; !ok {
		t.m.feedback[w] = &feedbackRows{state: domain.AnswersNotOpen, questionnaires: map[questionnaireKey]QuestionnaireRow{},
			answers: map[answerKey]storedAnswer{}}
	}
}

func (t memoryTx) SetFeedbackState(w domain.WorkshopID, s domain.FeedbackState) {
	if b, ok := t.m.feedback[w]; ok {
		b.state = s
	}
}

func (t memoryTx) PutQuestionnaire(q QuestionnaireRow) {
	if b, ok := t.m.feedback[q.Workshop]; ok {
		b.questionnaires[questionnaireKey{q.ID, q.Version}] = cloneQuestionnaire(q)
	}
}

func (t memoryTx) PutFeedbackAnswer(a AnswerRow) {
	if b, ok := t.m.feedback[a.Workshop]; ok {
		a.Questionnaire = domain.QuestionnaireID(t.m.intern(string(a.Questionnaire)))
		b.answers[answerKey{a.Questionnaire, a.Respondent}] = storedAnswer{version: a.Version, answers: t.answerItems(a.Answers), at: a.At}
	}
}

// Feedback returns a workshop's feedback state and current questionnaires.
func (m *Memory) Feedback(_ context.Context, w domain.WorkshopID) (FeedbackView, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	b, ok := m.feedback[w]
	if !ok {
		return FeedbackView{}, domain.ErrWorkshopNotFound
	}
	latest := map[domain.QuestionnaireID]QuestionnaireRow{}
	for _, q := range b.questionnaires {
		if l, ok := latest[q.ID]; !ok || q.Version > l.Version {
			latest[q.ID] = q
		}
	}
	v := FeedbackView{Workshop: w, State: b.state, Questionnaires: make([]QuestionnaireRow, 0, len(latest))}
	for _, q := range latest {
		v.Questionnaires = append(v.Questionnaires, cloneQuestionnaire(q))
	}
	SortQuestionnaires(v.Questionnaires)
	return v, nil
}

// Evaluation returns a workshop's evaluation.
func (m *Memory) Evaluation(_ context.Context, w domain.WorkshopID) (FeedbackEvaluation, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	b, ok := m.feedback[w]
	if !ok {
		return FeedbackEvaluation{}, domain.ErrWorkshopNotFound
	}
	f := FeedbackFacts{Workshop: w, State: b.state, SessionDays: map[domain.SessionID]domain.Day{}}
	for _, q := range b.questionnaires {
		f.Questionnaires = append(f.Questionnaires, q)
	}
	for k, a := range b.answers {
		f.Answers = append(f.Answers, a.row(w, k))
	}
	if s, ok := m.sheets[w]; ok {
		s.eachCheckIn(func(c domain.CheckIn) { f.CheckIns = append(f.CheckIns, c) })
		for id, se := range s.sessions {
			f.SessionDays[id] = se.Day
		}
	}
	return Evaluate(f), nil // Evaluate copies what it returns
}
