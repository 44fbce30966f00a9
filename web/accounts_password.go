package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/domain"
)

// setPasswordPage is the page of a one-time link to set a password.
type setPasswordPage struct {
	form
	Token string
	Email string
	Gone  bool // the link is unknown, expired or used
}

// passwordLink returns the link of the path's token; found is false for one unknown, expired
// or used.
func (s *site) passwordLink(c echo.Context) (domain.PasswordLink, bool, error) {
	if s.credentials == nil {
		return domain.PasswordLink{}, false, errNoAccountSignIn
	}
	l, err := s.credentials.Link(c.Request().Context(), c.Param("token"))
	if errors.Is(err, domain.ErrNotFound) {
		return domain.PasswordLink{}, false, nil
	}
	return l, err == nil, err
}

func (s *site) setPasswordPage(c echo.Context, status int, p setPasswordPage) error {
	// The token is in the path: no cache keeps the page (the layout sends no referrer).
	c.Response().Header().Set("Cache-Control", "no-store")
	if p.Gone {
		status = http.StatusNotFound
	}
	return s.render(c, status, "set-password.html", "SetPasswordTitle", p)
}

func (s *site) setPasswordForm(c echo.Context) error {
	l, found, err := s.passwordLink(c)
	if err != nil {
		return err
	}
	return s.setPasswordPage(c, http.StatusOK, setPasswordPage{form: newForm(s), Token: c.Param("token"), Email: l.Email, Gone: !found})
}

// setPassword checks the new password against the policy and the repetition, then redeems
// the link, which holds once. The person then signs in with it.
func (s *site) setPassword(c echo.Context) error {
	l, found, err := s.passwordLink(c)
	if err != nil {
		return err
	}
	f, err := submitted(c)
	if err != nil {
		return err
	}
	p := setPasswordPage{form: f, Token: c.Param("token"), Email: l.Email, Gone: !found}
	if !found {
		return s.setPasswordPage(c, http.StatusNotFound, p)
	}
	password, repeat := f.V("password"), f.V("repeat")
	f.Values.Del("password")
	f.Values.Del("repeat")
	if err := domain.CheckPassword(password, l.Email); err != nil {
		if !p.rejected(s.texts(c), err) {
			return err
		}
		return s.setPasswordPage(c, http.StatusUnprocessableEntity, p)
	}
	if password != repeat {
		p.Errors["repeat"] = s.texts(c).T("ErrPasswordsDiffer")
		return s.setPasswordPage(c, http.StatusUnprocessableEntity, p)
	}
	if _, err := s.credentials.RedeemSetLink(c.Request().Context(), c.Param("token"), password); errors.Is(err, domain.ErrNotFound) {
		p.Gone = true
		return s.setPasswordPage(c, http.StatusNotFound, p)
	} else if err != nil {
		return err
	}
	return seeOther(c, "/sign-in", "done", "password-set")
}
