package reports

import (
	"io"

	"codeberg.org/go-pdf/fpdf"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// CafeResultsPDF writes the results document of a café: per table, in the order the tables
// were added, its host and the notes recorded after each round (key points, best-practice
// examples, open questions). Tables without notes say so, so that the document shows every
// table that ran.
func CafeResultsPDF(w io.Writer, lang Lang, ws projections.WorkshopView, cafe Cafe) error {
	d := newCafeDoc(lang, ws, cafe)
	f := newPDF(d.lang, d.w.Results+" – "+d.cafeTitle())
	pageFooter(f, d.w, d.workshop.Title+" · "+d.cafeTitle())
	f.AddPage()
	font(f, true, 20, false)
	f.MultiCell(textWidth, 9, d.w.Results+": "+d.cafeTitle(), "", "L", false)
	font(f, false, 11, true)
	f.MultiCell(textWidth, 5.5, d.workshop.Title, "", "L", false)
	f.MultiCell(textWidth, 5.5, d.when(), "", "L", false)
	for _, t := range d.view.Tables {
		f.Ln(6)
		keepWithNext(f, 40)
		tableResults(f, d, t)
	}
	return write(f, w)
}

func tableResults(f *fpdf.Fpdf, d *cafeDoc, t domain.Table) {
	font(f, true, 15, false)
	f.MultiCell(textWidth, 7, d.tableTitle(t), "", "L", false)
	font(f, false, 10, true)
	f.MultiCell(textWidth, 5, d.w.Host+": "+d.host(t), "", "L", false)
	rule(f)
	notes := d.notes(t.ID)
	if len(notes) == 0 {
		font(f, false, 11, true)
		f.MultiCell(textWidth, 5.5, d.w.NoNotes, "", "L", false)
		return
	}
	for _, n := range notes {
		f.Ln(2)
		keepWithNext(f, 25)
		font(f, true, 12, false)
		f.CellFormat(textWidth, 6.5, d.roundTitle(n.Round), "", 1, "L", false, 0, "")
		for _, s := range d.sections(n.Notes) {
			keepWithNext(f, 15)
			font(f, true, 10.5, true)
			f.CellFormat(textWidth, 5.5, s.Title, "", 1, "L", false, 0, "")
			bullets(f, s.Items)
		}
	}
}

// bullets writes items as a bulleted list; long items wrap under their own text.
func bullets(f *fpdf.Fpdf, items []string) {
	font(f, false, 10.5, false)
	const indent = 6.0
	for _, item := range items {
		f.SetX(margin + 1)
		f.CellFormat(indent-1, 5.5, "•", "", 0, "L", false, 0, "")
		f.MultiCell(textWidth-indent, 5.5, item, "", "L", false)
	}
}

// keepWithNext starts a new page when less than need millimetres are left, so that a heading
// does not end a page alone.
func keepWithNext(f *fpdf.Fpdf, need float64) {
	if f.GetY()+need > pageTall-margin {
		f.AddPage()
	}
}
