package handlers

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
)

type erasureRequestBody struct {
	Email string `json:"email"`
}

// previewErasure lists the registrations an erasure request for the email would erase.
func (a *api) previewErasure(c echo.Context) error {
	var b erasureRequestBody
	if err := decode(c, &b); err != nil {
		return err
	}
	found, err := a.cmds.FindPerson(c.Request().Context(), b.Email)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, map[string]any{"registrations": found})
}

// erasePerson erases every registration of the email and answers what it erased. When some
// could not be erased it answers a 5xx problem naming what was erased and what not.
func (a *api) erasePerson(c echo.Context) error {
	var b erasureRequestBody
	if err := decode(c, &b); err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	erased, err := a.cmds.ErasePerson(c.Request().Context(), op, b.Email)
	var partial *app.ErasePersonError
	if errors.As(err, &partial) {
		return a.incompleteErasure(c, partial)
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"erased": erased})
}

// incompleteErasureProblem is the problem of an erasure request that failed part-way, with the
// registrations on each side as extension members.
type incompleteErasureProblem struct {
	problem
	Erased    []app.ErasedRegistration `json:"erased"`
	NotErased []app.ErasedRegistration `json:"not_erased"`
}

func (a *api) incompleteErasure(c echo.Context, e *app.ErasePersonError) error {
	status := toProblem(e.Err).Status
	if status < http.StatusInternalServerError {
		status = http.StatusInternalServerError // the request as a whole is not the client's to fix
	}
	a.Logger.Error("erasure request incomplete", "path", c.Request().URL.Path, "erased", len(e.Erased),
		"not_erased", len(e.NotErased), "err", e.Err)
	p := incompleteErasureProblem{
		problem: problem{Type: problemType + "erasure-incomplete", Title: "Erasure incomplete", Status: status,
			Detail: fmt.Sprintf("erased %d of %d registrations; repeat the request to erase the rest",
				len(e.Erased), len(e.Erased)+len(e.NotErased)), Instance: c.Request().URL.Path},
		Erased: e.Erased, NotErased: e.NotErased,
	}
	body, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return c.Blob(status, "application/problem+json", body)
}
