package reports_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/reports"
)

// logoImage is a 300x120 image encoded as PNG or JPEG.
func logoImage(t *testing.T, format string) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 300, 120))
	for x := range 300 {
		img.Set(x, x%120, color.RGBA{0, 51, 153, 255})
	}
	var b bytes.Buffer
	var err error
	if format == "png" {
		err = png.Encode(&b, img)
	} else {
		err = jpeg.Encode(&b, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestFundingOnDocuments(t *testing.T) {
	ws, regs, checkIns := documentScenario()
	certs := reports.BuildCertificates(ws, regs, checkIns)
	for _, format := range []string{"png", "jpeg"} {
		t.Run(format, func(t *testing.T) {
			logo := logoImage(t, format)
			ws.Funding = domain.Funding{Project: "Ankommen im Quartier", FundingReference: "AMIF-2026-0815",
				Funder: "Asyl-, Migrations- und Integrationsfonds (AMIF)",
				Logo:   &domain.Logo{Digest: "sha256:" + strings.Repeat("ab", 32), ContentType: "image/" + format, Size: int64(len(logo))}}
			docs := map[string]func(*bytes.Buffer) error{
				"sign-in sheets": func(b *bytes.Buffer) error { return reports.SignInSheets(b, reports.German, ws, regs, logo) },
				"certificates":   func(b *bytes.Buffer) error { return reports.CertificatesPDF(b, reports.German, ws, certs, logo) },
			}
			for name, render := range docs {
				var b bytes.Buffer
				if err := render(&b); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if !bytes.Contains(b.Bytes(), []byte("/Subtype /Image")) {
					t.Errorf("%s: the PDF holds no image XObject", name)
				}
				for i, page := range PDFText(t, b.Bytes()) {
					for _, want := range []string{"Projekt: Ankommen im Quartier", "Förderkennzeichen: AMIF-2026-0815", "Migrations"} {
						if !strings.Contains(page, want) {
							t.Errorf("%s page %d: no %q in %q", name, i+1, want, page)
						}
					}
				}
			}
		})
	}
	t.Run("english", func(t *testing.T) {
		ws.Funding = domain.Funding{Project: "Arriving", FundingReference: "AMIF-1"}
		pages := pdfPages(t, func(b *bytes.Buffer) error { return reports.SignInSheets(b, reports.English, ws, regs, nil) })
		if !strings.Contains(pages[0], "Funding reference: AMIF-1") || !strings.Contains(pages[0], "Project: Arriving") {
			t.Errorf("page 1: got %q, want the project and funding reference in English", pages[0])
		}
	})
	t.Run("a logo named but not given", func(t *testing.T) {
		ws.Funding = domain.Funding{Project: "P", Logo: &domain.Logo{Digest: "sha256:" + strings.Repeat("ab", 32), ContentType: "image/png", Size: 9}}
		var b bytes.Buffer
		if err := reports.SignInSheets(&b, reports.German, ws, regs, nil); !errors.Is(err, reports.ErrLogoMissing) {
			t.Errorf("got %v, want ErrLogoMissing", err)
		}
	})
	t.Run("no funding, no image", func(t *testing.T) {
		ws.Funding = domain.Funding{}
		var b bytes.Buffer
		if err := reports.SignInSheets(&b, reports.German, ws, regs, nil); err != nil || bytes.Contains(b.Bytes(), []byte("/Subtype /Image")) {
			t.Errorf("got %v and an image: %v, want a document without image", err, bytes.Contains(b.Bytes(), []byte("/Subtype /Image")))
		}
	})
}
