package domain_test

import (
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

// registerWith decides register(id, days...) changed by f.
func registerWith(id string, f func(*domain.RegisterParticipant), days ...domain.Day) command {
	c := register(id, days...)
	if f != nil {
		f(&c)
	}
	return func(w domain.Workshop) ([]domain.Event, error) { return w.Register(c) }
}

func cancelRegistration(id string) command {
	return func(w domain.Workshop) ([]domain.Event, error) {
		return w.CancelRegistration(domain.RegistrationID(id))
	}
}

func TestRegisterValidation(t *testing.T) {
	base := history(scheduled(10, day1, day2))
	tests := []decision{
		{
			name: "workshop not scheduled",
			when: registerWith("a", nil),
			err:  domain.ErrWorkshopNotFound, class: domain.ErrNotFound,
		},
		{
			name:  "text is trimmed and every field is carried",
			given: base,
			when: registerWith("a", func(c *domain.RegisterParticipant) {
				c.Person = domain.Person{Name: " Ada Lovelace ", Email: " ada@example.org ", Dietary: " vegan ", PhotoConsent: true}
				c.Organisation, c.District, c.Overnight = " Jugendring ", " Mitte ", true
			}),
			then: history(domain.ParticipantRegistered{RegistrationID: "a",
				Person:   &domain.Person{Name: "Ada Lovelace", Email: "ada@example.org", Dietary: "vegan", PhotoConsent: true},
				EmailKey: "key-a", Organisation: "Jugendring", District: "Mitte",
				Days: []domain.Day{day1, day2}, Overnight: true, TokenHash: "token-a"},
				domain.RegistrationConfirmed{RegistrationID: "a"}),
		},
		{
			name:   "many fields wrong at once",
			given:  base,
			when:   registerWith("a", func(c *domain.RegisterParticipant) { *c = domain.RegisterParticipant{ID: "a"} }),
			fields: []string{"consent", "email", "name", "organisation"},
		},
	}
	for _, tc := range []struct {
		name   string
		change func(*domain.RegisterParticipant)
		fields []string
	}{
		{"empty name", func(c *domain.RegisterParticipant) { c.Person.Name = "  " }, []string{"name"}},
		{"name too long", func(c *domain.RegisterParticipant) { c.Person.Name = strings.Repeat("n", 201) }, []string{"name"}},
		{"empty organisation", func(c *domain.RegisterParticipant) { c.Organisation = "" }, []string{"organisation"}},
		{"district too long", func(c *domain.RegisterParticipant) { c.District = strings.Repeat("d", 201) }, []string{"district"}},
		{"dietary too long", func(c *domain.RegisterParticipant) { c.Person.Dietary = strings.Repeat("d", 501) }, []string{"dietary"}},
		{"no consent", func(c *domain.RegisterParticipant) { c.Consent = false }, []string{"consent"}},
		{"day not of the workshop", func(c *domain.RegisterParticipant) { c.Days = []domain.Day{day1, day3} }, []string{"days"}},
		{"day not a date", func(c *domain.RegisterParticipant) { c.Days = []domain.Day{"17.11.2026"} }, []string{"days"}},
		{"day twice", func(c *domain.RegisterParticipant) { c.Days = []domain.Day{day2, day2} }, []string{"days"}},
	} {
		tests = append(tests, decision{name: tc.name, given: base, when: registerWith("a", tc.change), fields: tc.fields})
	}
	for _, email := range []string{"", "ada", "ada@", "@example.org", "ada@@example.org",
		"Ada <ada@example.org>", "<ada@example.org>", "ada@example.org (Ada)", "ada@example.org, bob@example.org"} {
		tests = append(tests, decision{
			name:   "email " + email,
			given:  base,
			when:   registerWith("a", func(c *domain.RegisterParticipant) { c.Person.Email = email }),
			fields: []string{"email"},
		})
	}
	for _, email := range []string{"ada@example.org", "ada.lovelace+werkstatt@mail.example.org", "ADA@EXAMPLE.ORG"} {
		p := registered("a", day1, day2)
		p.Person.Email = email
		tests = append(tests, decision{
			name:  "email " + email,
			given: base,
			when:  registerWith("a", func(c *domain.RegisterParticipant) { c.Person.Email = email }),
			then:  history(p, domain.RegistrationConfirmed{RegistrationID: "a"}),
		})
	}
	runDecisions(t, tests)
}

func TestRegister(t *testing.T) {
	// At capacity 1, a holds day1's only seat; day2 is free.
	day1Full := history(scheduled(1, day1, day2), confirmed("a", day1))
	bothFull := history(day1Full, confirmed("b", day2))
	runDecisions(t, []decision{
		{
			name:  "no days means every day",
			given: history(scheduled(10, day2, day1)),
			when:  registerWith("a", nil),
			then:  history(confirmed("a", day1, day2)),
		},
		{
			name:  "days are sorted",
			given: history(scheduled(10, day1, day2, day3)),
			when:  registerWith("a", nil, day3, day1),
			then:  history(confirmed("a", day1, day3)),
		},
		{
			name:  "the last seat",
			given: history(scheduled(2, day1), confirmed("a", day1)),
			when:  registerWith("b", nil),
			then:  history(confirmed("b", day1)),
		},
		{
			name:  "only for a day that has seats while another day is full",
			given: day1Full,
			when:  registerWith("b", nil, day2),
			then:  history(confirmed("b", day2)),
		},
		{
			name:  "for every day while one is full: confirmed on the free day, waitlisted on the full one",
			given: day1Full,
			when:  registerWith("b", nil),
			then: history(registered("b", day1, day2), confirmedOn("b", day2),
				waitingOn("b", map[domain.Day]int{day1: 1}, day1)),
		},
		{
			name:  "for the full day only",
			given: day1Full,
			when:  registerWith("b", nil, day1),
			then:  history(registered("b", day1), waitingOn("b", map[domain.Day]int{day1: 1})),
		},
		{
			name:  "behind others on the waitlist of that day",
			given: history(bothFull, waitlisted("w1", 1, day1), waitlisted("w2", 2, day2)),
			when:  registerWith("w3", nil, day2),
			then:  history(registered("w3", day2), waitingOn("w3", map[domain.Day]int{day2: 2})),
		},
		{
			name:  "waitlist position after someone left the waitlist",
			given: history(bothFull, waitlisted("w1", 1, day2), waitlisted("w2", 2, day2), cancelled("w1")),
			when:  registerWith("w3", nil, day2),
			then:  history(registered("w3", day2), waitingOn("w3", map[domain.Day]int{day2: 2})),
		},
		{
			name:  "email of a confirmed registration",
			given: day1Full,
			when:  registerWith("a2", func(c *domain.RegisterParticipant) { c.EmailKey = "key-a" }, day2),
			err:   domain.ErrAlreadyRegistered, class: domain.ErrConflict,
		},
		{
			name:  "email of a waitlisted registration",
			given: history(day1Full, waitlisted("b", 1, day1)),
			when:  registerWith("b2", func(c *domain.RegisterParticipant) { c.EmailKey = "key-b" }, day2),
			err:   domain.ErrAlreadyRegistered, class: domain.ErrConflict,
		},
		{
			name:  "email of a cancelled registration",
			given: history(day1Full, cancelled("a")),
			when:  registerWith("a2", func(c *domain.RegisterParticipant) { c.EmailKey = "key-a" }, day1),
			then: history(domain.ParticipantRegistered{RegistrationID: "a2",
				Person:   &domain.Person{Name: "Person a2", Email: "a2@example.org"},
				EmailKey: "key-a", Organisation: "Jugendring", Days: []domain.Day{day1}, TokenHash: "token-a2"},
				domain.RegistrationConfirmed{RegistrationID: "a2"}),
		},
		{
			name:  "registration id taken",
			given: history(day1Full, cancelled("a")),
			when:  registerWith("a", func(c *domain.RegisterParticipant) { c.EmailKey = "key-other" }, day2),
			class: domain.ErrConflict,
		},
	})
}

func TestCancelRegistration(t *testing.T) {
	runDecisions(t, []decision{
		{
			name: "workshop not scheduled",
			when: cancelRegistration("a"),
			err:  domain.ErrWorkshopNotFound, class: domain.ErrNotFound,
		},
		{
			name:  "unknown registration",
			given: history(scheduled(1, day1), confirmed("a", day1)),
			when:  cancelRegistration("x"),
			err:   domain.ErrRegistrationNotFound, class: domain.ErrNotFound,
		},
		{
			name:  "already cancelled",
			given: history(scheduled(1, day1), confirmed("a", day1), cancelled("a")),
			when:  cancelRegistration("a"),
			err:   domain.ErrAlreadyCancelled, class: domain.ErrConflict,
		},
		{
			name:  "confirmed with nobody waiting",
			given: history(scheduled(1, day1), confirmed("a", day1)),
			when:  cancelRegistration("a"),
			then:  history(cancelled("a")),
		},
		{
			name: "the first waiting on each day gets its seat, in one event for both days",
			given: history(scheduled(1, day1, day2), confirmed("a", day1, day2),
				waitlisted("w1", 1, day1, day2), waitlisted("w2", 2, day1)),
			when: cancelRegistration("a"),
			then: history(cancelled("a"), promotedOn("w1", day1, day2)),
		},
		{
			name: "the first waiting for the freed day gets it, even while another of their days is full",
			given: history(scheduled(1, day1, day2), confirmed("a", day1), confirmed("b", day2),
				waitlisted("w1", 1, day1, day2), waitlisted("w2", 2, day1)),
			when: cancelRegistration("a"),
			then: history(cancelled("a"), promotedOn("w1", day1)),
		},
		{
			name: "freed seats on two days go to two people",
			given: history(scheduled(1, day1, day2), confirmed("a", day1, day2),
				waitlisted("w1", 1, day1), waitlisted("w2", 2, day2), waitlisted("w3", 3, day1)),
			when: cancelRegistration("a"),
			then: history(cancelled("a"), promotedOn("w1", day1), promotedOn("w2", day2)),
		},
		{
			name: "a seat on another day helps nobody waiting",
			given: history(scheduled(1, day1, day2), confirmed("a", day1), confirmed("b", day2),
				waitlisted("w1", 1, day1)),
			when: cancelRegistration("b"),
			then: history(cancelled("b")),
		},
		{
			name: "a waitlisted registration frees no seat",
			given: history(scheduled(1, day1), confirmed("a", day1),
				waitlisted("w1", 1, day1), waitlisted("w2", 2, day1)),
			when: cancelRegistration("w1"),
			then: history(cancelled("w1")),
		},
		{
			name: "promoted earlier, cancelled now",
			given: history(scheduled(1, day1), confirmed("a", day1), waitlisted("w1", 1, day1),
				waitlisted("w2", 2, day1), cancelled("a"), promoted("w1")),
			when: cancelRegistration("w1"),
			then: history(cancelled("w1"), promotedOn("w2", day1)),
		},
	})
}
