package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// projectorRefresh is how often the live ranking asks for the current count. The page polls a
// fragment with htmx (no inline script: the CSP allows only the site's own files).
const projectorRefresh = "5s"

// projectorPage is the live ranking for the projector: topics in large type, ranked by
// distinct voters.
type projectorPage struct {
	followUps
	Refresh string
}

// Bare leaves the organiser's navigation off the projector.
func (projectorPage) Bare() bool { return true }

// projector shows the live ranking; an htmx request gets the ranking alone.
func (s *site) projector(c echo.Context) error {
	f, err := s.loadFollowUps(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	p := projectorPage{followUps: f, Refresh: projectorRefresh}
	if c.Request().Header.Get("HX-Request") == "true" {
		return s.render(c, http.StatusOK, "followup-projector.html", "ProjectorTitle", p, "ranking")
	}
	return s.render(c, http.StatusOK, "followup-projector.html", "ProjectorTitle", p)
}
