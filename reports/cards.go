package reports

import (
	"io"

	"codeberg.org/go-pdf/fpdf"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// TableCards writes a PDF with one A4 page per table of the café, to stand on the table: its
// number and topic, its host and, per round, the names of the people seated there (once a plan
// exists; published or not, since organisers print before they publish). A table with more
// guests than fit one page runs onto a second. It returns domain.ErrNoTables for a café without
// tables.
func TableCards(w io.Writer, lang Lang, ws projections.WorkshopView, cafe Cafe) error {
	d := newCafeDoc(lang, ws, cafe)
	if len(d.view.Tables) == 0 {
		return domain.ErrNoTables
	}
	f := newPDF(d.lang, d.w.TableCards+" – "+d.cafeTitle())
	pageFooter(f, d.w, d.workshop.Title)
	for _, t := range d.view.Tables {
		f.AddPage()
		tableCard(f, d, t)
	}
	return write(f, w)
}

func tableCard(f *fpdf.Fpdf, d *cafeDoc, t domain.Table) {
	font(f, false, 11, true)
	f.MultiCell(textWidth, 5, d.cafeTitle()+" · "+d.when(), "", "L", false)
	f.Ln(6)
	font(f, true, 16, true)
	f.CellFormat(textWidth, 8, d.w.Table+" "+itoa(d.number[t.ID]), "", 1, "L", false, 0, "")
	font(f, true, 28, false)
	f.MultiCell(textWidth, 12, t.Topic, "", "L", false)
	if t.Description != "" {
		f.Ln(2)
		font(f, false, 12, false)
		f.MultiCell(textWidth, 6, t.Description, "", "L", false)
	}
	f.Ln(4)
	font(f, false, 14, false)
	f.MultiCell(textWidth, 7, d.w.Host+": "+d.host(t), "", "L", false)
	f.Ln(4)
	rule(f)
	if d.view.Plan == nil {
		font(f, false, 12, true)
		f.MultiCell(textWidth, 6, d.w.NotPlanned, "", "L", false)
		return
	}
	for n := 1; n <= d.view.Rounds; n++ {
		f.Ln(3)
		font(f, true, 15, false)
		f.CellFormat(textWidth, 8, d.roundTitle(n), "", 1, "L", false, 0, "")
		nameColumns(f, d.guests(t.ID, n), 3)
	}
}

// nameColumns lays names out in columns, row by row, each shortened to its column; large
// enough to read across the table.
func nameColumns(f *fpdf.Fpdf, names []string, columns int) {
	font(f, false, 13, false)
	width := textWidth / float64(columns)
	for i, name := range names {
		ln := 0
		if i%columns == columns-1 || i == len(names)-1 {
			ln = 1
		}
		f.CellFormat(width, 6.5, fit(f, name, width-2), "", ln, "L", false, 0, "")
	}
}

// rule draws a thin line across the text width below the current position.
func rule(f *fpdf.Fpdf) {
	f.SetDrawColor(grey, grey, grey)
	f.SetLineWidth(0.2)
	y := f.GetY()
	f.Line(margin, y, margin+textWidth, y)
	f.Ln(1)
}
