package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/handlers/handlerstest"
	"github.com/werkstatt/werkstatt/infra/sessions"
	"github.com/werkstatt/werkstatt/web"
)

const organiserToken = "organiser-token-for-tests"

// now is the service's clock in the tests: the morning of the first day of the test workshops,
// so that the check-in screen opens on that day.
var now = time.Date(2026, 11, 16, 8, 0, 0, 0, time.UTC)

// service is the whole program over real parts: embedded NATS in a temp dir, the event store,
// the keyring, the lead grants, in-memory read models fed by the projection runner, and one echo
// instance serving the JSON API and the pages, as cmd/werkstatt wires them.
type service struct {
	t   *testing.T
	url string
	cfg handlers.Config // what the service runs on, for tests that reach behind the pages
	js  jetstream.JetStream
}

func startService(t *testing.T) *service {
	t.Helper()
	cfg, _, js := handlerstest.WireJetStream(t, organiserToken)
	cfg.Now = func() time.Time { return now }
	s := &service{t: t, cfg: cfg, js: js}
	s.url = s.replica()
	return s
}

// replica serves the API and the pages once more over the same parts, with a session store of
// its own connection as another process would have, and returns its URL.
func (s *service) replica() string {
	s.t.Helper()
	srv := handlerstest.Serve(s.t, server(s.t, s.cfg, s.js))
	return srv.URL
}

// server serves the API and the pages over cfg, with a session store and the accounts'
// credentials of its own connection to js, as a replica would; opts add to them (single
// sign-on).
func server(tb testing.TB, cfg handlers.Config, js jetstream.JetStream, opts ...web.Option) *echo.Echo {
	tb.Helper()
	sessions, err := sessions.Open(context.Background(), js, "TEST_SESSIONS", web.MaxSessionLength, 1)
	if err != nil {
		tb.Fatalf("sessions: %v", err)
	}
	e := handlers.New(cfg)
	opts = append([]web.Option{web.WithSessions(sessions), web.WithCredentials(openCredentials(tb, cfg, js))}, opts...)
	if err := web.Register(e, cfg, opts...); err != nil {
		tb.Fatalf("web pages: %v", err)
	}
	return e
}

// api calls the JSON API as the organiser (or the public when token is "") and decodes the
// answer into out.
func (s *service) api(method, path, token string, body, out any) {
	s.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, s.url+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		s.t.Fatalf("%s %s: got %d %s, want success", method, path, res.StatusCode, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			s.t.Fatalf("%s %s: decode %s: %v", method, path, data, err)
		}
	}
}

// workshop schedules a two-day workshop with one session through the JSON API.
func (s *service) workshop(title string, capacity int) (id, sessionID string) {
	s.t.Helper()
	var w struct{ ID string }
	s.api(http.MethodPost, "/api/v1/workshops", organiserToken, map[string]any{"title": title, "venue": "Rathaus Kassel",
		"days": []string{"2026-11-16", "2026-11-17"}, "capacity": capacity}, &w)
	var se struct{ ID string }
	s.api(http.MethodPost, "/api/v1/workshops/"+w.ID+"/sessions", organiserToken, map[string]any{"title": "Begrüßung",
		"kind": "keynote", "day": "2026-11-16", "starts": "09:30", "ends": "10:00", "room": "Saal 1", "speakers": []string{"Dr. Meier"}}, &se)
	return w.ID, se.ID
}

// register registers a participant through the JSON API and returns the registration's id.
func (s *service) register(workshop, name, organisation string) string {
	s.t.Helper()
	var r struct{ ID string }
	s.api(http.MethodPost, "/api/v1/workshops/"+workshop+"/registrations", "", map[string]any{"name": name,
		"email": strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org", "organisation": organisation,
		"consent": true}, &r)
	return r.ID
}

// browser is a cookie-keeping HTTP client that does not follow redirects, so that tests see
// them.
type browser struct {
	s      *service
	client *http.Client
	header http.Header
}

func (s *service) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{s: s, header: http.Header{}, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// page is an answer as a test reads it.
type page struct {
	status int
	header http.Header
	body   string
}

func (b *browser) get(path string) page {
	b.s.t.Helper()
	return b.do(http.MethodGet, path, nil)
}

func (b *browser) post(path string, form url.Values) page {
	b.s.t.Helper()
	return b.do(http.MethodPost, path, form)
}

func (b *browser) do(method, path string, form url.Values) page {
	b.s.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.s.url+path, body)
	if err != nil {
		b.s.t.Fatalf("%s %s: %v", method, path, err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range b.header {
		req.Header[k] = v
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return page{status: res.StatusCode, header: res.Header, body: string(data)}
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrf returns the CSRF token of the page's first form.
func (p page) csrf(t *testing.T) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no CSRF field in the page:\n%s", p.body)
	}
	return m[1]
}

// mustContain fails unless the page holds every one of want.
func (p page) mustContain(t *testing.T, doing string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(p.body, w) {
			t.Errorf("%s: the page lacks %q; got:\n%s", doing, w, p.body)
		}
	}
}
