package domain_test

import (
	"errors"
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
