package reports

import (
	"io"

	"codeberg.org/go-pdf/fpdf"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// EvaluationPDF writes the evaluation: per questionnaire version its responses and response
// rate, per question the answers, mean and median and a bar per scale value or option with
// its count, and the free-text answers, or a note that they are withheld (fewer than
// projections.MinAnswersForTexts people wrote one). A questionnaire nobody answered yet, or a
// workshop without one, says "No answers yet" instead of empty tables and bars.
func EvaluationPDF(w io.Writer, lang Lang, ws projections.WorkshopView, ev projections.FeedbackEvaluation) error {
	words := lang.reportWords()
	f := newPDF(lang, words.Evaluation+" – "+ws.Title)
	pageFooter(f, lang.words(), ws.Title)
	f.AddPage()
	docTitle(f, words.Evaluation+": "+ws.Title, ws.Venue, lang.shortDates(ws.Days))
	if len(ev.Questionnaires) == 0 {
		noAnswersYet(f, words)
	}
	for _, q := range ev.Questionnaires {
		title := questionnaireTitle(lang, ws, q)
		if q.Version > 1 || !q.Current {
			title += " (" + words.Version + " " + itoa(q.Version) + ")"
		}
		heading(f, words.Questionnaire+": "+title, 40)
		font(f, false, 10, true)
		f.MultiCell(textWidth, 5.5, words.Responses+": "+itoa(q.Responses)+" · "+words.CheckedIn+": "+
			itoa(q.CheckedIn)+" · "+words.Rate+": "+lang.percent(q.ResponseRate), "", "L", false)
		if q.Responses == 0 {
			noAnswersYet(f, words)
			continue
		}
		for _, qe := range q.Questions {
			questionPDF(f, lang, qe)
		}
	}
	return write(f, w)
}

// noAnswersYet says that nobody has answered yet, where the questions would be.
func noAnswersYet(f *fpdf.Fpdf, words reportWords) {
	f.Ln(3)
	font(f, true, 11, false)
	f.MultiCell(textWidth, 6, words.NoAnswersYet, "", "L", false)
}

// Geometry of the distribution bars in millimetres.
const (
	barLabel = 45.0
	barRow   = 5.5
	barMax   = 110.0
)

func questionPDF(f *fpdf.Fpdf, lang Lang, qe projections.QuestionEvaluation) {
	words := lang.reportWords()
	f.Ln(2)
	keepWithNext(f, 12+float64(len(qe.Distribution))*barRow)
	font(f, true, 10.5, false)
	f.MultiCell(textWidth, 5.5, lang.text(qe.Question.Text), "", "L", false)
	font(f, false, 9, true)
	line := words.Answers + ": " + itoa(qe.Answers)
	if qe.Mean != nil && qe.Median != nil {
		line += " · " + words.Mean + ": " + lang.decimal(*qe.Mean) + " · " + words.Median + ": " + lang.decimal(*qe.Median)
	}
	f.MultiCell(textWidth, 5, line, "", "L", false)
	distributionBars(f, lang, qe)
	if qe.Question.Kind == domain.FreeText && len(qe.Texts) > 0 {
		bullets(f, qe.Texts)
	}
	if qe.TextsWithheld {
		font(f, false, 9.5, true)
		f.MultiCell(textWidth, 5, words.TextsWithheld, "", "L", false)
	}
}

// distributionBars draws a bar per value, as long as its share of the largest count.
func distributionBars(f *fpdf.Fpdf, lang Lang, qe projections.QuestionEvaluation) {
	most := 1
	for _, d := range qe.Distribution {
		most = max(most, d.Count)
	}
	rgb := colour(0)
	for _, d := range qe.Distribution {
		keepWithNext(f, barRow)
		y := f.GetY()
		font(f, false, 9, false)
		f.SetX(margin)
		f.CellFormat(barLabel, barRow, fit(f, valueLabel(lang, qe.Question, d.Value), barLabel-2), "", 0, "R", false, 0, "")
		width := barMax * float64(d.Count) / float64(most)
		f.SetFillColor(rgb[0], rgb[1], rgb[2])
		if width > 0 {
			f.Rect(margin+barLabel+1, y+1, width, barRow-2, "F")
		}
		f.SetXY(margin+barLabel+2+width, y)
		f.CellFormat(20, barRow, itoa(d.Count), "", 1, "L", false, 0, "")
	}
}
