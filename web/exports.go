package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

// The organiser downloads every report and export from the pages, with the session (the
// session cookie does not open the JSON API): a workshop's attendance and evaluation in PDF,
// XLSX and both CSV dialects, its name badges and table tents, and a series' report.

// exportRoutes are the organiser's download routes besides the sign-in sheets and certificates.
func (s *site) exportRoutes() []route {
	const w = "/organiser/workshops/:id"
	const series = "/organiser/series/:series/report"
	get := http.MethodGet
	var routes []route
	for _, x := range []export{xlsxExport, pdfExport} {
		routes = append(routes,
			route{get, w + "/attendance." + x.ext, s.attendanceExport(s.workshopView, x), true},
			route{get, w + "/evaluation." + x.ext, s.evaluationExport(s.workshopView, x), true},
			route{get, series + "." + x.ext, s.seriesExport(routeSeries, x), true})
	}
	return append(routes,
		route{get, w + "/attendance.csv", inDialect(func(x export) echo.HandlerFunc { return s.attendanceExport(s.workshopView, x) }), true},
		route{get, w + "/evaluation.csv", inDialect(func(x export) echo.HandlerFunc { return s.evaluationExport(s.workshopView, x) }), true},
		route{get, series + ".csv", inDialect(func(x export) echo.HandlerFunc { return s.seriesExport(routeSeries, x) }), true},
		route{get, w + "/badges.pdf", s.badges(s.workshopView), true})
}

// routeSeries is the series named in the route's path.
func routeSeries(c echo.Context) string { return strings.TrimSpace(handlers.SeriesParam(c)) }

// errBadBadgeOption is a badges link with a layout or kind no sheet has (htmlErrors shows it
// as 400 with its own message: a plain echo 400 would read as a stale form).
var errBadBadgeOption = errors.New("badges: layout must be 10 or 8, kind badges or tents")

// badges serves the name badges (?layout=10 or 8) or the table tents (?kind=tents).
func (s *site) badges(find func(echo.Context) (projections.WorkshopView, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		layout, ok := reports.ParseBadgeLayout(c.QueryParam("layout"))
		if !ok {
			return errBadBadgeOption
		}
		kind, ok := reports.ParseBadgeKind(c.QueryParam("kind"))
		if !ok {
			return errBadBadgeOption
		}
		w, err := find(c)
		if err != nil {
			return err
		}
		regs, err := s.cfg.Reader.Registrations(c.Request().Context(), w.ID)
		if err != nil {
			return err
		}
		lang := s.reportLang(c)
		if kind == reports.TableTents {
			return sendPDF(c, reports.FileName(lang, reports.TableTentsDocument, w.Title, "pdf"),
				func(out io.Writer) error { return reports.TableTentsPDF(out, lang, w, regs) })
		}
		return sendPDF(c, reports.FileName(lang, reports.BadgesDocument, w.Title, "pdf"),
			func(out io.Writer) error { return reports.Badges(out, lang, layout, w, regs) })
	}
}

// seriesReportURL is the organiser's report of series, without its extension.
func seriesReportURL(series string) string {
	return "/organiser/series/" + url.PathEscape(series) + "/report"
}
