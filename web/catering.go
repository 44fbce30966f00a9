package web

import (
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

// The catering and rooms exports of issue 14 for the venue, served with the organiser's session
// in the page's language (the session cookie does not open the JSON API); the totals themselves
// are on the registration list.

func (s *site) cateringRoutes() []route {
	const w = "/organiser/workshops/:id"
	return []route{
		{http.MethodGet, w + "/catering.csv", s.cateringCSV(s.workshopView), true},
		{http.MethodGet, w + "/catering.pdf", s.cateringPDF(s.workshopView), true},
	}
}

func (s *site) cateringCSV(find func(echo.Context) (projections.WorkshopView, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		d, ok := reports.ParseCSVDialect(c.QueryParam("dialect"))
		if !ok {
			return errBadDialect
		}
		return s.cateringExport(c, find, "text/csv; charset=utf-8", "csv", "attachment", d.Catering)
	}
}

func (s *site) cateringPDF(find func(echo.Context) (projections.WorkshopView, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		return s.cateringExport(c, find, pdf, "pdf", "inline", reports.CateringPDF)
	}
}

func (s *site) cateringExport(c echo.Context, find func(echo.Context) (projections.WorkshopView, error), mime, ext, disposition string,
	render func(io.Writer, reports.Lang, reports.CateringReport) error) error {
	w, err := find(c)
	if err != nil {
		return err
	}
	r, err := reports.LoadCatering(c.Request().Context(), s.cfg.Reader, w.ID)
	if err != nil {
		return err
	}
	lang := s.reportLang(c)
	c.Response().Header().Set("Cache-Control", "private, no-store")
	return sendFile(c, mime, disposition, reports.FileName(lang, reports.CateringDocument, r.Workshop.Title, ext),
		func(w io.Writer) error { return render(w, lang, r) })
}
