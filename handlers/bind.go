package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/domain"
)

// maxBody bounds a request body: the largest command (a registration) is far below it.
const maxBody = 64 << 10

// decode reads the request's JSON body into v. It accepts application/json (and
// application/merge-patch+json) only, at most maxBody bytes, exactly one JSON value, no unknown
// fields, and every value of its field's type; each failure is a problem naming the cause.
func decode(c echo.Context, v any) error {
	r := c.Request()
	mt, params, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	if err != nil || (mt != echo.MIMEApplicationJSON && mt != "application/merge-patch+json") {
		return newProblem(http.StatusUnsupportedMediaType, "send the body as application/json")
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return newProblem(http.StatusUnsupportedMediaType, "send the body as application/json in UTF-8 (charset=utf-8 or none)")
	}
	body, err := requestBody(c)
	if err != nil {
		return err
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return bindError(err)
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return newProblem(http.StatusBadRequest, "the body must hold exactly one JSON object")
	}
	return nil
}

// bodyKey is where requestBody keeps the body it read.
const bodyKey = "werkstatt.body"

// requestBody returns the request's body, at most maxBody bytes (else an *http.MaxBytesError),
// reading it once: decode and the idempotency fingerprint (op) see the same bytes.
func requestBody(c echo.Context) ([]byte, error) {
	if b, ok := c.Get(bodyKey).([]byte); ok {
		return b, nil
	}
	r := c.Request()
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(http.MaxBytesReader(c.Response(), r.Body, maxBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, err
	}
	if err != nil {
		return nil, newProblem(http.StatusBadRequest, "the body could not be read to its end")
	}
	c.Set(bodyKey, b)
	return b, nil
}

// bindError explains why a body could not be decoded, naming the field where there is one.
func bindError(err error) error {
	var (
		tooLarge *http.MaxBytesError
		syntax   *json.SyntaxError
		typ      *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &tooLarge):
		return err
	case errors.Is(err, io.EOF):
		return newProblem(http.StatusBadRequest, "the body is empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return newProblem(http.StatusBadRequest, "the JSON body ends too early")
	case errors.As(err, &syntax):
		return newProblem(http.StatusBadRequest, "malformed JSON at byte %d: %s", syntax.Offset,
			strings.TrimPrefix(syntax.Error(), "json: "))
	case errors.As(err, &typ):
		if typ.Field == "" {
			return newProblem(http.StatusBadRequest, "the body must be a JSON object, not %s", article(typ.Value))
		}
		return fieldProblem(typ.Field, domain.CodeWrongType, fmt.Sprintf("must be %s, not %s", describe(typ.Type), article(typ.Value)))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return fieldProblem(field, domain.CodeUnknownField, "is not a field of this request")
	}
	return newProblem(http.StatusBadRequest, "the body is not valid JSON for this request")
}

// fieldProblem is a 400 about one field, with the field in the detail and in errors.
func fieldProblem(field, code, detail string) *problem {
	p := newProblem(http.StatusBadRequest, "field %q %s", field, detail)
	p.Errors = []domain.FieldError{{Field: field, Code: code, Detail: detail}}
	return p
}

// describe names the JSON a Go type wants, in the words of the API.
func describe(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "a value of another type"
}

// article puts the JSON type the decoder saw ("string", "number 1.5") in a sentence.
func article(value string) string {
	switch {
	case value == "":
		return "something else"
	case strings.HasPrefix(value, "array"), strings.HasPrefix(value, "object"):
		return "an " + value
	case value == "bool":
		return "true or false"
	}
	return "a " + value
}

// optional is a field of a partial update (JSON merge patch): absent, null, or a value.
type optional[T any] struct {
	Set   bool // the field was present
	Null  bool // the field was null
	Value T
}

func (o *optional[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.Null = true
		return nil
	}
	return json.Unmarshal(b, &o.Value)
}

// required returns the value to set, or nil when the field is absent. A null is a field error:
// the field cannot be removed.
func required[T any](o optional[T], field string, fe *domain.FieldErrors) *T {
	if o.Null {
		*fe = append(*fe, domain.FieldError{Field: field, Code: domain.CodeNull, Detail: "must not be null"})
	}
	if !o.Set || o.Null {
		return nil
	}
	return &o.Value
}

// DecodePathParams decodes every path parameter of the route once, before anything reads it:
// echo leaves a path's parameters escaped when the client escaped more than it had to (then
// URL.RawPath is set), so an access check and a handler could otherwise read one parameter two
// ways. Every API and page route goes through it; nothing decodes a parameter again. A
// parameter that does not decode names nothing (404).
func DecodePathParams(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().URL.RawPath == "" {
			return next(c) // echo routed on the decoded path
		}
		values := c.ParamValues()
		decoded := make([]string, len(values))
		for i, v := range values {
			u, err := url.PathUnescape(v)
			if err != nil {
				return fmt.Errorf("%w: the path does not decode", domain.ErrNotFound)
			}
			decoded[i] = u
		}
		c.SetParamValues(decoded...)
		return next(c)
	}
}

// workshopID is the :id of the path; a malformed one names no workshop.
func workshopID(c echo.Context) (domain.WorkshopID, error) {
	id := c.Param("id")
	if !domain.ValidID(id) {
		return "", domain.ErrWorkshopNotFound
	}
	return domain.WorkshopID(id), nil
}
