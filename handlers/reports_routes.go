package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/reports"
)

// reportRoutes are the routes of the reports, all for the organiser only.
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
		{http.MethodGet, r + "/attendance", a.organiser(a.attendanceReport)},
		{http.MethodGet, r + "/attendance.json", a.organiser(a.attendanceReport)},
		{http.MethodGet, r + "/attendance.csv", a.organiser(a.attendanceExport(csvExport, reports.AttendanceCSV))},
		{http.MethodGet, r + "/attendance.xlsx", a.organiser(a.attendanceExport(xlsxExport, reports.AttendanceXLSX))},
		{http.MethodGet, r + "/attendance.pdf", a.organiser(a.attendanceExport(pdfExport, reports.AttendancePDF))},
		{http.MethodGet, r + "/evaluation.csv", a.organiser(a.evaluationExport(csvExport, reports.EvaluationCSV))},
		{http.MethodGet, r + "/evaluation.xlsx", a.organiser(a.evaluationExport(xlsxExport, reports.EvaluationXLSX))},
		{http.MethodGet, r + "/evaluation.pdf", a.organiser(a.evaluationExport(pdfExport, reports.EvaluationPDF))},
		{http.MethodGet, s, a.organiser(a.seriesReport)},
		{http.MethodGet, s + ".json", a.organiser(a.seriesReport)},
		{http.MethodGet, s + ".csv", a.organiser(a.seriesExport(csvExport, reports.SeriesCSV))},
		{http.MethodGet, s + ".xlsx", a.organiser(a.seriesExport(xlsxExport, reports.SeriesXLSX))},
		{http.MethodGet, s + ".pdf", a.organiser(a.seriesExport(pdfExport, reports.SeriesPDF))},
		{http.MethodGet, s + "/trend.svg", a.organiser(a.seriesTrend)},
	}
}
