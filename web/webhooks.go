package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// The webhooks page of a network: its webhooks with their last deliveries, the form that
// creates one (showing its secret once) and a remove button per webhook. The application
// decides who may (app.WebhookRights): the network's admins and its organisers of every
// series, the instance's administrator.

// webhooksURL is the webhooks page of network id.
func webhooksURL(id domain.NetworkID) string { return networkURL(id) + "/webhooks" }

func (s *site) webhookRoutes() []route {
	const p = networksPath + "/:id/webhooks"
	signedIn := s.anyoneSignedIn
	return []route{
		{http.MethodGet, p, signedIn(s.webhooksPage), false},
		{http.MethodPost, p, signedIn(s.addWebhook), false},
		{http.MethodPost, p + "/:wid/remove", signedIn(s.removeWebhook), false},
	}
}

// webhooksPage is what the webhooks page shows.
type webhooksPage struct {
	N     app.NetworkView
	Path  string
	Hooks []app.WebhookView
	Types []hookType
	// Personal is set for whoever may create a webhook that receives personal data.
	Personal bool
	Add      form
	// Created is the webhook just created, with its secret, shown this once.
	Created *app.WebhookView
	Removed bool
}

// hookType is an event type a webhook may be sent on, with the id of its description.
type hookType struct {
	Type    domain.WebhookEventType
	Message string
}

// hookTypes lists every event type with the id of its description.
func hookTypes() []hookType {
	out := make([]hookType, 0, len(domain.WebhookEventTypes))
	for _, t := range domain.WebhookEventTypes {
		out = append(out, hookType{t, "WebhookType_" + strings.ReplaceAll(string(t), ".", "_")})
	}
	return out
}

// Checked reports whether the form ticks event type t (a new form ticks none).
func (p webhooksPage) Checked(t domain.WebhookEventType) bool {
	for _, v := range p.Add.Values["events"] {
		if v == string(t) {
			return true
		}
	}
	return false
}

func (s *site) webhooksData(c echo.Context) (webhooksPage, error) {
	id, err := networkID(c)
	if err != nil {
		return webhooksPage{}, err
	}
	caller, err := s.caller(c)
	if err != nil {
		return webhooksPage{}, err
	}
	ctx := c.Request().Context()
	personal, err := s.cmds.WebhookRights(ctx, caller, id)
	if err != nil {
		return webhooksPage{}, err
	}
	n, err := s.cmds.Network(ctx, caller, id)
	if err != nil {
		return webhooksPage{}, err
	}
	hooks, err := s.cmds.Webhooks(ctx, caller, id)
	if err != nil {
		return webhooksPage{}, err
	}
	return webhooksPage{N: n, Path: webhooksURL(id), Hooks: hooks, Types: hookTypes(), Personal: personal,
		Add: newForm(s), Removed: c.QueryParam("removed") == "1"}, nil
}

func (s *site) webhooksPage(c echo.Context) error {
	return show(s, c, s.webhooksData, "webhooks.html", "WebhooksTitle")
}

// webhookForm is the route's network, its caller once found to manage the network's webhooks,
// and the posted form.
func (s *site) webhookForm(c echo.Context) (domain.NetworkID, app.Caller, form, error) {
	id, err := networkID(c)
	if err != nil {
		return "", app.Caller{}, form{}, err
	}
	caller, err := s.checkedCaller(c, func(ctx context.Context, caller app.Caller) error {
		_, err := s.cmds.WebhookRights(ctx, caller, id)
		return err
	})
	if err != nil {
		return "", app.Caller{}, form{}, err
	}
	f, err := submitted(c)
	return id, caller, f, err
}

// addWebhook creates a webhook and answers with the page that shows its secret this once.
func (s *site) addWebhook(c echo.Context) error {
	id, caller, f, err := s.webhookForm(c)
	if err != nil {
		return err
	}
	var events []domain.WebhookEventType
	for _, v := range f.Values["events"] {
		events = append(events, domain.WebhookEventType(v))
	}
	v, err := s.cmds.AddWebhook(c.Request().Context(), caller, callerOp(f, "add webhook "+string(id)),
		app.NewWebhook{URL: f.V("url"), Events: events, PersonalData: f.V("personal_data") == "yes", Network: id})
	if err != nil {
		return rerender(s, c, err, (*form).rejectedWebhook, s.webhooksData,
			func(p *webhooksPage, f form) { p.Add = f }, "webhooks.html", "WebhooksTitle")
	}
	// The network as loaded before the decision lacks the new webhook: load it afresh.
	c.SetRequest(c.Request().WithContext(app.Remembering(c.Request().Context())))
	p, err := s.webhooksData(c)
	if err != nil {
		return err
	}
	p.Created = &v
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, "webhooks.html", "WebhooksTitle", p)
}

// removeWebhook removes a webhook: it gets nothing more.
func (s *site) removeWebhook(c echo.Context) error {
	id, caller, f, err := s.webhookForm(c)
	if err != nil {
		return err
	}
	wid := c.Param("wid")
	if !domain.ValidID(wid) {
		return domain.ErrWebhookNotFound
	}
	hook, err := s.cmds.Webhook(c.Request().Context(), caller, domain.WebhookID(wid))
	if err != nil {
		return err
	}
	if hook.Network != id {
		return domain.ErrWebhookNotFound
	}
	if err := s.cmds.RemoveWebhook(c.Request().Context(), caller, callerOp(f, "remove webhook "+wid), hook.ID); err != nil {
		return err
	}
	return seeOther(c, webhooksURL(id), "removed", "1")
}

// rejectedWebhook explains a rejected webhook form: as rejected does, with a refusal by role,
// the rules of webhooks, and one message at the event types for any of them.
func (f *form) rejectedWebhook(t texts, err error) bool {
	if errors.Is(err, app.ErrForbidden) {
		f.Message = t.T("ErrRoleForbidden")
		return true
	}
	if msg, ok := t.ruleMessage(err, []*domain.Rule{domain.ErrWebhookExists, domain.ErrTooManyWebhooks}); ok {
		f.Message = msg
		return true
	}
	if !f.rejected(t, err) {
		return false
	}
	for field, msg := range f.Errors {
		if strings.HasPrefix(field, "events[") {
			delete(f.Errors, field)
			f.Errors["events"] = msg
		}
	}
	return true
}
