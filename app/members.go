package app

import (
	"context"
	"crypto/sha256"
	"errors"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/werkstatt/werkstatt/domain"
)

// The use cases of networks and their members. The instance's administrator creates networks
// and may manage any; a network's admins manage its members and their roles.

// NetworkView is a network as its members see it.
type NetworkView struct {
	ID   domain.NetworkID `json:"id"`
	Name string           `json:"name"`
	// Roles are the caller's roles in it (none for the instance's administrator).
	Roles []domain.RoleGrant `json:"roles,omitempty"`
}

// MemberView is a member as the network's admins see them. Name and Email are "" once the
// account was erased.
type MemberView struct {
	ID           domain.AccountID   `json:"id"`
	Name         string             `json:"name"`
	Email        string             `json:"email"`
	Organisation string             `json:"organisation,omitempty"`
	Roles        []domain.RoleGrant `json:"roles"`
	Erased       bool               `json:"erased,omitempty"`
}

// decideNetwork lets d run on network id through the log; a network has no read model to wait for.
func (a *App) decideNetwork(ctx context.Context, id domain.NetworkID, op Op, d domain.NetworkDecision) (domain.Appended, error) {
	if a.cfg.Networks == nil {
		return domain.Appended{}, ErrNoNetworks
	}
	meta := domain.Meta{Actor: op.Actor, At: a.cfg.Now()}
	meta.CommandID, meta.Request = a.binding(op)
	res, err := a.cfg.Networks.UpdateNetwork(ctx, id, meta, d)
	if errors.Is(err, domain.ErrCommandReused) {
		return domain.Appended{}, ErrKeyReused
	}
	if err == nil {
		markWritten(ctx)
	}
	return res, err
}

// CreateNetwork creates a network named name; only the instance's administrator may. With an
// idempotency key a repeat answers the same network.
func (a *App) CreateNetwork(ctx context.Context, c Caller, op Op, name string) (NetworkView, error) {
	if !c.Admin {
		return NetworkView{}, ErrForbidden
	}
	op.Actor = ActorOrganiser
	id := domain.NetworkID(a.cfg.NewID())
	if commandID, _ := a.binding(op); commandID != "" {
		sum := sha256.Sum256([]byte(a.cfg.Pseudonyms.Pseudonym("network-id", commandID)))
		var u ulid.ULID
		copy(u[:], sum[:])
		id = domain.NetworkID(u.String())
	}
	res, err := a.decideNetwork(ctx, id, op, func(n domain.Network) ([]domain.Event, error) { return n.Create(id, name) })
	if err != nil {
		return NetworkView{}, err
	}
	for _, e := range res.Events {
		if created, ok := e.(domain.NetworkCreated); ok {
			return NetworkView{ID: created.ID, Name: created.Title}, nil
		}
	}
	return NetworkView{ID: id}, nil
}

// Networks lists the networks c belongs to (every network for the instance's administrator),
// by name.
func (a *App) Networks(ctx context.Context, c Caller) ([]NetworkView, error) {
	if a.cfg.Networks == nil {
		return []NetworkView{}, nil
	}
	ids, err := a.cfg.Networks.NetworkIDs(ctx)
	if err != nil {
		return nil, err
	}
	out := []NetworkView{}
	for _, id := range ids {
		n, m, ok, err := a.membership(ctx, c, id)
		if err != nil {
			return nil, err
		}
		if ok || (c.Admin && n.Exists()) {
			out = append(out, NetworkView{ID: n.ID, Name: n.Name, Roles: m.Roles})
		}
	}
	slices.SortFunc(out, func(x, y NetworkView) int { return compareFold(x.Name, y.Name) })
	return out, nil
}

// Network returns network id as c may see it: its members and the instance's administrator;
// anybody else gets not-found, so that a network's existence is not revealed.
func (a *App) Network(ctx context.Context, c Caller, id domain.NetworkID) (NetworkView, error) {
	n, m, ok, err := a.membership(ctx, c, id)
	if err != nil {
		return NetworkView{}, err
	}
	if !n.Exists() || (!ok && !c.Admin) {
		return NetworkView{}, domain.ErrNetworkNotFound
	}
	return NetworkView{ID: n.ID, Name: n.Name, Roles: m.Roles}, nil
}

// adminOf checks that c manages network id: its admin, or the instance's administrator. A
// stranger learns nothing of the network (not-found); a member without the role is refused.
func (a *App) adminOf(ctx context.Context, c Caller, id domain.NetworkID) (string, error) {
	n, m, ok, err := a.membership(ctx, c, id)
	switch {
	case err != nil:
		return "", err
	case !n.Exists() || (!ok && !c.Admin):
		return "", domain.ErrNetworkNotFound
	case c.Admin:
		return ActorOrganiser, nil
	case !hasRole(m, domain.RoleAdmin):
		return "", ErrForbidden
	}
	return ActorAccount(c.Account, domain.RoleAdmin), nil
}

// RenameNetwork gives network id a new name; its admins may.
func (a *App) RenameNetwork(ctx context.Context, c Caller, op Op, id domain.NetworkID, name string) (NetworkView, error) {
	actor, err := a.adminOf(ctx, c, id)
	if err != nil {
		return NetworkView{}, err
	}
	op.Actor = actor
	if _, err := a.decideNetwork(ctx, id, op, func(n domain.Network) ([]domain.Event, error) { return n.Rename(name) }); err != nil {
		return NetworkView{}, err
	}
	return a.Network(ctx, c, id)
}

// NewMember is what an admin says of a person they add to a network.
type NewMember struct {
	Name, Email, Organisation string
	Roles                     []domain.RoleGrant
}

// AddMember adds a person to network id with roles and returns their account: the same e-mail
// address is the same account in every network. A repeat with the same idempotency key answers
// the same account.
func (a *App) AddMember(ctx context.Context, c Caller, op Op, id domain.NetworkID, m NewMember) (domain.AccountID, error) {
	actor, err := a.adminOf(ctx, c, id)
	if err != nil {
		return "", err
	}
	op.Actor = actor
	account := a.AccountID(m.Email)
	_, err = a.decideNetwork(ctx, id, op, func(n domain.Network) ([]domain.Event, error) {
		return n.AddMember(domain.AddMember{Account: account, Name: m.Name, Email: m.Email, Organisation: m.Organisation, Roles: m.Roles})
	})
	return account, err
}

// ChangeRoles sets the roles of member mid of network id.
func (a *App) ChangeRoles(ctx context.Context, c Caller, op Op, id domain.NetworkID, mid domain.AccountID, roles []domain.RoleGrant) (domain.Appended, error) {
	actor, err := a.adminOf(ctx, c, id)
	if err != nil {
		return domain.Appended{}, err
	}
	op.Actor = actor
	return a.decideNetwork(ctx, id, op, func(n domain.Network) ([]domain.Event, error) { return n.ChangeRoles(mid, roles) })
}

// RemoveMember removes member mid from network id. Their API tokens for the network stop
// acting at once: a token acts only with the roles its account holds.
func (a *App) RemoveMember(ctx context.Context, c Caller, op Op, id domain.NetworkID, mid domain.AccountID) (domain.Appended, error) {
	actor, err := a.adminOf(ctx, c, id)
	if err != nil {
		return domain.Appended{}, err
	}
	op.Actor = actor
	return a.decideNetwork(ctx, id, op, func(n domain.Network) ([]domain.Event, error) { return n.RemoveMember(mid) })
}

// Members lists the members of network id with their names, for its admins, by name.
func (a *App) Members(ctx context.Context, c Caller, id domain.NetworkID) ([]MemberView, error) {
	if _, err := a.adminOf(ctx, c, id); err != nil {
		return nil, err
	}
	return a.members(ctx, id)
}

func (a *App) members(ctx context.Context, id domain.NetworkID) ([]MemberView, error) {
	log, err := a.cfg.Networks.NetworkLog(ctx, id)
	if err != nil {
		return nil, err
	}
	var n domain.Network
	people := map[domain.AccountID]*domain.Person{}
	for _, r := range log {
		n = n.Evolve(r.Event)
		if e, ok := r.Event.(domain.MemberAdded); ok {
			people[e.Account] = e.Person
		}
	}
	out := make([]MemberView, 0, len(n.Members))
	for _, m := range n.Members {
		v := MemberView{ID: m.Account, Organisation: m.Organisation, Roles: m.Roles}
		if p := people[m.Account]; p != nil {
			v.Name, v.Email = p.Name, p.Email
		} else {
			v.Erased = true
		}
		out = append(out, v)
	}
	slices.SortFunc(out, func(x, y MemberView) int { return compareFold(x.Name, y.Name) })
	return out, nil
}

// Member returns member mid of network id, for its admins and for the member themselves.
func (a *App) Member(ctx context.Context, c Caller, id domain.NetworkID, mid domain.AccountID) (MemberView, error) {
	if c.Account != mid {
		if _, err := a.adminOf(ctx, c, id); err != nil {
			return MemberView{}, err
		}
	} else if _, _, ok, err := a.membership(ctx, c, id); err != nil || !ok {
		return MemberView{}, errOr(err, domain.ErrNetworkNotFound)
	}
	members, err := a.members(ctx, id)
	if err != nil {
		return MemberView{}, err
	}
	for _, m := range members {
		if m.ID == mid {
			return m, nil
		}
	}
	return MemberView{}, domain.ErrMemberNotFound
}

func errOr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// IssueAPIToken issues a personal API token to member mid of network id, shown once: the member
// themselves or the network's admin may. The token acts as the member with their roles in the
// network, for as long as they hold them.
func (a *App) IssueAPIToken(ctx context.Context, c Caller, id domain.NetworkID, mid domain.AccountID, label string) (domain.TokenInfo, string, error) {
	if _, err := a.Member(ctx, c, id, mid); err != nil {
		return domain.TokenInfo{}, "", err
	}
	if err := domain.CheckTokenLabel(label); err != nil {
		return domain.TokenInfo{}, "", err
	}
	label = strings.TrimSpace(label)
	if a.cfg.Credentials == nil {
		return domain.TokenInfo{}, "", ErrNoNetworks
	}
	tid, token, err := a.cfg.Credentials.IssueToken(ctx, mid, string(id), label)
	if err != nil {
		return domain.TokenInfo{}, "", err
	}
	return domain.TokenInfo{ID: tid, Account: mid, Network: string(id), Label: label, IssuedAt: a.cfg.Now()}, token, nil
}

// APITokens lists the member's tokens for network id, without their secrets.
func (a *App) APITokens(ctx context.Context, c Caller, id domain.NetworkID, mid domain.AccountID) ([]domain.TokenInfo, error) {
	if _, err := a.Member(ctx, c, id, mid); err != nil {
		return nil, err
	}
	if a.cfg.Credentials == nil {
		return []domain.TokenInfo{}, nil
	}
	all, err := a.cfg.Credentials.Tokens(ctx, mid)
	if err != nil {
		return nil, err
	}
	out := []domain.TokenInfo{}
	for _, t := range all {
		if t.Network == string(id) {
			out = append(out, t)
		}
	}
	return out, nil
}

// RevokeAPIToken revokes token tid of member mid.
func (a *App) RevokeAPIToken(ctx context.Context, c Caller, id domain.NetworkID, mid domain.AccountID, tid string) error {
	tokens, err := a.APITokens(ctx, c, id, mid)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(tokens, func(t domain.TokenInfo) bool { return t.ID == tid }) {
		return domain.ErrNotFound
	}
	return a.cfg.Credentials.RevokeToken(ctx, mid, tid)
}

// Invite returns a one-time token with which member mid sets their password (the page
// /set-password/<token>), valid for InvitationLifetime; for the network's admins. The link is
// mailed to the member too (the outbox, from the event it records), and the answer carries it
// for instances that send no mail.
func (a *App) Invite(ctx context.Context, c Caller, id domain.NetworkID, mid domain.AccountID, lang string) (string, error) {
	actor, err := a.adminOf(ctx, c, id)
	if err != nil {
		return "", err
	}
	if lang != "" && !slices.Contains(domain.Languages, lang) {
		return "", domain.FieldErrors{{Field: "lang", Code: domain.CodeNotInList, Detail: "must be one of " + strings.Join(domain.Languages, ", ")}}
	}
	m, err := a.Member(ctx, c, id, mid)
	if err != nil {
		return "", err
	}
	if a.cfg.Credentials == nil {
		return "", ErrNoNetworks
	}
	if has, err := a.cfg.Credentials.HasPassword(ctx, mid); err != nil || has {
		return "", errOr(err, domain.ErrAccountHasPassword)
	}
	if m.Erased {
		return "", domain.ErrMemberNotFound
	}
	return a.issuePasswordLink(ctx, Op{Actor: actor}, id, mid, m.Email, domain.LinkForInvitation, lang)
}

// RequestPasswordReset mails a link to set a new password to the account of email when it is a
// member of a network, in lang. It answers the same whether or not there is such an account,
// so that nobody learns who has one, and it takes as long (Config.QuietAnswerFloor); only a
// malformed address is refused. The actor is the public: whoever asks is not signed in.
func (a *App) RequestPasswordReset(ctx context.Context, email, lang string) error {
	start := time.Now()
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != strings.TrimSpace(email) || !domain.ValidText(email, false) {
		return domain.FieldErrors{{Field: "email", Code: domain.CodeNotAnEmail, Detail: "must be an email address such as name@example.org"}}
	}
	if lang != "" && !slices.Contains(domain.Languages, lang) {
		return domain.FieldErrors{{Field: "lang", Code: domain.CodeNotInList, Detail: "must be one of " + strings.Join(domain.Languages, ", ")}}
	}
	return a.quietly(ctx, start, func() error { return a.passwordReset(ctx, email, lang) })
}

// passwordReset is RequestPasswordReset's work once the input is checked.
func (a *App) passwordReset(ctx context.Context, email, lang string) error {
	if a.cfg.Networks == nil || a.cfg.Credentials == nil {
		return nil // no networks, no accounts
	}
	account := a.AccountID(email)
	ids, err := a.cfg.Networks.NetworkIDs(ctx)
	if err != nil {
		return err
	}
	slices.Sort(ids)
	for _, id := range ids {
		n, _, err := a.cfg.Networks.LoadNetwork(ctx, id)
		if err != nil {
			return err
		}
		if _, ok := n.Members[account]; ok {
			// One network's log is enough to mail it from; the first one, so that a repeat
			// goes the same way and meets the last reset there.
			if n.RecentReset(account, a.cfg.Now().Add(InvitationLifetime)) {
				return nil // a fresh link is on its way already
			}
			_, err := a.issuePasswordLink(ctx, Op{Actor: ActorPublic}, id, account, strings.TrimSpace(email), domain.LinkForReset, lang)
			return err
		}
	}
	return nil
}

// issuePasswordLink issues a one-time link to set the password of member account of network id
// and records it in the network's log, so that the outbox mails it. Its token is derived from
// a fresh link id (a keyed pseudonym): the outbox derives it again, the log holds no credential.
// The link is stored before it is recorded, so that a mail never carries a link that does not
// hold yet.
func (a *App) issuePasswordLink(ctx context.Context, op Op, id domain.NetworkID, account domain.AccountID, email, purpose, lang string) (string, error) {
	linkID := a.cfg.NewID()
	token := a.cfg.Pseudonyms.Pseudonym(domain.PasswordLinkPurpose, domain.PasswordLinkValue(account, linkID))
	if err := a.cfg.Credentials.IssueSetLinkFor(ctx, account, email, token, InvitationLifetime); err != nil {
		return "", err
	}
	expires := a.cfg.Now().Add(InvitationLifetime)
	if _, err := a.decideNetwork(ctx, id, op, func(n domain.Network) ([]domain.Event, error) {
		return n.IssuePasswordLink(account, linkID, purpose, lang, expires)
	}); err != nil {
		return "", err
	}
	return token, nil
}

// compareFold orders names as people read them: case does not matter.
func compareFold(x, y string) int {
	return strings.Compare(strings.ToLower(x), strings.ToLower(y))
}

// EraseAccount erases a person's account, as erasing a participant erases their registration:
// the instance's administrator does it. The person's registrations (by their address) are
// erased, they leave every network (so that signing in again, over single sign-on too, opens
// nothing), their credentials are forgotten, and their key is destroyed, which makes their name
// and e-mail address unreadable in every copy of the log: the history shows that someone acted,
// no longer who.
func (a *App) EraseAccount(ctx context.Context, c Caller, op Op, account domain.AccountID) error {
	if !c.Admin {
		return ErrForbidden
	}
	if a.cfg.Networks == nil || a.cfg.Eraser == nil {
		return ErrNoNetworks
	}
	op.Actor = ActorOrganiser
	ids, err := a.cfg.Networks.NetworkIDs(ctx)
	if err != nil {
		return err
	}
	// The person's registrations go too, as an erasure request by their address would take
	// them: read the address before the key that seals it is gone.
	var email string
	for _, id := range ids {
		members, err := a.members(ctx, id)
		if err != nil {
			return err
		}
		for _, m := range members {
			if m.ID == account && m.Email != "" {
				email = m.Email
			}
		}
	}
	if email != "" {
		if _, err := a.ErasePerson(ctx, op, email); err != nil {
			return err
		}
	}
	// The personal materials the person uploaded (photos of people, lists of names) go too.
	if err := a.removePersonalUploads(ctx, op, account); err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := a.decideNetwork(ctx, id, Op{Actor: op.Actor}, func(n domain.Network) ([]domain.Event, error) {
			return n.ForgetMember(account)
		}); err != nil {
			return err
		}
	}
	if a.cfg.Credentials != nil {
		if err := a.cfg.Credentials.Erase(ctx, account); err != nil {
			return err
		}
	}
	return a.cfg.Eraser.Erase(ctx, string(account))
}

// EnsureNetwork creates a first network named name when the instance has none, so that a new
// instance is one network from the start: its workshops go there, and its people can be added.
// Replicas that start together create it once (the same idempotency key derives the same id).
func (a *App) EnsureNetwork(ctx context.Context, name string) error {
	if a.cfg.Networks == nil {
		return nil
	}
	ids, err := a.cfg.Networks.NetworkIDs(ctx)
	if err != nil || len(ids) > 0 {
		return err
	}
	_, err = a.CreateNetwork(ctx, Caller{Admin: true}, Op{Actor: ActorOrganiser, Key: "first-network", Scope: "start"}, name)
	if errors.Is(err, domain.ErrNetworkExists) {
		return nil
	}
	return err
}

// ManagesNetwork checks that c manages network id (its admins, the instance's administrator):
// nil, or ErrForbidden for a member without the role, or not-found for anybody else. Pages ask
// it before they read a form, so that a refusal never depends on what was sent.
func (a *App) ManagesNetwork(ctx context.Context, c Caller, id domain.NetworkID) error {
	_, err := a.adminOf(ctx, c, id)
	return err
}

// KeepsTokensOf checks that c may keep the API tokens of member mid of network id: the member
// themselves or the network's admins.
func (a *App) KeepsTokensOf(ctx context.Context, c Caller, id domain.NetworkID, mid domain.AccountID) error {
	_, err := a.Member(ctx, c, id, mid)
	return err
}

// EndSessions signs member mid of network id out of every page session at once, on every
// replica (a lost laptop, a person who left); the network's admins may, and the person
// themselves.
func (a *App) EndSessions(ctx context.Context, c Caller, id domain.NetworkID, mid domain.AccountID) error {
	if c.Account != mid {
		if _, err := a.adminOf(ctx, c, id); err != nil {
			return err
		}
	}
	if _, err := a.Member(ctx, c, id, mid); err != nil {
		return err
	}
	if a.cfg.Credentials == nil {
		return ErrNoNetworks
	}
	return a.cfg.Credentials.EndSessions(ctx, mid)
}
