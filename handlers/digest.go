package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
)

// The signed-in member's own subscription to the network's announcements by mail: PUT
// subscribes, DELETE unsubscribes; both answer 204 and change nothing when repeated.

func (a *api) subscribeDigest(c echo.Context) error {
	id, err := networkID(c)
	if err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	if err := a.cmds.SubscribeDigest(c.Request().Context(), callerOf(c), op, id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (a *api) unsubscribeDigest(c echo.Context) error {
	id, err := networkID(c)
	if err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	if err := a.cmds.UnsubscribeDigest(c.Request().Context(), callerOf(c), op, id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
