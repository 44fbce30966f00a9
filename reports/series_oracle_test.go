package reports_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/postgres/postgrestest"
	"github.com/werkstatt/werkstatt/internal/bench"
	"github.com/werkstatt/werkstatt/internal/scenario"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

// TestLoadSeriesAsBefore checks that the series report read from the series figures equals,
// to the last bit of every mean, the report built the way it was before: from each workshop's
// full attendance report and evaluation. It runs on both stores over two logs: scenario.Series
// with a second questionnaire version and another series added (seriesOracleLog), and the log
// of TestLoadSeries.
func TestLoadSeriesAsBefore(t *testing.T) {
	logs := []struct {
		name   string
		events []domain.Recorded
	}{
		{"scenario with two versions", seriesOracleLog(t)},
		{"TestLoadSeries' log", seriesLog(3, 20, 60)},
	}
	for _, s := range postgrestest.ReadModels() {
		for _, l := range logs {
			t.Run(s.Name+"/"+l.name, func(t *testing.T) {
				store := s.Open(t)
				if _, err := bench.MeasureApply(context.Background(), store, l.events, 100); err != nil {
					t.Fatal(err)
				}
				checkSeriesAsBefore(t, store, scenario.SeriesName)
			})
		}
	}
}

// checkSeriesAsBefore compares LoadSeries with seriesBefore, as values and as JSON.
func checkSeriesAsBefore(t *testing.T, store projections.Reader, series string) {
	t.Helper()
	ctx := context.Background()
	got, err := reports.LoadSeries(ctx, store, series)
	if err != nil {
		t.Fatalf("LoadSeries(%s): %v", series, err)
	}
	want, err := seriesBefore(ctx, store, series)
	if err != nil {
		t.Fatalf("the report as before: %v", err)
	}
	gotJSON, _ := json.Marshal(got)
	wantJSON, _ := json.Marshal(want)
	if !reflect.DeepEqual(got, want) || !bytes.Equal(gotJSON, wantJSON) {
		t.Errorf("LoadSeries(%s) =\n%s\nwant (as before)\n%s", series, gotJSON, wantJSON)
	}
	if len(got.Workshops) < 2 || got.Workshops[0].Ratings[0].Mean == nil {
		t.Errorf("got %d workshops, the first rated %v; want a series with ratings to compare", len(got.Workshops), got.Workshops)
	}
}

// seriesOracleLog returns scenario.Series at 3x20x4 with 70% feedback, then reopens W00001's
// feedback with a second version of its questionnaire (satisfaction reworded, a new scale,
// content optional, the other two dropped): three earlier respondents answer it again, which moves their answers,
// and two more answer. W00002 gets a second version nobody answers. A workshop of another
// series, with the same answers as the first, must stay out.
func seriesOracleLog(t *testing.T) []domain.Recorded {
	t.Helper()
	h := scenario.NewHistory(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
	var keys []string // W00001's respondent keys of the workshop questionnaire, in log order
	for _, batch := range projections.Batches(scenario.Series(scenario.SeriesSize{Workshops: 3, Participants: 20,
		Sessions: 4, Feedback: 70}), 1) {
		evs := make([]domain.Event, len(batch))
		for i, r := range batch {
			evs[i] = r.Event
			if a, ok := r.Event.(domain.FeedbackAnswered); ok && r.Workshop == "W00001" && a.QuestionnaireID == domain.WorkshopQuestionnaire {
				keys = append(keys, a.RespondentKey)
			}
		}
		h.Must(batch[0].Workshop, func(domain.Workshop) ([]domain.Event, error) { return evs, nil })
	}
	on := func(w domain.WorkshopID, decide domain.Decision) {
		t.Helper()
		if _, err := h.Decide(w, decide); err != nil {
			t.Fatalf("decide on %s: %v", w, err)
		}
	}
	satisfaction := domain.Question{ID: "satisfaction", Kind: domain.ScaleQuestion, Text: domain.Text{De: "Und insgesamt?", En: "And overall?"}}
	venue := domain.Question{ID: "venue", Kind: domain.ScaleQuestion, Text: domain.Text{De: "Der Ort?"}}
	content := domain.DefaultQuestions()[1]
	content.Required = false
	for _, w := range []domain.WorkshopID{"W00001", "W00002"} {
		on(w, func(ws domain.Workshop) ([]domain.Event, error) {
			return ws.SetQuestionnaire(domain.SetQuestionnaire{Questions: []domain.Question{satisfaction, venue, content}})
		})
	}
	var confirmed []domain.RegistrationID
	for id, r := range h.Workshop("W00001").Registrations {
		if r.Status == domain.Confirmed {
			confirmed = append(confirmed, id)
		}
	}
	slices.Sort(confirmed)
	on("W00001", domain.Workshop.OpenFeedback)
	for i, key := range append(keys[:3:3], "new-1", "new-2") {
		as := []domain.Answer{{QuestionID: "satisfaction", Scale: 1 + i}, {QuestionID: "venue", Scale: 5 - i%2}}
		if i%2 == 0 {
			as = append(as, domain.Answer{QuestionID: "content", Scale: 2 + i/2})
		}
		on("W00001", func(ws domain.Workshop) ([]domain.Event, error) {
			return ws.AnswerFeedback(domain.AnswerFeedback{QuestionnaireID: domain.WorkshopQuestionnaire,
				RegistrationID: confirmed[i], RespondentKey: key, Answers: as})
		})
	}
	on("W00001", domain.Workshop.CloseFeedback)
	other := domain.WorkshopID("X00000")
	on(other, func(ws domain.Workshop) ([]domain.Event, error) {
		return ws.Schedule(domain.ScheduleWorkshop{ID: other, Title: "Andere", Series: "Andere Reihe", Venue: "Haus",
			Days: []domain.Day{"2026-03-02"}, Capacity: 5})
	})
	on(other, func(ws domain.Workshop) ([]domain.Event, error) {
		return ws.Register(domain.RegisterParticipant{ID: "X-R1", Person: domain.Person{Name: "N", Email: "x@example.org"},
			EmailKey: "x", Organisation: "Verein außerhalb", Consent: true})
	})
	on(other, func(ws domain.Workshop) ([]domain.Event, error) {
		return ws.CheckIn(domain.CheckInParticipant{RegistrationID: "X-R1", Day: "2026-03-02"})
	})
	on(other, domain.Workshop.OpenFeedback)
	on(other, func(ws domain.Workshop) ([]domain.Event, error) {
		return ws.AnswerFeedback(domain.AnswerFeedback{QuestionnaireID: domain.WorkshopQuestionnaire, RegistrationID: "X-R1",
			RespondentKey: "x", Answers: []domain.Answer{{QuestionID: "satisfaction", Scale: 1}, {QuestionID: "content", Scale: 1},
				{QuestionID: "organisation", Scale: 1}, {QuestionID: "usefulness", Scale: 1}}})
	})
	return h.Events
}

// seriesBefore builds the series report as LoadSeries did before the series figures: from
// every workshop's attendance report and evaluation. It is the oracle of
// TestLoadSeriesAsBefore.
func seriesBefore(ctx context.Context, src projections.Reader, series string) (reports.SeriesReport, error) {
	all, err := src.Workshops(ctx)
	if err != nil {
		return reports.SeriesReport{}, err
	}
	rep := reports.SeriesReport{Series: series, Workshops: []reports.SeriesWorkshop{}}
	orgs := map[string]bool{}
	for _, ws := range all {
		if ws.Series != series || series == "" {
			continue
		}
		att, err := reports.LoadAttendance(ctx, src, ws.ID, "")
		if err != nil {
			return reports.SeriesReport{}, err
		}
		ev, err := src.Evaluation(ctx, ws.ID)
		if err != nil {
			return reports.SeriesReport{}, err
		}
		line := seriesWorkshopBefore(att, ev)
		for _, o := range att.Organisations {
			if o.Name != "" {
				orgs[o.Name] = true
			}
		}
		rep.Participants += line.Participants
		rep.Present += line.Present
		rep.Workshops = append(rep.Workshops, line)
	}
	if len(rep.Workshops) == 0 {
		return reports.SeriesReport{}, reports.ErrSeriesNotFound
	}
	rep.Organisations = len(orgs)
	return rep, nil
}

func seriesWorkshopBefore(att reports.AttendanceReport, ev projections.FeedbackEvaluation) reports.SeriesWorkshop {
	ws := att.Workshop
	line := reports.SeriesWorkshop{ID: ws.ID, Title: ws.Title, Participants: att.Confirmed}
	if len(ws.Days) > 0 {
		line.FirstDay = ws.Days[0]
	}
	for _, p := range att.Participants {
		if len(p.DaysAttended) > 0 {
			line.Present++
		}
	}
	for _, o := range att.Organisations {
		if o.Name != "" {
			line.Organisations++
		}
	}
	sums := map[domain.QuestionID]float64{}
	line.Ratings = make([]reports.Rating, len(reports.HeadlineQuestions))
	for i, id := range reports.HeadlineQuestions {
		line.Ratings[i].Question = id
	}
	for _, q := range ev.Questionnaires {
		if q.ID != domain.WorkshopQuestionnaire {
			continue
		}
		line.Responses += q.Responses
		for _, qe := range q.Questions {
			i := slices.Index(reports.HeadlineQuestions, qe.Question.ID)
			if i < 0 || qe.Question.Kind != domain.ScaleQuestion || qe.Mean == nil {
				continue
			}
			line.Ratings[i].Text = qe.Question.Text
			line.Ratings[i].Answers += qe.Answers
			sums[qe.Question.ID] += *qe.Mean * float64(qe.Answers)
		}
	}
	if ev.CheckedIn > 0 {
		line.ResponseRate = float64(line.Responses) / float64(ev.CheckedIn)
	}
	for i, r := range line.Ratings {
		if r.Answers > 0 {
			mean := sums[r.Question] / float64(r.Answers)
			line.Ratings[i].Mean = &mean
		}
	}
	return line
}

// Guard: the oracle log holds what TestLoadSeriesAsBefore claims, or the comparison proves less.
func TestSeriesOracleLogHasTwoAnsweredVersions(t *testing.T) {
	store := projections.NewMemory()
	if _, err := bench.MeasureApply(context.Background(), store, seriesOracleLog(t), 500); err != nil {
		t.Fatal(err)
	}
	ev, err := store.Evaluation(context.Background(), "W00001")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, q := range ev.Questionnaires {
		if q.ID == domain.WorkshopQuestionnaire {
			got = append(got, fmt.Sprintf("v%d:%d", q.Version, q.Responses))
		}
	}
	// scenario.Series: 14 of the 20 confirmed answer v1; 3 of them move to v2, 2 more join them.
	if want := []string{"v1:11", "v2:5"}; !reflect.DeepEqual(got, want) {
		t.Errorf("W00001's workshop questionnaire responses = %v, want %v", got, want)
	}
}
