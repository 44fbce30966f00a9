package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/domain"
)

// Credentials checks accounts' passwords and sets them through one-time links;
// *credentials.Store (infra/credentials) implements it over a JetStream KV bucket.
type Credentials interface {
	// CheckPassword reports whether password is account's password; an account without one
	// gets false after the same work.
	CheckPassword(ctx context.Context, account domain.AccountID, password string) (bool, error)
	// Link returns the link to set a password of token while it holds, else an error matching
	// domain.ErrNotFound.
	Link(ctx context.Context, token string) (domain.PasswordLink, error)
	// RedeemSetLink sets the password of token's account and uses the link up, once.
	RedeemSetLink(ctx context.Context, token, password string) (domain.AccountID, error)
	// SessionsEndedAt returns the time before which every session of account has ended (a
	// reset, an erasure, an admin's revocation); zero when never.
	SessionsEndedAt(ctx context.Context, account domain.AccountID) (time.Time, error)
}

// SSO signs people in at an OpenID provider; *oidc.Provider (infra/oidc) implements it.
type SSO interface {
	// AuthURL is where to send the browser, with state, nonce and the PKCE verifier's challenge.
	AuthURL(state, nonce, verifier string) string
	// Exchange trades the callback's code for who signed in, checking the ID token and its
	// nonce. Errors match domain.ErrUnavailable when the provider cannot be reached.
	Exchange(ctx context.Context, code, verifier, nonce string) (domain.Identity, error)
}

// WithCredentials lets accounts sign in with e-mail address and password and set their
// password through a one-time link.
func WithCredentials(c Credentials) Option { return func(s *site) { s.credentials = c } }

// WithSSO offers single sign-on at an OpenID provider on the sign-in page.
func WithSSO(sso SSO) Option { return func(s *site) { s.sso = sso } }

// An account's session shares the organiser's cookie (one person, one sign-in per browser);
// its role tells them apart. The SSO cookie carries a sign-in at the provider until its
// callback, and only to the callback's path.
const (
	roleAccount          = "account"
	accountSessionLength = 12 * time.Hour
	ssoCookie            = "werkstatt_sso"
	ssoPath              = "/sign-in/sso"
	ssoLength            = 10 * time.Minute
	accountHome          = "/organiser"
)

func (s *site) accountRoutes() []route {
	get, post := http.MethodGet, http.MethodPost
	return []route{
		{get, "/sign-in", s.accountSignInForm, false},
		{post, "/sign-in", s.cfg.Limits.Authenticating(s.accountSignIn), false},
		{get, ssoPath, s.ssoStart, false},
		{get, ssoPath + "/callback", s.ssoCallback, false},
		{post, "/sign-out", s.signOut, false},
		{get, resetPath, s.passwordResetForm, false},
		{post, resetPath, s.requestPasswordReset, false},
		{get, "/set-password/:token", s.setPasswordForm, false},
		{post, "/set-password/:token", s.setPassword, false},
	}
}

// signedInAccount returns the account of the request's session, if an account signed in and
// its sessions were not ended since (Credentials.SessionsEndedAt): ending them holds at once,
// on every replica.
func (s *site) signedInAccount(c echo.Context) (domain.AccountID, bool, error) {
	const key = "signedInAccount"
	if a, ok := c.Get(key).(domain.AccountID); ok {
		return a, a != "", nil
	}
	sess, ok, err := s.currentSession(c, sessionCookie, roleAccount)
	if err != nil || !ok || sess.Account == "" {
		return "", false, err
	}
	if s.credentials != nil {
		ended, err := s.credentials.SessionsEndedAt(c.Request().Context(), sess.Account)
		if err != nil {
			return "", false, err
		}
		if sess.Started.Before(ended) {
			c.Set(key, domain.AccountID(""))
			return "", false, nil
		}
	}
	c.Set(key, sess.Account)
	return sess.Account, true, nil
}

// accountSignIn is what the sign-in page shows.
type accountSignIn struct {
	form
	Password bool // the e-mail and password form
	SSO      bool // the single sign-on button
	SignedIn bool // an account is signed in already
}

// errNoAccountSignIn: the instance offers neither passwords nor single sign-on.
var errNoAccountSignIn = echo.NewHTTPError(http.StatusNotFound, "no sign-in for accounts")

func (s *site) accountSignInPage(c echo.Context, status int, f form) error {
	if s.credentials == nil && s.sso == nil {
		return errNoAccountSignIn
	}
	_, signedIn, err := s.signedInAccount(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, status, "account-sign-in.html", "AccountSignInTitle",
		accountSignIn{form: f, Password: s.credentials != nil, SSO: s.sso != nil, SignedIn: signedIn})
}

func (s *site) accountSignInForm(c echo.Context) error {
	f := newForm(s)
	f.Values.Set("next", localPath(c.QueryParam("next")))
	switch c.QueryParam("done") {
	case "password-set":
		f.Message = s.texts(c).T("PasswordSet")
	}
	return s.accountSignInPage(c, http.StatusOK, f)
}

// accountSignIn checks e-mail address and password and starts the account's session. A wrong
// address and a wrong password get the same answer (401, which the lock-out counts), after the
// same work: the page does not tell which addresses have an account.
func (s *site) accountSignIn(c echo.Context) error {
	if s.credentials == nil {
		return errNoAccountSignIn
	}
	f, err := submitted(c)
	if err != nil {
		return err
	}
	email, password := strings.TrimSpace(f.V("email")), f.V("password")
	f.Values.Del("password")
	ok := false
	if email != "" && len(password) <= 4*domain.MaxPasswordLength {
		if ok, err = s.credentials.CheckPassword(c.Request().Context(), s.cmds.AccountID(email), password); err != nil {
			return err
		}
	}
	if !ok {
		f.Message = s.texts(c).T("ErrBadSignIn")
		return s.accountSignInPage(c, http.StatusUnauthorized, f)
	}
	if err := s.startAccountSession(c, s.cmds.AccountID(email)); err != nil {
		return err
	}
	return seeOther(c, localPath(f.V("next")))
}

func (s *site) startAccountSession(c echo.Context, account domain.AccountID) error {
	now := s.cfg.Now()
	return s.startSession(c, sessionCookie, "/", session{Role: roleAccount, Account: account, Started: now,
		Expires: now.Add(accountSessionLength)})
}

// randomText returns n random bytes in unpadded base64url.
func randomText(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}
