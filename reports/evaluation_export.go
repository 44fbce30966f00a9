package reports

import (
	"io"
	"slices"
	"strconv"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// questionnaireTitle names a questionnaire: the whole workshop, or its session's title.
func questionnaireTitle(lang Lang, ws projections.WorkshopView, q projections.QuestionnaireEvaluation) string {
	if q.SessionID == "" {
		return lang.reportWords().WholeWorkshop
	}
	if i := slices.IndexFunc(ws.Agenda, func(s domain.Session) bool { return s.ID == q.SessionID }); i >= 0 {
		return ws.Agenda[i].Title
	}
	return string(q.SessionID)
}

// valueLabel is how a distribution's value reads: the scale value itself, or an option's text.
func valueLabel(lang Lang, q domain.Question, value string) string {
	if i := slices.IndexFunc(q.Options, func(o domain.Option) bool { return o.ID == value }); i >= 0 {
		return lang.text(q.Options[i].Text)
	}
	return value
}

// valueCell is a distribution's value as a table's cell: a scale value is a number, so that
// a spreadsheet can compute with it; an option's text is text.
func valueCell(lang Lang, q domain.Question, value string) any {
	if n, err := strconv.Atoi(value); err == nil && q.Kind == domain.ScaleQuestion {
		return n
	}
	return valueLabel(lang, q, value)
}

// optional is a pointer's number, or an empty cell.
func optional(v *float64) any {
	if v == nil {
		return ""
	}
	return *v
}

// evaluationRows is the evaluation in long form: one row per question and value of its
// distribution, one row for a question without one (free text), with the questionnaire's and
// the question's figures repeated so that a pivot table needs nothing else.
func evaluationRows(lang Lang, ws projections.WorkshopView, ev projections.FeedbackEvaluation) table {
	w := lang.reportWords()
	t := table{Name: w.Evaluation, Header: []string{w.Questionnaire, w.Version, w.Responses, w.CheckedIn, w.Rate,
		w.Question, w.Kind, w.Answers, w.Mean, w.Median, w.Value, w.Count}}
	for _, q := range ev.Questionnaires {
		head := []any{questionnaireTitle(lang, ws, q), q.Version, q.Responses, q.CheckedIn, q.ResponseRate}
		for _, qe := range q.Questions {
			row := append(slices.Clone(head), lang.text(qe.Question.Text), string(qe.Question.Kind), qe.Answers,
				optional(qe.Mean), optional(qe.Median))
			if len(qe.Distribution) == 0 {
				t.Rows = append(t.Rows, append(row, "", ""))
				continue
			}
			for _, d := range qe.Distribution {
				t.Rows = append(t.Rows, append(slices.Clone(row), valueCell(lang, qe.Question, d.Value), d.Count))
			}
		}
	}
	return t
}

// evaluationTables are the evaluation's worksheets: the questionnaires, the questions in long
// form (evaluationRows) and the free-text answers that may be shown; a question whose texts are
// withheld has one row saying so instead.
func evaluationTables(lang Lang, ws projections.WorkshopView, ev projections.FeedbackEvaluation) []table {
	w := lang.reportWords()
	overview := table{Name: w.Overview, Header: []string{w.Questionnaire, w.Version, w.Responses, w.CheckedIn, w.Rate}}
	texts := table{Name: w.Texts, Header: []string{w.Questionnaire, w.Version, w.Question, w.Answers}}
	for _, q := range ev.Questionnaires {
		title := questionnaireTitle(lang, ws, q)
		overview.Rows = append(overview.Rows, []any{title, q.Version, q.Responses, q.CheckedIn, q.ResponseRate})
		for _, qe := range q.Questions {
			for _, text := range qe.Texts {
				texts.Rows = append(texts.Rows, []any{title, q.Version, lang.text(qe.Question.Text), text})
			}
			if qe.TextsWithheld {
				texts.Rows = append(texts.Rows, []any{title, q.Version, lang.text(qe.Question.Text), w.TextsWithheld})
			}
		}
	}
	return []table{overview, evaluationRows(lang, ws, ev), texts}
}

// EvaluationCSV writes the evaluation in long form (see evaluationRows) for German Excel
// (CSVDialect.Evaluation writes other dialects); free-text answers are in the XLSX and PDF
// forms only.
func EvaluationCSV(w io.Writer, lang Lang, ws projections.WorkshopView, ev projections.FeedbackEvaluation) error {
	return GermanExcel.Evaluation(w, lang, ws, ev)
}

// EvaluationXLSX writes the evaluation as a workbook: questionnaires, questions, free texts.
func EvaluationXLSX(w io.Writer, lang Lang, ws projections.WorkshopView, ev projections.FeedbackEvaluation) error {
	return writeXLSX(w, evaluationTables(lang, ws, ev))
}
