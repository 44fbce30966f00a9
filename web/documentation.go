package web

import (
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
)

// The documentation page of a workshop, /w/{id}/documentation (issue 16): agenda, the
// organisers' summary ("Bilanz"), materials, follow-up topics and action items, by the
// workshop's visibility, as the public workshop page.

func (s *site) documentationRoutes() []route {
	return []route{{http.MethodGet, "/w/:id/documentation", s.documentation, false}}
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
