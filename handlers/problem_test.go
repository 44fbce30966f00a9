package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

var problemCases = []struct {
	name   string
	err    error
	status int
	typ    string
}{
	{"workshop not found", domain.ErrWorkshopNotFound, 404, problemType + "not-found"},
	{"check-in not found", domain.ErrCheckInNotFound, 404, problemType + "not-found"},
	{"already registered", domain.ErrAlreadyRegistered, 409, problemType + "already-registered"},
	{"room occupied, wrapped", fmt.Errorf("%w: Keynote in A", domain.ErrRoomOccupied), 409, problemType + "room-occupied"},
	{"capacity below confirmed", fmt.Errorf("%w: 3 people", domain.ErrCapacityBelowConfirmed), 409, problemType + "capacity-below-confirmed"},
	{"already cancelled", domain.ErrAlreadyCancelled, 409, problemType + "already-cancelled"},
	{"a conflict without its own rule", domain.ErrWorkshopExists, 409, problemType + "conflict"},
	{"concurrent update", fmt.Errorf("update: %w", domain.ErrConcurrentUpdate), 409, problemType + "concurrent-update"},
	{"not confirmed", fmt.Errorf("%w: waitlisted", domain.ErrNotConfirmed), 422, problemType + "not-confirmed"},
	{"field errors", domain.FieldErrors{{Field: "capacity", Detail: "must be at least 1"}}, 422, problemType + "invalid-fields"},
	{"invalid", fmt.Errorf("%w: workshop id", domain.ErrInvalid), 422, problemType + "invalid"},
	{"deadline", context.DeadlineExceeded, 503, problemType + "timeout"},
	{"unknown route", echo.ErrNotFound, 404, "about:blank"},
	{"wrong method", echo.ErrMethodNotAllowed, 405, "about:blank"},
	{"body limit", &http.MaxBytesError{Limit: maxBody}, 413, "about:blank"},
	{"a problem", newProblem(http.StatusForbidden, "no"), 403, "about:blank"},
	{"anything else", errors.New("disk on fire"), 500, problemType + "internal"},
}

func TestToProblem(t *testing.T) {
	for _, tc := range problemCases {
		t.Run(tc.name, func(t *testing.T) {
			p := toProblem(tc.err)
			if p.Status != tc.status || p.Type != tc.typ {
				t.Errorf("toProblem(%v): got %d %s, want %d %s", tc.err, p.Status, p.Type, tc.status, tc.typ)
			}
			if p.Title == "" || p.Detail == "" {
				t.Errorf("toProblem(%v): got title %q detail %q, want both", tc.err, p.Title, p.Detail)
			}
			if tc.status == 500 && strings.Contains(p.Detail, "disk") {
				t.Errorf("toProblem(%v): detail %q reveals the cause", tc.err, p.Detail)
			}
		})
	}
	p := toProblem(domain.FieldErrors{{Field: "days", Detail: "must name at least one day"}})
	if len(p.Errors) != 1 || p.Errors[0].Field != "days" {
		t.Errorf("toProblem(FieldErrors): got errors %v, want the field days", p.Errors)
	}
}

// problemJSON is a problem as a client reads it.
type problemJSON struct {
	Type, Title, Detail, Instance string
	Status                        int
	Errors                        []domain.FieldError
	RequestID                     string `json:"request_id"`
}

// readProblem checks that rec holds a complete problem with status and returns it.
func readProblem(t *testing.T, rec *httptest.ResponseRecorder, status int) problemJSON {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("got status %d, want %d; body %s", rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("got Content-Type %q, want application/problem+json", ct)
	}
	var p problemJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("problem body %s: %v", rec.Body, err)
	}
	if p.Type == "" || p.Title == "" || p.Status != status || p.Detail == "" || p.Instance == "" {
		t.Fatalf("got problem %+v, want type, title, status %d, detail and instance", p, status)
	}
	return p
}

// panicky is a read model that fails in the worst way, to check that the API still answers.
type panicky struct{ projections.Reader }

func (panicky) Workshops(context.Context) ([]projections.WorkshopView, error) { panic("boom") }

// These need no event store: they are answered before any command or read model is reached.
func TestProblemsOverHTTP(t *testing.T) {
	const token = "organiser-secret"
	e := New(Config{Config: app.Config{OrganiserTokenHash: sha256Of(token), Reader: panicky{},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))},
		Ready: func(context.Context) error { return errors.New("read models behind") }})
	tests := []struct {
		name, method, path, auth, contentType, body string
		status                                      int
	}{
		{"unknown route", "GET", "/api/v1/nothing", "", "", "", 404},
		{"wrong method", "PUT", "/api/v1/workshops", "", "", "", 405},
		{"no token", "POST", "/api/v1/workshops", "", "application/json", `{}`, 401},
		{"wrong token", "POST", "/api/v1/workshops", "Bearer nope", "application/json", `{}`, 401},
		{"basic auth", "POST", "/api/v1/workshops", "Basic " + token, "application/json", `{}`, 401},
		{"malformed JSON", "POST", "/api/v1/workshops", "Bearer " + token, "application/json", `{"title"`, 400},
		{"unknown field", "POST", "/api/v1/workshops", "Bearer " + token, "application/json", `{"titel":"x"}`, 400},
		{"wrong type", "POST", "/api/v1/workshops", "Bearer " + token, "application/json", `{"capacity":"3"}`, 400},
		{"not JSON", "POST", "/api/v1/workshops", "Bearer " + token, "text/plain", `hello`, 415},
		{"malformed id", "GET", "/api/v1/workshops/a.b*", "", "", "", 404},
		{"panic", "GET", "/api/v1/workshops", "", "", "", 500},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			p := readProblem(t, rec, tc.status)
			if p.Instance != req.URL.Path {
				t.Errorf("got instance %q, want %q", p.Instance, req.URL.Path)
			}
			if tc.status == 401 && rec.Header().Get("WWW-Authenticate") == "" {
				t.Errorf("401 without WWW-Authenticate")
			}
			if tc.status == 405 && rec.Header().Get("Allow") == "" {
				t.Errorf("405 without Allow")
			}
		})
	}
}

// TestReadyzNamesWhatIsWrong: a check's NotReady becomes 503 with Retry-After and the checks;
// any other error names no internals either.
func TestReadyzNamesWhatIsWrong(t *testing.T) {
	tests := []struct {
		name  string
		err   error
		wants map[string]any
	}{
		{"not ready", NotReady{Checks: map[string]any{"event_log": "unreachable", "read_models": "ok"}},
			map[string]any{"event_log": "unreachable", "read_models": "ok"}},
		{"other error", errors.New("dial tcp 10.0.0.7:5432: connection refused"), map[string]any{"service": "not ready"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := New(Config{Ready: func(context.Context) error { return tc.err },
				Config: app.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}})
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
			if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
				t.Fatalf("got %d, Retry-After %q, want 503 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
			}
			var body struct {
				Status string         `json:"status"`
				Checks map[string]any `json:"checks"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %s: %v", rec.Body, err)
			}
			if body.Status != "unavailable" || !reflect.DeepEqual(body.Checks, tc.wants) {
				t.Errorf("got %s, want status unavailable and checks %v", rec.Body, tc.wants)
			}
		})
	}
}

func TestHealth(t *testing.T) {
	e := New(Config{Config: app.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}})
	for _, path := range []string{"/healthz", "/readyz", "/api/v1/openapi.json"} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK || !json.Valid(rec.Body.Bytes()) {
			t.Errorf("GET %s: got %d %.80s, want 200 and JSON", path, rec.Code, rec.Body)
		}
	}
}

// TestServerProblemsHideInternals: a 5xx problem's detail is a fixed text, never the error's,
// which may come from an adapter; it carries the request id instead. Before, a NATS timeout
// answered "keys: read key of <id>: context deadline exceeded".
func TestServerProblemsHideInternals(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		status int
	}{
		{"NATS timeout", fmt.Errorf("keys: read key of 01KSECRET: %w", context.DeadlineExceeded), 503},
		{"outage", fmt.Errorf("%w: postgres: read registrations: dial tcp 127.0.0.1:5432: connect: connection refused",
			domain.ErrUnavailable), 503},
		{"outage wrapping a rule's class", fmt.Errorf("%w: %w", domain.ErrUnavailable, domain.ErrNotFound), 503},
		{"unknown", errors.New("postgres: apply registrations.v1: ERROR: invalid byte sequence"), 500},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := echo.New()
			rec := httptest.NewRecorder()
			c := e.NewContext(httptest.NewRequest(http.MethodGet, "/api/v1/workshops", nil), rec)
			writeProblem(c, slog.New(slog.NewTextHandler(io.Discard, nil)), tc.err)
			p := readProblem(t, rec, tc.status)
			for _, internal := range []string{"keys:", "postgres", "dial", "deadline", "01KSECRET", "not found"} {
				if strings.Contains(rec.Body.String(), internal) {
					t.Errorf("problem %s reveals %q", rec.Body, internal)
				}
			}
			if p.RequestID == "" || p.RequestID != rec.Header().Get("X-Request-Id") {
				t.Errorf("got request_id %q and X-Request-Id %q, want the same id in both", p.RequestID, rec.Header().Get("X-Request-Id"))
			}
			if tc.status == 503 && rec.Header().Get("Retry-After") == "" {
				t.Error("503 without Retry-After")
			}
		})
	}
}
