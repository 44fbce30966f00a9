package projections

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/werkstatt/werkstatt/domain"
)

// Evaluate computes a workshop's evaluation from its facts: one entry per questionnaire
// version, the workshop's questionnaire first, then the sessions' by id, each by version.
func Evaluate(f FeedbackFacts) FeedbackEvaluation {
	qs := slices.Clone(f.Questionnaires)
	SortQuestionnaires(qs)
	current := map[domain.QuestionnaireID]int{}
	for _, q := range qs {
		current[q.ID] = max(current[q.ID], q.Version)
	}
	base := checkedIn(f.CheckIns, f.SessionDays)
	ev := FeedbackEvaluation{Workshop: f.Workshop, State: f.State, CheckedIn: base(""),
		Questionnaires: make([]QuestionnaireEvaluation, 0, len(qs))}
	for _, q := range qs {
		var answers []AnswerRow
		for _, a := range f.Answers {
			if a.Questionnaire == q.ID && a.Version == q.Version {
				answers = append(answers, a)
			}
		}
		e := evaluate(q, answers)
		e.Current = q.Version == current[q.ID]
		e.CheckedIn = base(q.SessionID)
		if e.CheckedIn > 0 {
			e.ResponseRate = float64(e.Responses) / float64(e.CheckedIn)
		}
		ev.Questionnaires = append(ev.Questionnaires, e)
	}
	return ev
}

// SortQuestionnaires orders questionnaires: the workshop's first, then the sessions' by id,
// each by version.
func SortQuestionnaires(qs []QuestionnaireRow) {
	slices.SortFunc(qs, func(a, b QuestionnaireRow) int {
		aw, bw := a.ID == domain.WorkshopQuestionnaire, b.ID == domain.WorkshopQuestionnaire
		if aw != bw {
			if aw {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Version, b.Version))
	})
}

// checkedIn returns the count of distinct people the response rate of a questionnaire about
// session s ("" for the workshop) is based on.
func checkedIn(checkIns []domain.CheckIn, days map[domain.SessionID]domain.Day) func(s domain.SessionID) int {
	return func(s domain.SessionID) int {
		count := func(keep func(domain.CheckIn) bool) int {
			people := map[domain.RegistrationID]bool{}
			for _, c := range checkIns {
				if keep(c) {
					people[c.RegistrationID] = true
				}
			}
			return len(people)
		}
		if s == "" {
			return count(func(domain.CheckIn) bool { return true })
		}
		if n := count(func(c domain.CheckIn) bool { return c.SessionID == s }); n > 0 {
			return n
		}
		day, ok := days[s]
		return count(func(c domain.CheckIn) bool { return ok && c.Day == day })
	}
}

// evaluate computes one questionnaire version from the answers to it.
func evaluate(q QuestionnaireRow, answers []AnswerRow) QuestionnaireEvaluation {
	e := QuestionnaireEvaluation{ID: q.ID, SessionID: q.SessionID, Version: q.Version, Responses: len(answers),
		Questions: make([]QuestionEvaluation, 0, len(q.Questions))}
	for _, question := range q.Questions {
		var given []domain.Answer
		for _, a := range answers {
			if i := slices.IndexFunc(a.Answers, func(x domain.Answer) bool { return x.QuestionID == question.ID }); i >= 0 {
				given = append(given, a.Answers[i])
			}
		}
		qe := evaluateQuestion(cloneQuestion(question), given)
		// Privacy: a question's texts are shown only when at least MinAnswersForTexts people
		// wrote one; how many answered the questionnaire does not matter (three responses with
		// one text would show that one text).
		if question.Kind == domain.FreeText && len(qe.Texts) > 0 && len(qe.Texts) < MinAnswersForTexts {
			qe.TextsWithheld, e.TextsWithheld = true, true
			qe.Texts = nil
		}
		e.Questions = append(e.Questions, qe)
	}
	return e
}

func evaluateQuestion(q domain.Question, given []domain.Answer) QuestionEvaluation {
	qe := QuestionEvaluation{Question: q, Answers: len(given)}
	switch q.Kind {
	case domain.ScaleQuestion:
		values := make([]int, 0, len(given))
		for _, a := range given {
			values = append(values, a.Scale)
		}
		for v := domain.ScaleMin; v <= domain.ScaleMax; v++ {
			qe.Distribution = append(qe.Distribution, ValueCount{strconv.Itoa(v), countOf(values, v)})
		}
		if len(values) > 0 {
			mean, median := meanAndMedian(values)
			qe.Mean, qe.Median = &mean, &median
		}
	case domain.SingleChoice, domain.MultipleChoice:
		var chosen []string
		for _, a := range given {
			chosen = append(chosen, a.Choices...)
		}
		for _, o := range q.Options {
			qe.Distribution = append(qe.Distribution, ValueCount{o.ID, countOf(chosen, o.ID)})
		}
	case domain.FreeText:
		for _, a := range given {
			if strings.TrimSpace(a.Text) != "" {
				qe.Texts = append(qe.Texts, a.Text)
			}
		}
		slices.Sort(qe.Texts)
	}
	return qe
}

func countOf[T comparable](xs []T, x T) int {
	n := 0
	for _, y := range xs {
		if y == x {
			n++
		}
	}
	return n
}

// meanAndMedian of a non-empty list; the median of an even count is the mean of the middle two.
func meanAndMedian(values []int) (float64, float64) {
	sorted := slices.Clone(values)
	slices.Sort(sorted)
	sum := 0
	for _, v := range sorted {
		sum += v
	}
	n := len(sorted)
	median := float64(sorted[n/2])
	if n%2 == 0 {
		median = float64(sorted[n/2-1]+sorted[n/2]) / 2
	}
	return float64(sum) / float64(n), median
}

func cloneQuestion(q domain.Question) domain.Question {
	q.Options = slices.Clone(q.Options)
	return q
}

// cloneQuestionnaire returns a copy that shares nothing with q.
func cloneQuestionnaire(q QuestionnaireRow) QuestionnaireRow {
	q.Questions = slices.Clone(q.Questions)
	for i := range q.Questions {
		q.Questions[i] = cloneQuestion(q.Questions[i])
	}
	return q
}
