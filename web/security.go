package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// contentSecurityPolicy allows only the pages' own scripts, styles and forms; no inline script,
// no framing (clickjacking at the door desk), no plugins.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// securityHeaders sets the headers every page and asset carries. Pages that show a personal
// token send no referrer at all: the token is in their URL.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if c.Scheme() == "https" {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		return next(c)
	}
}

// csrfField is the form field (and csrfHeader the header) that carries the CSRF token.
const (
	csrfField  = "_csrf"
	csrfHeader = "X-CSRF-Token"
)

// newCSRF returns echo's CSRF protection, with a Secure cookie on requests that came over TLS.
func newCSRF() (echo.MiddlewareFunc, error) {
	cfg := middleware.CSRFConfig{TokenLookup: "form:" + csrfField + ",header:" + csrfHeader,
		CookieName: "csrf", CookiePath: "/", CookieHTTPOnly: true, CookieSameSite: http.SameSiteLaxMode,
		// A one-click unsubscribe (RFC 8058) comes from a mail client without a cookie; its
		// unguessable token is the credential, so no other site can forge it.
		Skipper: func(c echo.Context) bool {
			return c.Request().Method == http.MethodPost && c.Path() == unsubscribeRoute
		}}
	plain, err := cfg.ToMiddleware()
	if err != nil {
		return nil, err
	}
	cfg.CookieSecure = true
	secure, err := cfg.ToMiddleware()
	if err != nil {
		return nil, err
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		p, s := plain(next), secure(next)
		return func(c echo.Context) error {
			if c.Scheme() == "https" {
				return s(c)
			}
			return p(c)
		}
	}, nil
}

// csrfToken is the token to put into the forms of this request's page.
func csrfToken(c echo.Context) string {
	s, _ := c.Get("csrf").(string)
	return s
}

// The organiser's session lives on the server (Sessions); the cookie carries its random id,
// never the token. It ends after sessionLength, on signing out, and with a new organiser token.
const (
	sessionCookie = "werkstatt_session"
	sessionLength = 12 * time.Hour // one day at the door desk
)

// signedIn reports whether the request carries a live organiser session. A session store that
// cannot answer counts as no session here (the layout's sign-out button); organiser pages
// report it.
func (s *site) signedIn(c echo.Context) bool {
	_, ok, _ := s.currentSession(c, sessionCookie, roleOrganiser)
	return ok
}

// toSignIn sends a request that needs a sign-in to the sign-in page, to come back afterwards
// (a form's page: the dashboard).
func toSignIn(c echo.Context) error {
	back := "/organiser"
	if c.Request().Method == http.MethodGet {
		back = c.Request().URL.RequestURI()
	}
	return c.Redirect(http.StatusSeeOther, "/organiser/sign-in?next="+url.QueryEscape(back))
}

// localPath returns next if it is a path on this site, else the dashboard: the sign-in page
// must not redirect anywhere else (open redirect). A browser drops tabs and line breaks from a
// URL, reads a backslash as a slash and "//" as the start of another host; so next must start
// with exactly one slash, its path may hold no backslash, space or control character and the
// rest no control character, also with its escapes undone (repeatedly: it may be escaped
// twice), and it must parse as a path without scheme or host.
func localPath(next string) string {
	const home = "/organiser"
	if len(next) > maxNext || !utf8.ValidString(next) {
		return home
	}
	path, rest := next, ""
	if i := strings.IndexAny(next, "?#"); i >= 0 {
		path, rest = next[:i], next[i:]
	}
	for i := 0; i < 4; i++ {
		if !plainPath(path) || strings.ContainsFunc(rest, unicode.IsControl) {
			return home
		}
		p, err := url.PathUnescape(path)
		r, rerr := url.PathUnescape(rest)
		if err != nil || rerr != nil || !utf8.ValidString(p) || !utf8.ValidString(r) {
			return home
		}
		if p == path && r == rest {
			break
		}
		path, rest = p, r
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return home
	}
	return next
}

// maxNext bounds the length of a path to return to after signing in.
const maxNext = 2048

// plainPath reports whether p starts with one slash and holds no character a browser could
// read otherwise: no backslash, no control character, no space of any kind.
func plainPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return false
	}
	return !strings.ContainsFunc(p, func(r rune) bool {
		return r == '\\' || unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Zs, r)
	})
}
