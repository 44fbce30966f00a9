package web

import (
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/projections"
)

// The documentation page of a workshop, /w/{id}/documentation (issue 16): agenda, the
// organisers' summary ("Bilanz"), materials, follow-up topics and action items, by the
// workshop's visibility, as the public workshop page.

const summaryPath = "/organiser/workshops/:id/summary"

func (s *site) documentationRoutes() []route {
	return []route{
		{http.MethodGet, "/w/:id/documentation", s.documentation, false},
		{http.MethodGet, summaryPath, s.summaryPage, true},
		{http.MethodPost, summaryPath, s.writeSummary, true},
	}
}

// summaryPageData is what the organiser's summary page ("Bilanz") shows.
type summaryPageData struct {
	W     projections.WorkshopView
	Form  form
	Saved bool
}

func (s *site) summary(c echo.Context) (summaryPageData, error) {
	w, err := s.workshopView(c)
	if err != nil {
		return summaryPageData{}, err
	}
	f := newForm(s)
	f.Values.Set("text", w.Summary)
	return summaryPageData{W: w, Form: f, Saved: c.QueryParam("saved") == "1"}, nil
}

func (s *site) summaryPage(c echo.Context) error {
	return show(s, c, s.summary, "summary.html", "SummaryTitle")
}

// writeSummary saves the summary; an empty text clears it.
func (s *site) writeSummary(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	w, err := s.workshopView(c)
	if err != nil {
		return err
	}
	if _, err := s.cmds.WriteSummary(c.Request().Context(), w.ID, organiserOp(c, f, "summary "+string(w.ID)), f.V("text")); err != nil {
		return rerender(s, c, err, (*form).rejected, s.summary,
			func(p *summaryPageData, f form) { p.Form = f }, "summary.html", "SummaryTitle")
	}
	return seeOther(c, "/organiser/workshops/"+string(w.ID)+"/summary", "saved", "1")
}

// documentationPage is what the documentation page shows.
type documentationPage struct {
	app.Documentation
	Agenda any
}

// SummaryHTML is the summary as safe HTML (app.RenderMarkdown), to put into the page as it is.
func (p documentationPage) Summary() template.HTML {
	return template.HTML(p.SummaryHTML) // #nosec G203 -- rendered by app.RenderMarkdown's policy
}

func (s *site) documentation(c echo.Context) error {
	w, err := s.visibleWorkshop(c)
	if err != nil {
		return err
	}
	d, err := s.cmds.Documentation(c.Request().Context(), w)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "documentation.html", "DocumentationTitle",
		documentationPage{Documentation: d, Agenda: agendaByDay(w)})
}
