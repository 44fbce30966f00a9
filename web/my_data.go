package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/reports"
)

// A person asks for a copy of their data with their e-mail address (GDPR Art. 15 and 20) on
// /my-data; the mail brings a link to /my-data/<token>, which shows the export and offers it
// as JSON and PDF. The page is linked from the privacy page and from the personal page.

// myDataPath is the page on which a person asks for their data.
const myDataPath = "/my-data"

func (s *site) myDataRoutes() []route {
	get, post := http.MethodGet, http.MethodPost
	return []route{
		{get, myDataPath, s.myDataForm, false},
		{post, myDataPath, s.requestMyData, false},
		{get, myDataPath + "/:token", s.myData, false},
		{get, myDataPath + "/:token/export.json", s.myDataJSON, false},
		{get, myDataPath + "/:token/export.pdf", s.myDataPDF, false},
	}
}

// myDataRequestPage is what the request page shows.
type myDataRequestPage struct {
	form
	Asked bool // the request went out: the page says the same for every address
}

func (s *site) myDataForm(c echo.Context) error {
	return s.render(c, http.StatusOK, "my-data-request.html", "MyDataRequestTitle", myDataRequestPage{form: newForm(s)})
}

// requestMyData asks for the export (app.RequestDataExport): the page says the same whether
// or not the address is known; only a malformed address comes back next to its field. The
// public-write budget of every public form limits how often one may ask.
func (s *site) requestMyData(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	t := s.texts(c)
	if err := s.cmds.RequestDataExport(c.Request().Context(), f.V("email"), t.lang); err != nil {
		if !f.rejected(t, err) {
			return err
		}
		return s.render(c, http.StatusUnprocessableEntity, "my-data-request.html", "MyDataRequestTitle", myDataRequestPage{form: f})
	}
	return s.render(c, http.StatusOK, "my-data-request.html", "MyDataRequestTitle", myDataRequestPage{form: newForm(s), Asked: true})
}

// myDataPage is the export as the page shows it, with the links to its files.
type myDataPage struct {
	E         reports.PersonExport
	JSON, PDF string
}

// myData shows the export the link names; an unknown, forged or expired link is not found.
func (s *site) myData(c echo.Context) error {
	e, err := s.cmds.ExportByLink(c.Request().Context(), c.Param("token"))
	if errors.Is(err, domain.ErrExportLinkInvalid) {
		// The person may ask again right here.
		f := newForm(s)
		f.Message = s.texts(c).T("ErrExportLinkInvalid")
		return s.render(c, http.StatusNotFound, "my-data-request.html", "MyDataRequestTitle", myDataRequestPage{form: f})
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, no-store")
	base := myDataPath + "/" + url.PathEscape(c.Param("token"))
	lang := "?lang=" + s.texts(c).lang
	return s.render(c, http.StatusOK, "my-data.html", "MyDataTitle", myDataPage{E: e, JSON: base + "/export.json", PDF: base + "/export.pdf" + lang})
}

// myDataJSON sends the export as a JSON file.
func (s *site) myDataJSON(c echo.Context) error {
	e, err := s.cmds.ExportByLink(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="`+reports.FileName(reports.Lang(s.texts(c).lang), reports.PersonExportDocument, "", "json")+`"`)
	h.Set("Cache-Control", "private, no-store")
	return c.JSONPretty(http.StatusOK, e, "  ")
}

// myDataPDF sends the export as a PDF in the page's language.
func (s *site) myDataPDF(c echo.Context) error {
	e, err := s.cmds.ExportByLink(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	lang := reports.Lang(s.texts(c).lang)
	return sendPDF(c, reports.FileName(lang, reports.PersonExportDocument, "", "pdf"),
		func(out io.Writer) error { return reports.PersonExportPDF(out, lang, e) })
}
