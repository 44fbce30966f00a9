package reports

import (
	"codeberg.org/go-pdf/fpdf"
)

// wrapTable draws a framed table whose cells wrap onto as many lines as their text needs:
// names and organisations are never cut, a row grows instead. Every row is at least minHeight
// tall (room to sign); the header row repeats, after pageHeader, on every page the table spans.
type wrapTable struct {
	widths     []float64
	align      []string // "L" (the default), "C" or "R" per column
	header     []string
	minHeight  float64
	lineHeight float64
	// pageHeader draws what heads a continuation page (nil: nothing but the table's header).
	pageHeader func()
}

func (t wrapTable) draw(f *fpdf.Fpdf, rows [][]string) {
	t.headerRow(f)
	for _, row := range rows {
		font(f, false, 10, false)
		lines := make([][]string, len(row))
		h := t.minHeight
		for i, cell := range row {
			if cell != "" {
				lines[i] = f.SplitText(cell, t.widths[i])
			}
			h = max(h, float64(len(lines[i]))*t.lineHeight+2)
		}
		if f.GetY()+h > pageTall-margin-5 {
			f.AddPage()
			if t.pageHeader != nil {
				t.pageHeader()
			}
			t.headerRow(f)
			font(f, false, 10, false)
		}
		x0, y0 := margin, f.GetY()
		x := x0
		for i, w := range t.widths {
			f.Rect(x, y0, w, h, "D")
			top := y0 + (h-float64(len(lines[i]))*t.lineHeight)/2 // centred vertically
			for j, l := range lines[i] {
				f.SetXY(x, top+float64(j)*t.lineHeight)
				f.CellFormat(w, t.lineHeight, l, "", 0, t.alignOf(i), false, 0, "")
			}
			x += w
		}
		f.SetXY(x0, y0+h)
	}
}

// headerRow wraps a long heading ("Landkreis / kreisfreie Stadt") onto a second line rather
// than cutting it; a one-line header row keeps its 8 mm.
func (t wrapTable) headerRow(f *fpdf.Fpdf) {
	font(f, true, 10, false)
	f.SetFillColor(235, 235, 235)
	lines := make([][]string, len(t.header))
	h := 8.0
	for i, heading := range t.header {
		lines[i] = f.SplitText(heading, t.widths[i]-2)
		h = max(h, float64(len(lines[i]))*t.lineHeight+2)
	}
	x, y0 := margin, f.GetY()
	for i, w := range t.widths {
		f.Rect(x, y0, w, h, "FD")
		top := y0 + (h-float64(len(lines[i]))*t.lineHeight)/2
		for j, l := range lines[i] {
			f.SetXY(x, top+float64(j)*t.lineHeight)
			f.CellFormat(w, t.lineHeight, l, "", 0, t.alignOf(i), false, 0, "")
		}
		x += w
	}
	f.SetXY(margin, y0+h)
}

func (t wrapTable) alignOf(i int) string {
	if i < len(t.align) && t.align[i] != "" {
		return t.align[i]
	}
	return "L"
}
