package web

import (
	"fmt"
	"strings"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

// The lead's pages show numbers as text already formatted for the page's language: the
// templates only place them.

// leadSeriesPage is the series report as the lead's page shows it.
type leadSeriesPage struct {
	R         reports.SeriesReport
	Headline  []string // the names of the rating columns
	Workshops []leadWorkshopRow
}

// leadWorkshopRow is one workshop's line of the series table.
type leadWorkshopRow struct {
	W     reports.SeriesWorkshop
	Rate  string
	Means []string
}

func newLeadSeriesPage(lang string, r reports.SeriesReport) leadSeriesPage {
	p := leadSeriesPage{R: r}
	for i, w := range r.Workshops {
		row := leadWorkshopRow{W: w, Rate: ratePercent(lang, w.ResponseRate)}
		for _, rt := range w.Ratings {
			if i == 0 {
				p.Headline = append(p.Headline, inLang(lang, rt.Text, string(rt.Question)))
			}
			row.Means = append(row.Means, mean(lang, rt.Mean))
		}
		p.Workshops = append(p.Workshops, row)
	}
	return p
}

// leadEvaluationPage is a workshop's evaluation as the lead's page shows it.
type leadEvaluationPage struct {
	W              projections.WorkshopView
	Questionnaires []leadQuestionnaire
}

type leadQuestionnaire struct {
	Session   string // the session's title; "" for the workshop's questionnaire
	Version   int
	Current   bool
	Responses int
	Rate      string
	Questions []leadQuestion
}

type leadQuestion struct {
	Text    string
	Answers int
	Mean    string
}

func newLeadEvaluationPage(lang string, w projections.WorkshopView, ev projections.FeedbackEvaluation) leadEvaluationPage {
	p := leadEvaluationPage{W: w}
	for _, q := range ev.Questionnaires {
		lq := leadQuestionnaire{Session: sessionTitle(w, q.SessionID), Version: q.Version, Current: q.Current,
			Responses: q.Responses, Rate: ratePercent(lang, q.ResponseRate)}
		for _, qe := range q.Questions {
			lq.Questions = append(lq.Questions, leadQuestion{Text: inLang(lang, qe.Question.Text, string(qe.Question.ID)),
				Answers: qe.Answers, Mean: mean(lang, qe.Mean)})
		}
		p.Questionnaires = append(p.Questionnaires, lq)
	}
	return p
}

func sessionTitle(w projections.WorkshopView, id domain.SessionID) string {
	for _, se := range w.Agenda {
		if se.ID == id {
			return se.Title
		}
	}
	return string(id)
}

// inLang picks the text in lang, else the other language, else fallback.
func inLang(lang string, t domain.Text, fallback string) string {
	first, second := t.De, t.En
	if lang == "en" {
		first, second = t.En, t.De
	}
	switch {
	case first != "":
		return first
	case second != "":
		return second
	}
	return fallback
}

// mean is a mean with two decimals, or a dash without answers.
func mean(lang string, v *float64) string {
	if v == nil {
		return "–"
	}
	return decimal(lang, fmt.Sprintf("%.2f", *v))
}

func ratePercent(lang string, rate float64) string {
	return decimal(lang, fmt.Sprintf("%.0f %%", rate*100))
}

func decimal(lang, s string) string {
	if lang == "de" {
		return strings.ReplaceAll(s, ".", ",")
	}
	return s
}
