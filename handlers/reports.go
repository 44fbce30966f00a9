package handlers

import (
	"context"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

// The reports of issue 5 for the organiser: a workshop's attendance (JSON, CSV, XLSX, PDF with
// the sign-in sheet), a workshop's evaluation as CSV, XLSX and PDF (its JSON is
// /feedback/evaluation), and a series' comparison of its workshops (JSON, CSV, XLSX, PDF and an
// SVG trend chart). ?lang=en selects English; German is the default. The CSV forms are for
// German Excel by default (";", decimal comma, UTF-8 with BOM); ?dialect=international
// gives "," and decimal points without BOM (see reports.CSVDialect).

const (
	mimeCSV  = "text/csv; charset=utf-8"
	mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	mimeSVG  = "image/svg+xml"
)

var errBadChart = newProblem(http.StatusBadRequest, "chart must be ratings or participation")

// export is one file form of a report: its MIME type, extension, and how it is shown.
type export struct {
	mime, ext, disposition string
}

var (
	csvExport  = export{mimeCSV, "csv", "attachment"}
	xlsxExport = export{mimeXLSX, "xlsx", "attachment"}
	pdfExport  = export{mimePDF, "pdf", "inline"}
)

var errBadDialect = newProblem(http.StatusBadRequest, "dialect must be excel-de (the default) or international")

// inDialect reads ?dialect of a CSV export and serves it with the handler made for that
// dialect; an unknown dialect is refused before anything is read.
func inDialect(handler func(reports.CSVDialect) echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		d, ok := reports.ParseCSVDialect(c.QueryParam("dialect"))
		if !ok {
			return errBadDialect
		}
		return handler(d)(c)
	}
}

func queryLang(c echo.Context) (reports.Lang, error) {
	lang, ok := reports.ParseLang(c.QueryParam("lang"))
	if !ok {
		return lang, errBadLang
	}
	return lang, nil
}

// attendanceReport answers the attendance report as JSON.
func (a *api) attendanceReport(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	r, err := reports.LoadAttendance(ctx, a.readerFor(ctx), id, a.todayFor(ctx))
	if err != nil {
		return err
	}
	r.Days, r.Sessions, r.Organisations = nonNil(r.Days), nonNil(r.Sessions), nonNil(r.Organisations)
	r.Districts, r.Participants = nonNil(r.Districts), nonNil(r.Participants)
	return c.JSON(http.StatusOK, attendanceReportJSON{AttendanceReport: r, Workshop: workshopOfView(r.Workshop, a.cmds.RegistrationOpen(r.Workshop))})
}

// attendanceReportJSON is the attendance report with its workshop in the API's shape, the one
// GET /api/v1/workshops/{id} answers, not the read model's.
type attendanceReportJSON struct {
	reports.AttendanceReport
	Workshop workshopJSON `json:"workshop"`
}

// attendanceExport serves the attendance report in form x, rendered by render.
func (a *api) attendanceExport(x export, render func(io.Writer, reports.Lang, reports.AttendanceReport) error) echo.HandlerFunc {
	return workshopReport(x, reports.AttendanceDocument, func(ctx context.Context, id domain.WorkshopID) (reports.AttendanceReport, string, error) {
		r, err := reports.LoadAttendance(ctx, a.readerFor(ctx), id, a.todayFor(ctx))
		return r, r.Workshop.Title, err
	}, render)
}

// cateringExport serves the workshop's catering and rooms report (issue 14) in form x, rendered
// by render.
func (a *api) cateringExport(x export, render func(io.Writer, reports.Lang, reports.CateringReport) error) echo.HandlerFunc {
	return workshopReport(x, reports.CateringDocument, func(ctx context.Context, id domain.WorkshopID) (reports.CateringReport, string, error) {
		r, err := reports.LoadCatering(ctx, a.Reader, id)
		return r, r.Workshop.Title, err
	}, render)
}

// workshopReport serves the report load reads for the path's workshop (with the workshop's
// title, which names the file) in form x, in the language the query asks for.
func workshopReport[R any](x export, doc reports.Document, load func(context.Context, domain.WorkshopID) (R, string, error),
	render func(io.Writer, reports.Lang, R) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		lang, err := queryLang(c)
		if err != nil {
			return err
		}
		id, err := workshopID(c)
		if err != nil {
			return err
		}
		r, title, err := load(c.Request().Context(), id)
		if err != nil {
			return err
		}
		return sendDocument(c, x.mime, x.disposition, reports.FileName(lang, doc, title, x.ext),
			func(w io.Writer) error { return render(w, lang, r) })
	}
}

// evaluationExport serves the workshop's evaluation in form x, rendered by render.
func (a *api) evaluationExport(x export, render func(io.Writer, reports.Lang, projections.WorkshopView, projections.FeedbackEvaluation) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		lang, err := queryLang(c)
		if err != nil {
			return err
		}
		id, err := workshopID(c)
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		ws, err := a.Reader.Workshop(ctx, id)
		if err != nil {
			return err
		}
		ev, err := a.Reader.Evaluation(ctx, id)
		if err != nil {
			return err
		}
		return sendDocument(c, x.mime, x.disposition, reports.FileName(lang, reports.EvaluationDocument, ws.Title, x.ext),
			func(w io.Writer) error { return render(w, lang, ws, ev) })
	}
}

// seriesReport answers the series report as JSON.
func (a *api) seriesReport(c echo.Context) error {
	r, err := reports.LoadSeries(c.Request().Context(), a.Reader, c.Param("series"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// seriesExport serves the series report in form x, rendered by render.
func (a *api) seriesExport(x export, render func(io.Writer, reports.Lang, reports.SeriesReport) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		lang, err := queryLang(c)
		if err != nil {
			return err
		}
		r, err := reports.LoadSeries(c.Request().Context(), a.Reader, c.Param("series"))
		if err != nil {
			return err
		}
		return sendDocument(c, x.mime, x.disposition, reports.FileName(lang, reports.SeriesDocument, r.Series, x.ext),
			func(w io.Writer) error { return render(w, lang, r) })
	}
}

// seriesTrend serves a trend chart of the series as SVG: ?chart=ratings (the default) or
// participation.
func (a *api) seriesTrend(c echo.Context) error {
	lang, err := queryLang(c)
	if err != nil {
		return err
	}
	name := c.QueryParam("chart")
	if name == "" {
		name = reports.RatingsChart
	}
	r, err := reports.LoadSeries(c.Request().Context(), a.Reader, c.Param("series"))
	if err != nil {
		return err
	}
	chart, ok := reports.SeriesChart(lang, r, name)
	if !ok {
		return errBadChart
	}
	return sendDocument(c, mimeSVG, "inline", reports.FileName(lang, reports.SeriesDocument, r.Series+" "+name, "svg"),
		chart.WriteSVG)
}
