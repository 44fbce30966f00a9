package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// The pages of networks: the caller's networks (and for the instance's administrator the form
// to create one), a network's members with their roles for its admins, invitation links, and a
// member's own API tokens. Every page asks the application who the caller is (pageCaller) and
// lets it decide what they may do: the same checks as the JSON API.

const networksPath = "/organiser/networks"

// networkURL is the member page of network id.
func networkURL(id domain.NetworkID) string { return networksPath + "/" + url.PathEscape(string(id)) }

// tokensURL is the API-token page of member mid of network id.
func tokensURL(id domain.NetworkID, mid domain.AccountID) string {
	return networkURL(id) + "/members/" + url.PathEscape(string(mid)) + "/api-tokens"
}

func (s *site) networkRoutes() []route {
	const n = networksPath + "/:id"
	const m = n + "/members/:mid"
	get, post := http.MethodGet, http.MethodPost
	signedIn := s.anyoneSignedIn
	return []route{
		{get, networksPath, signedIn(s.networksPage), false},
		{post, networksPath, signedIn(s.createNetwork), false},
		{get, n, signedIn(s.networkPage), false},
		{post, n, signedIn(s.renameNetwork), false},
		{post, n + "/members", signedIn(s.addMember), false},
		{post, m + "/roles", signedIn(s.changeRoles), false},
		{post, m + "/remove", signedIn(s.removeMember), false},
		{post, m + "/invitation", signedIn(s.invite), false},
		{post, m + "/sessions/end", signedIn(s.endSessions), false},
		{get, m + "/api-tokens", signedIn(s.apiTokensPage), false},
		{post, m + "/api-tokens", signedIn(s.issueAPIToken), false},
		{post, m + "/api-tokens/:tid/revoke", signedIn(s.revokeAPIToken), false},
	}
}

// forSignedIn reports whether route r is one of the pages for signed-in people that the
// application authorises itself: their forms spend no public-write budget, as the organiser's
// do not.
func forSignedIn(r route) bool {
	return r.path == networksPath || strings.HasPrefix(r.path, networksPath+"/") ||
		(r.method == http.MethodPost && strings.HasPrefix(r.path, announcementsBase+"/"))
}

// networkID is the route's network; a malformed one names no network.
func networkID(c echo.Context) (domain.NetworkID, error) {
	if id := c.Param("id"); domain.ValidID(id) {
		return domain.NetworkID(id), nil
	}
	return "", domain.ErrNetworkNotFound
}

// memberID is the route's member; a malformed one names no member.
func memberID(c echo.Context) (domain.AccountID, error) {
	if id := c.Param("mid"); domain.ValidID(id) {
		return domain.AccountID(id), nil
	}
	return "", domain.ErrMemberNotFound
}

// caller is pageCaller for a page behind anyoneSignedIn.
func (s *site) caller(c echo.Context) (app.Caller, error) {
	caller, _, err := s.pageCaller(c)
	return caller, err
}

// callerOp is the sender of a signed-in person's form: the form's key makes a double submit
// harmless; the application records the acting person (or the organiser) as the actor.
func callerOp(f form, scope string) app.Op {
	return app.Op{Key: f.Key, Scope: "web " + scope, Body: f.body()}
}

// networksPage is what the list of networks shows.
type networksPage struct {
	Networks []app.NetworkView
	// Admin is the instance's administrator, who creates networks.
	Admin  bool
	Create form
}

func (s *site) networksData(c echo.Context) (networksPage, error) {
	caller, err := s.caller(c)
	if err != nil {
		return networksPage{}, err
	}
	list, err := s.cmds.Networks(c.Request().Context(), caller)
	if err != nil {
		return networksPage{}, err
	}
	return networksPage{Networks: list, Admin: caller.Admin, Create: newForm(s)}, nil
}

func (s *site) networksPage(c echo.Context) error {
	return show(s, c, s.networksData, "networks.html", "NetworksTitle")
}

// createNetwork creates a network and goes to its member page, where its first admin is added.
func (s *site) createNetwork(c echo.Context) error {
	caller, err := s.caller(c)
	if err != nil {
		return err
	}
	if !caller.Admin {
		return app.ErrForbidden
	}
	f, err := submitted(c)
	if err != nil {
		return err
	}
	n, err := s.cmds.CreateNetwork(c.Request().Context(), caller, callerOp(f, "create network"), f.V("name"))
	if err != nil {
		return rerender(s, c, err, (*form).rejectedNetwork, s.networksData,
			func(p *networksPage, f form) { p.Create = f }, "networks.html", "NetworksTitle")
	}
	return seeOther(c, networkURL(n.ID), "created", "1")
}

// networkPage is what a network's member page shows to its admins; to a member without the
// admin role it shows their own roles.
type networkPage struct {
	N       app.NetworkView
	Members []app.MemberView
	// Manage is true for whoever manages the network's members (its admins).
	Manage bool
	// Self is the account of a member who is no admin, for the link to their API tokens.
	Self  domain.AccountID
	Path  string
	Roles []domain.Role
	Add   form
	// Rename is the form that renames the network.
	Rename form
	// RowKey starts the keys of the members' roles forms, one per member.
	RowKey string
	// Change is the roles form of member Changed that came back with messages.
	Change  form
	Changed domain.AccountID
	// Member is the message about one member's row that is no roles form (remove, invite).
	Member  form
	Invited *invitation
	// Notice is a message id of what the last form did.
	Notice string
	// NoticeName is the member the notice is about.
	NoticeName string
	// Mails is true for whoever words the network's mails (its admins, its organisers of all
	// series): the link to the mail templates.
	Mails bool
	// Webhooks is set for whoever manages the network's webhooks, for the link to them.
	Webhooks bool
	// Calendar are the links to the network's calendar feed.
	Calendar calendarLinks
}

// invitation is a one-time link to set a password, shown once.
type invitation struct {
	Name, Link string
}

// RolesForm is the roles form of member m: what was typed into it if it came back rejected,
// else the roles m holds.
func (p networkPage) RolesForm(m app.MemberView) form {
	if m.ID == p.Changed && p.Change.Values != nil {
		return p.Change
	}
	return rolesForm(m.Roles)
}

// MemberMessage is the message about member m's row from a form that is no roles form.
func (p networkPage) MemberMessage(m app.MemberView) string {
	if m.ID == p.Changed {
		return p.Member.Message
	}
	return ""
}

// rolesForm is a roles form filled with roles.
func rolesForm(roles []domain.RoleGrant) form {
	f := form{Values: url.Values{}, Errors: map[string]string{}}
	for _, g := range roles {
		f.Values.Add("role", string(g.Role))
		if len(g.Series) > 0 {
			f.Values.Set("series_"+string(g.Role), strings.Join(g.Series, ", "))
		}
	}
	return f
}

// rolesOf reads the roles of a member form: a checkbox per role, and for the organisers and the
// project lead a comma-separated list of series (empty: every series).
func rolesOf(f form) []domain.RoleGrant {
	roles := []domain.RoleGrant{}
	for _, r := range f.Values["role"] {
		g := domain.RoleGrant{Role: domain.Role(r)}
		for sr := range strings.SplitSeq(f.V("series_"+r), ",") {
			if sr = strings.TrimSpace(sr); sr != "" {
				g.Series = append(g.Series, sr)
			}
		}
		roles = append(roles, g)
	}
	return roles
}

func (s *site) networkData(c echo.Context) (networkPage, error) {
	id, err := networkID(c)
	if err != nil {
		return networkPage{}, err
	}
	caller, err := s.caller(c)
	if err != nil {
		return networkPage{}, err
	}
	ctx := c.Request().Context()
	n, err := s.cmds.Network(ctx, caller, id)
	if err != nil {
		return networkPage{}, err
	}
	mails := s.cmds.WordsMails(ctx, caller, id) == nil
	members, err := s.cmds.Members(ctx, caller, id)
	if errors.Is(err, app.ErrForbidden) {
		// A member who is no admin sees their own roles and their API tokens, not the others.
		_, hooksErr := s.cmds.WebhookRights(ctx, caller, id)
		return networkPage{N: n, Path: networkURL(id), Self: caller.Account, Add: newForm(s), Rename: newForm(s),
			Mails: mails, Webhooks: hooksErr == nil, Calendar: s.networkCalendarLinks(c, id)}, nil
	}
	if err != nil {
		return networkPage{}, err
	}
	p := networkPage{N: n, Members: members, Manage: true, Path: networkURL(id), Roles: domain.Roles, Add: newForm(s),
		Rename: newForm(s), RowKey: s.cfg.NewID(), Mails: mails, Webhooks: true, Calendar: s.networkCalendarLinks(c, id)}
	p.Rename.Values.Set("name", n.Name)
	// A notice names the member it is about; one who left meanwhile gets none.
	switch added, changed := p.name(domain.AccountID(c.QueryParam("added"))), p.name(domain.AccountID(c.QueryParam("changed"))); {
	case c.QueryParam("created") == "1":
		p.Notice = "NetworkCreated"
	case added != "":
		p.Notice, p.NoticeName = "MemberAddedNotice", added
	case changed != "":
		p.Notice, p.NoticeName = "MemberRolesChangedNotice", changed
	case c.QueryParam("removed") == "1":
		p.Notice = "MemberRemovedNotice"
	case c.QueryParam("renamed") == "1":
		p.Notice = "NetworkRenamed"
	case p.name(domain.AccountID(c.QueryParam("signed-out"))) != "":
		p.Notice, p.NoticeName = "MemberSignedOutNotice", p.name(domain.AccountID(c.QueryParam("signed-out")))
	}
	return p, nil
}

func (s *site) networkCalendarLinks(c echo.Context, id domain.NetworkID) calendarLinks {
	return s.calendarLinksOf(c, "network", "NetworkFeedHeading", "NetworkFeedHint", networkCalendarPath(id), "")
}

// name is the name of member id, "" if there is none such.
func (p networkPage) name(id domain.AccountID) string {
	if id == "" {
		return ""
	}
	if i := slices.IndexFunc(p.Members, func(m app.MemberView) bool { return m.ID == id }); i >= 0 {
		return p.Members[i].Name
	}
	return ""
}

func (s *site) networkPage(c echo.Context) error {
	return show(s, c, s.networkData, "network.html", "NetworkTitle")
}

// renameNetwork gives the network the name its form says; its admins may.
func (s *site) renameNetwork(c echo.Context) error {
	id, caller, f, err := s.adminForm(c)
	if err != nil {
		return err
	}
	if _, err := s.cmds.RenameNetwork(c.Request().Context(), caller, callerOp(f, "rename network "+string(id)), id, f.V("name")); err != nil {
		return rerender(s, c, err, (*form).rejectedNetwork, s.networkData,
			func(p *networkPage, f form) { p.Rename = f }, "network.html", "NetworkTitle")
	}
	return seeOther(c, networkURL(id), "renamed", "1")
}

// memberForm is the route's network and member, the caller and the posted form.
type memberForm struct {
	network domain.NetworkID
	member  domain.AccountID
	caller  app.Caller
	f       form
}

// memberForm checks, before it reads the form, that the caller manages the network (or, for
// tokens, is the member themselves or manages the network).
func (s *site) memberForm(c echo.Context, tokens bool) (memberForm, error) {
	id, err := networkID(c)
	if err != nil {
		return memberForm{}, err
	}
	mid, err := memberID(c)
	if err != nil {
		return memberForm{}, err
	}
	caller, err := s.checkedCaller(c, func(ctx context.Context, caller app.Caller) error {
		if tokens {
			return s.cmds.KeepsTokensOf(ctx, caller, id, mid)
		}
		return s.cmds.ManagesNetwork(ctx, caller, id)
	})
	if err != nil {
		return memberForm{}, err
	}
	f, err := submitted(c)
	return memberForm{network: id, member: mid, caller: caller, f: f}, err
}

// adminForm is the route's network, its admin calling, and the posted form, read only once
// the caller was found to manage the network.
func (s *site) adminForm(c echo.Context) (domain.NetworkID, app.Caller, form, error) {
	id, err := networkID(c)
	if err != nil {
		return "", app.Caller{}, form{}, err
	}
	caller, err := s.checkedCaller(c, func(ctx context.Context, caller app.Caller) error {
		return s.cmds.ManagesNetwork(ctx, caller, id)
	})
	if err != nil {
		return "", app.Caller{}, form{}, err
	}
	f, err := submitted(c)
	return id, caller, f, err
}

// checkedCaller returns the page's caller once check lets them through. The rest of the
// request checks again in the use case; under app.Remembering that asks the log once.
func (s *site) checkedCaller(c echo.Context, check func(context.Context, app.Caller) error) (app.Caller, error) {
	caller, err := s.caller(c)
	if err != nil {
		return app.Caller{}, err
	}
	c.SetRequest(c.Request().WithContext(app.Remembering(c.Request().Context())))
	return caller, check(c.Request().Context(), caller)
}

// addMember adds a person with roles; the same e-mail address is the same account everywhere.
func (s *site) addMember(c echo.Context) error {
	id, caller, f, err := s.adminForm(c)
	if err != nil {
		return err
	}
	mid, err := s.cmds.AddMember(c.Request().Context(), caller, callerOp(f, "add member "+string(id)), id, app.NewMember{
		Name: f.V("name"), Email: f.V("email"), Organisation: f.V("organisation"), Roles: rolesOf(f)})
	if err != nil {
		return rerender(s, c, err, (*form).rejectedNetwork, s.networkData,
			func(p *networkPage, f form) { p.Add = f }, "network.html", "NetworkTitle")
	}
	return seeOther(c, networkURL(id), "added", string(mid))
}

// changeRoles gives a member the roles its form ticks.
func (s *site) changeRoles(c echo.Context) error {
	m, err := s.memberForm(c, false)
	if err != nil {
		return err
	}
	_, err = s.cmds.ChangeRoles(c.Request().Context(), m.caller, callerOp(m.f, "change roles "+string(m.network)+" "+string(m.member)),
		m.network, m.member, rolesOf(m.f))
	if err != nil {
		return rerender(s, c, err, (*form).rejectedNetwork, s.networkData,
			func(p *networkPage, f form) { p.Change, p.Changed = f, m.member }, "network.html", "NetworkTitle")
	}
	return seeOther(c, networkURL(m.network), "changed", string(m.member))
}

// removeMember removes a person from the network; their tokens stop acting there at once.
func (s *site) removeMember(c echo.Context) error {
	m, err := s.memberForm(c, false)
	if err != nil {
		return err
	}
	_, err = s.cmds.RemoveMember(c.Request().Context(), m.caller, callerOp(m.f, "remove member "+string(m.network)+" "+string(m.member)),
		m.network, m.member)
	if errors.Is(err, domain.ErrMemberNotFound) {
		err = nil // removed already (a second click): the member is gone as asked
	}
	if err != nil {
		return rerender(s, c, err, (*form).rejectedNetwork, s.networkData,
			func(p *networkPage, f form) { p.Member, p.Changed = f, m.member }, "network.html", "NetworkTitle")
	}
	return seeOther(c, networkURL(m.network), "removed", "1")
}

// endSessions signs the member out of every page session at once (a lost laptop, a person
// who left).
func (s *site) endSessions(c echo.Context) error {
	m, err := s.memberForm(c, false)
	if err != nil {
		return err
	}
	if err := s.cmds.EndSessions(c.Request().Context(), m.caller, m.network, m.member); err != nil {
		return rerender(s, c, err, (*form).rejectedNetwork, s.networkData,
			func(p *networkPage, f form) { p.Member, p.Changed = f, m.member }, "network.html", "NetworkTitle")
	}
	return seeOther(c, networkURL(m.network), "signed-out", string(m.member))
}

// invite makes a one-time link with which the member sets their password and shows it this once:
// no redirect, the link is nowhere to be fetched again.
func (s *site) invite(c echo.Context) error {
	m, err := s.memberForm(c, false)
	if err != nil {
		return err
	}
	token, err := s.cmds.Invite(c.Request().Context(), m.caller, m.network, m.member, s.texts(c).lang) // the admin's language
	if err != nil {
		return rerender(s, c, err, (*form).rejectedNetwork, s.networkData,
			func(p *networkPage, f form) { p.Member, p.Changed = f, m.member }, "network.html", "NetworkTitle")
	}
	p, err := s.networkData(c)
	if err != nil {
		return err
	}
	p.Invited = &invitation{Name: p.name(m.member), Link: c.Scheme() + "://" + c.Request().Host + "/set-password/" + url.PathEscape(token)}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, "network.html", "NetworkTitle", p)
}

// tokensPage is what a member's API-token page shows.
type tokensPage struct {
	N      app.NetworkView
	M      app.MemberView
	Path   string
	Tokens []domain.TokenInfo
	Issue  form
	Issued *issuedToken
	// Revoked is the label of the token just revoked, for the notice.
	Revoked string
}

// issuedToken is a new API token as its member sees it once.
type issuedToken struct {
	Label, Token string
}

func (s *site) tokensData(c echo.Context) (tokensPage, error) {
	id, err := networkID(c)
	if err != nil {
		return tokensPage{}, err
	}
	mid, err := memberID(c)
	if err != nil {
		return tokensPage{}, err
	}
	caller, err := s.caller(c)
	if err != nil {
		return tokensPage{}, err
	}
	ctx := c.Request().Context()
	m, err := s.cmds.Member(ctx, caller, id, mid)
	if err != nil {
		return tokensPage{}, err
	}
	n, err := s.cmds.Network(ctx, caller, id)
	if err != nil {
		return tokensPage{}, err
	}
	tokens, err := s.cmds.APITokens(ctx, caller, id, mid)
	if err != nil {
		return tokensPage{}, err
	}
	p := tokensPage{N: n, M: m, Path: tokensURL(id, mid), Issue: newForm(s)}
	for _, t := range tokens {
		if t.RevokedAt.IsZero() {
			p.Tokens = append(p.Tokens, t)
		} else if t.ID == c.QueryParam("revoked") {
			p.Revoked = t.Label
		}
	}
	return p, nil
}

func (s *site) apiTokensPage(c echo.Context) error {
	return show(s, c, s.tokensData, "api-tokens.html", "APITokensTitle")
}

// issueAPIToken issues a token and answers with the page that shows it this once.
func (s *site) issueAPIToken(c echo.Context) error {
	m, err := s.memberForm(c, true)
	if err != nil {
		return err
	}
	info, token, err := s.cmds.IssueAPIToken(c.Request().Context(), m.caller, m.network, m.member, m.f.V("label"))
	if err != nil {
		return rerender(s, c, err, (*form).rejectedNetwork, s.tokensData,
			func(p *tokensPage, f form) { p.Issue = f }, "api-tokens.html", "APITokensTitle")
	}
	p, err := s.tokensData(c)
	if err != nil {
		return err
	}
	p.Issued = &issuedToken{Label: info.Label, Token: token}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, "api-tokens.html", "APITokensTitle", p)
}

// revokeAPIToken revokes a token; requests with it fail from now on.
func (s *site) revokeAPIToken(c echo.Context) error {
	m, err := s.memberForm(c, true)
	if err != nil {
		return err
	}
	tid := c.Param("tid")
	if err := s.cmds.RevokeAPIToken(c.Request().Context(), m.caller, m.network, m.member, tid); err != nil {
		return err
	}
	return seeOther(c, tokensURL(m.network, m.member), "revoked", tid)
}

// networkRules are the rules of networks a form may run into that are not about one field.
var networkRules = []*domain.Rule{
	domain.ErrMemberExists,
	domain.ErrMemberNotFound,
	domain.ErrLastAdmin,
	domain.ErrAccountHasPassword,
	domain.ErrNetworkExists,
}

// rejectedNetwork explains a rejected form of the network pages: as rejected does, with the
// rules of networks, a refusal by role, and every message about a role or its series next to
// the roles.
func (f *form) rejectedNetwork(t texts, err error) bool {
	if errors.Is(err, app.ErrForbidden) {
		f.Message = t.T("ErrRoleForbidden")
		return true
	}
	if msg, ok := t.ruleMessage(err, networkRules); ok {
		f.Message = msg
		return true
	}
	if !f.rejected(t, err) {
		return false
	}
	var fe domain.FieldErrors
	if !errors.As(err, &fe) {
		return true
	}
	for _, e := range fe {
		if !strings.HasPrefix(e.Field, "roles") {
			continue
		}
		delete(f.Errors, e.Field)
		if _, ok := f.Errors["roles"]; ok {
			continue // one message at the roles is enough
		}
		switch {
		case e.Field == "roles" && e.Code == domain.CodeTooFew:
			f.Errors["roles"] = t.T("ErrRolesRequired")
		case strings.HasSuffix(e.Field, ".series") && e.Code == domain.CodeRequired:
			f.Errors["roles"] = t.T("ErrLeadSeriesRequired")
		default:
			f.Errors["roles"] = t.T(fieldMessageID(e, fieldMessages))
		}
	}
	return true
}
