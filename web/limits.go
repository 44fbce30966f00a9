package web

import (
	"errors"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"
)

// maxFormBody bounds a page form's body: the largest form (a registration, a café's notes) is
// far below it. The one upload, the funder's logo, has its own bound (maxLogoForm).
const maxFormBody = 64 << 10

// errFormTooLarge answers a form over maxFormBody (413, as a page).
var errFormTooLarge = echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the form is too large")

// limitForm reads a form's body, at most maxFormBody bytes of it, before next (the CSRF check,
// the handler) sees the form: a larger body is answered 413 without being read further.
func limitForm(next echo.HandlerFunc) echo.HandlerFunc { return limitFormTo(maxFormBody, next) }

// limitFormTo is limitForm with the bound max.
func limitFormTo(maxFormBody int64, next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			return next(c)
		}
		if r.ContentLength > maxFormBody {
			return errFormTooLarge
		}
		r.Body = http.MaxBytesReader(c.Response(), r.Body, maxFormBody)
		var err error
		if mt, _, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType)); mt == echo.MIMEMultipartForm {
			err = r.ParseMultipartForm(maxFormBody)
		} else {
			err = r.ParseForm()
		}
		if tooLarge := (*http.MaxBytesError)(nil); errors.As(err, &tooLarge) {
			return errFormTooLarge
		}
		return next(c) // any other flaw of the form: the CSRF check or the handler answers it
	}
}

// guard applies the body limit to every page route and the public-write budget to every form
// that does not need the organiser's session.
func (s *site) guard(r route, h echo.HandlerFunc) echo.HandlerFunc {
	if r.path == fundingPath+"/logo" {
		h = limitFormTo(maxLogoForm, h)
	} else if isMaterialUpload(r) {
		h = limitUpload(s.cmds.MaxMaterialBytes()+maxFormBody, h)
	} else {
		h = limitForm(h)
	}
	if r.method != http.MethodGet && r.method != http.MethodHead && !r.organiser && !forSignedIn(r) {
		h = s.cfg.Limits.PublicWrite(h)
	}
	return h
}

// limitUpload is limitFormTo for a material's upload form: at most max bytes, of which only
// maxFormBody are kept in memory; the file beyond goes to a temporary file, not to memory.
func limitUpload(max int64, next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.ContentLength > max {
			return errFormTooLarge
		}
		r.Body = http.MaxBytesReader(c.Response(), r.Body, max)
		var err error
		if mt, _, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType)); mt == echo.MIMEMultipartForm {
			err = r.ParseMultipartForm(maxFormBody)
		} else {
			err = r.ParseForm()
		}
		if tooLarge := (*http.MaxBytesError)(nil); errors.As(err, &tooLarge) {
			return errFormTooLarge
		}
		return next(c)
	}
}
