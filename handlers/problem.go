package handlers

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"

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

// problems is the status and title of each problem type the API publishes (openapi.json lists
// them), by code, first match wins: specific rules before their classes, so that clients can
// tell rules apart by type while the class decides the status. The type is
// urn:werkstatt:problem:<code>. A domain rule's code is its own (domain.Rule.Code); a rule the
// table does not list answers as the class it belongs to (not-found, conflict, invalid).
//
// A 4xx answer's detail is the error's text, which is a domain rule's; a 5xx answer's detail is
// a fixed text (serverDetails), never the error's: that may come from an adapter and is
// logged under the request id instead.
var problems = []struct {
	code   string
	status int
	title  string
}{
	// First: an outage must never look like a rule violation or a missing resource.
	{domain.ErrUnavailable.Code(), http.StatusServiceUnavailable, "Service unavailable"},
	{codeConcurrentUpdate, http.StatusConflict, "The workshop was changed concurrently"},
	{codeKeyReused, http.StatusUnprocessableEntity, "Idempotency-Key reused"},
	{codeForbidden, http.StatusForbidden, "Not allowed by your roles"},
	{domain.ErrMemberExists.Code(), http.StatusConflict, "Already a member"},
	{domain.ErrLastAdmin.Code(), http.StatusConflict, "The network's last admin"},
	{domain.ErrAlreadyRegistered.Code(), http.StatusConflict, "Already registered"},
	{domain.ErrRoomOccupied.Code(), http.StatusConflict, "Room occupied"},
	{domain.ErrCapacityBelowConfirmed.Code(), http.StatusConflict, "Capacity below confirmed registrations"},
	{domain.ErrAlreadyCancelled.Code(), http.StatusConflict, "Already cancelled"},
	{domain.ErrRegistrationClosed.Code(), http.StatusConflict, "Registration closed"},
	{domain.ErrRegistrationCancelled.Code(), http.StatusConflict, "Registration cancelled"},
	{domain.ErrCheckedInDay.Code(), http.StatusConflict, "Checked in on that day"},
	{domain.ErrDayFull.Code(), http.StatusConflict, "Day full"},
	{domain.ErrNotWaitlisted.Code(), http.StatusConflict, "Not waiting for that day"},
	{domain.ErrNotConfirmed.Code(), http.StatusUnprocessableEntity, "Not confirmed for that day"}, // also not-confirmed-for-cafe
	{domain.ErrNotThemeCafe.Code(), http.StatusConflict, "Not a theme café"},
	{domain.ErrNoTables.Code(), http.StatusConflict, "No tables yet"},
	{domain.ErrAlreadyHosting.Code(), http.StatusConflict, "Already hosts a table"},
	{domain.ErrCollectionClosed.Code(), http.StatusConflict, "Preference collection is not open"},
	{domain.ErrNoPlan.Code(), http.StatusConflict, "No rotation plan yet"},
	{domain.ErrPlanOutdated.Code(), http.StatusConflict, "The plan is out of date"},
	{domain.ErrTableFull.Code(), http.StatusConflict, "Table full"},
	{domain.ErrTableVisited.Code(), http.StatusConflict, "Table visited in another round"},
	{domain.ErrHostSeated.Code(), http.StatusConflict, "Hosts stay at their table"},
	{domain.ErrMaterialTooLarge.Code(), http.StatusRequestEntityTooLarge, "File too large"},
	{domain.ErrMaterialType.Code(), http.StatusUnsupportedMediaType, "File type not allowed"},
	{domain.ErrNotFound.Code(), http.StatusNotFound, "Not found"},
	{domain.ErrConflict.Code(), http.StatusConflict, "Conflict with the current state"},
	{domain.ErrInvalid.Code(), http.StatusUnprocessableEntity, "Invalid request"},
	{codeTimeout, http.StatusServiceUnavailable, "The service took too long"},
	{codeCancelled, http.StatusServiceUnavailable, "The request was cancelled"},
}

// Codes of the problems that are no domain rule.
const (
	codeConcurrentUpdate = "concurrent-update"
	codeKeyReused        = "idempotency-key-reused"
	codeForbidden        = "forbidden"
	codeTimeout          = "timeout"
	codeCancelled        = "cancelled"
)

// foreignCodes names the errors of the API's own and of its adapters that have a problem type.
var foreignCodes = []struct {
	err  error
	code string
}{
	{domain.ErrConcurrentUpdate, codeConcurrentUpdate},
	{app.ErrKeyReused, codeKeyReused},
	{app.ErrForbidden, codeForbidden},
	{context.DeadlineExceeded, codeTimeout},
	{context.Canceled, codeCancelled},
}

// codes returns the codes err matches: its domain rules' and its foreign errors'.
func codes(err error) []string {
	cs := domain.Codes(err)
	for _, f := range foreignCodes {
		if errors.Is(err, f.err) {
			cs = append(cs, f.code)
		}
	}
	return cs
}

// serverDetails is the detail of each 5xx problem of the table, by code.
var serverDetails = map[string]string{
	domain.ErrUnavailable.Code(): "the event log or the read models cannot be reached at the moment; try again shortly",
	codeTimeout:                  "the service took too long to answer; try again shortly",
	codeCancelled:                "the request was cancelled before it was answered",
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
	matched := codes(err)
	for _, m := range problems {
		if slices.Contains(matched, m.code) {
			p := &problem{Type: problemType + m.code, Title: m.title, Status: m.status, Detail: err.Error()}
			if m.status >= http.StatusInternalServerError {
				p.Detail = serverDetails[m.code]
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
		p.Instance = c.Request().URL.EscapedPath() // a decoded control character is no URI
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
