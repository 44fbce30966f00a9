package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// The events overview of a network, /networks/{id}/workshops: its upcoming and past workshops
// with free seats per day, as the reader sees them (public ones for everybody, members-only ones
// as well for its members), filtered by series and district with a GET form, and its calendar
// feed. The announcements page /networks/{id} links it.

// overviewURL is the events overview of network id.
func overviewURL(id domain.NetworkID) string {
	return announcementsURL(id) + "/workshops"
}

func (s *site) overviewRoutes() []route {
	return []route{{http.MethodGet, announcementsBase + "/:id/workshops", s.overviewPage, false}}
}

// overviewPage is what the page shows.
type overviewPage struct {
	ID               domain.NetworkID
	Name             string
	Path             string
	Announcements    string
	Series, District string
	Upcoming, Past   []app.OverviewWorkshop
	Calendar         calendarLinks
	// Invalid reports a filter the overview cannot take (a control character, too long): the
	// page answers 422 with the message and the empty form.
	Invalid bool
}

// Filtered reports whether the reader narrowed the overview.
func (p overviewPage) Filtered() bool { return p.Series != "" || p.District != "" }

func (s *site) overviewData(c echo.Context) (overviewPage, error) {
	id, err := networkID(c)
	if err != nil {
		return overviewPage{}, err
	}
	f, ferr := domain.NewOverviewFilter("", c.QueryParam("series"), c.QueryParam("district"))
	caller, _, err := s.pageCaller(c)
	if err != nil {
		return overviewPage{}, err
	}
	ctx := c.Request().Context()
	p := overviewPage{ID: id, Path: overviewURL(id), Announcements: announcementsURL(id), Series: f.Series,
		District: f.District, Calendar: s.networkCalendarLinks(c, id), Invalid: ferr != nil}
	if p.Invalid {
		// The network must still exist: an unknown one is not found, whatever the filter.
		f = domain.OverviewFilter{When: domain.Upcoming}
	}
	if p.Name, p.Upcoming, err = s.cmds.NetworkWorkshops(ctx, caller, id, f); err != nil {
		return overviewPage{}, err
	}
	if p.Invalid {
		p.Upcoming = nil
		return p, nil
	}
	f.When = domain.Past
	if _, p.Past, err = s.cmds.NetworkWorkshops(ctx, caller, id, f); err != nil {
		return overviewPage{}, err
	}
	if caller.Account != "" || caller.Admin {
		c.Response().Header().Set("Cache-Control", "no-store")
	}
	return p, nil
}

func (s *site) overviewPage(c echo.Context) error {
	p, err := s.overviewData(c)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if p.Invalid {
		status = http.StatusUnprocessableEntity
	}
	return s.render(c, status, "overview.html", "OverviewTitle", p)
}
