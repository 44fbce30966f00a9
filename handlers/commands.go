package handlers

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// headerIdempotencyKey makes a POST, PUT, PATCH or DELETE repeatable: the repeat answers what
// the first one did and appends nothing.
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

// use runs u on workshop id as actor with the request's idempotency (op). The application
// waits until the read models reflect the write, so that the client's next GET on this
// instance sees it; a duplicate (same Idempotency-Key) comes back with the first decision's
// events.
func (a *api) use(c echo.Context, id domain.WorkshopID, actor string, u app.UseCase) (domain.Appended, error) {
	op, err := a.op(c, actor)
	if err != nil {
		return domain.Appended{}, err
	}
	return u(c.Request().Context(), id, op)
}

// run runs the use case u of the application with arg on workshop id as actor (see use).
func run[T any](a *api, c echo.Context, id domain.WorkshopID, actor string,
	u func(context.Context, domain.WorkshopID, app.Op, T) (domain.Appended, error), arg T) (domain.Appended, error) {
	return a.use(c, id, actor, func(ctx context.Context, id domain.WorkshopID, op app.Op) (domain.Appended, error) {
		return u(ctx, id, op, arg)
	})
}

// op is the command's sender and idempotency: a POST, PUT, PATCH or DELETE is repeatable by
// key, bound to its sender (actor) and to its method, path and body.
func (a *api) op(c echo.Context, actor string) (app.Op, error) {
	actor = actingActor(c, actor)
	key, err := idempotencyKey(c)
	if err != nil {
		return app.Op{}, err
	}
	if !mutating(c.Request().Method) || key == "" {
		return app.Op{Actor: actor}, nil
	}
	body, err := requestBody(c)
	if err != nil {
		return app.Op{}, err
	}
	return app.Op{Actor: actor, Key: key, Scope: c.Request().Method + " " + c.Request().URL.Path, Body: body}, nil
}

// mutating reports whether method changes something, so that a key makes it repeatable.
func mutating(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}
