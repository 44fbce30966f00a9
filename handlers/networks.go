package handlers

import (
	"bytes"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// The routes of networks and their members. Who may do what is the application's to decide
// (app.CreateNetwork, app.AddMember, ...): the instance's administrator creates networks, a
// network's admins manage its members, a member reads their own entry and keeps their own API
// tokens. A network is not found for whoever is no member of it.

func networkID(c echo.Context) (domain.NetworkID, error) {
	id := c.Param("id")
	if !domain.ValidID(id) {
		return "", domain.ErrNetworkNotFound
	}
	return domain.NetworkID(id), nil
}

func memberPath(c echo.Context) (domain.NetworkID, domain.AccountID, error) {
	id, err := networkID(c)
	if err != nil {
		return "", "", err
	}
	mid := c.Param("mid")
	if !domain.ValidID(mid) {
		return "", "", domain.ErrMemberNotFound
	}
	return id, domain.AccountID(mid), nil
}

// createNetwork answers POST /networks {"name"} for the instance's administrator.
func (a *api) createNetwork(c echo.Context) error {
	var b struct {
		Name string `json:"name"`
	}
	if err := decode(c, &b); err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	n, err := a.cmds.CreateNetwork(c.Request().Context(), callerOf(c), op, b.Name)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/networks/"+string(n.ID))
	return c.JSON(http.StatusCreated, n)
}

// listNetworks answers GET /networks: the caller's networks with their roles in them (every
// network for the instance's administrator).
func (a *api) listNetworks(c echo.Context) error {
	list, err := a.cmds.Networks(c.Request().Context(), callerOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string][]app.NetworkView{"networks": list})
}

func (a *api) showNetwork(c echo.Context) error {
	id, err := networkID(c)
	if err != nil {
		return err
	}
	n, err := a.cmds.Network(c.Request().Context(), callerOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, n)
}

// renameNetwork answers PATCH /networks/{id} {"name"} for the network's admins.
func (a *api) renameNetwork(c echo.Context) error {
	id, err := networkID(c)
	if err != nil {
		return err
	}
	var b struct {
		Name string `json:"name"`
	}
	if err := decode(c, &b); err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	n, err := a.cmds.RenameNetwork(c.Request().Context(), callerOf(c), op, id, b.Name)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, n)
}

func (a *api) listMembers(c echo.Context) error {
	id, err := networkID(c)
	if err != nil {
		return err
	}
	list, err := a.cmds.Members(c.Request().Context(), callerOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string][]app.MemberView{"members": list})
}

// memberBody is a person an admin adds to the network.
type memberBody struct {
	Name         string             `json:"name"`
	Email        string             `json:"email"`
	Organisation string             `json:"organisation"`
	Roles        []domain.RoleGrant `json:"roles"`
}

func (a *api) addMember(c echo.Context) error {
	id, err := networkID(c)
	if err != nil {
		return err
	}
	var b memberBody
	if err := decode(c, &b); err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	mid, err := a.cmds.AddMember(c.Request().Context(), callerOf(c), op, id,
		app.NewMember{Name: b.Name, Email: b.Email, Organisation: b.Organisation, Roles: b.Roles})
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/networks/"+string(id)+"/members/"+string(mid))
	return c.JSON(http.StatusCreated, map[string]domain.AccountID{"id": mid})
}

func (a *api) showMember(c echo.Context) error {
	id, mid, err := memberPath(c)
	if err != nil {
		return err
	}
	m, err := a.cmds.Member(c.Request().Context(), callerOf(c), id, mid)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}

func (a *api) changeRoles(c echo.Context) error {
	id, mid, err := memberPath(c)
	if err != nil {
		return err
	}
	var b struct {
		Roles []domain.RoleGrant `json:"roles"`
	}
	if err := decode(c, &b); err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	if _, err := a.cmds.ChangeRoles(c.Request().Context(), callerOf(c), op, id, mid, b.Roles); err != nil {
		return err
	}
	return a.showMember(c)
}

func (a *api) removeMember(c echo.Context) error {
	id, mid, err := memberPath(c)
	if err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	if _, err := a.cmds.RemoveMember(c.Request().Context(), callerOf(c), op, id, mid); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// apiTokenView is a personal API token as the API shows it; Token only in the answer that
// made it.
type apiTokenView struct {
	ID        string     `json:"id"`
	Token     string     `json:"token,omitempty"`
	Label     string     `json:"label"`
	IssuedAt  time.Time  `json:"issued_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

func tokenView(t domain.TokenInfo) apiTokenView {
	v := apiTokenView{ID: t.ID, Label: t.Label, IssuedAt: t.IssuedAt}
	if !t.RevokedAt.IsZero() {
		v.RevokedAt = &t.RevokedAt
	}
	return v
}

func (a *api) issueAPIToken(c echo.Context) error {
	id, mid, err := memberPath(c)
	if err != nil {
		return err
	}
	var b struct {
		Label string `json:"label"`
	}
	if err := decode(c, &b); err != nil {
		return err
	}
	info, token, err := a.cmds.IssueAPIToken(c.Request().Context(), callerOf(c), id, mid, b.Label)
	if err != nil {
		return err
	}
	v := tokenView(info)
	v.Token = token
	return c.JSON(http.StatusCreated, v)
}

func (a *api) listAPITokens(c echo.Context) error {
	id, mid, err := memberPath(c)
	if err != nil {
		return err
	}
	list, err := a.cmds.APITokens(c.Request().Context(), callerOf(c), id, mid)
	if err != nil {
		return err
	}
	out := make([]apiTokenView, 0, len(list))
	for _, t := range list {
		out = append(out, tokenView(t))
	}
	return c.JSON(http.StatusOK, map[string][]apiTokenView{"tokens": out})
}

func (a *api) revokeAPIToken(c echo.Context) error {
	id, mid, err := memberPath(c)
	if err != nil {
		return err
	}
	if err := a.cmds.RevokeAPIToken(c.Request().Context(), callerOf(c), id, mid, c.Param("tid")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// invite answers POST .../members/{mid}/invitations: a one-time link with which the member
// sets their password, for the network's admins to pass on.
func (a *api) invite(c echo.Context) error {
	id, mid, err := memberPath(c)
	if err != nil {
		return err
	}
	var b struct {
		// Lang is the language of the invitation mail: "de" (default) or "en".
		Lang string `json:"lang"`
	}
	body, err := requestBody(c)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) > 0 { // the body is optional
		if err := decode(c, &b); err != nil {
			return err
		}
	}
	token, err := a.cmds.Invite(c.Request().Context(), callerOf(c), id, mid, b.Lang)
	if err != nil {
		return err
	}
	path := "/set-password/" + token
	return c.JSON(http.StatusCreated, map[string]any{"path": path, "url": c.Scheme() + "://" + c.Request().Host + path,
		"expires_at": a.Now().Add(app.InvitationLifetime).UTC().Truncate(time.Second)})
}

// eraseAccount answers DELETE /accounts/{mid} for the instance's administrator: the person
// leaves every network and their name and e-mail address are erased (app.EraseAccount).
func (a *api) eraseAccount(c echo.Context) error {
	mid := c.Param("mid")
	if !domain.ValidID(mid) {
		return domain.ErrMemberNotFound
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	if err := a.cmds.EraseAccount(c.Request().Context(), callerOf(c), op, domain.AccountID(mid)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// endSessions answers DELETE .../members/{mid}/sessions: the member is signed out of every
// page session at once.
func (a *api) endSessions(c echo.Context) error {
	id, mid, err := memberPath(c)
	if err != nil {
		return err
	}
	if err := a.cmds.EndSessions(c.Request().Context(), callerOf(c), id, mid); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
