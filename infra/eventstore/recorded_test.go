package eventstore_test

import (
	"slices"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

// Recorded reads one workshop's events in log order, with their commits' sequences, times and
// actors, persons opened until erased, and nothing of another workshop.
func TestRecordedReadsOneWorkshopsLog(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		ctx := testCtx(t)
		s := w.store(t)
		if got, err := s.Recorded(ctx, "W1"); err != nil || len(got) != 0 {
			t.Fatalf("Recorded of an unknown workshop: got %v, %v; want none", got, err)
		}
		first := schedule(t, s, "W1", 5)
		schedule(t, s, "W2", 5)
		reg, err := register(ctx, s, "W1", registration("R1", "Ada Lovelace"), "")
		if err != nil {
			t.Fatalf("register: %v", err)
		}
		if _, err := register(ctx, s, "W2", registration("R2", "Grace Hopper"), ""); err != nil {
			t.Fatalf("register: %v", err)
		}

		got, err := w.store(t).Recorded(ctx, "W1") // another process, its own keyring
		if err != nil {
			t.Fatalf("Recorded: %v", err)
		}
		var names []string
		for _, r := range got {
			names = append(names, r.Event.Name())
			if r.Workshop != "W1" || !r.At.Equal(at) {
				t.Errorf("%s: got workshop %s at %v, want W1 at %v", r.Event.Name(), r.Workshop, r.At, at)
			}
		}
		want := slices.Concat(eventNames(first.Events), eventNames(reg.Events))
		if !slices.Equal(names, want) {
			t.Fatalf("events: got %v, want %v", names, want)
		}
		if got[0].Seq != first.Seq || got[0].Actor != "organiser" || got[len(got)-1].Seq != reg.Seq || got[len(got)-1].Actor != "public" {
			t.Errorf("sequences and actors: got first %d %q, last %d %q; want %d organiser, %d public",
				got[0].Seq, got[0].Actor, got[len(got)-1].Seq, got[len(got)-1].Actor, first.Seq, reg.Seq)
		}
		if p := personOf(got); p == nil || p.Name != "Ada Lovelace" {
			t.Errorf("person: got %+v, want Ada Lovelace", p)
		}

		if err := w.keyring.Erase(ctx, "R1"); err != nil {
			t.Fatalf("Erase: %v", err)
		}
		got, err = w.store(t).Recorded(ctx, "W1")
		if err != nil {
			t.Fatalf("Recorded after Erase: %v", err)
		}
		if p := personOf(got); p != nil {
			t.Errorf("person after Erase: got %+v, want nil", p)
		}
		if _, err := s.Recorded(ctx, "W1.>"); err == nil {
			t.Error("Recorded of a wildcard id: got no error")
		}
	})
}

func personOf(recs []domain.Recorded) *domain.Person {
	for _, r := range recs {
		if p, ok := r.Event.(domain.ParticipantRegistered); ok {
			return p.Person
		}
	}
	return nil
}
