package reports

import (
	"io"

	"github.com/werkstatt/werkstatt/projections"
)

// seriesTables are the report's worksheets: the totals and one line per workshop.
func seriesTables(lang Lang, r SeriesReport) []table {
	w := lang.reportWords()
	totals := table{Name: w.Overview, Header: []string{w.Measure, w.Value}, Rows: [][]any{
		{w.Series, r.Series}, {w.Workshop, len(r.Workshops)}, {w.Confirmed, r.Participants},
		{w.Present, r.Present}, {w.OrganisationsReached, r.Organisations}}}
	return []table{totals, seriesWorkshops(lang, r)}
}

// seriesWorkshops is one row per workshop with its counts, response rate and headline means.
func seriesWorkshops(lang Lang, r SeriesReport) table {
	w := lang.reportWords()
	t := table{Name: w.Workshop, Header: []string{w.Workshop, w.FirstDay, w.Confirmed, w.Present, w.Organisations,
		w.Responses, w.Rate}}
	for _, id := range HeadlineQuestions {
		t.Header = append(t.Header, ratingName(lang, id))
	}
	for _, ws := range r.Workshops {
		row := []any{ws.Title, string(ws.FirstDay), ws.Participants, ws.Present, ws.Organisations, ws.Responses,
			ws.ResponseRate}
		for _, rating := range ws.Ratings {
			row = append(row, optional(rating.Mean))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// SeriesCSV writes one line per workshop of the series (see seriesWorkshops) for German Excel
// (CSVDialect.Series writes other dialects).
func SeriesCSV(w io.Writer, lang Lang, r SeriesReport) error {
	return GermanExcel.Series(w, lang, r)
}

// SeriesXLSX writes the report as a workbook: totals and workshops.
func SeriesXLSX(w io.Writer, lang Lang, r SeriesReport) error {
	return writeXLSX(w, seriesTables(lang, r))
}

// SeriesPDF writes the report: totals, the table of workshops (long titles wrap) and both trend
// charts, drawn from the same Chart values as the SVG.
func SeriesPDF(w io.Writer, lang Lang, r SeriesReport) error {
	words := lang.reportWords()
	f := newPDF(lang, words.Series+" – "+r.Series)
	pageFooter(f, lang.words(), r.Series)
	f.AddPage()
	docTitle(f, words.Series+": "+r.Series,
		words.Workshop+": "+itoa(len(r.Workshops))+" · "+words.Confirmed+": "+itoa(r.Participants)+" · "+
			words.Present+": "+itoa(r.Present)+" · "+words.OrganisationsReached+": "+itoa(r.Organisations))
	heading(f, words.Workshop, 30)
	var rows [][]string
	for _, ws := range r.Workshops {
		row := []string{ws.Title, lang.shortDate(ws.FirstDay), itoa(ws.Participants), itoa(ws.Present),
			lang.percent(ws.ResponseRate)}
		for _, rating := range ws.Ratings {
			row = append(row, meanText(lang, rating.Mean))
		}
		rows = append(rows, row)
	}
	header := []string{words.Workshop, words.FirstDay, words.Confirmed, words.Present, words.Rate}
	for _, id := range HeadlineQuestions {
		header = append(header, ratingName(lang, id))
	}
	// Long workshop titles wrap onto more lines rather than being cut: the funder reads them.
	wrapTable{widths: []float64{44, 22, 18, 18, 18, 15, 15, 15, 15}, align: []string{"L", "L", "R", "R", "R", "R", "R", "R", "R"},
		minHeight: 7, lineHeight: 4.5, header: header}.draw(f, rows)
	for _, name := range []string{ParticipationChart, RatingsChart} {
		c, _ := SeriesChart(lang, r, name)
		f.Ln(6)
		keepWithNext(f, 85)
		c.drawPDF(f, margin, f.GetY(), textWidth, 80)
	}
	return write(f, w)
}

func meanText(lang Lang, v *float64) string {
	if v == nil {
		return "–"
	}
	return lang.decimal(*v)
}

// seriesSourceCheck keeps projections.Reader usable as every source of this package.
var (
	_ SeriesSource     = projections.Reader(nil)
	_ AttendanceSource = projections.Reader(nil)
)
