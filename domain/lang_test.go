package domain_test

import (
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

func TestRegisterLanguage(t *testing.T) {
	english := registered("a", day1, day2)
	english.Lang = "en"
	runDecisions(t, []decision{
		{name: "the language is recorded", given: history(scheduled(2, day1, day2)),
			when: registerWith("a", func(c *domain.RegisterParticipant) { c.Lang = "en" }),
			then: []domain.Event{english, domain.RegistrationConfirmed{RegistrationID: "a"}}},
		{name: "no language: none recorded (German)", given: history(scheduled(2, day1, day2)),
			when: registerWith("a", nil), then: confirmed("a", day1, day2)},
		{name: "an unknown language", given: history(scheduled(2, day1, day2)),
			when: registerWith("a", func(c *domain.RegisterParticipant) { c.Lang = "fr" }), fields: []string{"lang"}},
	})
	w := domain.Workshop{}
	for _, e := range history(scheduled(2, day1, day2), english) {
		w = w.Evolve(e)
	}
	if got := w.Registrations["a"].Lang; got != "en" {
		t.Errorf("the registration's language folds to %q, want en", got)
	}
}
