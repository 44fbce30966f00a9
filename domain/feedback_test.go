package domain_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

func init() {
	everyEvent = append(everyEvent,
		domain.QuestionnaireSet{QuestionnaireID: "session-s1", SessionID: "s1", Version: 2, Questions: []domain.Question{
			{ID: "q1", Kind: domain.SingleChoice, Text: domain.Text{De: "Wie?", En: "How?"}, Required: true,
				Options: []domain.Option{{ID: "a", Text: domain.Text{De: "Gut"}}, {ID: "b", Text: domain.Text{En: "Bad"}}}}}},
		domain.FeedbackOpened{},
		domain.FeedbackClosed{},
		domain.FeedbackAnswered{QuestionnaireID: "workshop", Version: 3, RespondentKey: "k9",
			Answers: []domain.Answer{{QuestionID: "q1", Scale: 4}, {QuestionID: "q2", Choices: []string{"a", "b"}}, {QuestionID: "q3", Text: "Mehr Pausen"}}},
	)
}

// Questions of the tests: a required scale, an optional multiple choice and a free text.
var (
	scaleQ  = domain.Question{ID: "overall", Kind: domain.ScaleQuestion, Text: domain.Text{De: "Insgesamt?"}, Required: true}
	choiceQ = domain.Question{ID: "format", Kind: domain.MultipleChoice, Text: domain.Text{En: "Formats?"},
		Options: []domain.Option{{ID: "talk", Text: domain.Text{En: "Talks"}}, {ID: "cafe", Text: domain.Text{En: "Café"}}}}
	textQ = domain.Question{ID: "missing", Kind: domain.FreeText, Text: domain.Text{De: "Was fehlte?", En: "What was missing?"}}
	ours  = []domain.Question{scaleQ, choiceQ, textQ}
)

func questionnaireSet(version int, qs ...domain.Question) domain.Event {
	return domain.QuestionnaireSet{QuestionnaireID: domain.WorkshopQuestionnaire, Version: version, Questions: qs}
}

func answered(key string, version int, scale int) domain.Event {
	return domain.FeedbackAnswered{QuestionnaireID: domain.WorkshopQuestionnaire, Version: version, RespondentKey: key,
		Answers: []domain.Answer{{QuestionID: "overall", Scale: scale}}}
}

// feedbackBase is the follow-up workshop (confirmed a, b, c; waitlisted w; cancelled x) with
// our questionnaire and feedback open.
func feedbackBase() []domain.Event {
	return history(followBase(), questionnaireSet(1, ours...), domain.FeedbackOpened{})
}

func setQuestionnaire(c domain.SetQuestionnaire) command {
	return func(w domain.Workshop) ([]domain.Event, error) { return w.SetQuestionnaire(c) }
}

func answer(c domain.AnswerFeedback) command {
	return func(w domain.Workshop) ([]domain.Event, error) { return w.AnswerFeedback(c) }
}

func TestSetQuestionnaire(t *testing.T) {
	changed := textQ
	changed.Required = true
	runDecisions(t, []decision{
		{name: "a first questionnaire is version 1", given: followBase(),
			when: setQuestionnaire(domain.SetQuestionnaire{Questions: ours}), then: []domain.Event{questionnaireSet(1, ours...)}},
		{name: "texts are trimmed", given: followBase(),
			when: setQuestionnaire(domain.SetQuestionnaire{Questions: []domain.Question{{ID: "overall", Kind: domain.ScaleQuestion,
				Text: domain.Text{De: " Insgesamt? "}, Required: true}}}),
			then: []domain.Event{questionnaireSet(1, scaleQ)}},
		{name: "a change before the first answer keeps the version", given: history(followBase(), questionnaireSet(1, ours...)),
			when: setQuestionnaire(domain.SetQuestionnaire{Questions: []domain.Question{scaleQ, changed}}),
			then: []domain.Event{questionnaireSet(1, scaleQ, changed)}},
		{name: "a change after the first answer makes a new version", given: history(feedbackBase(), answered("k1", 1, 4)),
			when: setQuestionnaire(domain.SetQuestionnaire{Questions: []domain.Question{scaleQ, changed}}),
			then: []domain.Event{questionnaireSet(2, scaleQ, changed)}},
		{name: "answers to an old version do not count for the current one",
			given: history(feedbackBase(), answered("k1", 1, 4), questionnaireSet(2, scaleQ)),
			when:  setQuestionnaire(domain.SetQuestionnaire{Questions: []domain.Question{scaleQ, textQ}}),
			then:  []domain.Event{questionnaireSet(2, scaleQ, textQ)}},
		{name: "the same questions decide nothing", given: history(feedbackBase(), answered("k1", 1, 4)),
			when: setQuestionnaire(domain.SetQuestionnaire{Questions: ours})},
		{name: "a session's questionnaire", given: followBase(),
			when: setQuestionnaire(domain.SetQuestionnaire{SessionID: "s9", Questions: []domain.Question{scaleQ}}),
			then: []domain.Event{domain.QuestionnaireSet{QuestionnaireID: "session-s9", SessionID: "s9", Version: 1,
				Questions: []domain.Question{scaleQ}}}},
		{name: "no such session", given: followBase(),
			when: setQuestionnaire(domain.SetQuestionnaire{SessionID: "nope", Questions: ours}), err: domain.ErrSessionNotFound, class: domain.ErrNotFound},
		{name: "no questions", given: followBase(), when: setQuestionnaire(domain.SetQuestionnaire{}), fields: []string{"questions"}},
		{name: "malformed questions", given: followBase(),
			when: setQuestionnaire(domain.SetQuestionnaire{Questions: []domain.Question{
				{ID: "a b", Kind: domain.ScaleQuestion, Text: domain.Text{De: "x"}},
				{ID: "c", Kind: "stars", Text: domain.Text{}},
				{ID: "c", Kind: domain.SingleChoice, Text: domain.Text{En: "x"}, Options: []domain.Option{{ID: "o", Text: domain.Text{En: "o"}}}},
				{ID: "d", Kind: domain.FreeText, Text: domain.Text{En: "x"}, Options: []domain.Option{{ID: "o", Text: domain.Text{En: "o"}}, {ID: "o"}}},
			}}),
			fields: []string{"questions[0].id", "questions[1].kind", "questions[1].text", "questions[2].id", "questions[2].options",
				"questions[3].options", "questions[3].options[1].id", "questions[3].options[1].text"}},
		{name: "no workshop", when: setQuestionnaire(domain.SetQuestionnaire{Questions: ours}), err: domain.ErrWorkshopNotFound, class: domain.ErrNotFound},
	})
}

func TestOpenAndCloseFeedback(t *testing.T) {
	runDecisions(t, []decision{
		{name: "opening without a questionnaire sets the default one", given: followBase(), when: domain.Workshop.OpenFeedback,
			then: []domain.Event{questionnaireSet(1, domain.DefaultQuestions()...), domain.FeedbackOpened{}}},
		{name: "opening keeps the organiser's questionnaire", given: history(followBase(), questionnaireSet(1, ours...)),
			when: domain.Workshop.OpenFeedback, then: []domain.Event{domain.FeedbackOpened{}}},
		{name: "opening open feedback decides nothing", given: feedbackBase(), when: domain.Workshop.OpenFeedback},
		{name: "closing", given: feedbackBase(), when: domain.Workshop.CloseFeedback, then: []domain.Event{domain.FeedbackClosed{}}},
		{name: "closing closed feedback decides nothing", given: history(feedbackBase(), domain.FeedbackClosed{}), when: domain.Workshop.CloseFeedback},
		{name: "closing feedback that never opened decides nothing", given: followBase(), when: domain.Workshop.CloseFeedback},
		{name: "reopening", given: history(feedbackBase(), domain.FeedbackClosed{}), when: domain.Workshop.OpenFeedback,
			then: []domain.Event{domain.FeedbackOpened{}}},
		{name: "no workshop", when: domain.Workshop.OpenFeedback, err: domain.ErrWorkshopNotFound, class: domain.ErrNotFound},
	})
}

func TestAnswerFeedback(t *testing.T) {
	full := []domain.Answer{{QuestionID: "overall", Scale: 5}, {QuestionID: "format", Choices: []string{"cafe", "talk"}},
		{QuestionID: "missing", Text: " Pausen "}}
	ok := func(r, key string) domain.AnswerFeedback {
		return domain.AnswerFeedback{QuestionnaireID: domain.WorkshopQuestionnaire, RegistrationID: domain.RegistrationID(r), RespondentKey: key, Answers: full}
	}
	with := func(answers ...domain.Answer) domain.AnswerFeedback {
		c := ok("a", "ka")
		c.Answers = answers
		return c
	}
	want := domain.FeedbackAnswered{QuestionnaireID: domain.WorkshopQuestionnaire, Version: 1, RespondentKey: "ka",
		Answers: []domain.Answer{{QuestionID: "overall", Scale: 5}, {QuestionID: "format", Choices: []string{"cafe", "talk"}},
			{QuestionID: "missing", Text: "Pausen"}}}
	runDecisions(t, []decision{
		{name: "a confirmed participant answers", given: feedbackBase(), when: answer(ok("a", "ka")), then: []domain.Event{want}},
		{name: "answering again replaces the answer", given: history(feedbackBase(), want), when: answer(with(domain.Answer{QuestionID: "overall", Scale: 2})),
			then: []domain.Event{answered("ka", 1, 2)}},
		{name: "after a new version the answer goes to it", given: history(feedbackBase(), want, questionnaireSet(2, scaleQ)),
			when: answer(with(domain.Answer{QuestionID: "overall", Scale: 3})), then: []domain.Event{answered("ka", 2, 3)}},
		{name: "optional questions may stay empty", given: feedbackBase(),
			when: answer(with(domain.Answer{QuestionID: "overall", Scale: 1}, domain.Answer{QuestionID: "missing", Text: "  "})),
			then: []domain.Event{answered("ka", 1, 1)}},
		{name: "before feedback opens", given: history(followBase(), questionnaireSet(1, ours...)), when: answer(ok("a", "ka")),
			err: domain.ErrFeedbackNotOpen, class: domain.ErrConflict},
		{name: "after feedback closed", given: history(feedbackBase(), domain.FeedbackClosed{}), when: answer(ok("a", "ka")),
			err: domain.ErrFeedbackNotOpen, class: domain.ErrConflict},
		{name: "a waitlisted person", given: feedbackBase(), when: answer(ok("w", "kw")), err: domain.ErrNotConfirmedForAnswer, class: domain.ErrInvalid},
		{name: "a cancelled person", given: feedbackBase(), when: answer(ok("x", "kx")), err: domain.ErrNotConfirmedForAnswer, class: domain.ErrInvalid},
		{name: "no such registration", given: feedbackBase(), when: answer(ok("nope", "kn")), err: domain.ErrRegistrationNotFound, class: domain.ErrNotFound},
		{name: "no such questionnaire", given: feedbackBase(),
			when: answer(domain.AnswerFeedback{QuestionnaireID: "session-s9", RegistrationID: "a", RespondentKey: "ka", Answers: full}),
			err:  domain.ErrQuestionnaireNotFound, class: domain.ErrNotFound},
		{name: "no respondent key", given: feedbackBase(), when: answer(ok("a", "")), fields: []string{"respondent_key"}},
		{name: "a required answer is missing", given: feedbackBase(), when: answer(with(domain.Answer{QuestionID: "missing", Text: "x"})),
			fields: []string{"answers.overall"}},
		{name: "answers that do not fit", given: feedbackBase(),
			when: answer(with(domain.Answer{QuestionID: "overall", Scale: 6}, domain.Answer{QuestionID: "format", Choices: []string{"talk", "talk"}},
				domain.Answer{QuestionID: "missing", Scale: 2}, domain.Answer{QuestionID: "other", Text: "x"})),
			fields: []string{"answers.format", "answers.missing", "answers.overall", "answers[3].question_id"}},
		{name: "a text too long", given: feedbackBase(),
			when:   answer(with(domain.Answer{QuestionID: "overall", Scale: 3}, domain.Answer{QuestionID: "missing", Text: strings.Repeat("x", domain.MaxAnswerText+1)})),
			fields: []string{"answers.missing"}},
	})
}

// TestOneAnswerPerPersonAndQuestionnaire checks the state after answers: a repeat and an
// answer to a newer version replace the earlier one, so each key counts once.
func TestOneAnswerPerPersonAndQuestionnaire(t *testing.T) {
	w := domain.Workshop{}.Fold(history(feedbackBase(), answered("ka", 1, 4), answered("kb", 1, 2), answered("ka", 1, 5),
		questionnaireSet(2, scaleQ), answered("ka", 2, 3))...)
	q := w.Feedback.Questionnaires[domain.WorkshopQuestionnaire]
	if got, want := q.Respondents, map[string]int{"ka": 2, "kb": 1}; len(got) != len(want) || got["ka"] != 2 || got["kb"] != 1 {
		t.Errorf("got respondents %v, want %v", got, want)
	}
	if q.Version != 2 || !q.Answered() {
		t.Errorf("got version %d answered %v, want version 2 answered", q.Version, q.Answered())
	}
}

// TestFeedbackEventsAreAnonymous decides a whole feedback round and checks that no stored
// event names a registration, a name, an email or anything else that leads to the person.
func TestFeedbackEventsAreAnonymous(t *testing.T) {
	w := domain.Workshop{}.Fold(followBase()...)
	var log []domain.Event
	decide := func(events []domain.Event, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("deciding: %v", err)
		}
		log = append(log, events...)
		w = w.Fold(events...)
	}
	decide(w.SetQuestionnaire(domain.SetQuestionnaire{Questions: ours}))
	decide(w.SetQuestionnaire(domain.SetQuestionnaire{SessionID: "s9", Questions: []domain.Question{scaleQ}}))
	decide(w.OpenFeedback())
	for _, r := range []string{"a", "b", "c"} {
		decide(w.AnswerFeedback(domain.AnswerFeedback{QuestionnaireID: domain.WorkshopQuestionnaire, RegistrationID: domain.RegistrationID(r),
			RespondentKey: "pseudonym-of-" + strings.Repeat("0", 8), Answers: []domain.Answer{{QuestionID: "overall", Scale: 4}}}))
	}
	decide(w.CloseFeedback())
	personal := []string{`"a"`, `"b"`, `"c"`, "Person a", "a@example.org", "key-a", "token-a", "registration"}
	for _, e := range log {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("marshalling %s: %v", e.Name(), err)
		}
		for _, p := range personal {
			if strings.Contains(string(b), p) {
				t.Errorf("got %s in %s %s, want no personal field in feedback events", p, e.Name(), b)
			}
		}
		if _, ok := e.(domain.Personal); ok {
			t.Errorf("got %s as Personal, want feedback events without personal data", e.Name())
		}
	}
}

func TestQuestionnaireIDs(t *testing.T) {
	for _, tc := range []struct {
		id      domain.QuestionnaireID
		session domain.SessionID
		ok      bool
	}{{"workshop", "", true}, {"session-s1", "s1", true}, {"session-", "", false}, {"other", "", false}} {
		if s, ok := tc.id.Session(); s != tc.session || ok != tc.ok {
			t.Errorf("got %q.Session() = %q, %v, want %q, %v", tc.id, s, ok, tc.session, tc.ok)
		}
	}
	if got := domain.QuestionnaireFor("s1"); got != "session-s1" {
		t.Errorf("got QuestionnaireFor(s1) = %q, want session-s1", got)
	}
}
