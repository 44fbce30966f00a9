package reports

import (
	"bytes"
	"errors"
	"fmt"

	"codeberg.org/go-pdf/fpdf"

	"github.com/werkstatt/werkstatt/domain"
)

// The funder's logo sits top right on sign-in sheets and certificates, scaled to fit this box
// with its aspect ratio kept.
const (
	logoBoxWidth  = 35.0
	logoBoxHeight = 20.0
)

// ErrLogoMissing is returned for a workshop whose funding names a logo when the logo's bytes
// were not given: a document must not silently leave out a logo the funder asks for.
var ErrLogoMissing = errors.New("reports: the funding names a logo but its image was not given")

// fundingLines are the lines of the funding details: project, funding reference, funder.
func fundingLines(words reportWords, fd domain.Funding) []string {
	var lines []string
	if fd.Project != "" {
		lines = append(lines, words.Project+": "+fd.Project)
	}
	if fd.FundingReference != "" {
		lines = append(lines, words.FundingReference+": "+fd.FundingReference)
	}
	if fd.Funder != "" {
		lines = append(lines, words.Funder+": "+fd.Funder)
	}
	return lines
}

// registerLogo registers the logo's image with f and returns its name, "" without a logo.
func registerLogo(f *fpdf.Fpdf, fd domain.Funding, logo []byte) (string, error) {
	if fd.Logo == nil {
		return "", nil
	}
	if len(logo) == 0 {
		return "", ErrLogoMissing
	}
	typ := "PNG"
	if fd.Logo.ContentType == "image/jpeg" {
		typ = "JPG"
	}
	name := "logo-" + fd.Logo.Digest
	f.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: typ}, bytes.NewReader(logo))
	if err := f.Error(); err != nil {
		return "", fmt.Errorf("reports: funder's logo: %w", err)
	}
	return name, nil
}

// drawLogo draws the registered logo top right at y, scaled into the logo box.
func drawLogo(f *fpdf.Fpdf, name string, y float64) {
	if name == "" {
		return
	}
	info := f.GetImageInfo(name)
	if info == nil || info.Width() <= 0 || info.Height() <= 0 {
		return
	}
	w, h := logoBoxWidth, logoBoxWidth*info.Height()/info.Width()
	if h > logoBoxHeight {
		w, h = logoBoxHeight*info.Width()/info.Height(), logoBoxHeight
	}
	x, keepY := pageWidth-margin-w, f.GetY()
	f.ImageOptions(name, x, y, w, h, false, fpdf.ImageOptions{}, 0, "")
	f.SetY(keepY)
}
