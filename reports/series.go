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
	SeriesFigures(ctx context.Context, series string) ([]projections.WorkshopFigures, error)
}

// LoadSeries reads the figures of every workshop of series and builds the report, or returns
// ErrSeriesNotFound. The figures are those of the workshops' attendance reports and
// evaluations, counted by the read model without building either.
func LoadSeries(ctx context.Context, src SeriesSource, series string) (SeriesReport, error) {
	if series == "" {
		return SeriesReport{}, ErrSeriesNotFound
	}
	figures, err := src.SeriesFigures(ctx, series)
	if err != nil {
		return SeriesReport{}, err
	}
	if len(figures) == 0 {
		return SeriesReport{}, ErrSeriesNotFound
	}
	rep := SeriesReport{Series: series, Workshops: make([]SeriesWorkshop, 0, len(figures))}
	orgs := map[string]bool{}
	for _, f := range figures {
		line := seriesWorkshop(f)
		for _, o := range f.Organisations {
			orgs[o] = true
		}
		rep.Participants += line.Participants
		rep.Present += line.Present
		rep.Workshops = append(rep.Workshops, line)
	}
	rep.Organisations = len(orgs)
	return rep, nil
}

// seriesWorkshop builds a workshop's line. A headline question's mean adds up each version's
// mean, rounded as projections.Evaluate rounds it, times its answers: the report keeps, to the
// last bit, the figures it showed when it was built from the evaluations.
func seriesWorkshop(f projections.WorkshopFigures) SeriesWorkshop {
	ws := f.Workshop
	line := SeriesWorkshop{ID: ws.ID, Title: ws.Title, Participants: f.Confirmed, Present: f.Present,
		Organisations: len(f.Organisations)}
	if len(ws.Days) > 0 {
		line.FirstDay = ws.Days[0]
	}
	sums := map[domain.QuestionID]float64{}
	line.Ratings = make([]Rating, len(HeadlineQuestions))
	for i, id := range HeadlineQuestions {
		line.Ratings[i].Question = id
	}
	for _, v := range f.Questionnaire {
		line.Responses += v.Responses
		for _, sf := range v.Scales {
			i := slices.Index(HeadlineQuestions, sf.Question.ID)
			if i < 0 || sf.Answers == 0 {
				continue
			}
			line.Ratings[i].Text = sf.Question.Text
			line.Ratings[i].Answers += sf.Answers
			mean := float64(sf.Sum) / float64(sf.Answers)
			sums[sf.Question.ID] += mean * float64(sf.Answers)
		}
	}
	line.ResponseRate = ratio(line.Responses, f.CheckedIn)
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
