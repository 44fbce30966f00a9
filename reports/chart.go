package reports

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// Chart is a small chart of values per category (workshops of a series): bars or lines, one
// series per measure. The SVG and the PDF renderings draw from the same Chart with the same
// geometry (frame), so that both show the same picture.
type Chart struct {
	Title  string
	Labels []string // one per category, left to right
	Series []ChartSeries
	// Top is the upper end of the value axis; 0 means the largest value (at least 1).
	Top   float64
	Lines bool // lines with points; bars otherwise
}

// ChartSeries is one measure across the categories. NaN marks a missing value: no bar, no
// point, and a line that skips it.
type ChartSeries struct {
	Name   string
	Values []float64
}

// palette colours the series in order (RGB), readable on white and in greyscale print.
var palette = [][3]int{{31, 119, 180}, {255, 127, 14}, {44, 160, 44}, {214, 39, 40}, {148, 103, 189}}

func colour(i int) [3]int { return palette[i%len(palette)] }

// frame is the plotting area of a chart: left, top, width, height in the unit of the
// renderer (pixels or millimetres), y growing downwards in both.
type frame struct {
	x, y, w, h float64
	top        float64
	n          int // categories
	series     int
}

func (c Chart) frame(x, y, w, h float64) frame {
	top := c.Top
	if top <= 0 {
		top = 1
		for _, s := range c.Series {
			for _, v := range s.Values {
				if !math.IsNaN(v) {
					top = max(top, v)
				}
			}
		}
	}
	return frame{x: x, y: y, w: w, h: h, top: top, n: max(len(c.Labels), 1), series: max(len(c.Series), 1)}
}

// centre is the middle of category i.
func (f frame) centre(i int) float64 { return f.x + f.w*(float64(i)+0.5)/float64(f.n) }

// level is the y of value v.
func (f frame) level(v float64) float64 { return f.y + f.h - f.h*min(max(v, 0), f.top)/f.top }

// bar is the rectangle of series s in category i: bars of a category stand side by side in
// the middle 70% of its width.
func (f frame) bar(i, s int, v float64) (x, y, w, h float64) {
	slot := f.w / float64(f.n) * 0.7 / float64(f.series)
	x = f.x + f.w*float64(i)/float64(f.n) + f.w/float64(f.n)*0.15 + slot*float64(s)
	y = f.level(v)
	return x, y, slot, f.y + f.h - y
}

// SVG sizes in pixels.
const (
	svgWidth, svgHeight = 720.0, 360.0
	svgLeft, svgTop     = 48.0, 40.0
	svgRight, svgBottom = 16.0, 72.0
)

// WriteSVG writes c as a standalone SVG document: a <rect class="bar"> per bar, or a
// <polyline> per series with a <circle class="point"> per value; a legend names the series.
func (c Chart) WriteSVG(w io.Writer) error {
	fr := c.frame(svgLeft, svgTop, svgWidth-svgLeft-svgRight, svgHeight-svgTop-svgBottom)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" font-family="sans-serif" font-size="12">`+"\n",
		svgWidth, svgHeight, svgWidth, svgHeight)
	fmt.Fprintf(&b, `<title>%s</title>`+"\n", esc(c.Title))
	fmt.Fprintf(&b, `<text x="%g" y="20" font-size="15" font-weight="bold">%s</text>`+"\n", svgLeft, esc(c.Title))
	for _, tick := range []float64{0, 0.5, 1} {
		y := fr.level(fr.top * tick)
		fmt.Fprintf(&b, `<line x1="%g" y1="%.1f" x2="%g" y2="%.1f" stroke="#ccc"/><text x="%g" y="%.1f" text-anchor="end">%s</text>`+"\n",
			fr.x, y, fr.x+fr.w, y, fr.x-6, y+4, trimFloat(fr.top*tick))
	}
	for i, l := range c.Labels {
		fmt.Fprintf(&b, `<text x="%.1f" y="%g" text-anchor="middle">%s</text>`+"\n", fr.centre(i), fr.y+fr.h+16, esc(l))
	}
	for s, series := range c.Series {
		rgb := colour(s)
		fill := fmt.Sprintf("rgb(%d,%d,%d)", rgb[0], rgb[1], rgb[2])
		c.svgSeries(&b, fr, s, series, fill)
		lx := svgLeft + float64(s)*160
		fmt.Fprintf(&b, `<rect x="%g" y="%g" width="10" height="10" fill="%s"/><text x="%g" y="%g">%s</text>`+"\n",
			lx, svgHeight-22, fill, lx+14, svgHeight-13, esc(series.Name))
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func (c Chart) svgSeries(b *strings.Builder, fr frame, s int, series ChartSeries, fill string) {
	if !c.Lines {
		for i, v := range series.Values {
			if !math.IsNaN(v) {
				x, y, w, h := fr.bar(i, s, v)
				fmt.Fprintf(b, `<rect class="bar" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %s</title></rect>`+"\n",
					x, y, w, h, fill, esc(series.Name), trimFloat(v))
			}
		}
		return
	}
	var points []string
	for i, v := range series.Values {
		if !math.IsNaN(v) {
			points = append(points, fmt.Sprintf("%.1f,%.1f", fr.centre(i), fr.level(v)))
		}
	}
	fmt.Fprintf(b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`+"\n", fill, strings.Join(points, " "))
	for i, v := range series.Values {
		if !math.IsNaN(v) {
			fmt.Fprintf(b, `<circle class="point" cx="%.1f" cy="%.1f" r="3.5" fill="%s"><title>%s: %s</title></circle>`+"\n",
				fr.centre(i), fr.level(v), fill, esc(series.Name), trimFloat(v))
		}
	}
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// trimFloat writes v with at most two decimals and no trailing zeros.
func trimFloat(v float64) string {
	s := strings.TrimRight(fmt.Sprintf("%.2f", v), "0")
	return strings.TrimSuffix(s, ".")
}

// drawPDF draws c with fpdf primitives into the box at x, y of width w and height h (mm).
func (c Chart) drawPDF(f *fpdf.Fpdf, x, y, w, h float64) {
	font(f, true, 11, false)
	f.SetXY(x, y)
	f.CellFormat(w, 6, c.Title, "", 0, "L", false, 0, "")
	fr := c.frame(x+12, y+9, w-14, h-24)
	font(f, false, 7.5, true)
	f.SetDrawColor(204, 204, 204)
	f.SetLineWidth(0.2)
	for _, tick := range []float64{0, 0.5, 1} {
		ly := fr.level(fr.top * tick)
		f.Line(fr.x, ly, fr.x+fr.w, ly)
		f.SetXY(x, ly-2)
		f.CellFormat(10, 4, trimFloat(fr.top*tick), "", 0, "R", false, 0, "")
	}
	for i, l := range c.Labels {
		cw := fr.w / float64(fr.n)
		f.SetXY(fr.centre(i)-cw/2, fr.y+fr.h+1)
		f.CellFormat(cw, 4, fit(f, l, cw), "", 0, "C", false, 0, "")
	}
	for s, series := range c.Series {
		rgb := colour(s)
		f.SetFillColor(rgb[0], rgb[1], rgb[2])
		f.SetDrawColor(rgb[0], rgb[1], rgb[2])
		c.pdfSeries(f, fr, s, series)
		lx := x + 12 + float64(s)*45
		f.Rect(lx, y+h-6, 3, 3, "F")
		f.SetXY(lx+4, y+h-6.5)
		font(f, false, 8, false)
		f.CellFormat(40, 4, fit(f, series.Name, 40), "", 0, "L", false, 0, "")
	}
	f.SetDrawColor(0, 0, 0)
	f.SetXY(x, y+h)
}

func (c Chart) pdfSeries(f *fpdf.Fpdf, fr frame, s int, series ChartSeries) {
	if !c.Lines {
		for i, v := range series.Values {
			if !math.IsNaN(v) {
				bx, by, bw, bh := fr.bar(i, s, v)
				f.Rect(bx, by, bw, bh, "F")
			}
		}
		return
	}
	f.SetLineWidth(0.6)
	prev := -1
	for i, v := range series.Values {
		if math.IsNaN(v) {
			continue
		}
		if prev >= 0 {
			f.Line(fr.centre(prev), fr.level(series.Values[prev]), fr.centre(i), fr.level(v))
		}
		f.Circle(fr.centre(i), fr.level(v), 0.9, "F")
		prev = i
	}
}
