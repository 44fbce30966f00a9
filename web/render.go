package web

import (
	"crypto/rand"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/reports"
)

// parsePages parses each page with the layout and the shared partials. The funcs are
// placeholders: render binds them to the request's language on a clone.
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, name := range names {
		base := strings.TrimPrefix(name, "templates/")
		if base == "layout.html" || base == "partials.html" {
			continue
		}
		t, err := template.New(base).Funcs(funcsFor(texts{})).ParseFS(templateFiles,
			"templates/layout.html", "templates/partials.html", name)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		pages[base] = t
	}
	return pages, nil
}

func funcsFor(t texts) template.FuncMap {
	return template.FuncMap{
		// doorOnly reports whether the signed-in person works only at the door: their workshop
		// navigation shows the check-in screen alone (render sets it per request).
		"doorOnly": func() bool { return false },
		"t":        t.T,
		"date":     t.Date,
		"closes":   t.Closes,
		"moment":   func(at time.Time) string { return t.Time(at) },
		// instant is a moment in the instance's time zone.
		"instant": t.Moment,
		"kind":    func(k domain.Kind) string { return t.T("Kind_" + string(k)) },
		"status":  func(s domain.Status) string { return t.T("Status_" + string(s)) },
		"join":    strings.Join,
		"has":     func(list []domain.Day, d domain.Day) bool { return slices.Contains(list, d) },
		"dict":    dict,
		"list":    func(xs ...int) []int { return xs },
		// leads is the organiser's lead page of a series, its name escaped for the path.
		"leads":     leadGrantsURL,
		"retention": seriesRetentionURL,
		// seriesReport is the organiser's series report of a series, without the extension.
		"seriesReport": seriesReportURL,
		// prefixed is "Themencafé: title", or the title alone when it already says so.
		"prefixed": reports.Prefixed,
		// filesize is a file's size in kB or MB, with the language's decimal mark.
		"filesize": t.fileSize,
		// lines splits a multi-line text (an address, a privacy notice's text) into its lines.
		"lines": func(s string) []string { return strings.Split(s, "\n") },
	}
}

// dict builds a map from name/value pairs, so that a partial can take several arguments.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict wants name/value pairs")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m, nil
}

// form is a submitted form shown again: what was typed, the messages by field and a message
// about the whole form.
type form struct {
	Values  url.Values
	Errors  map[string]string
	Message string
	// Key makes the submission repeatable: a double click registers once.
	Key string
}

// V returns the typed value of field name.
func (f form) V(name string) string { return f.Values.Get(name) }

// Checked reports whether the checkbox name was sent with value.
func (f form) Checked(name, value string) bool { return slices.Contains(f.Values[name], value) }

// E returns the message for field name ("" if none).
func (f form) E(name string) string { return f.Errors[name] }

func newForm(s *site) form {
	return form{Values: url.Values{}, Errors: map[string]string{}, Key: s.cfg.NewID()}
}

// submitted reads the posted form of c.
func submitted(c echo.Context) (form, error) {
	values, err := c.FormParams()
	if err != nil {
		return form{}, err
	}
	return form{Values: values, Errors: map[string]string{}, Key: values.Get("key")}, nil
}

// body is what the form asks for, as its key is bound to it (app.Op.Body): every field
// but the CSRF token, which changes with the browser's session, not with the request.
func (f form) body() []byte {
	v := url.Values{}
	for name, values := range f.Values {
		if name != csrfField {
			v[name] = values
		}
	}
	return []byte(v.Encode())
}

// rejected puts err into f as messages in the page's language. It reports false for errors that
// are not the sender's to fix (they become an error page).
func (f *form) rejected(t texts, err error) bool {
	var fe domain.FieldErrors
	if errors.As(err, &fe) {
		f.Errors = t.fieldErrors(fe)
		f.Message = t.T("ErrForm")
		return true
	}
	if msg, ok := t.ruleError(err); ok && !errors.Is(err, domain.ErrWorkshopNotFound) {
		f.Message = msg
		if errors.Is(err, app.ErrKeyReused) {
			f.Key = rand.Text() // the form as it stands now is a request of its own
		}
		return true
	}
	return false
}

// days returns the form's values of name as days, without empty ones.
func (f form) days(name string) []domain.Day {
	var days []domain.Day
	for _, v := range f.Values[name] {
		if v = strings.TrimSpace(v); v != "" {
			days = append(days, domain.Day(v))
		}
	}
	return days
}

// show renders the page build makes.
func show[P any](s *site, c echo.Context, build func(echo.Context) (P, error), tmpl, title string) error {
	p, err := build(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, tmpl, title, p)
}

// rerender shows a page again after err rejected the form the request sent: build makes the
// page, place puts the form with its messages where it belongs. explain turns err into the
// form's messages; an error it cannot explain is returned as it is.
func rerender[P any](s *site, c echo.Context, err error, explain func(*form, texts, error) bool,
	build func(echo.Context) (P, error), place func(*P, form), tmpl, title string) error {
	f, ferr := submitted(c)
	if ferr != nil {
		return ferr
	}
	if !explain(&f, s.texts(c), err) {
		return err
	}
	p, perr := build(c)
	if perr != nil {
		return perr
	}
	place(&p, f)
	return s.render(c, http.StatusUnprocessableEntity, tmpl, title, p)
}
