package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// headerIdempotencyKey makes a POST repeatable: the repeat answers what the first one did and
// appends nothing.
const headerIdempotencyKey = "Idempotency-Key"

const maxIdempotencyKey = 200

// idempotencyKey returns the request's Idempotency-Key ("" if none).
func idempotencyKey(c echo.Context) (string, error) {
	key := c.Request().Header.Get(headerIdempotencyKey)
	if len(key) > maxIdempotencyKey {
		return "", newProblem(http.StatusBadRequest, "the Idempotency-Key header is longer than %d characters", maxIdempotencyKey)
	}
	return key, nil
}

// update decides a command on workshop id and waits until the read models reflect it, so that
// the client's next GET on this instance sees its write. A duplicate (same Idempotency-Key)
// comes back with the first decision's events.
func (a *api) update(c echo.Context, id domain.WorkshopID, actor string,
	decide domain.Decision) (domain.Appended, error) {
	op, err := a.op(c, actor)
	if err != nil {
		return domain.Appended{}, err
	}
	return a.cmds.Decide(c.Request().Context(), id, op, decide)
}

// op is the command's sender and idempotency: only a POST is repeatable by key, bound to its
// sender (actor) and to its method, path and body.
func (a *api) op(c echo.Context, actor string) (app.Op, error) {
	key, err := idempotencyKey(c)
	if err != nil {
		return app.Op{}, err
	}
	if c.Request().Method != http.MethodPost || key == "" {
		return app.Op{Actor: actor}, nil
	}
	body, err := requestBody(c)
	if err != nil {
		return app.Op{}, err
	}
	return app.Op{Actor: actor, Key: key, Scope: c.Request().Method + " " + c.Request().URL.Path, Body: body}, nil
}
