// Package reports renders printable documents and exports from the read models: the printouts
// and results of theme cafés, and the attendance, evaluation and series reports as CSV, XLSX
// (github.com/xuri/excelize/v2), PDF and SVG charts. Every renderer
// writes one document to an io.Writer from views it is given, in a language it is given; it
// reads nothing itself (LoadCafe gathers the views of a café), so that the JSON API and the web
// pages serve the same bytes.
//
// PDFs are written with codeberg.org/go-pdf/fpdf and the Go fonts (golang.org/x/image/font/gofont)
// embedded as UTF-8 TrueType: fpdf is stable, has no dependencies and lays out one card per page
// and cut lines directly, while maroto (built on an fpdf fork) ships no UTF-8 font either
// (johnfercher/maroto#451) and pulls in far more code for the same result.
package reports

import (
	"context"
	"fmt"
	"slices"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// Lang is the language of a document.
type Lang string

const (
	German  Lang = "de"
	English Lang = "en"
)

// ParseLang reads a language parameter: "" is German, the default; "de" and "en" are
// themselves. Anything else is German with ok false, so callers can refuse it or fall back.
func ParseLang(s string) (lang Lang, ok bool) {
	switch Lang(s) {
	case "", German:
		return German, true
	case English:
		return English, true
	}
	return German, false
}

// ErrNoSeatRoute is returned by SeatRoutes for a registration that has no seat in the café's plan
// (not confirmed for its day, a host, or registered after the plan). It matches
// domain.ErrNotFound.
var ErrNoSeatRoute = fmt.Errorf("%w: the registration has no route in the theme café's plan", domain.ErrNotFound)

// Cafe is a theme café with the registrations whose names its documents show. People may hold
// every registration of the workshop (as projections.Reader.Registrations returns them); the
// café's session (title, day, times) is looked up in the workshop's agenda.
type Cafe struct {
	View   projections.ThemeCafeView
	People []projections.RegistrationView
}

// CafeSource is what LoadCafe reads; projections.Reader implements it.
type CafeSource interface {
	Workshop(ctx context.Context, id domain.WorkshopID) (projections.WorkshopView, error)
	Registrations(ctx context.Context, id domain.WorkshopID) ([]projections.RegistrationView, error)
	ThemeCafe(ctx context.Context, w domain.WorkshopID, s domain.SessionID) (projections.ThemeCafeView, error)
}

// LoadCafe reads the workshop and the café of session sid with the workshop's registrations.
// It returns domain.ErrWorkshopNotFound or domain.ErrSessionNotFound when they do not exist
// (cancelled sessions included) and domain.ErrNotThemeCafe for a session of another kind.
func LoadCafe(ctx context.Context, r CafeSource, id domain.WorkshopID, sid domain.SessionID) (projections.WorkshopView, Cafe, error) {
	ws, err := r.Workshop(ctx, id)
	if err != nil {
		return projections.WorkshopView{}, Cafe{}, err
	}
	i := slices.IndexFunc(ws.Agenda, func(s domain.Session) bool { return s.ID == sid })
	if i < 0 {
		return projections.WorkshopView{}, Cafe{}, domain.ErrSessionNotFound
	}
	if ws.Agenda[i].Kind != domain.ThemeCafe {
		return projections.WorkshopView{}, Cafe{}, domain.ErrNotThemeCafe
	}
	v, err := r.ThemeCafe(ctx, id, sid)
	if err != nil {
		return projections.WorkshopView{}, Cafe{}, err
	}
	people, err := r.Registrations(ctx, id)
	if err != nil {
		return projections.WorkshopView{}, Cafe{}, err
	}
	return ws, Cafe{View: v, People: people}, nil
}
