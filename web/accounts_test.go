package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/handlers/handlerstest"
	"github.com/werkstatt/werkstatt/infra/credentials"
	"github.com/werkstatt/werkstatt/infra/oidc"
	"github.com/werkstatt/werkstatt/infra/oidc/oidctest"
	"github.com/werkstatt/werkstatt/infra/sessions"
	"github.com/werkstatt/werkstatt/web"
)

// openCredentials opens the accounts' credentials on js, as cmd/werkstatt does, on the
// service's clock.
func openCredentials(tb testing.TB, cfg handlers.Config, js jetstream.JetStream) *credentials.Store {
	tb.Helper()
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	c, err := credentials.Open(context.Background(), js, "TEST_CREDENTIALS", 1, credentials.Clock(now))
	if err != nil {
		tb.Fatalf("credentials: %v", err)
	}
	return c
}

// accountID is the id the service gives the account of email.
func (s *service) accountID(email string) domain.AccountID {
	return app.New(s.cfg.WithDefaults().Config).AccountID(email)
}

// session returns what the server keeps of the session of cookie.
func (s *service) session(cookie *http.Cookie) (role string, account domain.AccountID, found bool) {
	s.t.Helper()
	store, err := sessions.Open(context.Background(), s.js, "TEST_SESSIONS", web.MaxSessionLength, 1)
	if err != nil {
		s.t.Fatal(err)
	}
	data, found, err := store.Lookup(context.Background(), cookie.Value)
	if err != nil {
		s.t.Fatal(err)
	}
	var sess struct {
		Role    string
		Account domain.AccountID
	}
	_ = json.Unmarshal(data, &sess)
	return sess.Role, sess.Account, found
}

// signInWithPassword posts the account sign-in form.
func (b *browser) signInWithPassword(t *testing.T, email, password, next string) page {
	t.Helper()
	form := b.get("/sign-in")
	return b.post("/sign-in", url.Values{"_csrf": {form.csrf(t)}, "email": {email}, "password": {password}, "next": {next}})
}

const annasPassword = "Pferd Batterie Heftklammer"

func TestAccountSignInWithPassword(t *testing.T) {
	s := startService(t)
	creds := openCredentials(t, s.cfg, s.js)
	anna := s.accountID("anna.schmidt@landkreis-harburg.de")
	if err := creds.SetPassword(context.Background(), anna, annasPassword); err != nil {
		t.Fatal(err)
	}
	b := s.browser()
	form := b.get("/sign-in")
	form.mustContain(t, "the sign-in page", `name="email"`, `name="password"`, `autocomplete="current-password"`, "Einloggen mit Ihrem Konto")
	if strings.Contains(form.body, `id="sso"`) {
		t.Errorf("the sign-in page without single sign-on configured shows its button")
	}

	wrong := b.signInWithPassword(t, "anna.schmidt@landkreis-harburg.de", "Pferd Batterie Heftklammern", "")
	unknown := b.signInWithPassword(t, "niemand@landkreis-harburg.de", annasPassword, "")
	for name, p := range map[string]page{"a wrong password": wrong, "an unknown address": unknown} {
		if p.status != http.StatusUnauthorized {
			t.Errorf("sign in with %s: got %d, want 401", name, p.status)
		}
		p.mustContain(t, "sign in with "+name, "E-Mail-Adresse oder Passwort stimmen nicht.")
		if strings.Contains(p.body, "Heftklammer") {
			t.Errorf("sign in with %s: the page holds the password typed", name)
		}
		if ck := p.header.Get("Set-Cookie"); strings.Contains(ck, "werkstatt_session=") && !strings.Contains(ck, "Max-Age=0") {
			t.Errorf("sign in with %s: got a session cookie %q", name, ck)
		}
	}

	// The address in another case and with spaces is the same account.
	in := b.signInWithPassword(t, "  Anna.Schmidt@Landkreis-Harburg.de ", annasPassword, "/organiser/workshops/new")
	if in.status != http.StatusSeeOther || in.header.Get("Location") != "/organiser/workshops/new" {
		t.Fatalf("sign in: got %d to %q, want 303 to the page asked for", in.status, in.header.Get("Location"))
	}
	cookie := sessionCookie(t, in, "werkstatt_session")
	if !strings.Contains(strings.Join(in.header.Values("Set-Cookie"), "\n"), "HttpOnly") {
		t.Errorf("the session cookie is not HttpOnly: %v", in.header.Values("Set-Cookie"))
	}
	if role, account, found := s.session(cookie); !found || role != "account" || account != anna {
		t.Errorf("the session on the server: got %q, %q, %v; want role account of %q", role, account, found, anna)
	}
	again := b.get("/sign-in")
	again.mustContain(t, "the sign-in page while signed in", `id="signed-in"`, `action="/sign-out"`)

	out := b.post("/sign-out", url.Values{"_csrf": {again.csrf(t)}})
	if out.status != http.StatusSeeOther || out.header.Get("Location") != "/" {
		t.Fatalf("sign out: got %d to %q, want 303 to /", out.status, out.header.Get("Location"))
	}
	if _, _, found := s.session(cookie); found {
		t.Errorf("the session after signing out: still on the server")
	}
	replayed := s.browser()
	replayed.client.Jar.SetCookies(mustURL(t, s.url), []*http.Cookie{{Name: cookie.Name, Value: cookie.Value, Path: "/"}})
	if p := replayed.get("/sign-in"); strings.Contains(p.body, `id="signed-in"`) {
		t.Errorf("the cookie replayed after signing out: got the signed-in page, want the sign-in form")
	}

	// Only a path of this site is a place to go afterwards.
	if in := b.signInWithPassword(t, "anna.schmidt@landkreis-harburg.de", annasPassword, "//evil.example/x"); in.header.Get("Location") != "/organiser" {
		t.Errorf("sign in with next //evil.example/x: got %q, want /organiser", in.header.Get("Location"))
	}
}

// TestAccountSignInLockOut checks that failed passwords count towards the lock-out of an
// address: after ten, even the right password answers 429.
func TestAccountSignInLockOut(t *testing.T) {
	cfg, _, js := handlerstest.WireJetStream(t, organiserToken)
	cfg.Now = func() time.Time { return now }
	cfg.Limits = handlers.NewLimits(handlers.LimitsConfig{})
	s := &service{t: t, cfg: cfg, js: js}
	s.url = handlerstest.Serve(t, server(t, cfg, js)).URL
	anna := s.accountID("anna@example.org")
	if err := openCredentials(t, cfg, js).SetPassword(context.Background(), anna, annasPassword); err != nil {
		t.Fatal(err)
	}
	b := s.browser()
	for i := range handlers.MaxFailedAuthentications {
		if p := b.signInWithPassword(t, "anna@example.org", "falsches Passwort "+string(rune('a'+i)), ""); p.status != http.StatusUnauthorized {
			t.Fatalf("failed sign-in %d: got %d, want 401", i+1, p.status)
		}
	}
	if p := b.signInWithPassword(t, "anna@example.org", annasPassword, ""); p.status != http.StatusTooManyRequests {
		t.Errorf("the right password after %d failures: got %d, want 429", handlers.MaxFailedAuthentications, p.status)
	}
}

func TestSetPasswordLink(t *testing.T) {
	s := startService(t)
	creds := openCredentials(t, s.cfg, s.js)
	anna := s.accountID("anna.schmidt@landkreis-harburg.de")
	token, err := creds.IssueSetLink(context.Background(), anna, "anna.schmidt@landkreis-harburg.de", 72*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	path := "/set-password/" + token
	b := s.browser()
	form := b.get(path)
	if form.status != http.StatusOK || form.header.Get("Cache-Control") != "no-store" || form.header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("the link's page: got %d, Cache-Control %q, Referrer-Policy %q; want 200, no-store, no-referrer",
			form.status, form.header.Get("Cache-Control"), form.header.Get("Referrer-Policy"))
	}
	form.mustContain(t, "the link's page", "anna.schmidt@landkreis-harburg.de", `id="policy"`, "Mindestens 12 Zeichen", `autocomplete="new-password"`)

	for _, tt := range []struct{ password, repeat, want string }{
		{"kurz", "kurz", "mindestens 12 Zeichen lang"},
		{"anna.schmidt-2026!", "anna.schmidt-2026!", "E-Mail-Adresse und den Teil vor dem @ nicht enthalten"},
		{"Passwort1234", "Passwort1234", "zu verbreitet"},
		{annasPassword, annasPassword + "!", "stimmen nicht überein"},
	} {
		p := b.post(path, url.Values{"_csrf": {form.csrf(t)}, "password": {tt.password}, "repeat": {tt.repeat}})
		if p.status != http.StatusUnprocessableEntity {
			t.Errorf("set the password %q: got %d, want 422", tt.password, p.status)
		}
		p.mustContain(t, "set the password "+tt.password, tt.want)
		if strings.Contains(p.body, `value="`+tt.password+`"`) {
			t.Errorf("set the password %q: the page holds the password typed", tt.password)
		}
	}
	if ok, _ := creds.CheckPassword(context.Background(), anna, "Passwort1234"); ok {
		t.Fatalf("a refused password was set")
	}

	done := b.post(path, url.Values{"_csrf": {form.csrf(t)}, "password": {annasPassword}, "repeat": {annasPassword}})
	if done.status != http.StatusSeeOther || done.header.Get("Location") != "/sign-in?done=password-set" {
		t.Fatalf("set the password: got %d to %q, want 303 to the sign-in", done.status, done.header.Get("Location"))
	}
	b.get(done.header.Get("Location")).mustContain(t, "the sign-in after setting the password", "Ihr Passwort ist festgelegt.")
	if in := b.signInWithPassword(t, "anna.schmidt@landkreis-harburg.de", annasPassword, ""); in.status != http.StatusSeeOther {
		t.Errorf("sign in with the password set: got %d, want 303", in.status)
	}

	// The link holds once.
	for _, p := range []page{b.get(path), b.post(path, url.Values{"_csrf": {form.csrf(t)}, "password": {"Ein anderes Passwort"}, "repeat": {"Ein anderes Passwort"}}),
		b.get("/set-password/nosuchlink")} {
		if p.status != http.StatusNotFound {
			t.Errorf("a used or unknown link: got %d, want 404", p.status)
		}
		p.mustContain(t, "a used or unknown link", `id="link-gone"`, "gilt nicht mehr")
	}
	if ok, _ := creds.CheckPassword(context.Background(), anna, annasPassword); !ok {
		t.Errorf("after using the link again: the password set first no longer holds")
	}
}

// ssoService is the service with single sign-on at a real OpenID provider started for the
// test, which knows people.
func ssoService(t *testing.T, people ...oidctest.User) (*service, *oidctest.OP) {
	t.Helper()
	cfg, _, js := handlerstest.WireJetStream(t, organiserToken)
	cfg.Now = func() time.Time { return now }
	// The provider must know the service's callback before the service can discover it.
	var h atomic.Pointer[http.Handler]
	srv := handlerstest.Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { (*h.Load()).ServeHTTP(w, r) }))
	callback := srv.URL + "/sign-in/sso/callback"
	op := oidctest.Start(t, callback, people...)
	p, err := oidc.New(context.Background(), oidc.Config{Issuer: op.Issuer, ClientID: op.ClientID, ClientSecret: op.ClientSecret, RedirectURL: callback})
	if err != nil {
		t.Fatal(err)
	}
	var e http.Handler = server(t, cfg, js, web.WithSSO(p))
	h.Store(&e)
	return &service{t: t, url: srv.URL, cfg: cfg, js: js}, op
}

// testSSO is single sign-on at a provider started for the test, for tests that only start
// signing in: its callback leads nowhere.
func testSSO(t *testing.T) web.Option {
	t.Helper()
	const callback = "http://127.0.0.1:1/sign-in/sso/callback"
	op := oidctest.Start(t, callback)
	p, err := oidc.New(context.Background(), oidc.Config{Issuer: op.Issuer, ClientID: op.ClientID, ClientSecret: op.ClientSecret, RedirectURL: callback})
	if err != nil {
		t.Fatal(err)
	}
	return web.WithSSO(p)
}

var refreshTo = regexp.MustCompile(`<meta http-equiv="refresh" content="0;url=([^"]+)">`)

func TestSingleSignOn(t *testing.T) {
	s, op := ssoService(t,
		oidctest.User{Username: "anna", Password: "Kaffeetasse7", Email: "Anna.Schmidt@landkreis-harburg.de", EmailVerified: true, FirstName: "Anna", LastName: "Schmidt"},
		oidctest.User{Username: "mallory", Password: "Kaffeetasse8", Email: "chef@landkreis-harburg.de", FirstName: "Mal", LastName: "Lory"})

	// start opens the sign-in page, follows its button and returns where the service sends the
	// browser: the provider's authorization endpoint.
	start := func(b *browser) string {
		t.Helper()
		p := b.get("/sign-in?next=/organiser/workshops/new")
		p.mustContain(t, "the sign-in page with single sign-on", `id="sso"`, "Mit Single Sign-on einloggen")
		res := b.get("/sign-in/sso?next=/organiser/workshops/new")
		loc := res.header.Get("Location")
		if res.status != http.StatusSeeOther || !strings.HasPrefix(loc, op.Issuer) {
			t.Fatalf("start single sign-on: got %d to %q, want 303 to the provider %s", res.status, loc, op.Issuer)
		}
		ck := strings.Join(res.header.Values("Set-Cookie"), "\n")
		for _, want := range []string{"werkstatt_sso=", "Path=/sign-in/sso", "HttpOnly", "SameSite=Lax"} {
			if !strings.Contains(ck, want) {
				t.Errorf("start single sign-on: got cookies %q, want %s", ck, want)
			}
		}
		return loc
	}
	back := func(b *browser, callback *url.URL) page {
		t.Helper()
		return b.get(callback.Path + "?" + callback.RawQuery)
	}

	b := s.browser()
	callback := op.SignIn(t, start(b), "anna", "Kaffeetasse7")
	done := back(b, callback)
	m := refreshTo.FindStringSubmatch(done.body)
	if done.status != http.StatusOK || m == nil || m[1] != "/organiser/workshops/new" {
		t.Fatalf("the callback: got %d, want 200 with a page that moves on to /organiser/workshops/new:\n%s", done.status, done.body)
	}
	role, account, found := s.session(sessionCookie(t, done, "werkstatt_session"))
	if want := s.accountID("anna.schmidt@landkreis-harburg.de"); !found || role != "account" || account != want {
		t.Errorf("the session after single sign-on: got %q, %q, %v; want role account of the address's account %q", role, account, found, want)
	}
	b.get("/sign-in").mustContain(t, "the sign-in page after single sign-on", `id="signed-in"`)

	// The callback answers once: a replay (the browser's back button) signs nobody in.
	if p := back(b, callback); p.status != http.StatusBadRequest {
		t.Errorf("the callback replayed: got %d, want 400", p.status)
	} else {
		p.mustContain(t, "the callback replayed", "hat zu lange gedauert")
	}
	// A callback in another browser (a link someone was sent) has no pending sign-in.
	other := s.browser()
	callback = op.SignIn(t, start(s.browser()), "anna", "Kaffeetasse7")
	if p := back(other, callback); p.status != http.StatusBadRequest || strings.Contains(strings.Join(p.header.Values("Set-Cookie"), ""), "werkstatt_session=") {
		t.Errorf("the callback in another browser: got %d, want 400 and no session", p.status)
	}

	t.Run("wrong state", func(t *testing.T) {
		b := s.browser()
		callback := op.SignIn(t, start(b), "anna", "Kaffeetasse7")
		q := callback.Query()
		q.Set("state", "forged")
		callback.RawQuery = q.Encode()
		if p := back(b, callback); p.status != http.StatusBadRequest {
			t.Errorf("got %d, want 400", p.status)
		}
	})
	t.Run("tampered code", func(t *testing.T) {
		b := s.browser()
		callback := op.SignIn(t, start(b), "anna", "Kaffeetasse7")
		q := callback.Query()
		q.Set("code", q.Get("code")+"x")
		callback.RawQuery = q.Encode()
		p := back(b, callback)
		if p.status != http.StatusUnauthorized {
			t.Errorf("got %d, want 401", p.status)
		}
		p.mustContain(t, "a tampered code", "ist nicht gelungen")
	})
	t.Run("cancelled at the provider", func(t *testing.T) {
		b := s.browser()
		u, _ := url.Parse(start(b))
		if p := b.get("/sign-in/sso/callback?error=access_denied&state=" + url.QueryEscape(u.Query().Get("state"))); p.status != http.StatusUnauthorized {
			t.Errorf("got %d, want 401", p.status)
		}
	})
	t.Run("unverified address", func(t *testing.T) {
		b := s.browser()
		p := back(b, op.SignIn(t, start(b), "mallory", "Kaffeetasse8"))
		if p.status != http.StatusForbidden {
			t.Errorf("got %d, want 403", p.status)
		}
		p.mustContain(t, "an unverified address", "keine bestätigte E-Mail-Adresse")
		if strings.Contains(strings.Join(p.header.Values("Set-Cookie"), ""), "werkstatt_session=") {
			t.Errorf("an unverified address got a session cookie")
		}
	})
}

// TestAccountPagesWithoutSignIns checks that an instance without credentials and single
// sign-on has no account sign-in.
func TestAccountPagesWithoutSignIns(t *testing.T) {
	cfg, _, js := handlerstest.WireJetStream(t, organiserToken)
	store, err := sessions.Open(context.Background(), js, "TEST_SESSIONS", web.MaxSessionLength, 1)
	if err != nil {
		t.Fatal(err)
	}
	e := handlers.New(cfg)
	if err := web.Register(e, cfg, web.WithSessions(store)); err != nil {
		t.Fatal(err)
	}
	s := &service{t: t, cfg: cfg, js: js, url: handlerstest.Serve(t, e).URL}
	for _, path := range []string{"/sign-in", "/sign-in/sso", "/sign-in/sso/callback", "/sign-in/reset", "/set-password/x"} {
		if p := s.browser().get(path); p.status != http.StatusNotFound {
			t.Errorf("GET %s without credentials or single sign-on: got %d, want 404", path, p.status)
		}
	}
}

// TestEndedSessionsHoldAtOnce signs an account in and ends its sessions (as a reset, an
// erasure or an admin would): the cookie opens nothing from the next request on, on every
// replica.
func TestEndedSessionsHoldAtOnce(t *testing.T) {
	s := startService(t)
	anna := s.accountID("anna@example.org")
	if err := openCredentials(t, s.cfg, s.js).SetPassword(context.Background(), anna, annasPassword); err != nil {
		t.Fatal(err)
	}
	b := s.browser()
	if in := b.signInWithPassword(t, "anna@example.org", annasPassword, ""); in.status != http.StatusSeeOther {
		t.Fatalf("sign in: got %d, want 303", in.status)
	}
	b.get("/sign-in").mustContain(t, "the sign-in page while signed in", `id="signed-in"`)
	later, err := credentials.Open(context.Background(), s.js, "TEST_CREDENTIALS", 1,
		credentials.Clock(func() time.Time { return now.Add(time.Minute) }))
	if err != nil {
		t.Fatal(err)
	}
	if err := later.EndSessions(context.Background(), anna); err != nil {
		t.Fatal(err)
	}
	if p := b.get("/sign-in"); strings.Contains(p.body, `id="signed-in"`) {
		t.Errorf("the sign-in page after the account's sessions ended: still signed in")
	}
	other := *s
	other.url = s.replica()
	ob := other.browser()
	for _, ck := range b.client.Jar.Cookies(mustURL(t, s.url)) {
		ob.client.Jar.SetCookies(mustURL(t, other.url), []*http.Cookie{{Name: ck.Name, Value: ck.Value, Path: "/"}})
	}
	if p := ob.get("/sign-in"); strings.Contains(p.body, `id="signed-in"`) {
		t.Errorf("the cookie on another replica after the account's sessions ended: still signed in")
	}
}

// signedInMember adds name (name@landkreis.example) to network with role and organisation, gives
// the account a password and signs it in: the member's browser.
func (s *service) signedInMember(t *testing.T, creds *credentials.Store, network, name, organisation, role string) *browser {
	t.Helper()
	const password = "Pferd Batterie Heftklammer"
	email := name + "@landkreis.example"
	body := map[string]any{"name": name, "email": email, "roles": []map[string]any{{"role": role}}}
	if organisation != "" {
		body["organisation"] = organisation
	}
	s.api(http.MethodPost, "/api/v1/networks/"+network+"/members", organiserToken, body, nil)
	if err := creds.SetPassword(context.Background(), s.accountID(email), password); err != nil {
		t.Fatal(err)
	}
	b := s.browser()
	if p := b.signInWithPassword(t, email, password, "/organiser"); p.status != http.StatusSeeOther {
		t.Fatalf("%s signs in: got %d %s", name, p.status, p.body)
	}
	return b
}
