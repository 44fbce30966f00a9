package handlerstest

import (
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	liberrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/helpers"
	"github.com/pb33f/libopenapi-validator/paths"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/handlers"
)

// Serve starts an HTTP server for h whose every answer is held to the API's contract
// (see Contract), and closes it when the test ends. The JSON API's and the pages' tests serve
// through it, so each response any of them gets is checked.
func Serve(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(Contract(t, h))
	// Close waits for the requests in flight, so their findings are reported before t ends.
	t.Cleanup(srv.Close)
	return srv
}

// Contract returns h wrapped so that every answer it gives is checked against openapi.json as
// the API serves it at /api/v1/openapi.json, with libopenapi-validator:
//   - an answer to an operation the document describes: its status must be documented, its
//     content type one the status lists, its body valid against that schema and its documented
//     headers present and valid;
//   - every application/problem+json answer, documented or not (unknown routes, wrong methods):
//     its body valid against the Problem schema;
//   - a success under /api/ for an operation the document does not describe is a finding too.
//
// Each finding fails t with the method, path, status and the validator's message. The answer
// is checked before the client receives it.
func Contract(t testing.TB, h http.Handler) http.Handler {
	t.Helper()
	c, err := loadContract()
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		res := rec.Result()
		for _, finding := range c.check(r, res, rec.Body.Bytes()) {
			t.Errorf("openapi.json: %s %s answered %d: %s", r.Method, r.URL.RequestURI(), res.StatusCode, finding)
		}
		for k, v := range res.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(res.StatusCode)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// contract is the document, parsed once per test binary.
type contract struct {
	doc       *v3.Document
	responses validator.Validator
	problem   *base.Schema
	schemas   schema_validation.SchemaValidator
}

var (
	loadOnce   sync.Once
	loaded     *contract
	loadFailed error
)

func loadContract() (*contract, error) {
	loadOnce.Do(func() { loaded, loadFailed = parseContract(Document()) })
	return loaded, loadFailed
}

// Document is openapi.json as the API serves it.
func Document() []byte {
	rec := httptest.NewRecorder()
	handlers.New(handlers.Config{Config: app.Config{Logger: slog.New(slog.DiscardHandler)}}).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/openapi.json", nil))
	return rec.Body.Bytes()
}

func parseContract(spec []byte) (*contract, error) {
	document, err := libopenapi.NewDocument(spec)
	if err != nil {
		return nil, err
	}
	model, err := document.BuildV3Model()
	if err != nil {
		return nil, err
	}
	v, errs := validator.NewValidator(document, config.WithFormatAssertions())
	if len(errs) > 0 {
		return nil, errs[0]
	}
	problem := model.Model.Components.Schemas.GetOrZero("Problem")
	if problem == nil {
		return nil, fmt.Errorf("no Problem schema in components")
	}
	return &contract{doc: &model.Model, responses: v, problem: problem.Schema(),
		schemas: schema_validation.NewSchemaValidator(config.WithFormatAssertions())}, nil
}

// check returns what is wrong with res as the answer to r, in words.
func (c *contract) check(r *http.Request, res *http.Response, body []byte) []string {
	var findings []string
	probe := r.Clone(r.Context())
	probe.Body = http.NoBody
	res.Body = readCloser{strings.NewReader(string(body))}
	documented := true
	if _, errs, _ := paths.FindPath(probe, c.doc, nil); len(errs) > 0 {
		documented = false
		for _, e := range errs {
			if e.ValidationType != helpers.PathValidation ||
				(e.ValidationSubType != helpers.ValidationMissing && e.ValidationSubType != helpers.ValidationMissingOperation) {
				findings = append(findings, describe(e))
			}
		}
	}
	switch {
	case documented && r.Method != http.MethodHead:
		if ok, errs := c.responses.ValidateHttpResponse(probe, res); !ok {
			for _, e := range errs {
				findings = append(findings, describe(e))
			}
		}
	case !documented && strings.HasPrefix(r.URL.Path, "/api/") && res.StatusCode < 400:
		findings = append(findings, "the operation is not in the document")
	}
	if mediaType, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type")); mediaType == "application/problem+json" {
		if ok, errs := c.schemas.ValidateSchemaBytes(c.problem, body); !ok {
			for _, e := range errs {
				findings = append(findings, "Problem schema: "+describe(e))
			}
		}
	}
	return findings
}

// describe is the validator's message with the failing fields, if any.
func describe(e *liberrors.ValidationError) string {
	s := e.Message
	if e.Reason != "" && e.Reason != e.Message {
		s += ": " + e.Reason
	}
	for _, f := range e.SchemaValidationErrors {
		s += fmt.Sprintf("; %s at %s", f.Reason, f.FieldPath)
	}
	return s
}

type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }
