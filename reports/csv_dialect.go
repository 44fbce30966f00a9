package reports

import (
	"io"

	"github.com/werkstatt/werkstatt/projections"
)

// CSVDialect is how a CSV export is written for the spreadsheet program that opens it.
// GermanExcel, the default, is what Excel with German settings opens by a double click:
// separator ";", decimal comma, UTF-8 with a byte order mark (without it Excel reads the
// locale's code page and garbles umlauts). International is RFC 4180 as most tools read it:
// separator ",", decimal point, no byte order mark.
//
// Numbers are rounded to 2 decimals in every dialect (a rate of 10/13 is 0.77, not
// 0.7692307692307693): CSV is read by people. The JSON answers keep full precision, as their
// readers are programs that may compute further; the OpenAPI document types them as numbers
// without a precision, and rounding there would gain nobody anything.
type CSVDialect struct {
	Name         string // as ?dialect= names it
	comma        rune
	decimalComma bool
	bom          bool
}

var (
	GermanExcel   = CSVDialect{Name: "excel-de", comma: ';', decimalComma: true, bom: true}
	International = CSVDialect{Name: "international", comma: ',', decimalComma: false, bom: false}
)

// CSVDialects are the dialects ParseCSVDialect knows, the default first.
var CSVDialects = []CSVDialect{GermanExcel, International}

// ParseCSVDialect reads a dialect parameter: "" is GermanExcel, the default; "excel-de" and
// "international" are themselves. Anything else is GermanExcel with ok false, so that callers
// refuse it.
func ParseCSVDialect(s string) (d CSVDialect, ok bool) {
	switch s {
	case "", GermanExcel.Name:
		return GermanExcel, true
	case International.Name:
		return International, true
	}
	return GermanExcel, false
}

// Attendance writes the participant list of the report (see AttendanceCSV) in dialect d.
func (d CSVDialect) Attendance(w io.Writer, lang Lang, r AttendanceReport) error {
	return d.write(w, participantTable(lang, r))
}

// Evaluation writes the evaluation in long form (see EvaluationCSV) in dialect d.
func (d CSVDialect) Evaluation(w io.Writer, lang Lang, ws projections.WorkshopView, ev projections.FeedbackEvaluation) error {
	return d.write(w, evaluationRows(lang, ws, ev))
}

// Series writes the series' workshops (see SeriesCSV) in dialect d.
func (d CSVDialect) Series(w io.Writer, lang Lang, r SeriesReport) error {
	return d.write(w, seriesWorkshops(lang, r))
}
