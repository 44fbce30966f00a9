package web

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/boombuler/barcode/qr"
)

// QR codes are drawn as inline SVG: crisp at any size on a projector, nothing to fetch, and
// within the content security policy (an inline <svg> is markup, not an image source; it uses
// presentation attributes, never a style attribute).

// qrQuietZone is the blank margin around a code, in modules. The standard asks for four, so
// that a camera finds the corner patterns against a busy slide or page.
const qrQuietZone = 4

// qrModules returns the modules of a QR code of text, row by row, true for dark, without the
// quiet zone. Medium error correction survives a glare spot or a head in front of the screen
// without making the code much denser.
func qrModules(text string) ([][]bool, error) {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return nil, fmt.Errorf("qr code of %q: %w", text, err)
	}
	b := code.Bounds()
	rows := make([][]bool, b.Dy())
	for y := range rows {
		rows[y] = make([]bool, b.Dx())
		for x := range rows[y] {
			r, g, bl, _ := code.At(b.Min.X+x, b.Min.Y+y).RGBA()
			rows[y][x] = r+g+bl < 3*0x8000
		}
	}
	return rows, nil
}

// qrSVG draws the QR code of text as an inline SVG image named label (for screen readers).
// The SVG has no size of its own: the stylesheet's .qr gives it one, and the viewBox keeps it
// square.
func qrSVG(text, label string) (template.HTML, error) {
	rows, err := qrModules(text)
	if err != nil {
		return "", err
	}
	size := len(rows) + 2*qrQuietZone
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 %d %d" role="img" aria-label="%s" shape-rendering="crispEdges">`,
		size, size, template.HTMLEscapeString(label))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, size, size)
	// One rectangle per horizontal run of dark modules keeps the path short.
	for y, row := range rows {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			run := 1
			for x+run < len(row) && row[x+run] {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x+qrQuietZone, y+qrQuietZone, run, run)
			x += run
		}
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()), nil
}
