package handlers

import (
	"context"
	_ "embed"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// openAPIDocument is the API's contract, written by hand; a test holds it to the routes.
//
//go:embed openapi.json
var openAPIDocument []byte

func (a *api) openAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openAPIDocument)
}

// NotReady is the error a Config.Ready check returns to say what is wrong: each check by name
// ("event_log", "read_models", "projections", "service") with "ok" or a short classification
// such as "unreachable" — never an internal error's text, since /readyz is public. A value may
// itself be a map (one entry per projection).
type NotReady struct {
	Checks map[string]any
}

func (n NotReady) Error() string { return "not ready" }

// healthz answers 200 while the process serves requests at all.
func (a *api) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 only when the service can do its work (Config.Ready), so that a load
// balancer sends no traffic to an instance that cannot reach its event log or read models, whose
// projections are stuck or lag behind, or that shuts down. Else it answers 503 with Retry-After
// and {"status":"unavailable","checks":{...}} naming what is wrong.
func (a *api) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	err := a.Ready(ctx)
	if err == nil {
		return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
	}
	var nr NotReady
	if !errors.As(err, &nr) {
		nr.Checks = map[string]any{"service": "not ready"}
	}
	a.Logger.Info("not ready", "checks", nr.Checks, "err", err)
	c.Response().Header().Set("Retry-After", retryAfter)
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "checks": nr.Checks})
}
