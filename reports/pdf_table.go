package reports

import (
	"codeberg.org/go-pdf/fpdf"
)

// pdfTable draws a table with a bold header row that repeats on every page it spans. widths
// are column widths in millimetres; align holds "L" or "R" per column ("L" when missing).
// Cells that do not fit are shortened with an ellipsis.
type pdfTable struct {
	widths    []float64
	align     []string
	header    []string
	rowHeight float64
	border    string // "1" draws every cell's frame (sign-in sheets), "B" a line under each row
}

func (t pdfTable) draw(f *fpdf.Fpdf, rows [][]string) {
	t.headerRow(f)
	font(f, false, 9.5, false)
	for _, row := range rows {
		if f.GetY()+t.rowHeight > pageTall-margin-5 {
			f.AddPage()
			t.headerRow(f)
			font(f, false, 9.5, false)
		}
		for i, cell := range row {
			w := t.widths[i]
			f.CellFormat(w, t.rowHeight, fit(f, cell, w-2), t.border, 0, t.alignOf(i), false, 0, "")
		}
		f.Ln(-1)
	}
}

func (t pdfTable) headerRow(f *fpdf.Fpdf) {
	font(f, true, 9.5, false)
	f.SetFillColor(235, 235, 235)
	for i, h := range t.header {
		w := t.widths[i]
		f.CellFormat(w, 7, fit(f, h, w-2), t.border, 0, t.alignOf(i), true, 0, "")
	}
	f.Ln(-1)
}

func (t pdfTable) alignOf(i int) string {
	if i < len(t.align) && t.align[i] != "" {
		return t.align[i]
	}
	return "L"
}

// heading writes a section heading, on a new page when less than need millimetres are left.
func heading(f *fpdf.Fpdf, text string, need float64) {
	f.Ln(4)
	keepWithNext(f, need)
	font(f, true, 13, false)
	f.MultiCell(textWidth, 7, text, "", "L", false)
	f.Ln(1)
}

// docTitle writes a document's title and the lines under it.
func docTitle(f *fpdf.Fpdf, title string, lines ...string) {
	font(f, true, 18, false)
	f.MultiCell(textWidth, 8.5, title, "", "L", false)
	font(f, false, 10.5, true)
	for _, l := range lines {
		if l != "" {
			f.MultiCell(textWidth, 5.5, l, "", "L", false)
		}
	}
}
