package handlers

import (
	"context"
	_ "embed"
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

// healthz answers 200 while the process serves requests at all.
func (a *api) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 only when the service can do its work (Config.Ready), so that a load
// balancer sends no traffic to an instance that cannot reach its event store.
func (a *api) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := a.Ready(ctx); err != nil {
		a.Logger.Info("not ready", "err", err)
		return newProblem(http.StatusServiceUnavailable, "the service is not ready")
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}
