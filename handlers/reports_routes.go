package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/reports"
)

// reportRoutes are the routes of the reports and exports: the organiser and the series' lead
// read them (routes wraps each in reader).
func (a *api) reportRoutes() []struct {
	method, path string
	h            echo.HandlerFunc
} {
	const r = "/api/v1/workshops/:id/reports"
	const s = "/api/v1/series/:series/report"
	return []struct {
		method, path string
		h            echo.HandlerFunc
	}{
		{http.MethodGet, "/api/v1/workshops/:id/feedback/evaluation", a.evaluation},
		{http.MethodGet, r + "/attendance", a.asOf(a.attendanceReport)},
		{http.MethodGet, r + "/attendance.json", a.asOf(a.attendanceReport)},
		{http.MethodGet, r + "/attendance.csv", inDialect(func(d reports.CSVDialect) echo.HandlerFunc {
			return a.asOf(a.attendanceExport(csvExport, d.Attendance))
		})},
		{http.MethodGet, r + "/attendance.xlsx", a.asOf(a.attendanceExport(xlsxExport, reports.AttendanceXLSX))},
		{http.MethodGet, r + "/attendance.pdf", a.asOf(a.attendanceExport(pdfExport, reports.AttendancePDF))},
		{http.MethodGet, r + "/evaluation.csv", inDialect(func(d reports.CSVDialect) echo.HandlerFunc { return a.evaluationExport(csvExport, d.Evaluation) })},
		{http.MethodGet, r + "/evaluation.xlsx", a.evaluationExport(xlsxExport, reports.EvaluationXLSX)},
		{http.MethodGet, r + "/evaluation.pdf", a.evaluationExport(pdfExport, reports.EvaluationPDF)},
		{http.MethodGet, r + "/catering.csv", inDialect(func(d reports.CSVDialect) echo.HandlerFunc { return a.cateringExport(csvExport, d.Catering) })},
		{http.MethodGet, r + "/catering.pdf", a.cateringExport(pdfExport, reports.CateringPDF)},
		{http.MethodGet, "/api/v1/workshops/:id/funding", a.showFunding},
		{http.MethodGet, "/api/v1/workshops/:id/funding/logo", a.showFundingLogo},
		{http.MethodGet, r + "/sign-in-sheets.pdf", a.signInSheets},
		{http.MethodGet, r + "/certificates.pdf", a.certificates},
		{http.MethodGet, r + "/badges.pdf", a.badges},
		{http.MethodGet, s, a.seriesReport},
		{http.MethodGet, s + ".json", a.seriesReport},
		{http.MethodGet, s + ".csv", inDialect(func(d reports.CSVDialect) echo.HandlerFunc { return a.seriesExport(csvExport, d.Series) })},
		{http.MethodGet, s + ".xlsx", a.seriesExport(xlsxExport, reports.SeriesXLSX)},
		{http.MethodGet, s + ".pdf", a.seriesExport(pdfExport, reports.SeriesPDF)},
		{http.MethodGet, s + "/trend.svg", a.seriesTrend},
	}
}
