package projectionstest

import (
	"context"
	"maps"
	"reflect"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/internal/scenario"
	"github.com/werkstatt/werkstatt/projections"
)

// testRegistrationQuestions checks the workshop's registration questions on its view, the
// answers on the registrations (text answers gone after erasure, choice and yes/no ones kept),
// and the attendance counts by answer, which erasure does not change. A NUL byte in a stored
// answer (a hand-made event) must not stop the projection.
func testRegistrationQuestions(t *testing.T, s projections.Store) {
	ctx := context.Background()
	const q domain.WorkshopID = "Q"
	qs := []domain.RegistrationQuestion{
		{ID: "sector", Label: "Sektor", Kind: domain.AskChoice, Options: []string{"Politik", "Verwaltung"}, Required: true},
		{ID: "multiplier", Label: "Multiplikator·in", Kind: domain.AskYesNo},
		{ID: "why", Label: "Warum?", Kind: domain.AskText},
	}
	h := scenario.NewHistory(time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC))
	h.Must(q, func(w domain.Workshop) ([]domain.Event, error) {
		return w.Schedule(domain.ScheduleWorkshop{ID: q, Title: "Fragenwerkstatt", Venue: "Rathaus", Days: []domain.Day{d1}, Capacity: 5})
	})
	h.Must(q, func(w domain.Workshop) ([]domain.Event, error) {
		return w.SetRegistrationQuestions(domain.SetRegistrationQuestions{Questions: qs})
	})
	answers := map[domain.RegistrationID]map[string]any{
		"A": {"sector": "Verwaltung", "multiplier": true, "why": "Austausch"},
		"B": {"sector": "Verwaltung", "multiplier": false},
	}
	for _, id := range []domain.RegistrationID{"A", "B"} {
		h.Must(q, func(w domain.Workshop) ([]domain.Event, error) {
			return w.Register(domain.RegisterParticipant{ID: id, Person: domain.Person{Name: "N" + string(id), Email: string(id) + "@example.org"},
				EmailKey: "k" + string(id), Organisation: "O", Consent: true, Answers: answers[id]})
		})
	}
	h.Must(q, func(w domain.Workshop) ([]domain.Event, error) {
		return w.CheckIn(domain.CheckInParticipant{RegistrationID: "A", Day: d1})
	})
	before := len(h.Events)
	h.Must(q, func(w domain.Workshop) ([]domain.Event, error) {
		return w.Erase(domain.EraseParticipant{RegistrationID: "A"})
	})
	events := h.Events
	ApplyAll(t, s, events[:before], 2)

	w, err := s.Workshop(ctx, q)
	if err != nil || !reflect.DeepEqual(w.RegistrationQuestions, qs) {
		t.Fatalf("questions: got %+v, %v; want %+v", w.RegistrationQuestions, err, qs)
	}
	a, err := s.Registration(ctx, q, "A")
	if want := map[string]string{"sector": "Verwaltung", "multiplier": "yes", "why": "Austausch"}; err != nil || !maps.Equal(a.Answers, want) {
		t.Errorf("A's answers: got %v, %v; want %v", a.Answers, err, want)
	}
	wantCounts := []projections.AnswerAttendance{
		{Question: "multiplier", Answer: "no", Confirmed: 1}, {Question: "multiplier", Answer: "yes", Confirmed: 1, CheckedIn: 1},
		{Question: "sector", Answer: "Verwaltung", Confirmed: 2, CheckedIn: 1}}
	att, err := s.Attendance(ctx, q)
	if err != nil || !reflect.DeepEqual(att.Answers, wantCounts) {
		t.Errorf("counts: got %+v, %v; want %+v", att.Answers, err, wantCounts)
	}

	ApplyAll(t, s, events, 1)
	a, err = s.Registration(ctx, q, "A")
	if want := map[string]string{"sector": "Verwaltung", "multiplier": "yes"}; err != nil || !a.Erased || !maps.Equal(a.Answers, want) {
		t.Errorf("A's answers after erasure: got %v (erased %v), %v; want %v", a.Answers, a.Erased, err, want)
	}
	att, err = s.Attendance(ctx, q)
	if err != nil || !reflect.DeepEqual(att.Answers, wantCounts) {
		t.Errorf("counts after erasure: got %+v, %v; want %+v", att.Answers, err, wantCounts)
	}

	// Removing every question leaves none on the view; a NUL in a hand-made answer is stored.
	last := events[len(events)-1]
	tail := []domain.Recorded{
		{Seq: last.Seq + 1, Workshop: q, At: last.At, Event: domain.RegistrationQuestionsSet{Questions: []domain.RegistrationQuestion{}}},
		{Seq: last.Seq + 2, Workshop: q, At: last.At, Event: domain.ParticipantRegistered{RegistrationID: "C",
			Person: &domain.Person{Name: "C", Email: "c@example.org", Answers: map[string]string{"why": "a\x00b"}}, EmailKey: "kC",
			Organisation: "O", Days: []domain.Day{d1}, Answers: map[string]string{"sector\x00": "Politik\x00"}}},
	}
	ApplyAll(t, s, append(events, tail...), 1)
	if w, err := s.Workshop(ctx, q); err != nil || w.RegistrationQuestions != nil {
		t.Errorf("questions removed: got %+v, %v; want none", w.RegistrationQuestions, err)
	}
	if c, err := s.Registration(ctx, q, "C"); err != nil || len(c.Answers) != 2 {
		t.Errorf("C: got %+v, %v; want its two answers stored", c.Answers, err)
	}
}
