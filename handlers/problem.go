package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/eventstore"
)

// problemType prefixes the type URI of every Werkstatt problem; openapi.json lists them.
const problemType = "urn:werkstatt:problem:"

// problem is an RFC 9457 problem detail. Handlers return it as an error for rejections that
// do not come from the domain (binding, authentication).
type problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Instance string `json:"instance,omitempty"`
	// Errors names the fields that broke a rule (an extension member).
	Errors []domain.FieldError `json:"errors,omitempty"`
}

func (p *problem) Error() string { return p.Title + ": " + p.Detail }

// newProblem returns a problem whose type is the plain HTTP status (about:blank).
func newProblem(status int, format string, args ...any) *problem {
	return &problem{Type: "about:blank", Title: http.StatusText(status), Status: status,
		Detail: fmt.Sprintf(format, args...)}
}

// problems maps errors to statuses, first match wins: specific rules before their classes, so
// that clients can tell rules apart by type while the class decides the status.
var problems = []struct {
	err    error
	status int
	slug   string
	title  string
}{
	{eventstore.ErrConcurrentUpdate, http.StatusConflict, "concurrent-update", "The workshop was changed concurrently"},
	{ErrKeyReused, http.StatusUnprocessableEntity, "idempotency-key-reused", "Idempotency-Key reused"},
	{domain.ErrAlreadyRegistered, http.StatusConflict, "already-registered", "Already registered"},
	{domain.ErrRoomOccupied, http.StatusConflict, "room-occupied", "Room occupied"},
	{domain.ErrCapacityBelowConfirmed, http.StatusConflict, "capacity-below-confirmed", "Capacity below confirmed registrations"},
	{domain.ErrAlreadyCancelled, http.StatusConflict, "already-cancelled", "Already cancelled"},
	{domain.ErrNotConfirmed, http.StatusUnprocessableEntity, "not-confirmed", "Not confirmed for that day"},
	{domain.ErrNotConfirmedForCafe, http.StatusUnprocessableEntity, "not-confirmed", "Not confirmed for that day"},
	{domain.ErrNotThemeCafe, http.StatusConflict, "not-theme-cafe", "Not a theme café"},
	{domain.ErrNoTables, http.StatusConflict, "no-tables", "No tables yet"},
	{domain.ErrAlreadyHosting, http.StatusConflict, "already-hosting", "Already hosts a table"},
	{domain.ErrCollectionClosed, http.StatusConflict, "collection-closed", "Preference collection is not open"},
	{domain.ErrNoPlan, http.StatusConflict, "no-plan", "No rotation plan yet"},
	{domain.ErrPlanOutdated, http.StatusConflict, "plan-outdated", "The plan is out of date"},
	{domain.ErrTableFull, http.StatusConflict, "table-full", "Table full"},
	{domain.ErrTableVisited, http.StatusConflict, "table-visited", "Table visited in another round"},
	{domain.ErrHostSeated, http.StatusConflict, "host-seated", "Hosts stay at their table"},
	{domain.ErrNotFound, http.StatusNotFound, "not-found", "Not found"},
	{domain.ErrConflict, http.StatusConflict, "conflict", "Conflict with the current state"},
	{domain.ErrInvalid, http.StatusUnprocessableEntity, "invalid", "Invalid request"},
	{context.DeadlineExceeded, http.StatusServiceUnavailable, "timeout", "The service took too long"},
	{context.Canceled, http.StatusServiceUnavailable, "cancelled", "The request was cancelled"},
}

// toProblem turns any error a handler returns into the problem to answer.
func toProblem(err error) *problem {
	var p *problem
	if errors.As(err, &p) {
		return p
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return httpProblem(he)
	}
	var tooMany *TooManyRequests
	if errors.As(err, &tooMany) {
		return &problem{Type: problemType + "too-many-requests", Title: "Too many requests",
			Status: http.StatusTooManyRequests, Detail: tooMany.Error() + "; try again after Retry-After seconds"}
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return newProblem(http.StatusRequestEntityTooLarge, "the body is larger than %d bytes", tooLarge.Limit)
	}
	for _, m := range problems {
		if errors.Is(err, m.err) {
			p := &problem{Type: problemType + m.slug, Title: m.title, Status: m.status, Detail: err.Error()}
			var fe domain.FieldErrors
			if errors.As(err, &fe) {
				p.Type, p.Title, p.Errors = problemType+"invalid-fields", "Invalid fields", fe
				p.Detail = "one or more fields break a rule: see errors"
			}
			return p
		}
	}
	return &problem{Type: problemType + "internal", Title: "Internal error", Status: http.StatusInternalServerError,
		Detail: "an unexpected error occurred; it was logged"}
}

// httpProblem answers echo's own errors: unknown routes, wrong methods, oversized bodies.
func httpProblem(he *echo.HTTPError) *problem {
	status := he.Code
	if status < 400 || status > 599 {
		status = http.StatusInternalServerError
	}
	p := &problem{Type: "about:blank", Title: http.StatusText(status), Status: status}
	switch status {
	case http.StatusNotFound:
		p.Detail = "there is no such resource"
	case http.StatusMethodNotAllowed:
		p.Detail = "the resource does not support this method; see the Allow header"
	default:
		if msg, ok := he.Message.(string); ok && msg != http.StatusText(status) {
			p.Detail = msg
		}
	}
	return p
}

// writeProblem answers err as application/problem+json. Errors that map to 500 are logged
// with their cause, which the answer does not reveal.
func writeProblem(c echo.Context, logger *slog.Logger, err error) {
	if c.Response().Committed {
		return
	}
	p := *toProblem(err)
	if p.Status >= http.StatusInternalServerError {
		logger.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path,
			"status", p.Status, "err", err)
	}
	if p.Instance == "" {
		p.Instance = c.Request().URL.Path
	}
	if p.Status == http.StatusUnauthorized {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="werkstatt"`)
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(p.Status)
		return
	}
	body, _ := json.Marshal(p) // a problem always marshals: strings, ints, field errors
	_ = c.Blob(p.Status, "application/problem+json", body)
}

// ErrorHandler returns an echo error handler that answers every error as a problem. New
// installs it; a server that mounts the API with Register may use it too.
func ErrorHandler(logger *slog.Logger) echo.HTTPErrorHandler {
	if logger == nil {
		logger = slog.Default()
	}
	return func(err error, c echo.Context) { writeProblem(c, logger, err) }
}
