package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// erasePersonalData answers 204 once the person's data is erased, also when it already was.
// The organiser and the participant themselves (with their token) may erase.
func (a *api) erasePersonalData(c echo.Context) error {
	id, rid, acc, err := a.registrationCaller(c)
	if err != nil {
		return err
	}
	op, err := a.op(c, acc.actor)
	if err != nil {
		return err
	}
	if err := a.cmds.Erase(c.Request().Context(), id, op, rid); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
