package handlers

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
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
	// RequestID names the request in the service's log (an extension member), where a 5xx
	// answer's cause is recorded; it is also the X-Request-Id header.
	RequestID string `json:"request_id,omitempty"`
}

func (p *problem) Error() string { return p.Title + ": " + p.Detail }

// newProblem returns a problem whose type is the plain HTTP status (about:blank).
func newProblem(status int, format string, args ...any) *problem {
	return &problem{Type: "about:blank", Title: http.StatusText(status), Status: status,
		Detail: fmt.Sprintf(format, args...)}
}

// problems maps errors to statuses, first match wins: specific rules before their classes, so
// that clients can tell rules apart by type while the class decides the status.
//
// A 4xx answer's detail is the error's text, which is a domain rule's; a 5xx answer's detail is
// a fixed text (serverDetails), never the error's: that may come from an adapter and is
// logged under the request id instead.
var problems = []struct {
	err    error
	status int
	slug   string
	title  string
}{
	// First: an outage must never look like a rule violation or a missing resource.
	{domain.ErrUnavailable, http.StatusServiceUnavailable, "unavailable", "Service unavailable"},
	{domain.ErrConcurrentUpdate, http.StatusConflict, "concurrent-update", "The workshop was changed concurrently"},
	{app.ErrKeyReused, http.StatusUnprocessableEntity, "idempotency-key-reused", "Idempotency-Key reused"},
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

// serverDetails is the detail of each 5xx problem of the table, by slug.
var serverDetails = map[string]string{
	"unavailable": "the event log or the read models cannot be reached at the moment; try again shortly",
	"timeout":     "the service took too long to answer; try again shortly",
	"cancelled":   "the request was cancelled before it was answered",
}

// retryAfter is the Retry-After of a 503 answer, in seconds: an outage of NATS or PostgreSQL
// that a client should wait out is usually over or still going after this long.
const retryAfter = "5"

// headerRequestID carries the request id (see requestID).
const headerRequestID = echo.HeaderXRequestID

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
			if m.status >= http.StatusInternalServerError {
				p.Detail = serverDetails[m.slug]
			}
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
		if msg, ok := he.Message.(string); ok && msg != http.StatusText(status) && status < http.StatusInternalServerError {
			p.Detail = msg
		}
	}
	return p
}

// writeProblem answers err as application/problem+json with the request's id. Errors that map
// to 5xx are logged with their cause under that id; the answer does not reveal the cause. A 503
// tells the client when to try again (Retry-After).
func writeProblem(c echo.Context, logger *slog.Logger, err error) {
	if c.Response().Committed {
		return
	}
	p := *toProblem(err)
	p.RequestID = RequestID(c)
	if p.Status >= http.StatusInternalServerError {
		level := slog.LevelError
		if p.Status == http.StatusServiceUnavailable {
			level = slog.LevelWarn // an outage of a dependency, reported by /readyz too
		}
		logger.Log(c.Request().Context(), level, "request failed", "request_id", p.RequestID,
			"method", c.Request().Method, "path", c.Request().URL.Path, "status", p.Status, "err", err)
	}
	if p.Instance == "" {
		p.Instance = c.Request().URL.Path
	}
	switch p.Status {
	case http.StatusUnauthorized:
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="werkstatt"`)
	case http.StatusServiceUnavailable:
		if c.Response().Header().Get("Retry-After") == "" {
			c.Response().Header().Set("Retry-After", retryAfter)
		}
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(p.Status)
		return
	}
	body, _ := json.Marshal(p) // a problem always marshals: strings, ints, field errors
	_ = c.Blob(p.Status, "application/problem+json", body)
}

// RequestID returns the id of the request c: the one the RequestIDs middleware gave it, or else
// a new one, which it sets as the response's X-Request-Id header.
func RequestID(c echo.Context) string {
	if id := c.Response().Header().Get(headerRequestID); id != "" {
		return id
	}
	id := rand.Text()
	c.Response().Header().Set(headerRequestID, id)
	return id
}

// RequestIDs gives every request an id of its own, sent as the X-Request-Id header, so that an
// answer (a problem, an error page) can name the log lines about it. An id the client sends is
// not taken: the log must not carry text a stranger chose.
func RequestIDs(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set(headerRequestID, rand.Text())
		return next(c)
	}
}

// ErrorHandler returns an echo error handler that answers every error as a problem. New
// installs it; a server that mounts the API with Register may use it too.
func ErrorHandler(logger *slog.Logger) echo.HTTPErrorHandler {
	if logger == nil {
		logger = slog.Default()
	}
	return func(err error, c echo.Context) { writeProblem(c, logger, err) }
}
