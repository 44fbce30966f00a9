package web_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// qrSVGOf finds the QR code's inline SVG in a page.
var qrSVGOf = regexp.MustCompile(`<svg[^>]*class="qr"[^>]*>.*?</svg>`)

var (
	svgViewBox = regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`)
	svgRun     = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`)
	svgPath    = regexp.MustCompile(`<path fill="#000" d="([^"]*)"`)
)

// scanQRInPage decodes the first QR code of a page, as a camera would read it off a screen. It
// fails the test if the page has no code or the code does not scan.
func scanQRInPage(t *testing.T, doing string, body string) string {
	t.Helper()
	return readQR(t, doing, drawQRInPage(t, doing, body)).GetText()
}

// drawQRInPage draws the page's code: its runs of dark modules, four pixels to the module, on
// white. It checks the quiet zone on the way.
func drawQRInPage(t *testing.T, doing string, body string) image.Image {
	t.Helper()
	svg := qrSVGOf.FindString(body)
	if svg == "" {
		t.Fatalf("%s: got no QR code SVG in the page:\n%s", doing, body)
	}
	vb := svgViewBox.FindStringSubmatch(svg)
	path := svgPath.FindStringSubmatch(svg)
	if vb == nil || path == nil || vb[1] != vb[2] {
		t.Fatalf("%s: got an SVG that is not a square code of dark runs: %.300s", doing, svg)
	}
	const scale = 4
	size, _ := strconv.Atoi(vb[1])
	img := image.NewGray(image.Rect(0, 0, size*scale, size*scale))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	quiet := size // the distance of the nearest dark module from an edge
	for _, m := range svgRun.FindAllStringSubmatch(path[1], -1) {
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		quiet = min(quiet, x, y, size-x-w, size-y-1)
		draw.Draw(img, image.Rect(x*scale, y*scale, (x+w)*scale, (y+1)*scale), image.NewUniform(color.Black), image.Point{}, draw.Src)
	}
	if quiet < 4 {
		t.Errorf("%s: got a quiet zone of %d modules around the code, want at least 4", doing, quiet)
	}
	return img
}

// scanQRInPNG decodes the QR code in a screenshot.
func scanQRInPNG(t *testing.T, doing string, shot []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("%s: read the screenshot: %v", doing, err)
	}
	return readQR(t, doing, img).GetText()
}

func readQR(t *testing.T, doing string, img image.Image) *gozxing.Result {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatalf("%s: binarise the image: %v", doing, err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err == nil {
		return res
	}
	// zxing's detector misjudges the finder patterns of about one code in fifteen even on an
	// exact rendering (it places a corner outside the image); reading the modules straight off
	// the grid then still proves the code holds its link, with its error correction.
	res, pureErr := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	if pureErr != nil {
		t.Fatalf("%s: got a QR code that does not scan: %v; read off its grid: %v", doing, err, pureErr)
	}
	return res
}

// TestQRCodeScans checks that the codes the pages draw scan back to their links, with the
// medium error correction a projector needs and a quiet zone.
func TestQRCodeScans(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	p := s.registerWithToken(id, "Ann Albers", "Stadt Kassel")
	own := "/w/" + id + "/r/" + p.id + "?token=" + url.QueryEscape(p.token)
	page := s.browser().get(own).wantStatus(t, "the personal page", http.StatusOK)
	if got, want := scanQRInPage(t, "the personal page's code", page.body), s.url+own; got != want {
		t.Errorf("the personal page's code: got %q, want the personal link %q", got, want)
	}
	projector := s.signIn(t).get("/organiser/workshops/"+id+"/feedback/qr?q=workshop").
		wantStatus(t, "the projector page", http.StatusOK)
	res := readQR(t, "the projector's code", drawQRInPage(t, "the projector's code", projector.body))
	if got, want := res.GetText(), s.url+"/w/"+id+"/feedback?q=workshop"; got != want {
		t.Errorf("the projector's code: got %q, want the entry %q", got, want)
	}
	// The code's format information names its error correction level.
	if got := fmt.Sprint(res.GetResultMetadata()[gozxing.ResultMetadataType_ERROR_CORRECTION_LEVEL]); got != "M" {
		t.Errorf("the projector's code: got error correction %s, want M", got)
	}
}
