package projectionstest

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/internal/scenario"
	"github.com/werkstatt/werkstatt/projections"
)

// The feedback fixture's workshop and sessions.
const (
	e1     domain.WorkshopID = "E1"
	es1    domain.SessionID  = "ES1"
	es2    domain.SessionID  = "ES2"
	sessQ1                   = domain.QuestionnaireID("session-ES1")
)

var (
	fbScale  = domain.Question{ID: "overall", Kind: domain.ScaleQuestion, Text: domain.Text{De: "Insgesamt?"}, Required: true}
	fbChoice = domain.Question{ID: "format", Kind: domain.SingleChoice, Text: domain.Text{En: "Format?"},
		Options: []domain.Option{{ID: "talk", Text: domain.Text{En: "Talk"}}, {ID: "cafe", Text: domain.Text{En: "Café"}}}}
	fbText = domain.Question{ID: "missing", Kind: domain.FreeText, Text: domain.Text{De: "Was fehlte?"}}
	fbWish = domain.Question{ID: "wish", Kind: domain.FreeText, Text: domain.Text{De: "Was wünschen Sie sich?"}}
)

// feedbackFixture decides a feedback round with the real rules. E1 has days d1 (session ES1)
// and d2 (ES2) and five confirmed people P0-P4. Checked in: P0 and P1 on d1, P0 and P2 at
// ES1, P3 and P4 on d2: five people in all, two at ES1, two on d2 (nobody at ES2).
// The workshop questionnaire v1 (scale, choice, two free texts) is answered by P0-P3 (P3 first
// says 1, then changes to 4 and writes texts); then v2 asks only the scale, and P0 answers it
// (3), which moves P0's answer to v2. So v1 holds three responses, two texts to "missing" and
// three to "wish". ES1's questionnaire is answered by P0 and P2, with texts. Then feedback
// closes.
func feedbackFixture(t *testing.T) *scenario.History {
	t.Helper()
	h := scenario.NewHistory(time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC))
	on := func(decide domain.Decision) {
		t.Helper()
		if _, err := h.Decide(e1, decide); err != nil {
			t.Fatalf("feedback fixture: %v", err)
		}
	}
	on(func(w domain.Workshop) ([]domain.Event, error) {
		return w.Schedule(domain.ScheduleWorkshop{ID: e1, Title: "Auswertung", Venue: "Haus", Days: []domain.Day{d1, d2}, Capacity: 10})
	})
	for id, day := range map[domain.SessionID]domain.Day{es1: d1, es2: d2} {
		on(func(w domain.Workshop) ([]domain.Event, error) {
			return w.Plan(domain.PlanSession{Session: domain.Session{ID: id, Title: "Runde", Kind: domain.Talk, Day: day, Starts: "10:00", Ends: "11:00"}})
		})
	}
	for i := range 5 {
		id := domain.RegistrationID(fmt.Sprint("P", i))
		on(func(w domain.Workshop) ([]domain.Event, error) {
			return w.Register(domain.RegisterParticipant{ID: id, Person: domain.Person{Name: "N", Email: "p@example.org"},
				EmailKey: string(id), Organisation: "Verein", Consent: true})
		})
	}
	for _, c := range []domain.CheckInParticipant{{RegistrationID: "P0", Day: d1}, {RegistrationID: "P1", Day: d1},
		{RegistrationID: "P0", Day: d1, SessionID: es1}, {RegistrationID: "P2", Day: d1, SessionID: es1},
		{RegistrationID: "P3", Day: d2}, {RegistrationID: "P4", Day: d2}} {
		on(func(w domain.Workshop) ([]domain.Event, error) { return w.CheckIn(c) })
	}
	on(func(w domain.Workshop) ([]domain.Event, error) {
		return w.SetQuestionnaire(domain.SetQuestionnaire{Questions: []domain.Question{fbScale, fbChoice, fbText, fbWish}})
	})
	on(func(w domain.Workshop) ([]domain.Event, error) {
		return w.SetQuestionnaire(domain.SetQuestionnaire{SessionID: es1, Questions: []domain.Question{fbScale, fbText}})
	})
	on(domain.Workshop.OpenFeedback)
	answer := func(r string, q domain.QuestionnaireID, scale int, choice, text string, wish ...string) {
		t.Helper()
		as := []domain.Answer{{QuestionID: "overall", Scale: scale}, {QuestionID: "missing", Text: text}}
		if choice != "" {
			as = append(as, domain.Answer{QuestionID: "format", Choices: []string{choice}})
		}
		for _, w := range wish {
			as = append(as, domain.Answer{QuestionID: "wish", Text: w})
		}
		on(func(w domain.Workshop) ([]domain.Event, error) {
			return w.AnswerFeedback(domain.AnswerFeedback{QuestionnaireID: q, RegistrationID: domain.RegistrationID(r),
				RespondentKey: "key:" + string(q) + ":" + r, Answers: as})
		})
	}
	ws := domain.WorkshopQuestionnaire
	answer("P0", ws, 5, "cafe", "Pausen", "Kaffee")
	answer("P1", ws, 4, "talk", "Mehr Zeit", "Mehr Praxis")
	answer("P2", ws, 2, "", "", "Kürzere Vorträge")
	answer("P3", ws, 1, "cafe", "")
	answer("P3", ws, 4, "cafe", "Ein Beamer", "Beispiele")
	answer("P0", sessQ1, 5, "", "Beispiele")
	answer("P2", sessQ1, 2, "", "Zu kurz")
	on(func(w domain.Workshop) ([]domain.Event, error) {
		return w.SetQuestionnaire(domain.SetQuestionnaire{Questions: []domain.Question{fbScale}})
	})
	on(func(w domain.Workshop) ([]domain.Event, error) {
		return w.AnswerFeedback(domain.AnswerFeedback{QuestionnaireID: ws, RegistrationID: "P0", RespondentKey: "key:workshop:P0",
			Answers: []domain.Answer{{QuestionID: "overall", Scale: 3}}})
	})
	on(domain.Workshop.CloseFeedback)
	return h
}

// evalLine is an evaluation as a line of text, so that a failure shows every figure at once:
// "id vN current? responses/checked-in rate [withheld] | question answers mean median dist texts".
func evalLine(q projections.QuestionnaireEvaluation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s v%d current=%v %d/%d rate=%.4f withheld=%v", q.ID, q.Version, q.Current, q.Responses, q.CheckedIn,
		q.ResponseRate, q.TextsWithheld)
	for _, qe := range q.Questions {
		fmt.Fprintf(&b, " | %s n=%d", qe.Question.ID, qe.Answers)
		if qe.Mean != nil && qe.Median != nil {
			fmt.Fprintf(&b, " mean=%.4f median=%.4f", *qe.Mean, *qe.Median)
		}
		for _, d := range qe.Distribution {
			fmt.Fprintf(&b, " %s:%d", d.Value, d.Count)
		}
		if len(qe.Texts) > 0 {
			fmt.Fprintf(&b, " %q", qe.Texts)
		}
		if qe.TextsWithheld {
			b.WriteString(" withheld")
		}
	}
	return b.String()
}

func testFeedback(t *testing.T, s projections.Store) {
	h := feedbackFixture(t)
	ApplyAll(t, s, h.Events, 4)
	ctx := context.Background()
	ev, err := s.Evaluation(ctx, e1)
	if err != nil {
		t.Fatalf("Evaluation(E1): %v", err)
	}
	var got []string
	for _, q := range ev.Questionnaires {
		got = append(got, evalLine(q))
	}
	// Worked out by hand from the fixture: v1 keeps P1 (4), P2 (2), P3 (4 after the change):
	// mean 10/3, median 4; P2 gave no format and no text to "missing". Of three responses, two
	// wrote to "missing": withheld; three wrote to "wish": shown. v2 holds P0's 3 alone. ES1:
	// two answers, two people checked in there, texts withheld.
	want := []string{
		"workshop v1 current=false 3/5 rate=0.6000 withheld=true | overall n=3 mean=3.3333 median=4.0000 1:0 2:1 3:0 4:2 5:0" +
			" | format n=2 talk:1 cafe:1 | missing n=2 withheld | wish n=3 [\"Beispiele\" \"Kürzere Vorträge\" \"Mehr Praxis\"]",
		"workshop v2 current=true 1/5 rate=0.2000 withheld=false | overall n=1 mean=3.0000 median=3.0000 1:0 2:0 3:1 4:0 5:0",
		"session-ES1 v1 current=true 2/2 rate=1.0000 withheld=true | overall n=2 mean=3.5000 median=3.5000 1:0 2:1 3:0 4:0 5:1" +
			" | missing n=2 withheld",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Evaluation(E1) =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if ev.State != domain.AnswersClosed || ev.CheckedIn != 5 {
		t.Errorf("got state %s, checked in %d; want closed, 5", ev.State, ev.CheckedIn)
	}
	if m := ev.Questionnaires[0].Questions[0].Mean; m == nil || math.Abs(*m-10.0/3) > 1e-9 {
		t.Errorf("got mean %v of v1, want 10/3", m)
	}
	checkFeedbackView(t, s)
	ApplyAll(t, s, h.Events, 3) // redelivered: skipped
	if again, err := s.Evaluation(ctx, e1); err != nil || !reflect.DeepEqual(again, ev) {
		t.Errorf("after redelivery Evaluation(E1) = %+v, %v; want it unchanged", again, err)
	}
	if _, err := s.Evaluation(ctx, "nope"); err != domain.ErrWorkshopNotFound {
		t.Errorf("Evaluation(nope): got %v, want %v", err, domain.ErrWorkshopNotFound)
	}
}

func checkFeedbackView(t *testing.T, s projections.Store) {
	t.Helper()
	v, err := s.Feedback(context.Background(), e1)
	if err != nil {
		t.Fatalf("Feedback(E1): %v", err)
	}
	var got []string
	for _, q := range v.Questionnaires {
		got = append(got, fmt.Sprint(q.ID, " v", q.Version, " ", q.SessionID, " ", len(q.Questions), " ", q.SetAt.IsZero()))
	}
	want := []string{"workshop v2  1 false", "session-ES1 v1 ES1 2 false"}
	if v.State != domain.AnswersClosed || !reflect.DeepEqual(got, want) {
		t.Errorf("Feedback(E1) = %s %q, want closed %q", v.State, got, want)
	}
	if !reflect.DeepEqual(v.Questionnaires[1].Questions, []domain.Question{fbScale, fbText}) {
		t.Errorf("got ES1's questions %+v, want %+v", v.Questionnaires[1].Questions, []domain.Question{fbScale, fbText})
	}
	if _, err := s.Feedback(context.Background(), "nope"); err != domain.ErrWorkshopNotFound {
		t.Errorf("Feedback(nope): got %v, want %v", err, domain.ErrWorkshopNotFound)
	}
}

// testFeedbackBatches: one event per batch gives the same evaluation as one big batch, and the
// evaluation before the change of P3's answer counts the first answer.
func testFeedbackBatches(t *testing.T, s projections.Store) {
	h := feedbackFixture(t)
	ApplyAll(t, s, h.Events, 1)
	m := projections.NewMemory()
	ApplyAll(t, m, h.Events, 500)
	ctx := context.Background()
	got, err := s.Evaluation(ctx, e1)
	want, _ := m.Evaluation(ctx, e1)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("evaluation with batches of 1 =\n%+v, %v\nwant\n%+v", got, err, want)
	}
}
