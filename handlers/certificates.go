package handlers

import (
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

// The documents of issue 14 for funders and participants: the sign-in sheets of a workshop (one
// list per day) and the certificates of attendance, all at once for the organiser and the
// series' lead (reportRoutes), one person's for the organiser or that person's token. ?lang=en
// selects English; German is the default.

var errNotCheckedIn = newProblem(http.StatusConflict, "the person has not been checked in yet: there is no attendance to certify")

// roster reads the workshop of the path and its registrations: what a document of its people
// (sign-in sheets, badges) needs.
func (a *api) roster(c echo.Context) (projections.WorkshopView, []projections.RegistrationView, error) {
	id, err := workshopID(c)
	if err != nil {
		return projections.WorkshopView{}, nil, err
	}
	ctx := c.Request().Context()
	ws, err := a.Reader.Workshop(ctx, id)
	if err != nil {
		return projections.WorkshopView{}, nil, err
	}
	regs, err := a.Reader.Registrations(ctx, id)
	return ws, regs, err
}

// signInSheets serves the sign-in sheets of every day of the workshop.
func (a *api) signInSheets(c echo.Context) error {
	lang, err := queryLang(c)
	if err != nil {
		return err
	}
	ws, regs, err := a.roster(c)
	if err != nil {
		return err
	}
	logo, err := a.cmds.FundingLogo(c.Request().Context(), ws)
	if err != nil {
		return err
	}
	return sendDocument(c, mimePDF, "inline", reports.FileName(lang, reports.SignInSheetsDocument, ws.Title, "pdf"),
		func(w io.Writer) error { return reports.SignInSheets(w, lang, ws, regs, logo) })
}

// certificates serves the certificates of everyone checked in, one page each.
func (a *api) certificates(c echo.Context) error {
	lang, err := queryLang(c)
	if err != nil {
		return err
	}
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	ws, certs, err := reports.LoadCertificates(c.Request().Context(), a.Reader, id)
	if err != nil {
		return err
	}
	logo, err := a.cmds.FundingLogo(c.Request().Context(), ws)
	if err != nil {
		return err
	}
	return sendDocument(c, mimePDF, "inline", reports.FileName(lang, reports.CertificatesDocument, ws.Title, "pdf"),
		func(w io.Writer) error { return reports.CertificatesPDF(w, lang, ws, certs, logo) })
}

// certificate serves one person's certificate to the organiser or to the person (by their
// token); 409 while they have not been checked in, 404 for an erased person.
func (a *api) certificate(c echo.Context) error {
	lang, err := queryLang(c)
	if err != nil {
		return err
	}
	id, rid, acc, err := a.registrationCaller(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if acc.actor == app.ActorOrganiser {
		if acc.view, err = a.Reader.Registration(ctx, id, rid); err != nil {
			return err
		}
	}
	if acc.view.Erased {
		return domain.ErrRegistrationErased
	}
	ws, certs, err := reports.LoadCertificates(ctx, a.Reader, id)
	if err != nil {
		return err
	}
	cert, err := reports.CertificateOf(certs, rid)
	if errors.Is(err, reports.ErrNotCheckedIn) {
		return errNotCheckedIn
	}
	logo, err := a.cmds.FundingLogo(ctx, ws)
	if err != nil {
		return err
	}
	return sendDocument(c, mimePDF, "inline", reports.FileName(lang, reports.CertificatesDocument, ws.Title, "pdf"),
		func(w io.Writer) error {
			return reports.CertificatesPDF(w, lang, ws, []reports.Certificate{cert}, logo)
		})
}

var (
	errBadBadgeLayout = newProblem(http.StatusBadRequest, "layout must be 10 (the default: 2 x 5 labels of 105 x 57 mm) or 8 (2 x 4 labels of 105 x 74 mm)")
	errBadBadgeKind   = newProblem(http.StatusBadRequest, "kind must be badges (the default) or tents")
)

// badges serves the name badges of the confirmed people on A4 label sheets (?layout=10 or 8),
// or their table tents (?kind=tents).
func (a *api) badges(c echo.Context) error {
	lang, err := queryLang(c)
	if err != nil {
		return err
	}
	layout, ok := reports.ParseBadgeLayout(c.QueryParam("layout"))
	if !ok {
		return errBadBadgeLayout
	}
	kind, ok := reports.ParseBadgeKind(c.QueryParam("kind"))
	if !ok {
		return errBadBadgeKind
	}
	ws, regs, err := a.roster(c)
	if err != nil {
		return err
	}
	if kind == reports.TableTents {
		return sendDocument(c, mimePDF, "inline", reports.FileName(lang, reports.TableTentsDocument, ws.Title, "pdf"),
			func(w io.Writer) error { return reports.TableTentsPDF(w, lang, ws, regs) })
	}
	return sendDocument(c, mimePDF, "inline", reports.FileName(lang, reports.BadgesDocument, ws.Title, "pdf"),
		func(w io.Writer) error { return reports.Badges(w, lang, layout, ws, regs) })
}
