package reports

import (
	"io"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/werkstatt/werkstatt/projections"
)

// BadgeLayout is a sheet of name badges: how many labels an A4 page holds, two columns wide.
type BadgeLayout int

const (
	// Badges10 is 2 x 5 labels of 105 x 57 mm (Avery Zweckform 3425, L4785 and the like): the
	// default.
	Badges10 BadgeLayout = 10
	// Badges8 is 2 x 4 labels of 105 x 74 mm.
	Badges8 BadgeLayout = 8
)

// ParseBadgeLayout reads ?layout: "" (Badges10), "10" or "8".
func ParseBadgeLayout(s string) (BadgeLayout, bool) {
	switch s {
	case "", "10":
		return Badges10, true
	case "8":
		return Badges8, true
	}
	return 0, false
}

// BadgeKind is what the badges document prints: labels to stick on or table tents to fold.
type BadgeKind string

const (
	NameBadges BadgeKind = "badges"
	TableTents BadgeKind = "tents"
)

// ParseBadgeKind reads ?kind: "" (NameBadges), "badges" or "tents".
func ParseBadgeKind(s string) (BadgeKind, bool) {
	switch BadgeKind(s) {
	case "", NameBadges:
		return NameBadges, true
	case TableTents:
		return TableTents, true
	}
	return "", false
}

// Label geometry in millimetres: labels fill the page's width; the rows sit centred on the
// page (57 mm x 5 leaves 6 mm above and below, 74 mm x 4 half a millimetre).
const (
	labelWidth   = pageWidth / 2
	labelPadding = 6.0
)

func (l BadgeLayout) rows() int { return int(l) / 2 }

func (l BadgeLayout) labelHeight() float64 {
	if l == Badges8 {
		return 74
	}
	return 57
}

// badgePeople are the people on badges and tents: confirmed, not erased, by name (as on the
// sign-in sheets, for any day).
func badgePeople(regs []projections.RegistrationView) []projections.RegistrationView {
	return signInPeople(regs, "")
}

// Badges writes name badges for the confirmed people of the workshop, sorted by name, on A4
// label sheets of the layout: on each label the name large, the organisation and the district
// below, the workshop's title small at the foot. A long name is set smaller until it fits and
// wraps onto more lines when it still does not: it is never cut. No borders are printed: the
// sheets are pre-cut. Erased, waitlisted and cancelled people get no badge.
func Badges(w io.Writer, lang Lang, layout BadgeLayout, ws projections.WorkshopView, regs []projections.RegistrationView) error {
	words := lang.reportWords()
	f := newPDF(lang, words.Badges+" – "+ws.Title)
	f.SetAutoPageBreak(false, 0)
	people := badgePeople(regs)
	if len(people) == 0 {
		f.SetAutoPageBreak(true, margin)
		f.AddPage()
		docTitle(f, words.Badges+": "+ws.Title, words.NobodyConfirmed)
		return write(f, w)
	}
	h := layout.labelHeight()
	top := (pageTall - float64(layout.rows())*h) / 2
	for i, p := range people {
		at := i % int(layout)
		if at == 0 {
			f.AddPage()
		}
		x := float64(at%2) * labelWidth
		y := top + float64(at/2)*h
		badge(f, p, ws.Title, x, y, labelWidth, h)
	}
	return write(f, w)
}

// badge fills one label at x, y of width w and height h.
func badge(f *fpdf.Fpdf, p projections.RegistrationView, title string, x, y, w, h float64) {
	inner := w - 2*labelPadding
	// The foot: the workshop's title, small and grey, one line.
	font(f, false, 7.5, true)
	f.SetXY(x+labelPadding, y+h-labelPadding-3.5)
	f.CellFormat(inner, 3.5, fit(f, title, inner), "", 0, "L", false, 0, "")
	// The organisation and the district take what they need, up to three lines and two lines.
	font(f, false, 10, false)
	org := f.SplitText(p.Organisation, inner)
	if p.Organisation == "" {
		org = nil
	}
	var district []string
	if p.District != "" {
		font(f, false, 9, true)
		district = f.SplitText(p.District, inner)
	}
	below := float64(len(org))*4.4 + float64(len(district))*4 + 2
	nameBox := h - 2*labelPadding - 3.5 - below - 2
	size, lines := fitName(f, p.Name, inner, nameBox, 22, 9)
	lh := lineHeight(size)
	cy := y + labelPadding
	f.SetXY(x+labelPadding, cy)
	for _, l := range lines {
		f.SetX(x + labelPadding)
		f.CellFormat(inner, lh, l, "", 2, "L", false, 0, "")
	}
	f.SetY(f.GetY() + 2)
	font(f, false, 10, false)
	for _, l := range org {
		f.SetX(x + labelPadding)
		f.CellFormat(inner, 4.4, l, "", 2, "L", false, 0, "")
	}
	font(f, false, 9, true)
	for _, l := range district {
		f.SetX(x + labelPadding)
		f.CellFormat(inner, 4, l, "", 2, "L", false, 0, "")
	}
}

// lineHeight is the line height in millimetres of a bold font of size points.
func lineHeight(size float64) float64 { return size * 0.3528 * 1.2 }

// fitName sets name in bold, as large as it fits width on one line, down to two thirds of max;
// smaller than that it wraps, at spaces and after hyphens, onto as many lines as fit height,
// down to min points. A word wider than the box even at min is broken inside the word rather
// than cut. The font is left selected at the size returned.
func fitName(f *fpdf.Fpdf, name string, width, height, maxSize, minSize float64) (float64, []string) {
	name = strings.TrimSpace(name)
	wrapBelow := maxSize * 2 / 3
	for size := maxSize; size >= minSize; size -= 0.5 {
		font(f, true, size, false)
		if f.GetStringWidth(name) <= width {
			return size, []string{name}
		}
		if size > wrapBelow {
			continue
		}
		lines, ok := wrapAtBreaks(f, name, width)
		if ok && float64(len(lines))*lineHeight(size) <= height {
			return size, lines
		}
	}
	font(f, true, minSize, false)
	if lines, ok := wrapAtBreaks(f, name, width); ok {
		return minSize, lines
	}
	return minSize, f.SplitText(name, width)
}

// wrapAtBreaks fills lines of width greedily with the pieces of s, broken at spaces and after
// hyphens, in the current font; ok is false when one piece alone is wider than width.
func wrapAtBreaks(f *fpdf.Fpdf, s string, width float64) (lines []string, ok bool) {
	var pieces []string // each with the space or hyphen that ends it
	start := 0
	for i, r := range s {
		if r == ' ' || r == '-' {
			pieces = append(pieces, s[start:i+1])
			start = i + 1
		}
	}
	pieces = append(pieces, s[start:])
	line := ""
	for _, p := range pieces {
		if p == "" || p == " " && line == "" {
			continue
		}
		if try := line + p; f.GetStringWidth(strings.TrimRight(try, " ")) <= width {
			line = try
			continue
		}
		if line != "" {
			lines = append(lines, strings.TrimRight(line, " "))
		}
		line = strings.TrimLeft(p, " ")
		if f.GetStringWidth(strings.TrimRight(line, " ")) > width {
			return nil, false
		}
	}
	if line = strings.TrimRight(line, " "); line != "" {
		lines = append(lines, line)
	}
	return lines, true
}

// Tent geometry: A4 landscape, folded along the middle of its height.
const (
	tentWidth = pageTall
	tentHalf  = pageWidth / 2
)

// TableTentsPDF writes one table tent per confirmed person, sorted by name: an A4 landscape page
// folded along the middle, the name large on both halves with the organisation under it; the
// upper half is printed upside down, so that the folded tent reads from both sides of the
// table. A dashed line marks the fold.
func TableTentsPDF(w io.Writer, lang Lang, ws projections.WorkshopView, regs []projections.RegistrationView) error {
	words := lang.reportWords()
	f := newPDF(lang, words.TableTents+" – "+ws.Title)
	people := badgePeople(regs)
	if len(people) == 0 {
		f.AddPage()
		docTitle(f, words.TableTents+": "+ws.Title, words.NobodyConfirmed)
		return write(f, w)
	}
	f.SetAutoPageBreak(false, 0)
	for _, p := range people {
		f.AddPageFormat("L", fpdf.SizeType{Wd: pageWidth, Ht: pageTall})
		f.SetDrawColor(180, 180, 180)
		f.SetLineWidth(0.2)
		f.SetDashPattern([]float64{2, 2}, 0)
		f.Line(0, tentHalf, tentWidth, tentHalf)
		f.SetDashPattern(nil, 0)
		tentHalfText(f, p, ws.Title)
		// The same half turned by 180° about the page's centre lands on the upper half, upside
		// down.
		f.TransformBegin()
		f.TransformRotate(180, tentWidth/2, tentHalf)
		tentHalfText(f, p, ws.Title)
		f.TransformEnd()
	}
	return write(f, w)
}

// tentHalfText writes the lower half of a tent: the name centred and large, the organisation
// under it, the workshop small at the foot.
func tentHalfText(f *fpdf.Fpdf, p projections.RegistrationView, title string) {
	const side = 20.0
	inner := tentWidth - 2*side
	font(f, false, 20, false)
	org := []string(nil)
	if p.Organisation != "" {
		org = f.SplitText(p.Organisation, inner)
	}
	size, lines := fitName(f, p.Name, inner, 60, 60, 16)
	lh := lineHeight(size)
	block := float64(len(lines))*lh + float64(len(org))*9
	y := tentHalf + (tentHalf-block)/2 - 4
	font(f, true, size, false)
	for i, l := range lines {
		f.SetXY(side, y+float64(i)*lh)
		f.CellFormat(inner, lh, l, "", 0, "C", false, 0, "")
	}
	font(f, false, 20, true)
	for i, l := range org {
		f.SetXY(side, y+float64(len(lines))*lh+float64(i)*9+1)
		f.CellFormat(inner, 9, l, "", 0, "C", false, 0, "")
	}
	font(f, false, 9, true)
	f.SetXY(side, pageWidth-12)
	f.CellFormat(inner, 4, fit(f, title, inner), "", 0, "C", false, 0, "")
}
