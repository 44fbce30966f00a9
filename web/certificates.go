package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

// The documents of issue 14 served from the pages, in the page's language: the organiser's
// sign-in sheets and certificates of everyone checked in (the session cookie does not open the
// JSON API), and a participant's own certificate of attendance (by their token).

// certificateRoutes are the routes of the sign-in sheets and certificates.
func (s *site) certificateRoutes() []route {
	const w = "/organiser/workshops/:id"
	return []route{
		{http.MethodGet, w + "/sign-in-sheets.pdf", s.signInSheets(s.workshopView), true},
		{http.MethodGet, w + "/certificates.pdf", s.certificates(s.workshopView), true},
		{http.MethodGet, "/w/:id/r/:rid/certificate.pdf", s.ownCertificate, false},
	}
}

// sendPDF answers a PDF rendered into memory first, so that a failure becomes an error page
// rather than half a file. It names people: no cache keeps it.
func sendPDF(c echo.Context, name string, render func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", `inline; filename="`+name+`"`)
	h.Set("Cache-Control", "private, no-store")
	return c.Blob(http.StatusOK, pdf, buf.Bytes())
}

func (s *site) signInSheets(find func(echo.Context) (projections.WorkshopView, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		w, err := find(c)
		if err != nil {
			return err
		}
		regs, err := s.cfg.Reader.Registrations(c.Request().Context(), w.ID)
		if err != nil {
			return err
		}
		logo, err := s.cmds.FundingLogo(c.Request().Context(), w)
		if err != nil {
			return err
		}
		lang := reports.Lang(s.texts(c).lang)
		return sendPDF(c, reports.FileName(lang, reports.SignInSheetsDocument, w.Title, "pdf"),
			func(out io.Writer) error { return reports.SignInSheets(out, lang, w, regs, logo) })
	}
}

func (s *site) certificates(find func(echo.Context) (projections.WorkshopView, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		w, err := find(c)
		if err != nil {
			return err
		}
		ws, certs, err := reports.LoadCertificates(c.Request().Context(), s.cfg.Reader, w.ID)
		if err != nil {
			return err
		}
		logo, err := s.cmds.FundingLogo(c.Request().Context(), ws)
		if err != nil {
			return err
		}
		lang := reports.Lang(s.texts(c).lang)
		return sendPDF(c, reports.FileName(lang, reports.CertificatesDocument, ws.Title, "pdf"),
			func(out io.Writer) error { return reports.CertificatesPDF(out, lang, ws, certs, logo) })
	}
}

// ownCertificate serves the participant's certificate once they have been checked in; before,
// a page says that there is nothing to certify yet.
func (s *site) ownCertificate(c echo.Context) error {
	w, r, err := s.actingRegistration(c, c.QueryParam("token"))
	if err != nil {
		return err
	}
	ws, certs, err := reports.LoadCertificates(c.Request().Context(), s.cfg.Reader, w.ID)
	if err != nil {
		return err
	}
	cert, err := reports.CertificateOf(certs, r.ID)
	if errors.Is(err, reports.ErrNotCheckedIn) {
		return s.render(c, http.StatusConflict, "error.html", "ErrorTitle", errorPage{Message: s.texts(c).T("CertificateNotYet")})
	}
	logo, err := s.cmds.FundingLogo(c.Request().Context(), ws)
	if err != nil {
		return err
	}
	lang := reports.Lang(s.texts(c).lang)
	return sendPDF(c, reports.FileName(lang, reports.CertificatesDocument, ws.Title, "pdf"),
		func(out io.Writer) error {
			return reports.CertificatesPDF(out, lang, ws, []reports.Certificate{cert}, logo)
		})
}

// checkedIn reports whether registration rid has a check-in at the workshop.
func (s *site) checkedIn(c echo.Context, w domain.WorkshopID, rid domain.RegistrationID) (bool, error) {
	checkIns, err := s.cfg.Reader.CheckIns(c.Request().Context(), w)
	if err != nil {
		return false, err
	}
	for _, ci := range checkIns {
		if ci.RegistrationID == rid {
			return true, nil
		}
	}
	return false, nil
}
