package projections

import (
	"context"
	"encoding/binary"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// feedbackRows are the rows of one workshop's feedback in a Memory store.
type feedbackRows struct {
	state          domain.FeedbackState
	questionnaires map[questionnaireKey]QuestionnaireRow
	answers        map[answerKey]storedAnswer
}

type questionnaireKey struct {
	id      domain.QuestionnaireID
	version int
}

type answerKey struct {
	questionnaire domain.QuestionnaireID
	respondent    string
}

// storedAnswer is an AnswerRow without what its key and board hold: one of these is kept for
// every respondent of every questionnaire, so its answers are packed into one string (see
// packAnswers) and unpacked when read: a tenth of the size of the []domain.Answer of a
// handful of scales and short texts.
type storedAnswer struct {
	version int
	answers string
	at      time.Time
}

// answerFields are the fields of domain.Answer that packAnswers keeps: the conversion below
// stops compiling when domain.Answer gains a field that packing would lose.
type answerFields struct {
	QuestionID domain.QuestionID
	Scale      int
	Choices    []string
	Text       string
}

var _ = domain.Answer(answerFields{})

// packAnswers encodes as: nothing for nil, else 1 and per answer its question id, scale
// (zigzag), choices (0 for nil, else 1+count, then each) and text; strings as length and bytes.
func packAnswers(as []domain.Answer) string {
	if as == nil {
		return ""
	}
	b := []byte{1}
	str := func(s string) []byte { return append(binary.AppendUvarint(b, uint64(len(s))), s...) }
	for _, a := range as {
		b = str(string(a.QuestionID))
		b = binary.AppendVarint(b, int64(a.Scale))
		if a.Choices == nil {
			b = binary.AppendUvarint(b, 0)
		} else {
			b = binary.AppendUvarint(b, uint64(len(a.Choices))+1)
			for _, c := range a.Choices {
				b = str(c)
			}
		}
		b = str(a.Text)
	}
	return string(b)
}

// answerReader reads what packAnswers wrote; a malformed string (only from a damaged snapshot)
// reads as fewer answers.
type answerReader struct {
	s   string
	bad bool
}

// uvarint is binary.Uvarint over a string.
func (r *answerReader) uvarint() uint64 {
	var x uint64
	for i := 0; i < len(r.s) && i < binary.MaxVarintLen64; i++ {
		b := r.s[i]
		x |= uint64(b&0x7f) << (7 * i)
		if b < 0x80 {
			r.s = r.s[i+1:]
			return x
		}
	}
	r.bad, r.s = true, ""
	return 0
}

// varint is binary.Varint over a string.
func (r *answerReader) varint() int64 {
	ux := r.uvarint()
	x := int64(ux >> 1)
	if ux&1 != 0 {
		x = ^x
	}
	return x
}

func (r *answerReader) str() string {
	n := r.uvarint()
	if n > uint64(len(r.s)) {
		r.bad, r.s = true, ""
		return ""
	}
	out := r.s[:n]
	r.s = r.s[n:]
	return out
}

// next reads one answer; choices tells whether to build its choices (a count only needs its
// question and scale).
func (r *answerReader) next(choices bool) (a domain.Answer, ok bool) {
	if r.s == "" || r.bad {
		return a, false
	}
	a.QuestionID, a.Scale = domain.QuestionID(r.str()), int(r.varint())
	if n := r.uvarint(); n > 0 && n-1 <= uint64(len(r.s)) {
		if choices {
			a.Choices = make([]string, 0, n-1)
		}
		for range n - 1 {
			if c := r.str(); choices {
				a.Choices = append(a.Choices, c)
			}
		}
	} else if n > 0 {
		r.bad, r.s = true, ""
	}
	a.Text = r.str()
	return a, !r.bad
}

func unpackAnswers(s string) []domain.Answer {
	if s == "" {
		return nil
	}
	out := []domain.Answer{}
	r := answerReader{s: s[1:]}
	for a, ok := r.next(true); ok; a, ok = r.next(true) {
		out = append(out, a)
	}
	return out
}

// scaleOf returns the scale of the first answer to question, as Evaluate counts it.
func (a storedAnswer) scaleOf(question domain.QuestionID) (int, bool) {
	if a.answers == "" {
		return 0, false
	}
	r := answerReader{s: a.answers[1:]}
	for x, ok := r.next(false); ok; x, ok = r.next(false) {
		if x.QuestionID == question {
			return x.Scale, true
		}
	}
	return 0, false
}

func (a storedAnswer) row(w domain.WorkshopID, k answerKey) AnswerRow {
	return AnswerRow{Workshop: w, Questionnaire: k.questionnaire, Respondent: k.respondent, Version: a.version,
		Answers: unpackAnswers(a.answers), At: a.at}
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
		b.answers[answerKey{a.Questionnaire, a.Respondent}] = storedAnswer{version: a.Version, answers: packAnswers(a.Answers), at: a.At}
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
