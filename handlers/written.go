package handlers

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// A command that was appended to the log has happened, whatever the read models show. Handlers
// answer a write with a view read back after it (the application waits, bounded, for the read
// models); when the read models lag beyond that wait, the view may not exist there yet. That
// must never turn a success into a 404, which would invite the client to repeat a write that
// happened. Creating handlers answer from the decision's events; acceptWritten is the net
// under every other one.

// acceptedJSON answers a write whose result the read models do not show yet.
type acceptedJSON struct {
	Status string `json:"status"`
	Detail string `json:"detail"`
}

// acceptWritten answers 202 Accepted instead of a not-found that h ran into after one of its
// commands succeeded: the write happened, only its result is not readable yet.
func (a *api) acceptWritten(h echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, written := app.TrackWrites(c.Request().Context())
		c.SetRequest(c.Request().WithContext(ctx))
		err := h(c)
		if err == nil || !written() || !errors.Is(err, domain.ErrNotFound) || c.Response().Committed {
			return err
		}
		return a.recorded(c, err)
	}
}

// recorded answers a command whose events were written while the read models cannot show its
// result (they lag behind, or cannot be reached): 202 Accepted, so that the client does not
// repeat a write that already happened, as a 404 or 5xx would invite it to.
func (a *api) recorded(c echo.Context, readErr error) error {
	a.Logger.Warn("a command succeeded but the read models do not show its result yet", "request_id", RequestID(c),
		"method", c.Request().Method, "path", c.Request().URL.Path, "err", readErr)
	return c.JSON(http.StatusAccepted, acceptedJSON{Status: "accepted",
		Detail: "The change was recorded. Its result is not readable yet; read it again in a moment."})
}

// lagging reports whether err is what a read model lagging behind a write, or out of reach,
// answers: after a command succeeded, its result is then taken from the decision.
func lagging(err error) bool {
	return errors.Is(err, domain.ErrNotFound) || errors.Is(err, domain.ErrUnavailable)
}

// scheduledView is the workshop as s decided it, closing registration at closes (zero for
// none): no agenda, every seat free.
func scheduledView(s domain.WorkshopScheduled, closes time.Time) projections.WorkshopView {
	v := projections.WorkshopView{ID: s.ID, Title: s.Title, Series: s.Series, Venue: s.Venue, Days: s.Days, Capacity: s.Capacity,
		RegistrationCloses: closes.UTC(), Network: s.Network, Visibility: s.Visibility.Or()}
	for _, d := range s.Days {
		v.Seats = append(v.Seats, projections.DaySeats{Day: d, Free: s.Capacity})
	}
	return v
}
