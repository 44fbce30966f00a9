package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// resetPath is the page on which a person who forgot their password asks for a link to set a
// new one, by e-mail.
const resetPath = "/sign-in/reset"

// passwordResetPage is what the reset page shows.
type passwordResetPage struct {
	form
	Asked bool // the request went out: the page says the same for every address
}

func (s *site) passwordResetForm(c echo.Context) error {
	if s.credentials == nil {
		return errNoAccountSignIn
	}
	return s.render(c, http.StatusOK, "password-reset.html", "PasswordResetTitle", passwordResetPage{form: newForm(s)})
}

// requestPasswordReset asks for a reset (app.RequestPasswordReset): the page says the same
// whether or not the address has an account; only a malformed address comes back next to its
// field. The public-write budget of every public form limits how often one may ask.
func (s *site) requestPasswordReset(c echo.Context) error {
	if s.credentials == nil {
		return errNoAccountSignIn
	}
	f, err := submitted(c)
	if err != nil {
		return err
	}
	t := s.texts(c)
	if err := s.cmds.RequestPasswordReset(c.Request().Context(), f.V("email"), t.lang); err != nil {
		if !f.rejected(t, err) {
			return err
		}
		return s.render(c, http.StatusUnprocessableEntity, "password-reset.html", "PasswordResetTitle", passwordResetPage{form: f})
	}
	return s.render(c, http.StatusOK, "password-reset.html", "PasswordResetTitle", passwordResetPage{form: newForm(s), Asked: true})
}
