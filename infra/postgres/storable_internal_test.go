package postgres

import (
	"reflect"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

func TestStorableText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Jugendring", "Jugendring"},
		{"Org\x00", "Org\uFFFD"},
		{"\x00\x00", "\uFFFD\uFFFD"},
		{"Ma\xffrkt", "Ma\uFFFDrkt"},
		{"Ö\xc3", "Ö\uFFFD"},
		{"Zeile\nTab\t\x1b", "Zeile\nTab\t\x1b"}, // PostgreSQL stores every other control character
	} {
		if got := storableText(tc.in); got != tc.want {
			t.Errorf("storableText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestStorableRepairsEveryStringAndKeepsTheOriginal(t *testing.T) {
	at := time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)
	person := &domain.Person{Name: "Ada\x00", Email: "ada@example.org"}
	r := domain.Recorded{Seq: 7, Workshop: "w\xff", At: at, Actor: "a\x00", Event: domain.ParticipantRegistered{
		RegistrationID: "r1", Person: person, Organisation: "Org\x00", Days: []domain.Day{"2026-11-16", "\x00"}, Overnight: true}}
	got := storable(r)
	want := domain.Recorded{Seq: 7, Workshop: "w\uFFFD", At: at, Actor: "a\uFFFD", Event: domain.ParticipantRegistered{
		RegistrationID: "r1", Person: &domain.Person{Name: "Ada\uFFFD", Email: "ada@example.org"}, Organisation: "Org\uFFFD",
		Days: []domain.Day{"2026-11-16", "\uFFFD"}, Overnight: true}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if person.Name != "Ada\x00" || r.Event.(domain.ParticipantRegistered).Days[1] != "\x00" {
		t.Errorf("storable changed the event it was given: %+v", r)
	}

	plan := domain.RotationPlanned{SessionID: "c1", Plan: domain.RotationPlan{
		Seats: map[domain.RegistrationID][]domain.TableID{"g\x00": {"t\xff", ""}}}}
	got = storable(domain.Recorded{Event: &plan})
	seats := got.Event.(*domain.RotationPlanned).Plan.Seats
	if !reflect.DeepEqual(seats, map[domain.RegistrationID][]domain.TableID{"g\uFFFD": {"t\uFFFD", ""}}) {
		t.Errorf("got seats %q, want map keys and values repaired", seats)
	}

	clean := domain.Recorded{Seq: 1, Event: domain.WorkshopScheduled{ID: "w", Title: "Werkstatt", Capacity: 1 << 40}}
	if got := storable(clean); !reflect.DeepEqual(got, clean) {
		t.Errorf("got %+v, want a storable event unchanged", got)
	}
}
