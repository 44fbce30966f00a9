package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// The routes of webhooks. Who may do what is the application's to decide (app.AddWebhook,
// ...): a network's admins and its organisers of every series manage its webhooks, the
// instance's administrator those of any network. A webhook is not found for anybody else.

func webhookID(c echo.Context) (domain.WebhookID, error) {
	id := c.Param("id")
	if !domain.ValidID(id) {
		return "", domain.ErrWebhookNotFound
	}
	return domain.WebhookID(id), nil
}

// addWebhook answers POST /webhooks {"url","events","personal_data"?,"network"?} with the
// webhook and its signing secret, which is shown only here.
func (a *api) addWebhook(c echo.Context) error {
	var b struct {
		URL          string                    `json:"url"`
		Events       []domain.WebhookEventType `json:"events"`
		PersonalData bool                      `json:"personal_data"`
		Network      domain.NetworkID          `json:"network"`
	}
	if err := decode(c, &b); err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	v, err := a.cmds.AddWebhook(c.Request().Context(), callerOf(c), op, app.NewWebhook{URL: b.URL, Events: b.Events, PersonalData: b.PersonalData, Network: b.Network})
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/webhooks/"+string(v.ID))
	return c.JSON(http.StatusCreated, v)
}

// listWebhooks answers GET /webhooks: the webhooks of the caller's networks with their last
// deliveries.
func (a *api) listWebhooks(c echo.Context) error {
	list, err := a.cmds.Webhooks(c.Request().Context(), callerOf(c), "")
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string][]app.WebhookView{"webhooks": list})
}

func (a *api) showWebhook(c echo.Context) error {
	id, err := webhookID(c)
	if err != nil {
		return err
	}
	v, err := a.cmds.Webhook(c.Request().Context(), callerOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (a *api) removeWebhook(c echo.Context) error {
	id, err := webhookID(c)
	if err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	if err := a.cmds.RemoveWebhook(c.Request().Context(), callerOf(c), op, id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
