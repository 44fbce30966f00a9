package web

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/domain"
)

// ssoPending is a sign-in at the provider until its callback, kept in the session store under
// the SSO cookie's id: the state that ties the callback to this browser, the nonce the ID token
// must carry, the PKCE verifier, and where to go afterwards.
type ssoPending struct {
	State    string `json:"state"`
	Nonce    string `json:"nonce"`
	Verifier string `json:"verifier"`
	Next     string `json:"next"`
	Expires  int64  `json:"expires"` // Unix seconds
}

// ssoStart sends the browser to the provider. The cookie that ties the callback to this
// browser is SameSite=Lax: the callback is a navigation from the provider's site, which a
// Strict cookie would not come with.
func (s *site) ssoStart(c echo.Context) error {
	if s.sso == nil {
		return errNoAccountSignIn
	}
	p := ssoPending{State: randomText(16), Nonce: randomText(16), Verifier: randomText(32),
		Next: localPath(c.QueryParam("next")), Expires: s.cfg.Now().Add(ssoLength).Unix()}
	data, err := json.Marshal(p)
	if err != nil {
		return err
	}
	id := randomText(16)
	if err := s.sessions.Start(c.Request().Context(), id, data); err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: ssoCookie, Value: id, Path: ssoPath, MaxAge: int(ssoLength.Seconds()), HttpOnly: true,
		Secure: c.Scheme() == "https", SameSite: http.SameSiteLaxMode})
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Redirect(http.StatusSeeOther, s.sso.AuthURL(p.State, p.Nonce, p.Verifier))
}

// pendingSSO takes the browser's pending sign-in at the provider out of the session store: a
// callback is answered once.
func (s *site) pendingSSO(c echo.Context) (ssoPending, bool, error) {
	ck, err := c.Cookie(ssoCookie)
	if err != nil || ck.Value == "" {
		return ssoPending{}, false, nil
	}
	c.SetCookie(&http.Cookie{Name: ssoCookie, Value: "", Path: ssoPath, MaxAge: -1, HttpOnly: true,
		Secure: c.Scheme() == "https", SameSite: http.SameSiteLaxMode})
	ctx := c.Request().Context()
	data, found, err := s.sessions.Lookup(ctx, ck.Value)
	if err != nil || !found {
		return ssoPending{}, false, err
	}
	if err := s.sessions.End(ctx, ck.Value); err != nil {
		return ssoPending{}, false, err
	}
	var p ssoPending
	if json.Unmarshal(data, &p) != nil || p.State == "" || s.cfg.Now().Unix() >= p.Expires {
		return ssoPending{}, false, nil
	}
	return p, true, nil
}

// ssoCallback is where the provider sends the browser back. The state must be this browser's
// pending sign-in's; the code is traded for the ID token, whose nonce must be the pending
// one's. The account is the one of the provider's verified address; an address the provider
// has not verified is refused.
func (s *site) ssoCallback(c echo.Context) error {
	if s.sso == nil {
		return errNoAccountSignIn
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	p, ok, err := s.pendingSSO(c)
	if err != nil {
		return err
	}
	state := c.QueryParam("state")
	if !ok || subtle.ConstantTimeCompare([]byte(state), []byte(p.State)) != 1 {
		return s.ssoRefused(c, http.StatusBadRequest, "ErrSSOExpired")
	}
	code := c.QueryParam("code")
	if c.QueryParam("error") != "" || code == "" {
		// The person cancelled at the provider, or the provider refused this client.
		return s.ssoRefused(c, http.StatusUnauthorized, "ErrSSOFailed")
	}
	id, err := s.sso.Exchange(c.Request().Context(), code, p.Verifier, p.Nonce)
	if errors.Is(err, domain.ErrUnavailable) {
		return err
	}
	if err != nil {
		s.cfg.Logger.Warn("single sign-on failed", "err", err)
		return s.ssoRefused(c, http.StatusUnauthorized, "ErrSSOFailed")
	}
	email := strings.TrimSpace(id.Email)
	if email == "" || !id.EmailVerified {
		return s.ssoRefused(c, http.StatusForbidden, "ErrSSOEmailNotVerified")
	}
	if err := s.startAccountSession(c, s.cmds.AccountID(email)); err != nil {
		return err
	}
	// The browser came from the provider's site: a redirect now would still count as that
	// navigation, and the SameSite=Strict session cookie would not come along. A page of this
	// site that moves on by itself starts a navigation of this site.
	return s.render(c, http.StatusOK, "account-signed-in.html", "AccountSignedInTitle", signedInPage{Next: p.Next})
}

// signedInPage is the page after single sign-on that moves on to Next.
type signedInPage struct{ Next string }

// Refresh is where the page moves on to (layout.html's meta refresh).
func (p signedInPage) Refresh() string { return p.Next }

// ssoRefused shows the sign-in page with why single sign-on did not sign anyone in.
func (s *site) ssoRefused(c echo.Context, status int, message string) error {
	f := newForm(s)
	f.Values.Set("next", accountHome)
	f.Message = s.texts(c).T(message)
	return s.accountSignInPage(c, status, f)
}
