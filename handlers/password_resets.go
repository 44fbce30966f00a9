package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type passwordResetBody struct {
	Email string `json:"email"`
	Lang  string `json:"lang"`
}

// requestPasswordReset is public: whoever forgot the password of their account asks for a link
// to set a new one. The answer is 202 whether or not the address has an account; the outbox
// mails the link when it has.
func (a *api) requestPasswordReset(c echo.Context) error {
	var b passwordResetBody
	if err := decode(c, &b); err != nil {
		return err
	}
	if err := a.cmds.RequestPasswordReset(c.Request().Context(), b.Email, b.Lang); err != nil {
		return err
	}
	return c.NoContent(http.StatusAccepted)
}
