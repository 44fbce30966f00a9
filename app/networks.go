package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// Networks decides commands on networks and reads them back. *eventstore.Store implements it.
type Networks interface {
	UpdateNetwork(ctx context.Context, id domain.NetworkID, meta domain.Meta, decide domain.NetworkDecision) (domain.Appended, error)
	// LoadNetwork returns the network as the log holds it now (the zero Network if none).
	LoadNetwork(ctx context.Context, id domain.NetworkID) (domain.Network, uint64, error)
	// NetworkIDs lists every network.
	NetworkIDs(ctx context.Context) ([]domain.NetworkID, error)
	// NetworkLog returns the network's events with personal data opened (nil once erased).
	NetworkLog(ctx context.Context, id domain.NetworkID) ([]domain.Recorded, error)
}

// Credentials keeps what people sign in with beside the log: personal API tokens and one-time
// links to set a password. infra/credentials implements it.
type Credentials interface {
	IssueToken(ctx context.Context, account domain.AccountID, network, label string) (id, token string, err error)
	// Token returns the token's description; false for an unknown or revoked token.
	Token(ctx context.Context, token string) (domain.TokenInfo, bool, error)
	RevokeToken(ctx context.Context, account domain.AccountID, id string) error
	Tokens(ctx context.Context, account domain.AccountID) ([]domain.TokenInfo, error)
	// Erase forgets the account's password, links and tokens.
	Erase(ctx context.Context, account domain.AccountID) error
	// HasPassword reports whether the account has set a password.
	HasPassword(ctx context.Context, account domain.AccountID) (bool, error)
	// IssueSetLink returns a one-time token with which the account of email sets its password.
	IssueSetLink(ctx context.Context, account domain.AccountID, email string, ttl time.Duration) (string, error)
	// IssueSetLinkFor issues such a link for a token the caller derived (see issuePasswordLink).
	IssueSetLinkFor(ctx context.Context, account domain.AccountID, email, token string, ttl time.Duration) error
	// EndSessions ends every page session of the account at once.
	EndSessions(ctx context.Context, account domain.AccountID) error
}

// InvitationLifetime is how long a one-time link to set a password holds.
const InvitationLifetime = 7 * 24 * time.Hour

// ErrForbidden is returned by a use case the caller's roles do not allow (API: 403).
var ErrForbidden = errors.New("your roles do not allow this")

// ErrNoNetworks is returned when networks are asked for but the instance keeps none (no
// Networks adapter): read as unavailable.
var ErrNoNetworks = fmt.Errorf("networks are not configured: %w", domain.ErrUnavailable)

// Caller is who sends a request, as their credentials say.
type Caller struct {
	// Admin is the instance's administrator (WERKSTATT_ADMIN_TOKEN, or a page session signed in
	// with it): every network, every workshop, and the workshops of no network.
	Admin bool
	// Account is a person signed in with their own account, "" for none.
	Account domain.AccountID
	// Network confines an API token to the network it was issued in; "" means every network
	// the account is a member of (a page session).
	Network domain.NetworkID
}

// Anonymous reports whether c presented no credentials that name anyone.
func (c Caller) Anonymous() bool { return !c.Admin && c.Account == "" }

// ActsAsOrganiser reports whether actor is the instance's administrator or a person acting in a
// role that organises (admin, organiser, door): a registration they make is one by hand.
func ActsAsOrganiser(actor string) bool {
	if actor == ActorOrganiser {
		return true
	}
	a := ParseActor(actor)
	return a.Kind == KindAccount && a.Role != string(domain.RoleMember) && a.Role != string(domain.RoleLead)
}

// accountNames is AccountNames, or else the names the networks' logs hold.
func (a *App) accountNames() AccountNames {
	if a.cfg.AccountNames != nil {
		return a.cfg.AccountNames
	}
	if a.cfg.Networks != nil {
		return networkNames{a}
	}
	return nil
}

// networkNames tells an account's name from the networks it is a member of.
type networkNames struct{ a *App }

func (n networkNames) AccountName(ctx context.Context, id string) (string, bool, error) {
	ids, err := n.a.cfg.Networks.NetworkIDs(ctx)
	if err != nil {
		return "", false, err
	}
	for _, nid := range ids {
		log, err := n.a.cfg.Networks.NetworkLog(ctx, nid)
		if err != nil {
			return "", false, err
		}
		for i := len(log) - 1; i >= 0; i-- {
			if e, ok := log[i].Event.(domain.MemberAdded); ok && string(e.Account) == id {
				if e.Person == nil {
					return "", false, nil // erased
				}
				return e.Person.Name, true, nil
			}
		}
	}
	return "", false, nil
}

// CallerOf returns who a bearer token names: the instance's administrator, the account of a
// personal API token, or nobody (false).
func (a *App) CallerOf(ctx context.Context, token string) (Caller, bool, error) {
	if a.IsOrganiser(token) {
		return Caller{Admin: true}, true, nil
	}
	if a.cfg.Credentials == nil || !strings.HasPrefix(token, APITokenPrefix) {
		return Caller{}, false, nil
	}
	info, ok, err := a.cfg.Credentials.Token(ctx, token)
	if err != nil || !ok {
		return Caller{}, false, err
	}
	return Caller{Account: info.Account, Network: domain.NetworkID(info.Network)}, true, nil
}

// APITokenPrefix starts every personal API token, so that a token is recognised (and a secret
// scanner finds a leaked one) without a lookup.
const APITokenPrefix = "wst_"

// membership returns the caller's place in network id: false when they are no member, or when
// their token was issued for another network.
func (a *App) membership(ctx context.Context, c Caller, id domain.NetworkID) (domain.Network, domain.Member, bool, error) {
	if a.cfg.Networks == nil {
		return domain.Network{}, domain.Member{}, false, ErrNoNetworks
	}
	n, err := a.network(ctx, id)
	if err != nil || !n.Exists() {
		return n, domain.Member{}, false, err
	}
	if c.Account == "" || (c.Network != "" && c.Network != id) {
		return n, domain.Member{}, false, nil
	}
	m, ok := n.Members[c.Account]
	return n, m, ok, nil
}

// network loads network id, once per context made by Remembering.
func (a *App) network(ctx context.Context, id domain.NetworkID) (domain.Network, error) {
	seen, _ := ctx.Value(networksKey{}).(map[domain.NetworkID]domain.Network)
	if n, ok := seen[id]; ok {
		return n, nil
	}
	n, _, err := a.cfg.Networks.LoadNetwork(ctx, id)
	if err == nil && seen != nil {
		seen[id] = n
	}
	return n, err
}

type networksKey struct{}

// Remembering returns a context under which the access checks load each network once: a page
// that checks every workshop of a list asks the log once per network, not once per workshop.
// It is for one request, handled by one goroutine.
func Remembering(ctx context.Context) context.Context {
	return context.WithValue(ctx, networksKey{}, map[domain.NetworkID]domain.Network{})
}

// WorkshopRole answers whether c may act on a workshop of network and series in role, and the
// actor the log records for it. The instance's administrator may do everything; a member acts
// in role when they hold it for the series, and an organiser (or admin) of the series does
// what door and lead do. A workshop of no network is the administrator's alone.
func (a *App) WorkshopRole(ctx context.Context, c Caller, network domain.NetworkID, series string, role domain.Role) (string, bool, error) {
	if c.Admin {
		return ActorOrganiser, true, nil
	}
	if c.Account == "" || network == "" {
		return "", false, nil
	}
	_, m, ok, err := a.membership(ctx, c, network)
	if err != nil || !ok {
		return "", false, err
	}
	runsDoorOrReads := role == domain.RoleDoor || role == domain.RoleLead
	if !m.Holds(role, series) && !(runsDoorOrReads && m.Holds(domain.RoleOrganiser, series)) {
		return "", false, nil
	}
	acting := role
	switch {
	case hasRole(m, domain.RoleAdmin):
		acting = domain.RoleAdmin
	case !m.Holds(role, series):
		acting = domain.RoleOrganiser
	}
	return ActorAccount(c.Account, acting), true, nil
}

func hasRole(m domain.Member, r domain.Role) bool {
	return slices.ContainsFunc(m.Roles, func(g domain.RoleGrant) bool { return g.Role == r })
}

// Sees reports whether c sees a workshop of network with visibility: a public one everybody, a
// members-only one the instance's administrator and the network's members.
func (a *App) Sees(ctx context.Context, c Caller, network domain.NetworkID, v domain.Visibility) (bool, error) {
	if v.Or() == domain.Public || c.Admin {
		return true, nil
	}
	if c.Account == "" || network == "" {
		return false, nil
	}
	_, _, ok, err := a.membership(ctx, c, network)
	return ok, err
}

// organiserActor is the actor of an organisers' use case: a person acting in an organising
// role as they are, anybody else (the page or token of the instance's administrator) as the
// organiser.
func organiserActor(actor string) string {
	if ActsAsOrganiser(actor) {
		return actor
	}
	return ActorOrganiser
}

// ScheduleFor schedules a workshop as c: the instance's administrator in any network or in
// none, a person in a network where they organise the workshop's series. Without a network the
// workshop goes to the one network there is (for a person: the one network where they
// organise); a network c is no member of is an unknown one.
func (a *App) ScheduleFor(ctx context.Context, c Caller, op Op, cmd domain.ScheduleWorkshop) (domain.WorkshopScheduled, error) {
	if cmd.Network == "" {
		id, err := a.defaultNetwork(ctx, c)
		if err != nil {
			return domain.WorkshopScheduled{}, err
		}
		cmd.Network = id
	}
	if cmd.Network != "" {
		n, _, member, err := a.membership(ctx, c, cmd.Network)
		if err != nil && !errors.Is(err, domain.ErrInvalid) {
			return domain.WorkshopScheduled{}, err
		}
		if err != nil || !n.Exists() || (!member && !c.Admin) {
			return domain.WorkshopScheduled{}, domain.FieldErrors{{Field: "network", Code: domain.CodeUnknownID, Detail: "names no network of yours"}}
		}
	}
	actor, ok, err := a.WorkshopRole(ctx, c, cmd.Network, strings.TrimSpace(cmd.Series), domain.RoleOrganiser)
	switch {
	case err != nil:
		return domain.WorkshopScheduled{}, err
	case !ok && cmd.Network == "":
		return domain.WorkshopScheduled{}, domain.FieldErrors{{Field: "network", Code: domain.CodeRequired, Detail: "must name the network the workshop belongs to"}}
	case !ok:
		return domain.WorkshopScheduled{}, ErrForbidden
	}
	op.Actor = actor
	return a.ScheduleWorkshop(ctx, op, cmd)
}

// defaultNetwork is the network a workshop goes to when its request names none: the instance's
// only network for the administrator, the only network where a person organises for them; ""
// when there is no such one network.
func (a *App) defaultNetwork(ctx context.Context, c Caller) (domain.NetworkID, error) {
	if a.cfg.Networks == nil {
		return "", nil
	}
	views, err := a.Networks(ctx, c)
	if err != nil {
		return "", err
	}
	var found []domain.NetworkID
	for _, v := range views {
		if c.Admin || slices.ContainsFunc(v.Roles, func(g domain.RoleGrant) bool {
			return g.Role == domain.RoleAdmin || g.Role == domain.RoleOrganiser
		}) {
			found = append(found, v.ID)
		}
	}
	if len(found) != 1 {
		return "", nil
	}
	return found[0], nil
}

// RegisterAs registers a person for workshop id as c asks: an organiser of the workshop
// registers by hand; a member of the workshop's network registers themselves, their account's
// name, e-mail address and organisation filling what r leaves out; anybody else registers as
// the public does. A members-only workshop is not found for whoever does not see it.
func (a *App) RegisterAs(ctx context.Context, c Caller, id domain.WorkshopID, op Op, r Registration) (Registered, error) {
	if c.Anonymous() {
		// The log decides, without the read models: the domain refuses a members-only
		// workshop to the public.
		return a.RegisterParticipant(ctx, id, op, r)
	}
	w, err := a.cfg.Reader.Workshop(ctx, id)
	if errors.Is(err, domain.ErrNotFound) {
		return a.RegisterParticipant(ctx, id, op, r)
	}
	if err != nil {
		return Registered{}, err
	}
	if ok, err := a.Sees(ctx, c, w.Network, w.Visibility); err != nil || !ok {
		return Registered{}, errOr(err, domain.ErrWorkshopNotFound)
	}
	if actor, ok, err := a.WorkshopRole(ctx, c, w.Network, w.Series, domain.RoleOrganiser); err != nil {
		return Registered{}, err
	} else if ok {
		op.Actor = actor
		return a.RegisterByHand(ctx, id, op, r)
	}
	if c.Account == "" || w.Network == "" {
		return a.RegisterParticipant(ctx, id, op, r)
	}
	m, err := a.Member(ctx, c, w.Network, c.Account)
	if errors.Is(err, domain.ErrNotFound) {
		return a.RegisterParticipant(ctx, id, op, r)
	}
	if err != nil {
		return Registered{}, err
	}
	if strings.TrimSpace(r.Name) == "" {
		r.Name = m.Name
	}
	if strings.TrimSpace(r.Email) == "" {
		r.Email = m.Email
	}
	if strings.TrimSpace(r.Organisation) == "" {
		r.Organisation = m.Organisation
	}
	op.Actor = ActorAccount(c.Account, domain.RoleMember)
	r.member = true
	return a.register(ctx, id, op, r, false)
}
