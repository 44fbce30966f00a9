package web

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/reports"
)

// A person asks that all their data be deleted (GDPR Art. 17). The organiser types the email,
// checks the registrations found in every workshop, confirms, and reads what was erased. The
// email travels only in form bodies, never in a URL, and the answers are not cached.

const erasureRequestsPath = "/organiser/erasure"

// erasureRequestPage is the page in each of its three steps: the form (neither Searched nor
// Done), the registrations found (Searched) and the outcome (Done).
type erasureRequestPage struct {
	Form     form
	Email    string
	Searched bool
	Matches  []app.PersonRegistration
	Done     bool
	Erased   []app.ErasedRegistration
	// NotErased are those a failure left; the page offers to try again.
	NotErased []app.ErasedRegistration
}

func (s *site) erasureRequestRoutes() []route {
	return []route{
		{http.MethodGet, erasureRequestsPath, s.erasureRequestForm, true},
		{http.MethodPost, erasureRequestsPath + "/preview", s.previewErasureRequest, true},
		{http.MethodPost, erasureRequestsPath, s.eraseEverywhere, true},
		{http.MethodPost, erasureRequestsPath + "/export", s.exportPerson, true},
	}
}

func (s *site) erasureRequestForm(c echo.Context) error {
	return s.render(c, http.StatusOK, "erasure-requests.html", "ErasureRequestTitle", erasureRequestPage{Form: newForm(s)})
}

// previewErasureRequest lists the person's registrations with the button that erases them; an
// invalid email shows the form again with the message.
func (s *site) previewErasureRequest(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	email := strings.TrimSpace(f.V("email"))
	matches, err := s.cmds.FindPerson(c.Request().Context(), email)
	if err != nil {
		if !f.rejected(s.texts(c), err) {
			return err
		}
		return s.render(c, http.StatusUnprocessableEntity, "erasure-requests.html", "ErasureRequestTitle", erasureRequestPage{Form: f})
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, "erasure-requests.html", "ErasureRequestTitle",
		erasureRequestPage{Form: newForm(s), Email: email, Searched: true, Matches: matches})
}

// eraseEverywhere erases what the email matches now and shows it. There is no redirect: the
// outcome is nowhere to be read again. A double submit carries the same key and erases once.
func (s *site) eraseEverywhere(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	email := strings.TrimSpace(f.V("email"))
	erased, err := s.cmds.ErasePerson(c.Request().Context(), organiserOp(c, f, "erase person"), email)
	p := erasureRequestPage{Form: newForm(s), Email: email, Done: true, Erased: erased}
	status := http.StatusOK
	var partial *app.ErasePersonError
	switch {
	case errors.As(err, &partial):
		s.cfg.Logger.Error("erasure request incomplete", "erased", len(partial.Erased),
			"not_erased", len(partial.NotErased), "err", partial.Err)
		p.Erased, p.NotErased, status = partial.Erased, partial.NotErased, http.StatusInternalServerError
	case err != nil:
		if !f.rejected(s.texts(c), err) {
			return err
		}
		return s.render(c, http.StatusUnprocessableEntity, "erasure-requests.html", "ErasureRequestTitle", erasureRequestPage{Form: f})
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, status, "erasure-requests.html", "ErasureRequestTitle", p)
}

// exportPerson answers a request for a copy of a person's data (GDPR Art. 15 and 20) on paper:
// the export of the email (app.ExportPerson) as a PDF in the page's language or as JSON. The
// email comes in the form's body, never in a URL; the export is recorded in the history.
func (s *site) exportPerson(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	caller, err := s.caller(c)
	if err != nil {
		return err
	}
	e, err := s.cmds.ExportPerson(c.Request().Context(), caller, strings.TrimSpace(f.V("email")))
	switch {
	case errors.Is(err, domain.ErrPersonNotFound):
		f.Message = s.texts(c).T("ErrPersonNotFound")
		return s.render(c, http.StatusNotFound, "erasure-requests.html", "ErasureRequestTitle", erasureRequestPage{Form: f})
	case err != nil:
		if !f.rejected(s.texts(c), err) {
			return err
		}
		return s.render(c, http.StatusUnprocessableEntity, "erasure-requests.html", "ErasureRequestTitle", erasureRequestPage{Form: f})
	}
	lang := reports.Lang(s.texts(c).lang)
	if f.V("format") == "json" {
		h := c.Response().Header()
		h.Set("Content-Disposition", `attachment; filename="`+reports.FileName(lang, reports.PersonExportDocument, "", "json")+`"`)
		h.Set("Cache-Control", "private, no-store")
		return c.JSONPretty(http.StatusOK, e, "  ")
	}
	return sendPDF(c, reports.FileName(lang, reports.PersonExportDocument, "", "pdf"),
		func(out io.Writer) error { return reports.PersonExportPDF(out, lang, e) })
}
