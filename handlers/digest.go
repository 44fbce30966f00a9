package handlers

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// The signed-in member's own subscription to the network's announcements by mail: PUT
// subscribes, DELETE unsubscribes; both answer 204 and change nothing when repeated.

func (a *api) subscribeDigest(c echo.Context) error {
	id, err := networkID(c)
	if err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	lang, err := subscriptionLang(c)
	if err != nil {
		return err
	}
	if err := a.cmds.SubscribeDigest(c.Request().Context(), callerOf(c), op, id, lang); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// subscriptionLang is the language of the announcement mails a subscription asks for:
// ?lang=de|en, else the first of Accept-Language that is German or English, else German.
func subscriptionLang(c echo.Context) (string, error) {
	if q, ok := c.QueryParams()["lang"]; ok {
		if len(q) != 1 || !slices.Contains(domain.Languages, q[0]) {
			return "", domain.FieldErrors{{Field: "lang", Code: domain.CodeNotInList, Detail: "must be one of " + strings.Join(domain.Languages, ", ")}}
		}
		return q[0], nil
	}
	tags, _, err := language.ParseAcceptLanguage(c.Request().Header.Get("Accept-Language"))
	if err != nil {
		return domain.DefaultLanguage, nil
	}
	for _, t := range tags {
		if base, _ := t.Base(); slices.Contains(domain.Languages, base.String()) {
			return base.String(), nil
		}
	}
	return domain.DefaultLanguage, nil
}

func (a *api) unsubscribeDigest(c echo.Context) error {
	id, err := networkID(c)
	if err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	if err := a.cmds.UnsubscribeDigest(c.Request().Context(), callerOf(c), op, id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
