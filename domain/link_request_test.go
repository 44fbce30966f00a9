package domain_test

import (
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

func requestLink(emailKey string) command {
	return func(w domain.Workshop) ([]domain.Event, error) {
		return w.RequestLink(emailKey, func(id domain.RegistrationID) string { return "derived-" + string(id) })
	}
}

// TestRequestLink: a lost link is sent again to an active registration and to nobody else, and
// the decision never says which it was.
func TestRequestLink(t *testing.T) {
	base := history(scheduled(2, day1), confirmed("a", day1))
	runDecisions(t, []decision{
		{name: "workshop not scheduled", when: requestLink("key-a"), err: domain.ErrWorkshopNotFound, class: domain.ErrNotFound},
		{name: "an active registration: its link, with its derived token", given: base, when: requestLink("key-a"),
			then: []domain.Event{domain.LinkRequested{RegistrationID: "a", TokenHash: "derived-a"}}},
		{name: "no registration: nothing, and no error", given: base, when: requestLink("key-x")},
		{name: "an empty key: nothing", given: base, when: requestLink("")},
		{name: "a cancelled registration: nothing", given: history(base, cancelled("a")), when: requestLink("key-a")},
		{name: "an erased registration: nothing", given: history(base, erased("a")), when: requestLink("key-a")},
	})
}
