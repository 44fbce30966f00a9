package handlers

import (
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/reports"
)

var errBadExportFormat = newProblem(http.StatusBadRequest, "format must be json or pdf")

// exportFormat is the form a person's export is asked for in: ?format wins, else the Accept
// header's first known type, else JSON.
func exportFormat(c echo.Context) (string, error) {
	if f := c.QueryParam("format"); f != "" {
		if f == "json" || f == "pdf" {
			return f, nil
		}
		return "", errBadExportFormat
	}
	for _, part := range strings.Split(c.Request().Header.Get(echo.HeaderAccept), ",") {
		switch mime, _, _ := strings.Cut(strings.TrimSpace(part), ";"); mime {
		case mimePDF:
			return "pdf", nil
		case "application/json":
			return "json", nil
		}
	}
	return "json", nil
}

// exportPerson answers GET /people/export?email= with everything stored about the person of
// the address (GDPR Art. 15 and 20), as JSON or as a PDF in ?lang: the instance's administrator
// sees everything, a network's admin the workshops and accounts of their networks. The export
// is recorded on every workshop it covers; 404 when nothing is stored.
func (a *api) exportPerson(c echo.Context) error {
	format, err := exportFormat(c)
	if err != nil {
		return err
	}
	lang, err := queryLang(c)
	if err != nil {
		return err
	}
	e, err := a.cmds.ExportPerson(c.Request().Context(), callerOf(c), c.QueryParam("email"))
	if err != nil {
		return err
	}
	return sendPersonExport(c, format, lang, e)
}

// sendPersonExport answers a person's export as JSON or PDF; no cache may keep it.
func sendPersonExport(c echo.Context, format string, lang reports.Lang, e reports.PersonExport) error {
	if format == "pdf" {
		name := reports.FileName(lang, reports.PersonExportDocument, "", "pdf")
		return sendDocument(c, mimePDF, "attachment", name, func(w io.Writer) error { return reports.PersonExportPDF(w, lang, e) })
	}
	c.Response().Header().Set("Cache-Control", "private, no-store")
	return c.JSON(http.StatusOK, e)
}

type exportRequestBody struct {
	Email string `json:"email"`
	Lang  string `json:"lang"`
}

// requestExport is public: a person asks for their data with their address. The answer is 202
// whether or not the address is known; the outbox mails a link to the export when it is.
func (a *api) requestExport(c echo.Context) error {
	var b exportRequestBody
	if err := decode(c, &b); err != nil {
		return err
	}
	if err := a.cmds.RequestDataExport(c.Request().Context(), b.Email, b.Lang); err != nil {
		return err
	}
	return c.NoContent(http.StatusAccepted)
}
