package domain_test

import (
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

var sectorQuestions = []domain.RegistrationQuestion{
	{ID: "sector", Label: "Sektor", Kind: domain.AskChoice, Required: true,
		Options: []string{"Politik", "Verwaltung", "Wissenschaft", "Wirtschaft", "Zivilgesellschaft"}},
	{ID: "multiplier", Label: "Ich bin Multiplikator·in", Kind: domain.AskYesNo},
	{ID: "expectation", Label: "Was erwarten Sie?", Kind: domain.AskText},
}

func setQuestions(qs ...domain.RegistrationQuestion) command {
	return func(w domain.Workshop) ([]domain.Event, error) {
		return w.SetRegistrationQuestions(domain.SetRegistrationQuestions{Questions: qs})
	}
}

func TestSetRegistrationQuestions(t *testing.T) {
	base := history(scheduled(10, day1, day2))
	many := make([]domain.RegistrationQuestion, domain.MaxRegistrationQuestions+1)
	for i := range many {
		many[i] = domain.RegistrationQuestion{ID: "q" + strings.Repeat("x", i), Label: "Q", Kind: domain.AskText}
	}
	options := make([]string, domain.MaxRegistrationOptions+1)
	for i := range options {
		options[i] = strings.Repeat("o", i+1)
	}
	runDecisions(t, []decision{
		{name: "workshop not scheduled", when: setQuestions(), err: domain.ErrWorkshopNotFound, class: domain.ErrNotFound},
		{
			name: "texts are trimmed", given: base,
			when: setQuestions(domain.RegistrationQuestion{ID: " sector ", Label: " Sektor ", Kind: domain.AskChoice,
				Options: []string{" A ", "B"}, Required: true}),
			then: history(domain.RegistrationQuestionsSet{Questions: []domain.RegistrationQuestion{
				{ID: "sector", Label: "Sektor", Kind: domain.AskChoice, Options: []string{"A", "B"}, Required: true}}}),
		},
		{name: "the same list again decides nothing", given: append(base, domain.RegistrationQuestionsSet{Questions: sectorQuestions}),
			when: setQuestions(sectorQuestions...)},
		{name: "an empty list removes them", given: append(base, domain.RegistrationQuestionsSet{Questions: sectorQuestions}),
			when: setQuestions(), then: history(domain.RegistrationQuestionsSet{Questions: []domain.RegistrationQuestion{}})},
		{name: "too many questions", given: base, when: setQuestions(many...), fields: []string{"questions"}},
		{name: "too many options", given: base,
			when:   setQuestions(domain.RegistrationQuestion{ID: "s", Label: "S", Kind: domain.AskChoice, Options: options}),
			fields: []string{"questions[0].options"}},
		{
			name: "every field of every question is checked", given: base,
			when: setQuestions(
				domain.RegistrationQuestion{ID: "", Label: "", Kind: "scale"},
				domain.RegistrationQuestion{ID: "a b", Label: "x\x00", Kind: domain.AskChoice, Options: []string{"A"}},
				domain.RegistrationQuestion{ID: "c", Label: "C", Kind: domain.AskYesNo, Options: []string{"A", "B"}},
				domain.RegistrationQuestion{ID: "c", Label: strings.Repeat("l", 201), Kind: domain.AskChoice, Options: []string{"A", " A", ""}},
			),
			fields: []string{"questions[0].id", "questions[0].kind", "questions[0].label", "questions[1].id", "questions[1].label",
				"questions[1].options", "questions[2].options", "questions[3].id", "questions[3].label",
				"questions[3].options[1]", "questions[3].options[2]"},
		},
	})
}

func TestRegisterAnswers(t *testing.T) {
	base := append(history(scheduled(10, day1, day2)), domain.RegistrationQuestionsSet{Questions: sectorQuestions})
	answers := func(a map[string]any) func(*domain.RegisterParticipant) {
		return func(c *domain.RegisterParticipant) { c.Answers = a }
	}
	runDecisions(t, []decision{
		{
			name: "choice and yes/no answers in clear, text answers with the person", given: base,
			when: registerWith("a", answers(map[string]any{"sector": " Verwaltung ", "multiplier": true, "expectation": " Austausch "})),
			then: history(withAnswers(map[string]string{"sector": "Verwaltung", "multiplier": "yes"},
				map[string]string{"expectation": "Austausch"}), domain.RegistrationConfirmed{RegistrationID: "a"}),
		},
		{name: "a required question must be answered", given: base, when: registerWith("a", answers(map[string]any{"sector": " "})),
			fields: []string{"answers.sector"}},
		{name: "no is an answer", given: base, when: registerWith("a", answers(map[string]any{"sector": "Politik", "multiplier": false})),
			then: history(withAnswers(map[string]string{"sector": "Politik", "multiplier": "no"}, nil),
				domain.RegistrationConfirmed{RegistrationID: "a"})},
		{
			name: "unknown ids, values not in the options and wrong types", given: base,
			when: registerWith("a", answers(map[string]any{"sector": "Kirche", "multiplier": "ja", "expectation": true,
				"colour": "blau", "bad.key\x00": "x"})),
			fields: []string{"answers", "answers.colour", "answers.expectation", "answers.multiplier", "answers.sector"},
		},
		{name: "numbers and lists are no answers", given: base,
			when:   registerWith("a", answers(map[string]any{"sector": 3.0, "multiplier": []any{true}})),
			fields: []string{"answers.multiplier", "answers.sector"}},
		{name: "a text answer is checked like prose", given: base,
			when:   registerWith("a", answers(map[string]any{"sector": "Politik", "expectation": strings.Repeat("x", 501)})),
			fields: []string{"answers.expectation"}},
	})
}

// Changing the questions after people registered keeps what they answered, and a required
// question added later binds only those who register after it.
func TestRegistrationQuestionsChangeAfterRegistrations(t *testing.T) {
	w := domain.Workshop{}.Fold(history(scheduled(10, day1, day2))...)
	w = w.Fold(domain.RegistrationQuestionsSet{Questions: sectorQuestions[1:2]})
	c := register("a")
	c.Answers = map[string]any{"multiplier": true}
	events, err := w.Register(c)
	if err != nil {
		t.Fatal(err)
	}
	w = w.Fold(events...)
	w = w.Fold(domain.RegistrationQuestionsSet{Questions: sectorQuestions[:1]})
	if _, err := w.CheckIn(domain.CheckInParticipant{RegistrationID: "a", Day: day1}); err != nil {
		t.Fatalf("the old registration is still good: %v", err)
	}
	if _, err := w.CancelRegistration("a"); err != nil {
		t.Fatalf("the old registration can still be cancelled: %v", err)
	}
	if reg := events[0].(domain.ParticipantRegistered); reg.Answers["multiplier"] != domain.AnswerYes {
		t.Fatalf("stored answer = %v", reg.Answers)
	}
	c = register("b")
	c.Answers = map[string]any{"multiplier": true}
	_, err = w.Register(c)
	checkError(t, err, nil, nil, []string{"answers.multiplier", "answers.sector"}) // removed, and added as required
}

// withAnswers is registered("a") of a two-day workshop with answers in clear and text ones.
func withAnswers(clear, text map[string]string) domain.ParticipantRegistered {
	r := registered("a", day1, day2)
	r.Answers = clear
	r.Person.Answers = text
	return r
}
