package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// networkWorkshops answers a network's events overview
// (?when=upcoming|past&series=&district=): its public workshops to everybody, its members-only
// ones as well to its members and the administrator (Bearer token).
func (a *api) networkWorkshops(c echo.Context) error {
	id, err := networkID(c)
	if err != nil {
		return err
	}
	f, err := domain.NewOverviewFilter(c.QueryParam("when"), c.QueryParam("series"), c.QueryParam("district"))
	if err != nil {
		return err
	}
	caller, _, err := a.callerOf(c)
	if err != nil {
		return err
	}
	_, list, err := a.cmds.NetworkWorkshops(c.Request().Context(), caller, id, f)
	if err != nil {
		return err
	}
	if !caller.Anonymous() {
		// Answered to credentials: it may hold members-only workshops.
		c.Response().Header().Set("Cache-Control", "no-store")
	}
	return c.JSON(http.StatusOK, struct {
		When      domain.When            `json:"when"`
		Workshops []app.OverviewWorkshop `json:"workshops"`
	}{f.When, list})
}
