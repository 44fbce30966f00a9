package domain_test

import (
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

func init() {
	everyEvent = append(everyEvent,
		domain.RetentionSet{RetentionPolicy: domain.RetentionPolicy{Months: 24, EvidenceHoldUntil: "2030-12-31"}},
		domain.ReducedToEvidence{RegistrationID: "r1", Person: &domain.Person{Name: "Ada"}, Until: "2030-12-31"},
		domain.RetentionRan{AsOf: time.Date(2027, 6, 1, 3, 0, 0, 0, time.UTC), Erased: 3, Reduced: 2},
		domain.RetentionDefaultSet{Months: 24})
}

func TestRetentionOf(t *testing.T) {
	loc := berlin
	at := func(s string) time.Time {
		v, err := time.ParseInLocation(time.DateOnly, s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name     string
		days     []domain.Day
		policy   domain.RetentionPolicy
		network  int
		want     domain.Retention
		noResult bool
	}{
		{name: "default: 12 months after the last day, at its end", days: []domain.Day{"2026-03-09", "2026-03-10"},
			want: domain.Retention{Months: 12, Source: "default", EraseAfter: at("2027-03-11")}},
		{name: "series period", days: []domain.Day{"2026-03-10"}, policy: domain.RetentionPolicy{Months: 6},
			want: domain.Retention{Months: 6, Source: "series", EraseAfter: at("2026-09-11")}},
		{name: "the end of a shorter month", days: []domain.Day{"2026-01-31"}, policy: domain.RetentionPolicy{Months: 1},
			want: domain.Retention{Months: 1, Source: "series", EraseAfter: at("2026-03-01")}},
		{name: "a later hold ends at the end of its day", days: []domain.Day{"2026-03-10"},
			policy: domain.RetentionPolicy{Months: 3, EvidenceHoldUntil: "2030-12-31"},
			want: domain.Retention{Months: 3, EvidenceHoldUntil: "2030-12-31", Source: "series",
				EraseAfter: at("2026-06-11"), HoldEnds: at("2031-01-01")}},
		{name: "an earlier hold does nothing", days: []domain.Day{"2026-03-10"},
			policy: domain.RetentionPolicy{Months: 3, EvidenceHoldUntil: "2026-04-01"},
			want:   domain.Retention{Months: 3, EvidenceHoldUntil: "2026-04-01", Source: "series", EraseAfter: at("2026-06-11")}},
		{name: "the network's default when the series sets none", days: []domain.Day{"2026-03-10"}, network: 3,
			want: domain.Retention{Months: 3, Source: "network", EraseAfter: at("2026-06-11")}},
		{name: "the series' period before the network's default", days: []domain.Day{"2026-03-10"}, network: 3,
			policy: domain.RetentionPolicy{Months: 6},
			want:   domain.Retention{Months: 6, Source: "series", EraseAfter: at("2026-09-11")}},
		{name: "no days", noResult: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := domain.RetentionIn(tt.days, tt.policy, tt.network, loc)
			if ok == tt.noResult {
				t.Fatalf("got ok %v", ok)
			}
			if !got.EraseAfter.Equal(tt.want.EraseAfter) || !got.HoldEnds.Equal(tt.want.HoldEnds) ||
				got.Months != tt.want.Months || got.Source != tt.want.Source || got.EvidenceHoldUntil != tt.want.EvidenceHoldUntil {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestRetentionDue(t *testing.T) {
	loc := berlin
	held, _ := domain.RetentionOf([]domain.Day{"2026-03-10"}, domain.RetentionPolicy{Months: 3, EvidenceHoldUntil: "2030-12-31"}, loc)
	plain, _ := domain.RetentionOf([]domain.Day{"2026-03-10"}, domain.RetentionPolicy{Months: 3}, loc)
	seat := domain.Registration{ID: "a", Status: domain.Confirmed}
	waited := domain.Registration{ID: "w", Status: domain.Waitlisted}
	gone := domain.Registration{ID: "e", Status: domain.Confirmed, Erased: true}
	before := held.EraseAfter.Add(-time.Second)
	during := held.EraseAfter
	after := held.HoldEnds
	tests := []struct {
		name    string
		ret     domain.Retention
		r       domain.Registration
		reduced bool
		asOf    time.Time
		want    domain.RetentionStep
	}{
		{"kept before the period ends", plain, seat, false, before, domain.RetentionKeep},
		{"erased when it ends", plain, seat, false, during, domain.RetentionErase},
		{"waitlisted erased too", plain, waited, false, during, domain.RetentionErase},
		{"erased stays erased", plain, gone, false, during, domain.RetentionKeep},
		{"a seat under a hold is reduced", held, seat, false, during, domain.RetentionReduce},
		{"reduced once", held, seat, true, during, domain.RetentionKeep},
		{"no seat, no evidence: erased despite the hold", held, waited, false, during, domain.RetentionErase},
		{"erased when the hold ends", held, seat, true, after, domain.RetentionErase},
		{"erased at hold end even if never reduced", held, seat, false, after, domain.RetentionErase},
		{"kept under a hold before the period ends", held, seat, false, before, domain.RetentionKeep},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.ret.Due(tt.r, tt.reduced, tt.asOf); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func setRetention(p domain.RetentionPolicy) command {
	return func(w domain.Workshop) ([]domain.Event, error) { return w.SetRetention(p) }
}

func reduce(id, name string) command {
	return func(w domain.Workshop) ([]domain.Event, error) {
		return w.Reduce(domain.ReduceToEvidence{RegistrationID: domain.RegistrationID(id), Name: name, Until: "2030-12-31"})
	}
}

func eraseByRetention(id string) command {
	return func(w domain.Workshop) ([]domain.Event, error) {
		return w.Erase(domain.EraseParticipant{RegistrationID: domain.RegistrationID(id), Reason: domain.ErasureRetention})
	}
}

func TestSetRetention(t *testing.T) {
	base := history(scheduled(2, day1))
	two := domain.RetentionPolicy{Months: 24, EvidenceHoldUntil: "2030-12-31"}
	set := history(base, domain.RetentionSet{RetentionPolicy: two})
	registered := history(base, confirmed("a", day1))
	reducedA := domain.ReducedToEvidence{RegistrationID: "a", Person: &domain.Person{Name: "Ada"}, Until: "2030-12-31"}
	runDecisions(t, []decision{
		{name: "workshop not scheduled", when: setRetention(two), err: domain.ErrWorkshopNotFound, class: domain.ErrNotFound},
		{name: "set", given: base, when: setRetention(two), then: history(domain.RetentionSet{RetentionPolicy: two})},
		{name: "the same again decides nothing", given: set, when: setRetention(two)},
		{name: "months too few", given: base, when: setRetention(domain.RetentionPolicy{Months: 0}), class: domain.ErrInvalid, fields: []string{"months"}},
		{name: "months too many, hold no date", given: base, when: setRetention(domain.RetentionPolicy{Months: 121, EvidenceHoldUntil: "31.12.2030"}),
			class: domain.ErrInvalid, fields: []string{"evidence_hold_until", "months"}},
		{name: "reduced to evidence", given: registered, when: reduce("a", "Ada"), then: history(reducedA)},
		{name: "reduced once", given: history(registered, reducedA), when: reduce("a", "Ada")},
		{name: "an erased registration is not reduced", given: history(registered, erased("a")), when: reduce("a", "Ada")},
		{name: "unknown registration", given: registered, when: reduce("x", "X"), err: domain.ErrRegistrationNotFound, class: domain.ErrNotFound},
		{name: "retention erases without cancelling: the counts stay", given: registered, when: eraseByRetention("a"),
			then: history(domain.PersonalDataErased{RegistrationID: "a", Reason: domain.ErasureRetention})},
		{name: "a reduced registration is erased", given: history(registered, reducedA), when: eraseByRetention("a"),
			then: history(domain.PersonalDataErased{RegistrationID: "a", Reason: domain.ErasureRetention})},
	})
}

func TestNetworkRetentionDefault(t *testing.T) {
	set := func(months int) domain.NetworkDecision {
		return func(n domain.Network) ([]domain.Event, error) { return n.SetRetentionDefault(months) }
	}
	tests := []networkCase{
		{name: "set", given: []domain.Event{created}, decide: set(24), then: []domain.Event{domain.RetentionDefaultSet{Months: 24}}},
		{name: "changed", given: []domain.Event{created, domain.RetentionDefaultSet{Months: 24}}, decide: set(6),
			then: []domain.Event{domain.RetentionDefaultSet{Months: 6}}},
		{name: "the same period again changes nothing", given: []domain.Event{created, domain.RetentionDefaultSet{Months: 24}}, decide: set(24)},
		{name: "in an unknown network", decide: set(24), err: domain.ErrNetworkNotFound},
		{name: "zero", given: []domain.Event{created}, decide: set(0), fields: []string{"months"}},
		{name: "more than ten years", given: []domain.Event{created}, decide: set(121), fields: []string{"months"}},
	}
	runNetworkCases(t, tests)
}
