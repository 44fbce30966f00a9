package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/reports"
)

// The routes of the privacy notice (app.PrivacyNotice): everybody reads a network's notice and
// the instance's; a network's admins (and the instance's administrator) state the network's,
// the instance's administrator the instance's. ?lang=de|en chooses the template's language
// for what the notice leaves empty.

// noticeLang is the request's ?lang.
func noticeLang(c echo.Context) (string, error) {
	lang, ok := reports.ParseLang(c.QueryParam("lang"))
	if !ok {
		return "", errBadLang
	}
	return string(lang), nil
}

func (a *api) showPrivacyNotice(c echo.Context, id domain.NetworkID) error {
	lang, err := noticeLang(c)
	if err != nil {
		return err
	}
	v, err := a.cmds.PrivacyNotice(c.Request().Context(), id, lang)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (a *api) setPrivacyNotice(c echo.Context, id domain.NetworkID) error {
	lang, err := noticeLang(c)
	if err != nil {
		return err
	}
	var p domain.PrivacyNotice
	if err := decode(c, &p); err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	v, err := a.cmds.SetPrivacyNotice(c.Request().Context(), callerOf(c), op, id, p, lang)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (a *api) showNetworkPrivacyNotice(c echo.Context) error {
	id, err := networkID(c)
	if err != nil {
		return err
	}
	return a.showPrivacyNotice(c, id)
}

func (a *api) setNetworkPrivacyNotice(c echo.Context) error {
	id, err := networkID(c)
	if err != nil {
		return err
	}
	return a.setPrivacyNotice(c, id)
}

func (a *api) showInstancePrivacyNotice(c echo.Context) error { return a.showPrivacyNotice(c, "") }

func (a *api) setInstancePrivacyNotice(c echo.Context) error { return a.setPrivacyNotice(c, "") }
