package domain_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

func TestDataExportDecisions(t *testing.T) {
	day := domain.Day("2026-11-16")
	w := domain.Workshop{}.Evolve(domain.WorkshopScheduled{ID: "w1", Title: "T", Days: []domain.Day{day}, Capacity: 5})
	w = w.Evolve(domain.ParticipantRegistered{RegistrationID: "r1", EmailKey: "k1", Person: &domain.Person{Name: "A", Email: "a@example.org"}, Days: []domain.Day{day}})
	w = w.Evolve(domain.ParticipantRegistered{RegistrationID: "r2", EmailKey: "k2", Person: &domain.Person{Name: "B", Email: "b@example.org"}, Days: []domain.Day{day}})
	w = w.Evolve(domain.PersonalDataErased{RegistrationID: "r2"})
	expires := time.Date(2026, 12, 13, 0, 0, 0, 0, time.UTC)
	// The workshop is evolved in place: a copy of its registrations keeps w as it was.
	asked := domain.Workshop{}.Evolve(domain.WorkshopScheduled{ID: "w1", Title: "T", Days: []domain.Day{day}, Capacity: 5})
	asked = asked.Evolve(domain.ParticipantRegistered{RegistrationID: "r1", EmailKey: "k1", Person: &domain.Person{Name: "A", Email: "a@example.org"}, Days: []domain.Day{day}})
	asked = asked.Evolve(domain.DataExportRequested{RegistrationID: "r1", LinkID: "l1", ExpiresAt: expires})
	tests := []struct {
		name string
		got  func() ([]domain.Event, error)
		want []domain.Event
		err  error
	}{
		{"an export of a registration is recorded", func() ([]domain.Event, error) { return w.RecordDataExport("r1", domain.ExportByAdmin) },
			[]domain.Event{domain.PersonalDataExported{RegistrationID: "r1", Channel: domain.ExportByAdmin}}, nil},
		{"an erased registration has nothing to export", func() ([]domain.Event, error) { return w.RecordDataExport("r2", domain.ExportByAdmin) }, nil, domain.ErrRegistrationErased},
		{"an unknown registration", func() ([]domain.Event, error) { return w.RecordDataExport("r9", domain.ExportByAdmin) }, nil, domain.ErrRegistrationNotFound},
		{"an unscheduled workshop", func() ([]domain.Event, error) { return domain.Workshop{}.RecordDataExport("r1", domain.ExportByAdmin) }, nil, domain.ErrWorkshopNotFound},
		{"a request of a known address", func() ([]domain.Event, error) { return w.RequestDataExport("k1", "l1", "en", expires) },
			[]domain.Event{domain.DataExportRequested{RegistrationID: "r1", LinkID: "l1", ExpiresAt: expires, Lang: "en"}}, nil},
		{"a request of an unknown address decides nothing", func() ([]domain.Event, error) { return w.RequestDataExport("k9", "l1", "en", expires) }, nil, nil},
		{"a request of an erased address decides nothing", func() ([]domain.Event, error) { return w.RequestDataExport("k2", "l1", "en", expires) }, nil, nil},
		{"a request soon after the last one decides nothing", func() ([]domain.Event, error) {
			return asked.RequestDataExport("k1", "l2", "en", expires.Add(domain.ExportRequestInterval-time.Second))
		}, nil, nil},
		{"a request after the interval mails again", func() ([]domain.Event, error) {
			return asked.RequestDataExport("k1", "l2", "", expires.Add(domain.ExportRequestInterval))
		}, []domain.Event{domain.DataExportRequested{RegistrationID: "r1", LinkID: "l2", ExpiresAt: expires.Add(domain.ExportRequestInterval)}}, nil},
		{"an empty key decides nothing", func() ([]domain.Event, error) { return w.RequestDataExport("", "l1", "en", expires) }, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.got()
			if !errors.Is(err, tt.err) {
				t.Fatalf("got error %v, want %v", err, tt.err)
			}
			if len(got) != len(tt.want) || (len(got) == 1 && got[0] != tt.want[0]) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

// TestDataExportToken: a token names its workshop, registration and expiry; a changed value,
// another key or garbage is no token.
func TestDataExportToken(t *testing.T) {
	sign := func(key string) func(string, string) string {
		return func(purpose, value string) string { return key + "(" + purpose + ":" + value + ")" }
	}
	expires := time.Date(2026, 12, 13, 10, 0, 0, 0, time.UTC)
	token := domain.DataExportToken(sign("k"), "w1", domain.DataExportRequested{RegistrationID: "r1", LinkID: "l1", ExpiresAt: expires})
	got, ok := domain.ParseDataExportToken(sign("k"), token)
	if !ok || got.Workshop != "w1" || got.Registration != "r1" || !got.ExpiresAt.Equal(expires) {
		t.Fatalf("got %+v, %v, want w1, r1, %v", got, ok, expires)
	}
	other := domain.DataExportToken(sign("k"), "w1", domain.DataExportRequested{RegistrationID: "r2", LinkID: "l1", ExpiresAt: expires})
	enc, _, _ := strings.Cut(other, ".")
	_, mac, _ := strings.Cut(token, ".")
	for name, bad := range map[string]string{"another key": token, "a swapped value": enc + "." + mac, "empty": "",
		"no dot": "abc", "not base64": "!!!." + mac, "huge": strings.Repeat("a", 600)} {
		key := "k"
		if name == "another key" {
			key = "x"
		}
		if _, ok := domain.ParseDataExportToken(sign(key), bad); ok {
			t.Errorf("%s: parsed, want no token", name)
		}
	}
}

func init() {
	everyEvent = append(everyEvent,
		domain.AccountDataExportRequested{Network: "forum", Account: "anna", LinkID: "l1", ExpiresAt: time.Date(2026, 12, 13, 10, 0, 0, 0, time.UTC), Lang: "en"},
		domain.AccountDataExported{Account: "anna", Channel: domain.ExportByAdmin})
}

func TestAccountDataExportDecisions(t *testing.T) {
	expires := time.Date(2026, 12, 13, 10, 0, 0, 0, time.UTC)
	request := func(account domain.AccountID, at time.Time) domain.NetworkDecision {
		return func(n domain.Network) ([]domain.Event, error) { return n.RequestDataExport(account, "l2", "en", at) }
	}
	record := func(account domain.AccountID) domain.NetworkDecision {
		return func(n domain.Network) ([]domain.Event, error) {
			return n.RecordDataExport(account, domain.ExportByMailLink)
		}
	}
	asked := domain.AccountDataExportRequested{Network: "forum", Account: "anna", LinkID: "l1", ExpiresAt: expires}
	tests := []networkCase{
		{name: "a member asks", given: []domain.Event{created, annaJoin}, decide: request("anna", expires),
			then: []domain.Event{domain.AccountDataExportRequested{Network: "forum", Account: "anna", LinkID: "l2", ExpiresAt: expires, Lang: "en"}}},
		{name: "no such account: nothing, no error", given: []domain.Event{created, annaJoin}, decide: request("nobody", expires)},
		{name: "again within the interval: nothing", given: []domain.Event{created, annaJoin, asked},
			decide: request("anna", expires.Add(domain.ExportRequestInterval-time.Second))},
		{name: "again after the interval", given: []domain.Event{created, annaJoin, asked}, decide: request("anna", expires.Add(domain.ExportRequestInterval)),
			then: []domain.Event{domain.AccountDataExportRequested{Network: "forum", Account: "anna", LinkID: "l2", ExpiresAt: expires.Add(domain.ExportRequestInterval), Lang: "en"}}},
		{name: "in an unknown network", decide: request("anna", expires), err: domain.ErrNetworkNotFound},
		{name: "a copy given", given: []domain.Event{created, annaJoin}, decide: record("anna"),
			then: []domain.Event{domain.AccountDataExported{Account: "anna", Channel: domain.ExportByMailLink}}},
		{name: "a copy of nobody", given: []domain.Event{created, annaJoin}, decide: record("nobody"), err: domain.ErrMemberNotFound},
	}
	runNetworkCases(t, tests)
}

func TestAccountDataExportToken(t *testing.T) {
	sign := func(key string) func(string, string) string {
		return func(purpose, value string) string { return key + "(" + purpose + ":" + value + ")" }
	}
	expires := time.Date(2026, 12, 13, 10, 0, 0, 0, time.UTC)
	token := domain.AccountDataExportToken(sign("k"), domain.AccountDataExportRequested{Network: "n1", Account: "a1", LinkID: "l1", ExpiresAt: expires})
	got, ok := domain.ParseDataExportToken(sign("k"), token)
	if !ok || got.Network != "n1" || got.Account != "a1" || got.Workshop != "" || got.Registration != "" || !got.ExpiresAt.Equal(expires) {
		t.Fatalf("got %+v, %v, want n1, a1, %v", got, ok, expires)
	}
	if _, ok := domain.ParseDataExportToken(sign("x"), token); ok {
		t.Errorf("another key: parsed, want no token")
	}
}
