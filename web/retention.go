package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/handlers"
)

// Retention: the organiser of a series sets how long its workshops keep participants' personal
// data, with an optional evidence hold, on the series' retention page, which shows the dates
// each workshop gets. The administrator previews a retention run for a date and starts one.

const (
	seriesRetentionPath = "/organiser/series/:series/retention"
	retentionRunsPath   = "/organiser/retention"
)

// seriesRetentionURL is the retention page of series, its name escaped for a path.
func seriesRetentionURL(series string) string {
	return "/organiser/series/" + url.PathEscape(series) + "/retention"
}

func (s *site) retentionRoutes() []route {
	get, post := http.MethodGet, http.MethodPost
	return []route{
		{get, seriesRetentionPath, s.seriesRetentionPage, true},
		{post, seriesRetentionPath, s.setSeriesRetention, true},
		{get, retentionRunsPath, s.retentionRunsPage, true},
		{post, retentionRunsPath + "/preview", s.previewRetention, true},
		{post, retentionRunsPath, s.runRetentionNow, true},
	}
}

// seriesRetentionPageData is what the series' retention page shows.
type seriesRetentionPageData struct {
	Series    string
	Path      string
	Retention app.SeriesRetention
	// Hold is the series' evidence hold, "" for none.
	Hold  domain.Day
	Form  form
	Saved bool
}

func (s *site) seriesRetention(c echo.Context) (seriesRetentionPageData, error) {
	series := strings.TrimSpace(handlers.SeriesParam(c))
	r, err := s.cmds.SeriesRetentionOf(c.Request().Context(), series)
	if err != nil {
		return seriesRetentionPageData{}, err
	}
	f := newForm(s)
	if r.Source == "series" {
		f.Values.Set("months", strconv.Itoa(r.Months))
		if r.EvidenceHoldUntil != nil {
			f.Values.Set("evidence_hold_until", *r.EvidenceHoldUntil)
		}
	}
	p := seriesRetentionPageData{Series: series, Path: seriesRetentionURL(series), Retention: r, Form: f,
		Saved: c.QueryParam("saved") != ""}
	if r.EvidenceHoldUntil != nil {
		p.Hold = domain.Day(*r.EvidenceHoldUntil)
	}
	return p, nil
}

func (s *site) seriesRetentionPage(c echo.Context) error {
	return show(s, c, s.seriesRetention, "retention.html", "RetentionTitle")
}

// retentionPolicy reads the form: months a whole number, the hold a date or empty.
func retentionPolicy(f form) (domain.RetentionPolicy, error) {
	var p domain.RetentionPolicy
	months, err := strconv.Atoi(strings.TrimSpace(f.V("months")))
	if err != nil {
		return p, domain.FieldErrors{{Field: "months", Code: domain.CodeOutOfRange, Detail: "must be a whole number of months, 1 to 120"}}
	}
	p.Months, p.EvidenceHoldUntil = months, domain.Day(strings.TrimSpace(f.V("evidence_hold_until")))
	return p, p.Check()
}

func (s *site) setSeriesRetention(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	series := strings.TrimSpace(handlers.SeriesParam(c))
	p, err := retentionPolicy(f)
	if err == nil {
		_, err = s.cmds.SetSeriesRetention(c.Request().Context(), series, organiserOp(c, f, "series retention "+series), p)
	}
	if err != nil {
		return rerender(s, c, err, (*form).rejected, s.seriesRetention,
			func(p *seriesRetentionPageData, f form) { p.Form = f }, "retention.html", "RetentionTitle")
	}
	return seeOther(c, seriesRetentionURL(series), "saved", "1")
}

// retentionRunRow is a registration of a run as the page lists it: no personal data.
type retentionRunRow struct {
	Workshop     domain.WorkshopID
	Title        string
	Registration domain.RegistrationID
}

// retentionRunsPageData is the administrator's retention page: the preview form, a preview
// (Previewed) or a run's outcome (Ran).
type retentionRunsPageData struct {
	Form      form
	Previewed bool
	Ran       bool
	AsOf      time.Time
	Erased    []retentionRunRow
	Reduced   []retentionRunRow
	Failed    []retentionRunRow
}

func (s *site) retentionRunsPage(c echo.Context) error {
	f := newForm(s)
	f.Values.Set("date", string(s.cmds.Today()))
	return s.render(c, http.StatusOK, "retention-runs.html", "RetentionRunsTitle", retentionRunsPageData{Form: f})
}

// rows names the workshops of a run's registrations by title.
func (s *site) retentionRows(c echo.Context, items []app.RetentionItem) []retentionRunRow {
	rows := make([]retentionRunRow, 0, len(items))
	titles := map[domain.WorkshopID]string{}
	if all, err := s.cfg.Reader.Workshops(c.Request().Context()); err == nil {
		for _, w := range all {
			titles[w.ID] = w.Title
		}
	}
	for _, i := range items {
		rows = append(rows, retentionRunRow{Workshop: i.Workshop, Title: titles[i.Workshop], Registration: i.Registration})
	}
	return rows
}

// previewRetention shows what a run at the end of the chosen day would erase.
func (s *site) previewRetention(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	day, ok := domain.ParseDay(strings.TrimSpace(f.V("date")))
	var end time.Time
	if ok {
		end, ok = domain.LastDayEnds([]domain.Day{day}, s.cmds.Config().Location)
	}
	if !ok {
		f.rejected(s.texts(c), domain.FieldErrors{{Field: "date", Code: domain.CodeNotADate, Detail: "must be a date as YYYY-MM-DD"}})
		return s.render(c, http.StatusUnprocessableEntity, "retention-runs.html", "RetentionRunsTitle", retentionRunsPageData{Form: f})
	}
	run, err := s.cmds.RunRetention(c.Request().Context(), organiserOp(c, f, "retention preview"), end, true)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "retention-runs.html", "RetentionRunsTitle", retentionRunsPageData{Form: f,
		Previewed: true, AsOf: end, Erased: s.retentionRows(c, run.Erased), Reduced: s.retentionRows(c, run.Reduced)})
}

// runRetentionNow runs the retention as of now and shows what it did.
func (s *site) runRetentionNow(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	run, err := s.cmds.RunRetention(c.Request().Context(), organiserOp(c, f, "retention run"), s.cmds.Config().Now(), false)
	status := http.StatusOK
	if err != nil {
		if len(run.Failed) == 0 {
			return err
		}
		s.cfg.Logger.Error("retention run incomplete", "failed", len(run.Failed), "err", err)
		status = http.StatusInternalServerError
	}
	f.Values.Set("date", string(s.cmds.Today()))
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, status, "retention-runs.html", "RetentionRunsTitle", retentionRunsPageData{Form: f, Ran: true,
		AsOf: run.AsOf, Erased: s.retentionRows(c, run.Erased), Reduced: s.retentionRows(c, run.Reduced), Failed: s.retentionRows(c, run.Failed)})
}

// retentionDates are the days the registration page tells a person: when their data is
// erased, and their name when an evidence hold keeps it longer ("" otherwise).
type retentionDates struct {
	Date, Hold domain.Day
}

// retentionNotice is what the registration page tells of the workshop's retention (nil when it
// cannot be told: the page still registers). The data goes at the start of the day.
func (s *site) retentionNotice(c echo.Context, id domain.WorkshopID) *retentionDates {
	r, err := s.cmds.RetentionOf(c.Request().Context(), id)
	if err != nil || r.EraseAfter.IsZero() {
		return nil
	}
	loc := s.cmds.Config().Location
	d := &retentionDates{Date: domain.Day(r.EraseAfter.In(loc).Format(time.DateOnly))}
	if !r.HoldEnds.IsZero() {
		d.Hold = domain.Day(r.HoldEnds.In(loc).Format(time.DateOnly))
	}
	return d
}
