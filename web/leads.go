package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

// A project lead signs in with the token of an organiser's grant (app.App.GrantLead)
// and reads the reports of the grant's series. The session lives on the server (Sessions), its
// cookie carries only the session's id, never the token. Every request checks the grant again,
// so revoking it ends the session at once; the session also ends on signing out, after
// leadSessionLength and when the grant expires.
const (
	leadCookie        = "werkstatt_lead"
	leadSessionLength = 12 * time.Hour
	leadSeriesKey     = "leadSeries" // where lead puts the series for the handlers
)

func (s *site) leadRoutes() []route {
	const w = "/lead/workshops/:id"
	get, post := http.MethodGet, http.MethodPost
	routes := []route{
		{get, "/lead/sign-in", s.leadSignInForm, false},
		{post, "/lead/sign-in", s.cfg.Limits.Authenticating(s.leadSignIn), false},
		{post, "/lead/sign-out", s.leadSignOut, false},
		{get, "/lead", s.lead(s.leadReport), false},
		{get, "/lead/trend.svg", s.lead(s.leadChart), false},
		{get, w + "/attendance", s.lead(s.leadAttendance), false},
		{get, w + "/evaluation", s.lead(s.leadEvaluation), false},

		{get, leadGrantsPath, s.leadGrantsPage, true},
		{post, leadGrantsPath, s.grantLead, true},
		{post, leadGrantsPath + "/:grant/revoke", s.revokeLead, true},
	}
	for _, x := range []export{xlsxExport, pdfExport} {
		routes = append(routes,
			route{get, "/lead/report." + x.ext, s.lead(s.leadSeriesExport(x)), false},
			route{get, w + "/attendance." + x.ext, s.lead(s.leadAttendanceExport(x)), false},
			route{get, w + "/evaluation." + x.ext, s.lead(s.leadEvaluationExport(x)), false})
	}
	routes = append(routes,
		route{get, "/lead/report.csv", s.lead(inDialect(s.leadSeriesExport)), false},
		route{get, w + "/attendance.csv", s.lead(inDialect(s.leadAttendanceExport)), false},
		route{get, w + "/evaluation.csv", s.lead(inDialect(s.leadEvaluationExport)), false},
		// The funder's documents of a workshop of the lead's series.
		route{get, w + "/sign-in-sheets.pdf", s.lead(s.signInSheets(s.leadWorkshop)), false},
		route{get, w + "/certificates.pdf", s.lead(s.certificates(s.leadWorkshop)), false},
		route{get, w + "/badges.pdf", s.lead(s.badges(s.leadWorkshop)), false},
		route{get, w + "/catering.csv", s.lead(s.cateringCSV(s.leadWorkshop)), false},
		route{get, w + "/catering.pdf", s.lead(s.cateringPDF(s.leadWorkshop)), false})
	return routes
}

// export is one file form of a report and the reports functions that write it.
type export struct {
	mime, ext, disposition string
	series                 func(io.Writer, reports.Lang, reports.SeriesReport) error
	attendance             func(io.Writer, reports.Lang, reports.AttendanceReport) error
	evaluation             func(io.Writer, reports.Lang, projections.WorkshopView, projections.FeedbackEvaluation) error
}

// csvExport is the CSV form in dialect d: German Excel (the default) or international.
func csvExport(d reports.CSVDialect) export {
	return export{"text/csv; charset=utf-8", "csv", "attachment", d.Series, d.Attendance, d.Evaluation}
}

// errBadDialect: a CSV link with a dialect other than excel-de or international.
var errBadDialect = echo.NewHTTPError(http.StatusBadRequest, "dialect must be excel-de or international")

// inDialect reads ?dialect of a CSV download and serves it with the handler of that form; an
// unknown dialect is an error page (400) that says which are known.
func inDialect(handler func(export) echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		d, ok := reports.ParseCSVDialect(c.QueryParam("dialect"))
		if !ok {
			return errBadDialect
		}
		return handler(csvExport(d))(c)
	}
}

var (
	xlsxExport = export{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "attachment",
		reports.SeriesXLSX, reports.AttendanceXLSX, reports.EvaluationXLSX}
	pdfExport = export{"application/pdf", "pdf", "inline",
		reports.SeriesPDF, reports.AttendancePDF, reports.EvaluationPDF}
)

// lead lets only a signed-in lead whose grant still holds through; others go to the lead's
// sign-in page, told why if their grant was revoked or has expired meanwhile.
func (s *site) lead(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		sess, ok, err := s.currentSession(c, leadCookie, roleLead)
		if err != nil {
			return err
		}
		if !ok {
			return c.Redirect(http.StatusSeeOther, "/lead/sign-in")
		}
		g, err := s.cmds.LeadGrant(c.Request().Context(), sess.Grant)
		if err != nil && !errors.Is(err, domain.ErrNotFound) {
			return err
		}
		if status := g.Status(s.cfg.Now()); err != nil || status != domain.GrantActive {
			if err != nil {
				status = domain.GrantRevoked // a grant that is gone opens nothing either
			}
			if err := s.endSession(c, leadCookie, "/lead"); err != nil {
				return err
			}
			return seeOther(c, "/lead/sign-in", "ended", string(status))
		}
		c.Set(leadSeriesKey, g.Series)
		c.Response().Header().Set("Cache-Control", "private, no-store")
		return next(c)
	}
}

func leadSeries(c echo.Context) string { s, _ := c.Get(leadSeriesKey).(string); return s }

func (s *site) leadSignInForm(c echo.Context) error {
	f := newForm(s)
	switch c.QueryParam("ended") {
	case string(domain.GrantRevoked):
		f.Message = s.texts(c).T("LeadAccessRevoked")
	case string(domain.GrantExpired):
		f.Message = s.texts(c).T("LeadAccessExpired")
	}
	return s.render(c, http.StatusOK, "lead-sign-in.html", "LeadSignInTitle", f)
}

// leadSignIn trades a lead token for a session cookie; the token is checked and forgotten.
func (s *site) leadSignIn(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	g, err := s.cmds.Lead(c.Request().Context(), strings.TrimSpace(f.V("token")))
	if errors.Is(err, app.ErrNoLeadAccess) {
		f.Values.Del("token")
		msg := "ErrBadLeadToken" // forged, mistyped, unknown or expired
		if g.Status(s.cfg.Now()) == domain.GrantRevoked {
			msg = "LeadAccessRevoked"
		}
		f.Errors["token"] = s.texts(c).T(msg)
		return s.render(c, http.StatusUnauthorized, "lead-sign-in.html", "LeadSignInTitle", f)
	}
	if err != nil {
		return err
	}
	now := s.cfg.Now()
	until := min(leadSessionLength, g.ExpiresAt.Sub(now))
	if err := s.startSession(c, leadCookie, "/lead", session{Role: roleLead, Grant: g.ID, Expires: now.Add(until)}); err != nil {
		return err
	}
	return seeOther(c, "/lead")
}

// leadSignOut ends the lead's session on the server: its cookie opens nothing any more.
func (s *site) leadSignOut(c echo.Context) error {
	if err := s.endSession(c, leadCookie, "/lead"); err != nil {
		return err
	}
	return seeOther(c, "/")
}

// reportLang is the language of the page, for the reports package.
func (s *site) reportLang(c echo.Context) reports.Lang {
	lang, _ := reports.ParseLang(s.texts(c).lang)
	return lang
}

func (s *site) leadReport(c echo.Context) error {
	r, err := reports.LoadSeries(c.Request().Context(), s.cfg.Reader, leadSeries(c))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "lead-report.html", "LeadReportTitle", newLeadSeriesPage(s.texts(c).lang, r))
}

// leadChart serves a trend chart of the lead's series: ?chart=ratings or participation.
func (s *site) leadChart(c echo.Context) error {
	lang := s.reportLang(c)
	r, err := reports.LoadSeries(c.Request().Context(), s.cfg.Reader, leadSeries(c))
	if err != nil {
		return err
	}
	chart, ok := reports.SeriesChart(lang, r, c.QueryParam("chart"))
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	return sendFile(c, "image/svg+xml", "inline", reports.FileName(lang, reports.SeriesDocument, r.Series, "svg"), chart.WriteSVG)
}

// leadWorkshop loads the route's workshop if it belongs to the lead's series; another series'
// workshop does not exist for the lead.
func (s *site) leadWorkshop(c echo.Context) (projections.WorkshopView, error) {
	w, err := s.cfg.Reader.Workshop(c.Request().Context(), domain.WorkshopID(c.Param("id")))
	if err == nil && w.Series != leadSeries(c) {
		err = domain.ErrNotFound
	}
	return w, err
}

// leadAttendance shows a workshop's attendance report as tables.
func (s *site) leadAttendance(c echo.Context) error {
	w, err := s.leadWorkshop(c)
	if err != nil {
		return err
	}
	r, err := reports.LoadAttendance(c.Request().Context(), s.cfg.Reader, w.ID, s.cmds.Today())
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "lead-attendance.html", "LeadAttendanceTitle", r)
}

// leadEvaluation shows a workshop's evaluation as a table per questionnaire version.
func (s *site) leadEvaluation(c echo.Context) error {
	w, err := s.leadWorkshop(c)
	if err != nil {
		return err
	}
	ev, err := s.cfg.Reader.Evaluation(c.Request().Context(), w.ID)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "lead-evaluation.html", "LeadEvaluationTitle", newLeadEvaluationPage(s.texts(c).lang, w, ev))
}

func (s *site) leadSeriesExport(x export) echo.HandlerFunc { return s.seriesExport(leadSeries, x) }

func (s *site) leadAttendanceExport(x export) echo.HandlerFunc {
	return s.attendanceExport(s.leadWorkshop, x)
}

func (s *site) leadEvaluationExport(x export) echo.HandlerFunc {
	return s.evaluationExport(s.leadWorkshop, x)
}

// seriesExport serves the report of the series named by seriesOf in form x.
func (s *site) seriesExport(seriesOf func(echo.Context) string, x export) echo.HandlerFunc {
	return func(c echo.Context) error {
		lang := s.reportLang(c)
		r, err := reports.LoadSeries(c.Request().Context(), s.cfg.Reader, seriesOf(c))
		if err != nil {
			return err
		}
		return sendFile(c, x.mime, x.disposition, reports.FileName(lang, reports.SeriesDocument, r.Series, x.ext),
			func(w io.Writer) error { return x.series(w, lang, r) })
	}
}

// attendanceExport serves the attendance report of the workshop find finds in form x.
func (s *site) attendanceExport(find func(echo.Context) (projections.WorkshopView, error), x export) echo.HandlerFunc {
	return func(c echo.Context) error {
		lang := s.reportLang(c)
		ws, err := find(c)
		if err != nil {
			return err
		}
		r, err := reports.LoadAttendance(c.Request().Context(), s.cfg.Reader, ws.ID, s.cmds.Today())
		if err != nil {
			return err
		}
		return sendFile(c, x.mime, x.disposition, reports.FileName(lang, reports.AttendanceDocument, ws.Title, x.ext),
			func(w io.Writer) error { return x.attendance(w, lang, r) })
	}
}

// evaluationExport serves the evaluation of the workshop find finds in form x.
func (s *site) evaluationExport(find func(echo.Context) (projections.WorkshopView, error), x export) echo.HandlerFunc {
	return func(c echo.Context) error {
		lang := s.reportLang(c)
		ws, err := find(c)
		if err != nil {
			return err
		}
		ev, err := s.cfg.Reader.Evaluation(c.Request().Context(), ws.ID)
		if err != nil {
			return err
		}
		return sendFile(c, x.mime, x.disposition, reports.FileName(lang, reports.EvaluationDocument, ws.Title, x.ext),
			func(w io.Writer) error { return x.evaluation(w, lang, ws, ev) })
	}
}

// sendFile renders a document fully before answering, so that a failure is still an error page.
func sendFile(c echo.Context, mime, disposition, name string, render func(io.Writer) error) error {
	var b bytes.Buffer
	if err := render(&b); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("%s; filename=%q", disposition, name))
	return c.Blob(http.StatusOK, mime, b.Bytes())
}
