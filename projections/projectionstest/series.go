package projectionstest

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/internal/scenario"
	"github.com/werkstatt/werkstatt/projections"
)

// The series fixture: two workshops of the series, one of another.
const (
	series             = "Nordlicht"
	n1, n2, x1, o1     = domain.WorkshopID("N1"), domain.WorkshopID("N2"), domain.WorkshopID("X1"), domain.WorkshopID("O1")
	ns1, ns2           = domain.SessionID("NS1"), domain.SessionID("NS2")
	q1, q2, q3, q4, q5 = domain.RegistrationID("Q1"), domain.RegistrationID("Q2"), domain.RegistrationID("Q3"),
		domain.RegistrationID("Q4"), domain.RegistrationID("Q5")
)

var (
	sfSatisfaction = domain.Question{ID: "satisfaction", Kind: domain.ScaleQuestion, Text: domain.Text{De: "Zufrieden?"}, Required: true}
	sfContent      = domain.Question{ID: "content", Kind: domain.ScaleQuestion, Text: domain.Text{De: "Inhalte?"}}
	sfUsefulness   = domain.Question{ID: "usefulness", Kind: domain.ScaleQuestion, Text: domain.Text{En: "Useful?"}}
	sfMissing      = domain.Question{ID: "missing", Kind: domain.FreeText, Text: domain.Text{De: "Was fehlte?"}}
)

// seriesFixture decides, with the real rules, the series Nordlicht and a workshop of another:
//
//   - N1 (d1, d2; capacity 3; sessions NS1 on d1, NS2 on d2): Q1 (Verein A), Q2 (Verein B),
//     Q3 (Verein A) are confirmed, Q4 (Verein C) and Q5 (Verein E) wait. Q2 is checked in on d1,
//     then cancels, which drops the check-in and promotes Q4. Q1 is checked in at the door and
//     at NS1 on d1, Q3 only at NS2; Q4's check-in on d1 is annulled. The log also holds a
//     check-in of Q5, who still waits (the domain would refuse it, an old log may hold it).
//     The workshop questionnaire v1 asks satisfaction, content and a text: Q1 answers 5 and 4,
//     Q3 answers 2, Q4 answers 3 and 1, then changes to 4 and 2. NS1's questionnaire gets a 1
//     from Q1. Then v2 asks satisfaction and usefulness, and Q3 answers 1 and 5, which moves
//     Q3's answer to v2.
//   - N2 (one earlier day, no questionnaire): Q1 (Verein Z) is confirmed and never comes.
//   - X1 of the series Südwind: one confirmed, checked-in person who answers.
//   - O1 of no series: one confirmed person.
func seriesFixture(t *testing.T) *scenario.History {
	t.Helper()
	h := scenario.NewHistory(time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC))
	on := func(w domain.WorkshopID, decide domain.Decision) {
		t.Helper()
		if _, err := h.Decide(w, decide); err != nil {
			t.Fatalf("series fixture on %s: %v", w, err)
		}
	}
	schedule := func(w domain.WorkshopID, title, series string, capacity int, days ...domain.Day) {
		on(w, func(ws domain.Workshop) ([]domain.Event, error) {
			return ws.Schedule(domain.ScheduleWorkshop{ID: w, Title: title, Series: series, Venue: "Haus", Days: days, Capacity: capacity})
		})
	}
	register := func(w domain.WorkshopID, id domain.RegistrationID, org string) {
		on(w, func(ws domain.Workshop) ([]domain.Event, error) {
			return ws.Register(domain.RegisterParticipant{ID: id, Person: domain.Person{Name: "N", Email: "p@example.org"},
				EmailKey: string(w) + string(id), Organisation: org, Consent: true})
		})
	}
	checkIn := func(w domain.WorkshopID, id domain.RegistrationID, day domain.Day, s domain.SessionID) {
		on(w, func(ws domain.Workshop) ([]domain.Event, error) {
			return ws.CheckIn(domain.CheckInParticipant{RegistrationID: id, Day: day, SessionID: s})
		})
	}
	answer := func(w domain.WorkshopID, id domain.RegistrationID, q domain.QuestionnaireID, as ...domain.Answer) {
		on(w, func(ws domain.Workshop) ([]domain.Event, error) {
			return ws.AnswerFeedback(domain.AnswerFeedback{QuestionnaireID: q, RegistrationID: id,
				RespondentKey: string(w) + ":" + string(q) + ":" + string(id), Answers: as})
		})
	}
	questionnaire := func(w domain.WorkshopID, s domain.SessionID, qs ...domain.Question) {
		on(w, func(ws domain.Workshop) ([]domain.Event, error) {
			return ws.SetQuestionnaire(domain.SetQuestionnaire{SessionID: s, Questions: qs})
		})
	}
	scale := func(q domain.QuestionID, v int) domain.Answer { return domain.Answer{QuestionID: q, Scale: v} }
	ws := domain.WorkshopQuestionnaire

	schedule(n1, "Frühjahr", series, 3, d1, d2)
	for id, day := range map[domain.SessionID]domain.Day{ns1: d1, ns2: d2} {
		on(n1, func(w domain.Workshop) ([]domain.Event, error) {
			return w.Plan(domain.PlanSession{Session: domain.Session{ID: id, Title: "Runde", Kind: domain.Talk, Day: day, Starts: "10:00", Ends: "11:00"}})
		})
	}
	register(n1, q1, "Verein A")
	register(n1, q2, "Verein B")
	register(n1, q3, "Verein A")
	register(n1, q4, "Verein C")
	register(n1, q5, "Verein E")
	checkIn(n1, q2, d1, "")
	on(n1, func(w domain.Workshop) ([]domain.Event, error) { return w.CancelRegistration(q2) })
	checkIn(n1, q1, d1, "")
	checkIn(n1, q1, d1, ns1)
	checkIn(n1, q3, d2, ns2)
	checkIn(n1, q4, d1, "")
	on(n1, func(w domain.Workshop) ([]domain.Event, error) {
		return w.AnnulCheckIn(domain.CheckInParticipant{RegistrationID: q4, Day: d1})
	})
	on(n1, func(domain.Workshop) ([]domain.Event, error) {
		return []domain.Event{domain.ParticipantCheckedIn{RegistrationID: q5, Day: d1}}, nil
	})
	questionnaire(n1, "", sfSatisfaction, sfContent, sfMissing)
	questionnaire(n1, ns1, sfSatisfaction)
	on(n1, domain.Workshop.OpenFeedback)
	answer(n1, q1, ws, scale("satisfaction", 5), scale("content", 4), domain.Answer{QuestionID: "missing", Text: "Pausen"})
	answer(n1, q3, ws, scale("satisfaction", 2))
	answer(n1, q4, ws, scale("satisfaction", 3), scale("content", 1))
	answer(n1, q4, ws, scale("satisfaction", 4), scale("content", 2))
	answer(n1, q1, domain.QuestionnaireFor(ns1), scale("satisfaction", 1))
	questionnaire(n1, "", sfSatisfaction, sfUsefulness)
	answer(n1, q3, ws, scale("satisfaction", 1), scale("usefulness", 5))

	schedule(n2, "Winter", series, 5, "2026-10-05")
	register(n2, q1, "Verein Z")

	schedule(x1, "Anderswo", "Südwind", 5, d1)
	register(x1, q1, "Verein X")
	checkIn(x1, q1, d1, "")
	on(x1, domain.Workshop.OpenFeedback)
	answer(x1, q1, ws, scale("satisfaction", 1), scale("content", 1), scale("organisation", 1), scale("usefulness", 1))

	schedule(o1, "Ohne Reihe", "", 5, d1)
	register(o1, q1, "Verein O")
	return h
}

// figuresLine is a workshop's figures as a line of text, so that a failure shows every figure
// at once: "id title first-day confirmed present organisations checked-in | vN responses
// question:answers/sum ...".
func figuresLine(f projections.WorkshopFigures) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s confirmed=%d present=%d orgs=%q checked-in=%d", f.Workshop.ID, f.Workshop.Title,
		f.Workshop.Series, f.Confirmed, f.Present, f.Organisations, f.CheckedIn)
	for _, v := range f.Questionnaire {
		fmt.Fprintf(&b, " | v%d responses=%d", v.Version, v.Responses)
		for _, s := range v.Scales {
			fmt.Fprintf(&b, " %s:%d/%d", s.Question.ID, s.Answers, s.Sum)
		}
	}
	return b.String()
}

func testSeriesFigures(t *testing.T, s projections.Store) {
	ApplyAll(t, s, seriesFixture(t).Events, 3)
	ctx := context.Background()
	got, err := s.SeriesFigures(ctx, series)
	if err != nil {
		t.Fatalf("SeriesFigures(%s): %v", series, err)
	}
	var lines []string
	for _, f := range got {
		lines = append(lines, figuresLine(f))
	}
	// By hand: N2 comes first (earlier day). N1 confirms Q1, Q3 and Q4 (Q2 cancelled, Q5
	// waits); present are Q1 (door) and Q3 (session only), not Q4 (annulled); checked in are
	// Q1, Q3 and the waiting Q5. v1 keeps Q1 (5, 4) and Q4's changed answer (4, 2); Q3's moved
	// to v2. The text question and NS1's questionnaire do not count.
	want := []string{
		`N2 Winter Nordlicht confirmed=1 present=0 orgs=["Verein Z"] checked-in=0`,
		`N1 Frühjahr Nordlicht confirmed=3 present=2 orgs=["Verein A" "Verein C"] checked-in=3` +
			` | v1 responses=2 satisfaction:2/9 content:2/6 | v2 responses=1 satisfaction:1/1 usefulness:1/5`,
	}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("SeriesFigures(%s) =\n%s\nwant\n%s", series, strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if len(got) == 2 {
		if days := got[1].Workshop.Days; !reflect.DeepEqual(days, []domain.Day{d1, d2}) {
			t.Errorf("N1's days = %v, want [%s %s]", days, d1, d2)
		}
		if got[0].Questionnaire == nil || got[0].Organisations == nil {
			t.Errorf("N2's lists are %#v and %#v, want empty, not nil", got[0].Questionnaire, got[0].Organisations)
		}
		if q := got[1].Questionnaire; len(q) == 2 && !reflect.DeepEqual(q[1].Scales[1].Question, sfUsefulness) {
			t.Errorf("v2's second scale = %+v, want %+v", q[1].Scales[1].Question, sfUsefulness)
		}
	}
	for _, unknown := range []string{"Gibt es nicht", ""} {
		if got, err := s.SeriesFigures(ctx, unknown); err != nil || got == nil || len(got) != 0 {
			t.Errorf("SeriesFigures(%q) = %v, %v; want an empty list", unknown, got, err)
		}
	}
}
