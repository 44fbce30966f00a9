package app

import (
	"context"
	"slices"

	"github.com/werkstatt/werkstatt/domain"
)

// A network's default retention period: the period of the workshops of the network whose series
// sets none. The series' setting comes first, then the network's default, then the instance's
// (domain.DefaultRetentionMonths).

// NetworkRetention is a network's default retention period.
type NetworkRetention struct {
	Network domain.NetworkID `json:"network"`
	// Months is the period of the network's workshops whose series sets none.
	Months int `json:"months"`
	// Source is "network" when the network set it, "default" (the instance's) otherwise.
	Source string `json:"source"`
}

func networkRetentionOf(n domain.Network) NetworkRetention {
	if n.RetentionMonths > 0 {
		return NetworkRetention{Network: n.ID, Months: n.RetentionMonths, Source: "network"}
	}
	return NetworkRetention{Network: n.ID, Months: DefaultRetentionMonths, Source: "default"}
}

// networkDefaultMonths is the default retention period network sets, 0 for none (and for the
// workshops of no network).
func (a *App) networkDefaultMonths(ctx context.Context, network domain.NetworkID) (int, error) {
	if network == "" || a.cfg.Networks == nil {
		return 0, nil
	}
	n, err := a.network(ctx, network)
	if err != nil {
		return 0, err
	}
	return n.RetentionMonths, nil
}

// defaultMonths is the period of network's workshops whose series sets none.
func (a *App) defaultMonths(ctx context.Context, network domain.NetworkID) (int, error) {
	m, err := a.networkDefaultMonths(ctx, network)
	if err != nil || m == 0 {
		return DefaultRetentionMonths, err
	}
	return m, nil
}

// readsRetentionOf checks that c may read network id's default period: its admins and
// organisers, and the instance's administrator.
func (a *App) readsRetentionOf(ctx context.Context, c Caller, id domain.NetworkID) (domain.Network, error) {
	n, m, ok, err := a.membership(ctx, c, id)
	switch {
	case err != nil:
		return n, err
	case !n.Exists() || (!ok && !c.Admin):
		return n, domain.ErrNetworkNotFound
	case c.Admin:
		return n, nil
	case !slices.ContainsFunc(m.Roles, func(g domain.RoleGrant) bool {
		return g.Role == domain.RoleAdmin || g.Role == domain.RoleOrganiser
	}):
		return n, ErrForbidden
	}
	return n, nil
}

// NetworkRetentionOf returns network id's default retention period; its admins and organisers
// may read it.
func (a *App) NetworkRetentionOf(ctx context.Context, c Caller, id domain.NetworkID) (NetworkRetention, error) {
	n, err := a.readsRetentionOf(ctx, c, id)
	if err != nil {
		return NetworkRetention{}, err
	}
	return networkRetentionOf(n), nil
}

// SetNetworkRetention sets network id's default retention period in months (1 to 120); its
// admins may, and the instance's administrator. It applies at once to every workshop of the
// network whose series sets no period: the privacy notice, the registration page and the next
// retention run use it.
func (a *App) SetNetworkRetention(ctx context.Context, c Caller, op Op, id domain.NetworkID, months int) (NetworkRetention, error) {
	actor, err := a.adminOf(ctx, c, id)
	if err != nil {
		return NetworkRetention{}, err
	}
	op.Actor = actor
	if _, err := a.decideNetwork(ctx, id, op, func(n domain.Network) ([]domain.Event, error) { return n.SetRetentionDefault(months) }); err != nil {
		return NetworkRetention{}, err
	}
	n, err := a.network(withoutRemembered(ctx), id)
	if err != nil {
		return NetworkRetention{}, err
	}
	return networkRetentionOf(n), nil
}
