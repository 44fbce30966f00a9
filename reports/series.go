package reports

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// ErrSeriesNotFound is returned by LoadSeries for a series without workshops. It matches
// domain.ErrNotFound.
var ErrSeriesNotFound = fmt.Errorf("%w: no workshop belongs to this series", domain.ErrNotFound)

// HeadlineQuestions are the scale questions of the workshop questionnaire whose means a series
// report compares across workshops: those of domain.DefaultQuestions, which every workshop
// questionnaire starts with, so that the same question is compared with itself.
var HeadlineQuestions = []domain.QuestionID{"satisfaction", "content", "organisation", "usefulness"}

// SeriesReport compares the workshops of a series, ordered by first day. Participants counts
// confirmed registrations over all workshops (a person at two workshops counts twice);
// Organisations counts the distinct organisations reached.
type SeriesReport struct {
	Series        string           `json:"series"`
	Participants  int              `json:"participants"`
	Present       int              `json:"present"`
	Organisations int              `json:"organisations"`
	Workshops     []SeriesWorkshop `json:"workshops"`
}

// SeriesWorkshop is one workshop's line of the series report. Present counts confirmed people
// present on at least one day. Responses and ResponseRate are those of the workshop
// questionnaire (all versions together) against the people checked in.
type SeriesWorkshop struct {
	ID            domain.WorkshopID `json:"id"`
	Title         string            `json:"title"`
	FirstDay      domain.Day        `json:"first_day,omitempty"`
	Participants  int               `json:"participants"`
	Present       int               `json:"present"`
	Organisations int               `json:"organisations"`
	Responses     int               `json:"responses"`
	ResponseRate  float64           `json:"response_rate"`
	Ratings       []Rating          `json:"ratings"`
}

// Rating is the mean of a headline question over every answer of the workshop questionnaire's
// versions that ask it; Mean is nil without answers.
type Rating struct {
	Question domain.QuestionID `json:"question"`
	Text     domain.Text       `json:"text"`
	Answers  int               `json:"answers"`
	Mean     *float64          `json:"mean"`
}

// SeriesSource is what LoadSeries reads; projections.Reader implements it.
type SeriesSource interface {
	AttendanceSource
	Workshops(ctx context.Context) ([]projections.WorkshopView, error)
	Evaluation(ctx context.Context, w domain.WorkshopID) (projections.FeedbackEvaluation, error)
}

// LoadSeries reads every workshop of series and builds the report, or returns
// ErrSeriesNotFound.
func LoadSeries(ctx context.Context, src SeriesSource, series string) (SeriesReport, error) {
	all, err := src.Workshops(ctx)
	if err != nil {
		return SeriesReport{}, err
	}
	rep := SeriesReport{Series: series, Workshops: []SeriesWorkshop{}}
	orgs := map[string]bool{}
	for _, ws := range all {
		if ws.Series != series || series == "" {
			continue
		}
		att, err := LoadAttendance(ctx, src, ws.ID)
		if err != nil {
			return SeriesReport{}, err
		}
		ev, err := src.Evaluation(ctx, ws.ID)
		if err != nil {
			return SeriesReport{}, err
		}
		line := seriesWorkshop(att, ev)
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
		return SeriesReport{}, ErrSeriesNotFound
	}
	rep.Organisations = len(orgs)
	return rep, nil
}

func seriesWorkshop(att AttendanceReport, ev projections.FeedbackEvaluation) SeriesWorkshop {
	ws := att.Workshop
	line := SeriesWorkshop{ID: ws.ID, Title: ws.Title, Participants: att.Confirmed}
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
	line.Ratings = make([]Rating, len(HeadlineQuestions))
	for i, id := range HeadlineQuestions {
		line.Ratings[i].Question = id
	}
	for _, q := range ev.Questionnaires {
		if q.ID != domain.WorkshopQuestionnaire {
			continue
		}
		line.Responses += q.Responses
		for _, qe := range q.Questions {
			i := slices.Index(HeadlineQuestions, qe.Question.ID)
			if i < 0 || qe.Question.Kind != domain.ScaleQuestion || qe.Mean == nil {
				continue
			}
			line.Ratings[i].Text = qe.Question.Text
			line.Ratings[i].Answers += qe.Answers
			sums[qe.Question.ID] += *qe.Mean * float64(qe.Answers)
		}
	}
	line.ResponseRate = ratio(line.Responses, ev.CheckedIn)
	for i, r := range line.Ratings {
		if r.Answers > 0 {
			mean := sums[r.Question] / float64(r.Answers)
			line.Ratings[i].Mean = &mean
		}
	}
	return line
}

// Series charts, as SeriesChart names them.
const (
	RatingsChart       = "ratings"
	ParticipationChart = "participation"
)

// SeriesChart returns a chart of the report's trend across its workshops: RatingsChart, the
// headline ratings as lines on the scale, or ParticipationChart, participants, present people
// and organisations as bars. ok is false for another name.
func SeriesChart(lang Lang, r SeriesReport, name string) (c Chart, ok bool) {
	w := lang.reportWords()
	for _, ws := range r.Workshops {
		c.Labels = append(c.Labels, lang.shortDate(ws.FirstDay))
	}
	switch name {
	case RatingsChart:
		c = Chart{Title: w.Trend + ": " + w.Mean, Labels: c.Labels, Top: domain.ScaleMax, Lines: true}
		for i, id := range HeadlineQuestions {
			s := ChartSeries{Name: ratingName(lang, id)}
			for _, ws := range r.Workshops {
				s.Values = append(s.Values, meanOrNaN(ws.Ratings[i].Mean))
			}
			c.Series = append(c.Series, s)
		}
	case ParticipationChart:
		c = Chart{Title: w.Trend + ": " + w.Participants, Labels: c.Labels}
		part, pres, orgs := ChartSeries{Name: w.Confirmed}, ChartSeries{Name: w.Present}, ChartSeries{Name: w.Organisations}
		for _, ws := range r.Workshops {
			part.Values = append(part.Values, float64(ws.Participants))
			pres.Values = append(pres.Values, float64(ws.Present))
			orgs.Values = append(orgs.Values, float64(ws.Organisations))
		}
		c.Series = []ChartSeries{part, pres, orgs}
	default:
		return Chart{}, false
	}
	return c, true
}

// ratingNames are the short names of the headline questions, for legends and columns.
var ratingNames = map[Lang]map[domain.QuestionID]string{
	German:  {"satisfaction": "Zufriedenheit", "content": "Inhalte", "organisation": "Organisation", "usefulness": "Nutzen"},
	English: {"satisfaction": "Satisfaction", "content": "Content", "organisation": "Organisation", "usefulness": "Usefulness"},
}

// ratingName is a headline question's short name in lang.
func ratingName(lang Lang, id domain.QuestionID) string {
	if n, ok := ratingNames[lang][id]; ok {
		return n
	}
	return string(id)
}

func meanOrNaN(v *float64) float64 {
	if v == nil {
		return math.NaN()
	}
	return *v
}
