package reports

import (
	"io"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// The Go fonts cover Latin-1 and the typographic marks of German and English („“ – · •), so
// one family serves both languages; fpdf embeds the subset a document uses.
const family = "go"

// Layout of an A4 portrait page in millimetres.
const (
	margin    = 15.0
	pageWidth = 210.0
	pageTall  = 297.0
	textWidth = pageWidth - 2*margin
)

// Colours of secondary text and rules.
const grey = 110

// newPDF returns an A4 portrait document with the Go fonts, titled for viewers and search.
func newPDF(lang Lang, title string) *fpdf.Fpdf {
	f := fpdf.New("P", "mm", "A4", "")
	f.AddUTF8FontFromBytes(family, "", goregular.TTF)
	f.AddUTF8FontFromBytes(family, "B", gobold.TTF)
	f.SetTitle(title, true)
	f.SetLang(string(lang))
	f.SetCreator("Werkstatt", true)
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(true, margin)
	return f
}

// write finishes f into w. fpdf collects errors instead of returning them from every call;
// Output reports the first.
func write(f *fpdf.Fpdf, w io.Writer) error {
	return f.Output(w)
}

// font selects the document font: bold or regular, size in points, grey or black.
func font(f *fpdf.Fpdf, bold bool, size float64, secondary bool) {
	style := ""
	if bold {
		style = "B"
	}
	f.SetFont(family, style, size)
	if secondary {
		f.SetTextColor(grey, grey, grey)
	} else {
		f.SetTextColor(0, 0, 0)
	}
}

// fit shortens s with an ellipsis until it fits width in the current font.
func fit(f *fpdf.Fpdf, s string, width float64) string {
	if f.GetStringWidth(s) <= width {
		return s
	}
	r := []rune(strings.TrimSpace(s))
	for len(r) > 0 && f.GetStringWidth(string(r)+"…") > width {
		r = r[:len(r)-1]
	}
	return strings.TrimSpace(string(r)) + "…"
}

// pageFooter numbers the pages: "Seite 2 von 5".
func pageFooter(f *fpdf.Fpdf, w words, left string) {
	f.AliasNbPages("")
	f.SetFooterFunc(func() {
		f.SetY(-margin + 3)
		font(f, false, 8, true)
		f.CellFormat(textWidth/2, 5, fit(f, left, textWidth/2), "", 0, "L", false, 0, "")
		f.CellFormat(textWidth/2, 5, w.Page+" "+itoa(f.PageNo())+" "+w.Of+" {nb}", "", 0, "R", false, 0, "")
	})
}

func itoa(n int) string { return strconv.Itoa(n) }
