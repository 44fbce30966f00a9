// Package web serves Werkstatt's pages for people in a browser: participants find a workshop,
// register and see or cancel their registration; organisers plan workshops and agendas, list
// registrations, check people in at the door and read the attendance.
//
// The pages are server-rendered (html/template, embedded with the assets and the message
// catalogues) in German, or in English on request. They hold no rules: every write goes through
// app.App, the same code path as the JSON API (the domain decides, the event store
// appends, the read models answer), and every read comes from projections.Reader.
package web

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/handlers"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed assets
var assets embed.FS

// site holds what the pages need; its methods are the route handlers.
type site struct {
	cfg      handlers.Config
	cmds     *app.App
	bundle   *i18n.Bundle
	pages    map[string]*template.Template // by file name, never executed: clones are
	csrf     echo.MiddlewareFunc
	sessions Sessions
	// credentials and sso sign accounts in; nil when not configured.
	credentials Credentials
	sso         SSO
}

// Register adds the pages to e: participant pages at /, organiser pages under /organiser and
// the assets under /assets. cfg is the configuration the JSON API gets. Page routes render their
// own errors as HTML; Register wraps e's error handler so that an unknown page gets an HTML 404
// too, while paths under /api/ keep e's answers. Call it after e's error handler is set. The
// sign-ins need a session store: pass WithSessions.
func Register(e *echo.Echo, cfg handlers.Config, opts ...Option) error {
	s, err := newSite(cfg)
	if err != nil {
		return err
	}
	for _, o := range opts {
		o(s)
	}
	if s.sessions == nil {
		return errNoSessions
	}
	for _, r := range s.routes() {
		h := r.h
		if r.organiser {
			h = s.staff(r, h)
		}
		e.Add(r.method, r.path, securityHeaders(s.htmlErrors(s.guard(r, s.csrf(handlers.DecodePathParams(h))))))
	}
	e.GET("/assets/*", securityHeaders(serveAssets()))
	e.HTTPErrorHandler = s.unknownPages(e.HTTPErrorHandler)
	return nil
}

// unknownPages answers a request for a page that does not exist (404, or 405 for a path that
// exists with another method) with an HTML page in the reader's language. Everything else, and
// every path under /api/, goes to api: the JSON API keeps its problem+json answers.
func (s *site) unknownPages(api echo.HTTPErrorHandler) echo.HTTPErrorHandler {
	answer := func(err error) echo.HandlerFunc { return func(echo.Context) error { return err } }
	return func(err error, c echo.Context) {
		var he *echo.HTTPError
		path := c.Request().URL.Path
		if c.Response().Committed || path == "/api" || strings.HasPrefix(path, "/api/") || !errors.As(err, &he) ||
			(he.Code != http.StatusNotFound && he.Code != http.StatusMethodNotAllowed) {
			api(err, c)
			return
		}
		h := s.htmlErrors(answer(err))
		if m := c.Request().Method; m == http.MethodGet || m == http.MethodHead {
			h = s.htmlErrors(s.csrf(answer(err))) // the layout's sign-out form needs a token
		}
		_ = securityHeaders(h)(c) // htmlErrors answers every error itself
	}
}

func newSite(cfg handlers.Config) (*site, error) {
	cfg = cfg.WithDefaults()
	cmds := app.New(cfg.Config)
	bundle, err := newBundle()
	if err != nil {
		return nil, err
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	csrf, err := newCSRF()
	if err != nil {
		return nil, err
	}
	s := &site{cfg: cfg, cmds: cmds, bundle: bundle, pages: pages, csrf: csrf}
	return s, nil
}

type route struct {
	method, path string
	h            echo.HandlerFunc
	organiser    bool
}

func (s *site) routes() []route {
	const w = "/organiser/workshops/:id"
	get, post := http.MethodGet, http.MethodPost
	routes := []route{
		{get, "/", s.upcoming, false},
		{get, "/privacy", s.privacy, false}, // the notices' other pages: privacyRoutes
		{get, "/w/:id", s.workshop, false},
		{get, "/w/:id/register", s.registrationForm, false},
		{post, "/w/:id/register", s.register, false},
		{get, "/w/:id/link", s.linkRequestForm, false},
		{post, "/w/:id/link", s.requestLink, false},
		{get, "/w/:id/r/:rid", s.personal, false},
		{post, "/w/:id/r/:rid/cancel", s.cancel, false},
		{post, "/w/:id/r/:rid/change", s.changeOwn, false},
		{post, "/w/:id/r/:rid/erase", s.eraseOwnData, false},

		{get, "/organiser/sign-in", s.signInForm, false},
		{post, "/organiser/sign-in", s.cfg.Limits.Authenticating(s.signIn), false},
		{post, "/organiser/sign-out", s.signOut, false},
		{get, "/organiser", s.dashboard, true},
		{get, "/organiser/workshops/new", s.newWorkshopForm, true},
		{post, "/organiser/workshops", s.scheduleWorkshop, true},
		{get, w, s.editWorkshop, true},
		{post, w, s.changeWorkshop, true},
		{post, w + "/sessions", s.planSession, true},
		{post, w + "/sessions/:sid", s.changeSession, true},
		{post, w + "/sessions/:sid/cancel", s.cancelSession, true},
		{get, w + "/registrations", s.registrations, true},
		{post, w + "/registrations", s.registerByHand, true},
		{get, w + "/registrations/:rid", s.registrationEdit, true},
		{post, w + "/registrations/:rid", s.changeRegistration, true},
		{post, w + "/registrations/:rid/cancel", s.cancelFor, true},
		{post, w + "/registrations/:rid/erase", s.eraseRegistration, true},
		{get, w + "/check-in", s.checkInScreen, true},
		{post, w + "/check-in", s.checkInPerson, true},
		{post, w + "/check-in/walk-in", s.walkIn, true},
		{post, w + "/check-in/admit", s.admit, true},
		{get, w + "/attendance", s.attendance, true},
		{get, w + "/registration-questions", s.registrationQuestions, true},
		{post, w + "/registration-questions", s.setRegistrationQuestions, true},
	}
	routes = append(routes, s.cafeRoutes()...)
	routes = append(routes, s.feedbackRoutes()...)
	routes = append(routes, s.leadRoutes()...)
	routes = append(routes, s.erasureRequestRoutes()...)
	routes = append(routes, s.retentionRoutes()...)
	routes = append(routes, s.certificateRoutes()...)
	routes = append(routes, s.exportRoutes()...)
	routes = append(routes, s.cateringRoutes()...)
	routes = append(routes, s.fundingRoutes()...)
	routes = append(routes, s.materialRoutes()...)
	routes = append(routes, s.documentationRoutes()...)
	routes = append(routes, s.mailRoutes()...)
	routes = append(routes, s.historyRoutes()...)
	routes = append(routes, s.messageRoutes()...)
	routes = append(routes, s.accountRoutes()...)
	routes = append(routes, s.myDataRoutes()...)
	routes = append(routes, s.networkRoutes()...)
	routes = append(routes, s.mailTemplateRoutes()...)
	routes = append(routes, s.privacyRoutes()...)
	routes = append(routes, s.webhookRoutes()...)
	routes = append(routes, s.announcementRoutes()...)
	routes = append(routes, s.overviewRoutes()...)
	routes = append(routes, s.digestRoutes()...)
	routes = append(routes, s.groupRoutes()...)
	return append(routes, s.followUpRoutes()...)
}

func serveAssets() echo.HandlerFunc {
	sub, _ := fs.Sub(assets, "assets") // the directory is embedded: Sub cannot fail
	files := http.StripPrefix("/assets/", http.FileServer(http.FS(sub)))
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(c.Response(), c.Request())
		return nil
	}
}

// page is what every template gets.
type page struct {
	Lang     string
	Title    string
	CSRF     string
	SignedIn bool
	Switch   string // this page in the other language
	Data     any
	// Bare leaves out the header with the navigation: a page for a projector shows its content
	// alone, not the organiser's menu to the room.
	Bare bool
	// Refresh is a path of this site the page moves on to by itself.
	Refresh string
	// Account is true while an account is signed in (the navigation's sign-out).
	Account bool
	// Feed is the Atom feed the page's head links, "" for none.
	Feed string
}

// atomFeed is a page's data that has an Atom feed.
type atomFeed interface{ AtomFeed() string }

// bare is a page's data that asks for the page without the navigation.
type bare interface{ Bare() bool }

// refresh is a page's data that moves on to another page of the site by itself.
type refresh interface{ Refresh() string }

func (s *site) texts(c echo.Context) texts {
	if t, ok := c.Get("texts").(texts); ok {
		return t
	}
	lang := chooseLanguage(c)
	t := texts{lang: lang, loc: i18n.NewLocalizer(s.bundle, lang), zone: s.cmds.Config().Location}
	c.Set("texts", t)
	return t
}

// render writes the page template name with data, in the request's language. With block set it
// writes only that named template (a fragment for htmx).
func (s *site) render(c echo.Context, status int, name, title string, data any, block ...string) error {
	t := s.texts(c)
	tmpl, err := s.pages[name].Clone()
	if err != nil {
		return err
	}
	tmpl.Funcs(funcsFor(t))
	tmpl.Funcs(template.FuncMap{"doorOnly": func() bool { return app.ParseActor(actorOf(c)).Role == string(domain.RoleDoor) }})
	other := "en"
	if t.lang == "en" {
		other = "de"
	}
	u := *c.Request().URL
	q := u.Query()
	q.Set("lang", other)
	u.RawQuery = q.Encode()
	p := page{Lang: t.lang, Title: t.T(title), CSRF: csrfToken(c), SignedIn: s.signedIn(c), Switch: u.RequestURI(), Data: data}
	if b, ok := data.(bare); ok {
		p.Bare = b.Bare()
	}
	if f, ok := data.(atomFeed); ok {
		p.Feed = f.AtomFeed()
	}
	if r, ok := data.(refresh); ok {
		p.Refresh = localPath(r.Refresh())
	}
	if !p.SignedIn {
		_, p.Account, _ = s.signedInAccount(c)
	}
	root := "layout"
	if len(block) > 0 {
		root = block[0]
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, root, p); err != nil {
		return err
	}
	c.Response().Header().Set("Content-Language", t.lang)
	return c.HTMLBlob(status, buf.Bytes())
}

// isCSRF reports whether he comes from echo's CSRF check (a stale, missing or cross-site form
// token), which answers 400 or 403 with "csrf" in its message; other 400s and 403s are not a
// stale form.
func isCSRF(he *echo.HTTPError) bool {
	msg, _ := he.Message.(string)
	return (he.Code == http.StatusForbidden || he.Code == http.StatusBadRequest) &&
		strings.Contains(strings.ToLower(msg), "csrf")
}

// htmlErrors renders an error of a page handler (or of the CSRF check) as a page in the
// request's language.
func (s *site) htmlErrors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		if err == nil || c.Response().Committed {
			return nil
		}
		status, msg := http.StatusInternalServerError, "ErrInternal"
		var he *echo.HTTPError
		var tooMany *handlers.TooManyRequests
		switch {
		case errors.Is(err, errBadDialect):
			status, msg = http.StatusBadRequest, "ErrBadDialect"
		case errors.Is(err, errBadBadgeOption):
			status, msg = http.StatusBadRequest, "ErrBadBadgeOption"
		case errors.As(err, &he) && isCSRF(he):
			status, msg = http.StatusForbidden, "ErrCSRF" // echo's CSRF check: stale or missing form token
		case errors.As(err, &he) && he.Code == http.StatusNotFound:
			status, msg = http.StatusNotFound, "ErrNotFound" // a path no page has
		case errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge:
			status, msg = he.Code, "ErrFormTooLarge"
		case errors.As(err, &tooMany) && tooMany.FailedAuthentications:
			status, msg = http.StatusTooManyRequests, "ErrTooManySignIns"
		case errors.As(err, &tooMany):
			status, msg = http.StatusTooManyRequests, "ErrTooManyRequests"
		case errors.As(err, &he):
			status, msg = he.Code, "ErrHTTP"
		case errors.Is(err, domain.ErrUnavailable):
			// Before ErrNotFound: an outage must not look like a page that is gone.
			status, msg = http.StatusServiceUnavailable, "ErrUnavailable"
			c.Response().Header().Set("Retry-After", "5")
			s.cfg.Logger.Warn("page failed", "request_id", handlers.RequestID(c), "method", c.Request().Method,
				"path", c.Request().URL.Path, "err", err)
		case errors.Is(err, domain.ErrNotFound):
			status, msg = http.StatusNotFound, "ErrNotFound"
		case errors.Is(err, app.ErrForbidden):
			status, msg = http.StatusForbidden, "ErrRoleForbidden" // signed in, but not in a role for this
		default:
			s.cfg.Logger.Error("page failed", "request_id", handlers.RequestID(c), "method", c.Request().Method,
				"path", c.Request().URL.Path, "err", err)
		}
		data := errorPage{Message: s.texts(c).T(msg)}
		if status >= http.StatusInternalServerError {
			data.RequestID = handlers.RequestID(c)
		}
		if rerr := s.render(c, status, "error.html", "ErrorTitle", data); rerr != nil {
			s.cfg.Logger.Error("error page failed", "err", rerr)
			return c.String(status, http.StatusText(status))
		}
		return nil
	}
}

// errorPage is what error.html shows: the message, and for a 5xx the request id that names the
// log lines about it.
type errorPage struct {
	Message   string
	RequestID string
}

// seeOther answers a form with a redirect to path (Post/Redirect/Get).
func seeOther(c echo.Context, path string, query ...string) error {
	if len(query) > 0 {
		v := url.Values{}
		for i := 0; i+1 < len(query); i += 2 {
			v.Set(query[i], query[i+1])
		}
		path += "?" + v.Encode()
	}
	return c.Redirect(http.StatusSeeOther, path)
}
