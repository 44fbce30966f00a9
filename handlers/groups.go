package handlers

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// The routes of a network's working groups: its members read them, its admins and organisers
// manage them; who may do what is app's to decide. A stranger learns nothing (404).

func groupPath(c echo.Context) (domain.NetworkID, domain.GroupID, error) {
	id, err := networkID(c)
	if err != nil {
		return "", "", err
	}
	gid := c.Param("gid")
	if !domain.ValidID(gid) {
		return "", "", domain.ErrGroupNotFound
	}
	return id, domain.GroupID(gid), nil
}

func groupMemberPath(c echo.Context) (domain.NetworkID, domain.GroupID, domain.AccountID, error) {
	id, gid, err := groupPath(c)
	if err != nil {
		return "", "", "", err
	}
	mid := c.Param("mid")
	if !domain.ValidID(mid) {
		return "", "", "", domain.ErrMemberNotFound
	}
	return id, gid, domain.AccountID(mid), nil
}

// groupBody is a group as organisers send it; in a PATCH an absent field stays as it is.
type groupBody struct {
	Name        *string `json:"name"`
	Description *string `json:"description"`
	Series      *string `json:"series"`
}

func (b groupBody) over(t domain.GroupText) domain.GroupText {
	if b.Name != nil {
		t.Name = *b.Name
	}
	if b.Description != nil {
		t.Description = *b.Description
	}
	if b.Series != nil {
		t.Series = *b.Series
	}
	return t
}

func (a *api) listGroups(c echo.Context) error {
	id, err := networkID(c)
	if err != nil {
		return err
	}
	list, err := a.cmds.Groups(c.Request().Context(), callerOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string][]app.GroupView{"groups": list})
}

func (a *api) showGroup(c echo.Context) error {
	id, gid, err := groupPath(c)
	if err != nil {
		return err
	}
	v, err := a.cmds.Group(c.Request().Context(), callerOf(c), id, gid)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (a *api) createGroup(c echo.Context) error {
	id, err := networkID(c)
	if err != nil {
		return err
	}
	var b groupBody
	if err := decode(c, &b); err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	v, err := a.cmds.CreateGroup(c.Request().Context(), callerOf(c), op, id, b.over(domain.GroupText{}))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/networks/"+string(id)+"/groups/"+string(v.ID))
	return c.JSON(http.StatusCreated, v)
}

func (a *api) changeGroup(c echo.Context) error {
	id, gid, err := groupPath(c)
	if err != nil {
		return err
	}
	var b groupBody
	if err := decode(c, &b); err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	now, err := a.cmds.Group(ctx, callerOf(c), id, gid)
	if err != nil {
		return err
	}
	v, err := a.cmds.ChangeGroup(ctx, callerOf(c), op, id, gid,
		b.over(domain.GroupText{Name: now.Name, Description: now.Description, Series: now.Series}))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (a *api) closeGroup(c echo.Context) error {
	id, gid, err := groupPath(c)
	if err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	if err := a.cmds.CloseGroup(c.Request().Context(), callerOf(c), op, id, gid); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (a *api) addGroupMember(c echo.Context) error {
	return a.groupMembership(c, a.cmds.AddGroupMember)
}

func (a *api) removeGroupMember(c echo.Context) error {
	return a.groupMembership(c, a.cmds.RemoveGroupMember)
}

// groupMembership answers a change of a group's members (add or remove, as change does): 204.
func (a *api) groupMembership(c echo.Context, change func(context.Context, app.Caller, app.Op, domain.NetworkID, domain.GroupID, domain.AccountID) error) error {
	id, gid, mid, err := groupMemberPath(c)
	if err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	if err := change(c.Request().Context(), callerOf(c), op, id, gid, mid); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
