package handlers

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/domain"
)

// decodeCases are request bodies and what decode makes of them, for a scheduleBody.
var decodeCases = []struct {
	name        string
	contentType string
	body        string
	status      int    // 0: decoded
	field       string // the field the problem names, if any
	detail      string // a part of the problem's detail
}{
	{"valid", "application/json", `{"title":"T","venue":"V","days":["2037-11-16"],"capacity":3}`, 0, "", ""},
	{"charset is fine", "application/json; charset=utf-8", `{"title":"T"}`, 0, "", ""},
	{"merge patch type", "application/merge-patch+json", `{"title":"T"}`, 0, "", ""},
	{"trailing whitespace", "application/json", "{}\n  ", 0, "", ""},
	{"malformed", "application/json", `{"title":}`, 400, "", "malformed JSON at byte"},
	{"cut short", "application/json", `{"title":"T"`, 400, "", "ends too early"},
	{"empty", "application/json", ``, 400, "", "empty"},
	{"unknown field", "application/json", `{"title":"T","colour":"red"}`, 400, "colour", `"colour" is not a field`},
	{"capacity as string", "application/json", `{"capacity":"ten"}`, 400, "capacity", "must be a whole number, not a string"},
	{"capacity as fraction", "application/json", `{"capacity":1.5}`, 400, "capacity", "whole number"},
	{"days as string", "application/json", `{"days":"2037-11-16"}`, 400, "days", "must be an array"},
	{"day as number", "application/json", `{"days":[20261116]}`, 400, "days", "must be a string"},
	{"array body", "application/json", `[1,2]`, 400, "", "must be a JSON object"},
	{"two objects", "application/json", `{}{}`, 400, "", "exactly one JSON object"},
	{"garbage after", "application/json", `{} x`, 400, "", "exactly one JSON object"},
	{"no content type", "", `{}`, 415, "", "application/json"},
	{"form", "application/x-www-form-urlencoded", `title=T`, 415, "", "application/json"},
	{"charset UTF-8 in capitals", "application/json; charset=UTF-8", `{"title":"T"}`, 0, "", ""},
	{"charset utf-16", "application/json; charset=utf-16", `{"title":"T"}`, 415, "", "UTF-8"},
	{"charset latin-1", "application/json; charset=iso-8859-1", `{"title":"T"}`, 415, "", "UTF-8"},
	{"charset empty", "application/json; charset=", `{"title":"T"}`, 415, "", "application/json"},
	{"too large", "application/json", `{"title":"` + strings.Repeat("x", maxBody) + `"}`, 413, "", "larger than"},
}

func TestDecode(t *testing.T) {
	e := echo.New()
	for _, tc := range decodeCases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/api/v1/workshops", strings.NewReader(tc.body))
			if tc.contentType != "" {
				req.Header.Set(echo.HeaderContentType, tc.contentType)
			}
			c := e.NewContext(req, httptest.NewRecorder())
			var b scheduleBody
			err := decode(c, &b)
			if tc.status == 0 {
				if err != nil {
					t.Fatalf("decode(%s) = %v, want nil", tc.body, err)
				}
				return
			}
			p := toProblem(err)
			if p.Status != tc.status {
				t.Fatalf("decode(%.60s): got status %d (%v), want %d", tc.body, p.Status, err, tc.status)
			}
			if !strings.Contains(p.Detail, tc.detail) {
				t.Errorf("decode(%.60s): got detail %q, want it to contain %q", tc.body, p.Detail, tc.detail)
			}
			if tc.field != "" && (len(p.Errors) != 1 || p.Errors[0].Field != tc.field) {
				t.Errorf("decode(%s): got errors %v, want one naming %q", tc.body, p.Errors, tc.field)
			}
		})
	}
}

func TestOptional(t *testing.T) {
	tests := []struct {
		body      string
		wantTitle *string
		wantErr   bool
	}{
		{`{}`, nil, false},
		{`{"title":"New"}`, ptr("New"), false},
		{`{"title":null}`, nil, true},
	}
	e := echo.New()
	for _, tc := range tests {
		req := httptest.NewRequest(http.MethodPatch, "/", strings.NewReader(tc.body))
		req.Header.Set(echo.HeaderContentType, "application/json")
		var b changeBody
		if err := decode(e.NewContext(req, httptest.NewRecorder()), &b); err != nil {
			t.Fatalf("decode(%s) = %v, want nil", tc.body, err)
		}
		var fe domain.FieldErrors
		got := required(b.Title, "title", &fe)
		if (got == nil) != (tc.wantTitle == nil) || (got != nil && *got != *tc.wantTitle) {
			t.Errorf("required(%s): got %v, want %v", tc.body, got, tc.wantTitle)
		}
		if (len(fe) > 0) != tc.wantErr {
			t.Errorf("required(%s): got field errors %v, want errors: %v", tc.body, fe, tc.wantErr)
		}
	}
}

func TestSessionPatch(t *testing.T) {
	old := domain.Session{ID: "S1", Title: "Old", Kind: domain.Talk, Day: "2037-11-16", Starts: "09:00",
		Ends: "10:00", Room: "A", Speakers: []string{"Ada"}}
	tests := []struct {
		name    string
		patch   sessionPatch
		want    domain.Session
		wantErr bool
	}{
		{"nothing", sessionPatch{}, old, false},
		{"title", sessionPatch{Title: optional[string]{Set: true, Value: "New"}},
			domain.Session{ID: "S1", Title: "New", Kind: domain.Talk, Day: "2037-11-16", Starts: "09:00", Ends: "10:00", Room: "A", Speakers: []string{"Ada"}}, false},
		{"null room and speakers remove them", sessionPatch{Room: optional[string]{Set: true, Null: true}, Speakers: optional[[]string]{Set: true, Null: true}},
			domain.Session{ID: "S1", Title: "Old", Kind: domain.Talk, Day: "2037-11-16", Starts: "09:00", Ends: "10:00"}, false},
		{"null title", sessionPatch{Title: optional[string]{Set: true, Null: true}}, domain.Session{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.patch.apply(old)
			if tc.wantErr {
				if !errors.Is(err, domain.ErrInvalid) {
					t.Fatalf("apply: got error %v, want one matching domain.ErrInvalid", err)
				}
				return
			}
			if err != nil || got.Title != tc.want.Title || got.Room != tc.want.Room || len(got.Speakers) != len(tc.want.Speakers) {
				t.Errorf("apply: got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
