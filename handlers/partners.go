package handlers

import (
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/reports"
)

var errBadFormat = newProblem(http.StatusBadRequest, "format must be json, csv, xlsx or pdf")

// reportFormat is the form a report is asked for in: ?format wins, else the Accept header's
// first known type, else JSON.
func reportFormat(c echo.Context) (string, error) {
	if f := c.QueryParam("format"); f != "" {
		switch f {
		case "json", "csv", "xlsx", "pdf":
			return f, nil
		}
		return "", errBadFormat
	}
	for _, part := range strings.Split(c.Request().Header.Get(echo.HeaderAccept), ",") {
		switch mime, _, _ := strings.Cut(strings.TrimSpace(part), ";"); mime {
		case "text/csv":
			return "csv", nil
		case mimeXLSX:
			return "xlsx", nil
		case mimePDF:
			return "pdf", nil
		case "application/json":
			return "json", nil
		}
	}
	return "json", nil
}

// partnerReport answers GET /networks/{id}/reports/partners?from=&to= as JSON, CSV, XLSX or
// PDF: counts per organisation only, never a person.
func (a *api) partnerReport(c echo.Context) error {
	id, err := networkID(c)
	if err != nil {
		return err
	}
	format, err := reportFormat(c)
	if err != nil {
		return err
	}
	lang, err := queryLang(c)
	if err != nil {
		return err
	}
	dialect, ok := reports.ParseCSVDialect(c.QueryParam("dialect"))
	if !ok {
		return errBadDialect
	}
	r, err := a.cmds.PartnerReport(c.Request().Context(), callerOf(c), id,
		app.PartnerPeriod{From: c.QueryParam("from"), To: c.QueryParam("to")})
	if err != nil {
		return err
	}
	x, render := csvExport, func(w io.Writer) error { return dialect.Partners(w, lang, r) }
	switch format {
	case "json":
		return c.JSON(http.StatusOK, r)
	case "xlsx":
		x, render = xlsxExport, func(w io.Writer) error { return reports.PartnersXLSX(w, lang, r) }
	case "pdf":
		x, render = pdfExport, func(w io.Writer) error { return reports.PartnersPDF(w, lang, r) }
	}
	name := reports.FileName(lang, reports.PartnersDocument, r.Network+" "+string(r.From)+" "+string(r.To), x.ext)
	return sendDocument(c, x.mime, x.disposition, name, render)
}
