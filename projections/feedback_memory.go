package projections

import (
	"context"
	"slices"

	"github.com/werkstatt/werkstatt/domain"
)

// feedbackRows are the rows of one workshop's feedback in a Memory store.
type feedbackRows struct {
	state          domain.FeedbackState
	questionnaires map[questionnaireKey]QuestionnaireRow
	answers        map[answerKey]AnswerRow
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
			answers: map[answerKey]AnswerRow{}}
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
		a.Workshop, a.Questionnaire = t.m.internWorkshop(a.Workshop), domain.QuestionnaireID(t.m.intern(string(a.Questionnaire)))
		a.Answers = cloneAnswers(a.Answers)
		for i := range a.Answers {
			x := &a.Answers[i]
			x.QuestionID = domain.QuestionID(t.m.intern(string(x.QuestionID)))
			for j, c := range x.Choices {
				x.Choices[j] = t.m.intern(c) // from the question's few choices
			}
		}
		b.answers[answerKey{a.Questionnaire, a.Respondent}] = a
	}
}

func cloneAnswers(as []domain.Answer) []domain.Answer {
	out := slices.Clone(as)
	for i := range out {
		out[i].Choices = slices.Clone(out[i].Choices)
	}
	return out
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
	for _, a := range b.answers {
		f.Answers = append(f.Answers, a)
	}
	if s, ok := m.sheets[w]; ok {
		s.eachCheckIn(func(c domain.CheckIn) { f.CheckIns = append(f.CheckIns, c) })
		for id, se := range s.sessions {
			f.SessionDays[id] = se.Day
		}
	}
	return Evaluate(f), nil // Evaluate copies what it returns
}
