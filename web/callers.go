package web

import (
	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
)

// pageCaller returns who is signed in on the pages, as the application knows callers: the
// instance's administrator (signed in with the organiser token) or a person with their account.
func (s *site) pageCaller(c echo.Context) (app.Caller, bool, error) {
	if _, ok, err := s.currentSession(c, sessionCookie, roleOrganiser); err != nil || ok {
		return app.Caller{Admin: ok}, ok, err
	}
	account, ok, err := s.signedInAccount(c)
	if err != nil || !ok {
		return app.Caller{}, false, err
	}
	return app.Caller{Account: account}, true, nil
}

// anyoneSignedIn lets through whoever is signed in (the application decides what they may do
// there); others go to the sign-in page and come back afterwards.
func (s *site) anyoneSignedIn(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		_, ok, err := s.pageCaller(c)
		if err != nil {
			return err
		}
		if !ok {
			return toSignIn(c)
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}
