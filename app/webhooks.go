package app

import (
	"context"
	"crypto/sha256"
	"errors"
	"slices"
	"strings"

	"github.com/oklog/ulid/v2"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/webhooks"
)

// The use cases of webhooks: a network's organisers and admins subscribe URLs to events of the
// network's workshops (see package webhooks for the deliveries).

// WebhookLog reads a webhook's last delivery attempts. infra/webhooks implements it.
type WebhookLog interface {
	Attempts(ctx context.Context, hook domain.WebhookID) ([]webhooks.Attempt, error)
}

// WebhookView is a webhook as its network's organisers see it.
type WebhookView struct {
	ID           domain.WebhookID          `json:"id"`
	Network      domain.NetworkID          `json:"network"`
	URL          string                    `json:"url"`
	Events       []domain.WebhookEventType `json:"events"`
	PersonalData bool                      `json:"personal_data"`
	// Secret signs the deliveries; it is shown once, when the webhook is created.
	Secret string `json:"secret,omitempty"`
	// Deliveries are the last attempts, newest first.
	Deliveries []webhooks.Attempt `json:"deliveries"`
}

// NewWebhook is what a caller asks for when creating a webhook.
type NewWebhook struct {
	URL          string
	Events       []domain.WebhookEventType
	PersonalData bool
	// Network owns the webhook; "" for the caller's one network.
	Network domain.NetworkID
}

// webhookRole answers how c manages network id's webhooks: the actor, and whether they may
// send personal data (its admins and the instance's administrator). A stranger learns nothing
// of the network; a member who organises less than the whole network is refused.
func (a *App) webhookRole(ctx context.Context, c Caller, id domain.NetworkID) (string, bool, error) {
	n, m, ok, err := a.membership(ctx, c, id)
	switch {
	case err != nil:
		return "", false, err
	case !n.Exists() || (!ok && !c.Admin):
		return "", false, domain.ErrNetworkNotFound
	case c.Admin:
		return ActorOrganiser, true, nil
	case hasRole(m, domain.RoleAdmin):
		return ActorAccount(c.Account, domain.RoleAdmin), true, nil
	case m.Holds(domain.RoleOrganiser, ""):
		return ActorAccount(c.Account, domain.RoleOrganiser), false, nil
	}
	return "", false, ErrForbidden
}

// AddWebhook subscribes a URL to events of a network's workshops and returns it with its
// signing secret. Without a network it goes to the caller's one network.
func (a *App) AddWebhook(ctx context.Context, c Caller, op Op, w NewWebhook) (WebhookView, error) {
	if a.cfg.Networks == nil {
		return WebhookView{}, ErrNoNetworks
	}
	if w.Network == "" {
		id, err := a.defaultNetwork(ctx, c)
		if err != nil {
			return WebhookView{}, err
		}
		if id == "" {
			// Somebody who manages no network's webhooks is refused; somebody who manages
			// several names one.
			if manages, err := a.managesWebhooks(ctx, c); err != nil || !manages {
				return WebhookView{}, errOr(err, ErrForbidden)
			}
			return WebhookView{}, domain.FieldErrors{{Field: "network", Code: domain.CodeRequired, Detail: "must name the network the webhook belongs to"}}
		}
		w.Network = id
	}
	actor, byAdmin, err := a.webhookRole(ctx, c, w.Network)
	if err != nil {
		if errors.Is(err, domain.ErrNotFound) || errors.Is(err, domain.ErrInvalid) {
			return WebhookView{}, domain.FieldErrors{{Field: "network", Code: domain.CodeUnknownID, Detail: "names no network of yours"}}
		}
		return WebhookView{}, err
	}
	op.Actor = actor
	if !a.cfg.WebhooksToInternal && webhooks.InternalHost(strings.TrimSpace(w.URL)) {
		return WebhookView{}, domain.FieldErrors{{Field: "url", Code: domain.CodeInternalAddress,
			Detail: "names an internal address (loopback, private or link-local network); the operator may allow those with --webhooks-to-internal-addresses"}}
	}
	id := domain.WebhookID(a.cfg.NewID())
	if commandID, _ := a.binding(op); commandID != "" {
		sum := sha256.Sum256([]byte(a.cfg.Pseudonyms.Pseudonym("webhook-id", commandID)))
		var u ulid.ULID
		copy(u[:], sum[:])
		id = domain.WebhookID(u.String())
	}
	res, err := a.decideNetwork(ctx, w.Network, op, func(n domain.Network) ([]domain.Event, error) {
		return n.AddWebhook(domain.AddWebhook{ID: id, URL: w.URL, Events: w.Events, PersonalData: w.PersonalData, ByAdmin: byAdmin})
	})
	if err != nil {
		return WebhookView{}, err
	}
	for _, e := range res.Events {
		if added, ok := e.(domain.WebhookAdded); ok {
			v := webhookView(w.Network, domain.Webhook{ID: added.ID, URL: added.URL, Events: added.Events, PersonalData: added.PersonalData})
			v.Secret = webhooks.Secret(a.cfg.Pseudonyms, w.Network, added.ID)
			return v, nil
		}
	}
	return WebhookView{}, domain.ErrWebhookNotFound
}

func webhookView(network domain.NetworkID, h domain.Webhook) WebhookView {
	return WebhookView{ID: h.ID, Network: network, URL: h.URL, Events: h.Events, PersonalData: h.PersonalData, Deliveries: []webhooks.Attempt{}}
}

// Webhooks lists the webhooks of the networks whose webhooks c manages (every network's for
// the instance's administrator), each with its last attempts. network, when set, confines the
// list to that network.
func (a *App) Webhooks(ctx context.Context, c Caller, network domain.NetworkID) ([]WebhookView, error) {
	views, err := a.Networks(ctx, c)
	if err != nil {
		return nil, err
	}
	out := []WebhookView{}
	for _, nv := range views {
		if network != "" && nv.ID != network {
			continue
		}
		if _, _, err := a.webhookRole(ctx, c, nv.ID); err != nil {
			continue // a member who does not manage the network's webhooks sees none
		}
		n, err := a.network(ctx, nv.ID)
		if err != nil {
			return nil, err
		}
		for _, h := range n.Webhooks {
			v := webhookView(n.ID, h)
			if v.Deliveries, err = a.webhookAttempts(ctx, h.ID); err != nil {
				return nil, err
			}
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(x, y WebhookView) int { return strings.Compare(string(x.ID), string(y.ID)) })
	return out, nil
}

func (a *App) webhookAttempts(ctx context.Context, id domain.WebhookID) ([]webhooks.Attempt, error) {
	if a.cfg.WebhookLog == nil {
		return []webhooks.Attempt{}, nil
	}
	list, err := a.cfg.WebhookLog.Attempts(ctx, id)
	if list == nil {
		list = []webhooks.Attempt{}
	}
	return list, err
}

// Webhook returns webhook id if c manages it; anybody else gets not-found.
func (a *App) Webhook(ctx context.Context, c Caller, id domain.WebhookID) (WebhookView, error) {
	all, err := a.Webhooks(ctx, c, "")
	if err != nil {
		return WebhookView{}, err
	}
	for _, v := range all {
		if v.ID == id {
			return v, nil
		}
	}
	return WebhookView{}, domain.ErrWebhookNotFound
}

// RemoveWebhook removes webhook id: it gets nothing more, not even the retries of deliveries
// that failed.
func (a *App) RemoveWebhook(ctx context.Context, c Caller, op Op, id domain.WebhookID) error {
	v, err := a.Webhook(ctx, c, id)
	if err != nil {
		return err
	}
	actor, _, err := a.webhookRole(ctx, c, v.Network)
	if err != nil {
		return err
	}
	op.Actor = actor
	_, err = a.decideNetwork(ctx, v.Network, op, func(n domain.Network) ([]domain.Event, error) { return n.RemoveWebhook(id) })
	return err
}

// managesWebhooks reports whether c manages the webhooks of any network.
func (a *App) managesWebhooks(ctx context.Context, c Caller) (bool, error) {
	views, err := a.Networks(ctx, c)
	if err != nil {
		return false, err
	}
	for _, nv := range views {
		if _, _, err := a.webhookRole(ctx, c, nv.ID); err == nil {
			return true, nil
		}
	}
	return false, nil
}

// WebhookRights returns whether c manages network id's webhooks (nil) and whether they may
// create one that receives personal data. A stranger gets not-found, a member without the role
// ErrForbidden.
func (a *App) WebhookRights(ctx context.Context, c Caller, id domain.NetworkID) (personal bool, err error) {
	if a.cfg.Networks == nil {
		return false, ErrNoNetworks
	}
	_, personal, err = a.webhookRole(ctx, c, id)
	return personal, err
}
