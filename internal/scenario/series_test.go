package scenario_test

import (
	"context"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/internal/bench"
	"github.com/werkstatt/werkstatt/internal/scenario"
	"github.com/werkstatt/werkstatt/projections"
)

// TestSeriesScenario checks that the benchmark's series is the one its comment promises: the
// issue's size, in the read models a series report is built from.
func TestSeriesScenario(t *testing.T) {
	events := scenario.Series(scenario.DefaultSeriesSize)
	commits := map[uint64]bool{}
	for _, e := range events {
		commits[e.Seq] = true
	}
	if len(events) != 46380 || len(commits) != 41480 {
		t.Fatalf("got %d events in %d commits, want 46380 in 41480", len(events), len(commits))
	}
	ctx := context.Background()
	store := projections.NewMemory()
	if _, err := bench.MeasureApply(ctx, store, events, 500); err != nil {
		t.Fatal(err)
	}
	all, err := store.Workshops(ctx)
	if err != nil || len(all) != 20 {
		t.Fatalf("got %d workshops (%v), want 20", len(all), err)
	}
	for _, ws := range all {
		if ws.Series != scenario.SeriesName || len(ws.Days) != 2 || len(ws.Agenda) != 10 {
			t.Errorf("%s: got series %q, %d days, %d sessions; want %q, 2, 10", ws.ID, ws.Series, len(ws.Days), len(ws.Agenda),
				scenario.SeriesName)
		}
		checkSeriesWorkshop(t, store, ws.ID, 200, 4, 140, 180)
	}
}

// TestSeriesScenarioSmall checks the proportions on a series small enough to count by hand:
// 10 confirmed (the 11th registration waits, 5 cancels and 10 moves up), 9 come (not the
// 10th), and with 50% feedback the quota picks confirmed people 0, 2, 4, 6 and 8.
func TestSeriesScenarioSmall(t *testing.T) {
	store := projections.NewMemory()
	events := scenario.Series(scenario.SeriesSize{Workshops: 1, Participants: 10, Sessions: 3, Feedback: 50})
	if _, err := bench.MeasureApply(context.Background(), store, events, 7); err != nil {
		t.Fatal(err)
	}
	checkSeriesWorkshop(t, store, "W00000", 10, 0, 5, 9)
}

// checkSeriesWorkshop checks a workshop's registrations and the responses to its closed
// workshop questionnaire, every default question answered by every respondent.
func checkSeriesWorkshop(t *testing.T, store projections.Reader, id domain.WorkshopID, confirmed, waiting, responses, present int) {
	t.Helper()
	ctx := context.Background()
	regs, err := store.Registrations(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	count := map[domain.Status]int{}
	for _, r := range regs {
		count[r.Status]++
	}
	if count[domain.Confirmed] != confirmed || count[domain.Waitlisted] != waiting {
		t.Errorf("%s: got %v, want %d confirmed and %d waitlisted", id, count, confirmed, waiting)
	}
	ev, err := store.Evaluation(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if ev.State != domain.AnswersClosed || ev.CheckedIn != present {
		t.Errorf("%s: got feedback %s with %d people checked in, want closed and %d", id, ev.State, ev.CheckedIn, present)
	}
	for _, q := range ev.Questionnaires {
		if q.ID != domain.WorkshopQuestionnaire {
			continue
		}
		if q.Responses != responses || len(q.Questions) != len(domain.DefaultQuestions()) {
			t.Errorf("%s: got %d responses to %d questions, want %d to %d", id, q.Responses, len(q.Questions), responses,
				len(domain.DefaultQuestions()))
		}
		for _, qe := range q.Questions {
			if qe.Answers != responses || qe.Question.Kind == domain.FreeText && len(qe.Texts) != responses {
				t.Errorf("%s: %s got %d answers and %d texts, want %d", id, qe.Question.ID, qe.Answers, len(qe.Texts), responses)
			}
		}
		return
	}
	t.Errorf("%s: no workshop questionnaire in %+v", id, ev.Questionnaires)
}

func TestSeriesSizeFlag(t *testing.T) {
	tests := []struct {
		in   string
		want scenario.SeriesSize
		ok   bool
	}{
		{"20x200x10", scenario.DefaultSeriesSize, true},
		{"2x20x4,50%", scenario.SeriesSize{Workshops: 2, Participants: 20, Sessions: 4, Feedback: 50}, true},
		{"1x5x0", scenario.SeriesSize{Workshops: 1, Participants: 5, Feedback: 70}, true},
		{"0x5x1", scenario.SeriesSize{}, false},
		{"2x20", scenario.SeriesSize{}, false},
		{"2x20x4,50", scenario.SeriesSize{}, false},
		{"2x20x4,150%", scenario.SeriesSize{}, false},
		{"big", scenario.SeriesSize{}, false},
	}
	for _, tt := range tests {
		var got scenario.SeriesSize
		err := got.Set(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("Set(%q): got %+v, %v; want %+v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
		if tt.ok && got.String() != tt.in {
			t.Errorf("Set(%q).String() = %q, want it back", tt.in, got.String())
		}
	}
}
