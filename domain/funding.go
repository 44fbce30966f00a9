package domain

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// Funding names who funds a workshop and how: the project, the funding reference
// ("Förderkennzeichen") and the funder, with the funder's logo. Sign-in sheets and certificates
// show it, as funders such as AMIF require. A series shares its funding by inheritance: a
// workshop scheduled in a series takes the latest details of the series (see the app layer).
type Funding struct {
	Project          string `json:"project,omitempty"`
	FundingReference string `json:"funding_reference,omitempty"`
	Funder           string `json:"funder,omitempty"`
	// Logo is the funder's logo, nil for none. Its bytes live in the object store under Digest.
	Logo *Logo `json:"logo,omitempty"`
}

// Logo describes an image kept in the object store, content-addressed by its SHA-256.
type Logo struct {
	// Digest is "sha256:" and the lower-case hex SHA-256 of the image's bytes.
	Digest string `json:"digest"`
	// ContentType is the type detected from the bytes: image/png or image/jpeg.
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	Width       int    `json:"width,omitempty"`
	Height      int    `json:"height,omitempty"`
}

// Set reports whether f names anything: a project, a reference or a logo.
func (f Funding) Set() bool {
	return f.Project != "" || f.FundingReference != "" || f.Funder != "" || f.Logo != nil
}

// Clone returns a copy of f that shares nothing with it.
func (f Funding) Clone() Funding {
	if f.Logo != nil {
		l := *f.Logo
		f.Logo = &l
	}
	return f
}

// Equal reports whether f and o hold the same details.
func (f Funding) Equal(o Funding) bool {
	if f.Project != o.Project || f.FundingReference != o.FundingReference || f.Funder != o.Funder {
		return false
	}
	if f.Logo == nil || o.Logo == nil {
		return f.Logo == nil && o.Logo == nil
	}
	return *f.Logo == *o.Logo
}

// Limits of a logo: the bytes uploaded and the pixels they decode to.
const (
	MaxLogoBytes  = 1 << 20
	MaxLogoPixels = 4000
)

// LogoTypes are the content types a logo may have.
var LogoTypes = []string{"image/png", "image/jpeg"}

// FundingSet records a workshop's funding details as they are after a change. An event with
// nothing set removes them.
type FundingSet struct {
	Funding
}

func (FundingSet) Name() string { return "workshop.funding_set.v1" }

var _ = register[FundingSet]()

// SetFunding sets (or, with nothing set, removes) a workshop's funding details.
type SetFunding struct {
	Funding Funding
}

// SetFunding decides a change of the funding details. The same details again decide nothing.
func (w Workshop) SetFunding(c SetFunding) ([]Event, error) {
	if !w.Scheduled() {
		return nil, ErrWorkshopNotFound
	}
	f, err := c.Funding.checked()
	if err != nil {
		return nil, err
	}
	if f.Equal(w.Funding) {
		return nil, nil
	}
	return []Event{FundingSet{Funding: f}}, nil
}

// checked validates f and returns it trimmed; without project, reference and logo the funder
// alone names nothing and is dropped (the details are removed).
func (f Funding) checked() (Funding, error) {
	var fe FieldErrors
	checkText(&fe, "project", f.Project, false, maxTitle)
	checkText(&fe, "funding_reference", f.FundingReference, false, maxTitle)
	checkText(&fe, "funder", f.Funder, false, maxTitle)
	if l := f.Logo; l != nil {
		checkLogo(&fe, *l)
	}
	if err := fe.err(); err != nil {
		return Funding{}, err
	}
	out := Funding{Project: strings.TrimSpace(f.Project), FundingReference: strings.TrimSpace(f.FundingReference),
		Funder: strings.TrimSpace(f.Funder)}
	if f.Logo != nil {
		l := *f.Logo
		out.Logo = &l
	}
	if out.Project == "" && out.FundingReference == "" && out.Logo == nil {
		return Funding{}, nil
	}
	return out, nil
}

func checkLogo(fe *FieldErrors, l Logo) {
	hexDigest, ok := strings.CutPrefix(l.Digest, "sha256:")
	if b, err := hex.DecodeString(hexDigest); !ok || err != nil || len(b) != 32 || strings.ToLower(hexDigest) != hexDigest {
		fe.add("logo.digest", CodeNotInList, "must be sha256: and 64 lower-case hex digits")
	}
	if l.ContentType != "image/png" && l.ContentType != "image/jpeg" {
		fe.add("logo.content_type", CodeNotInList, fmt.Sprintf("%q is neither image/png nor image/jpeg", l.ContentType))
	}
	checkRange(fe, "logo.size", int(min(l.Size, MaxLogoBytes+1)), 1, MaxLogoBytes)
	checkRange(fe, "logo.width", l.Width, 0, MaxLogoPixels)
	checkRange(fe, "logo.height", l.Height, 0, MaxLogoPixels)
}
