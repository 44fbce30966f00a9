package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// Who may do what: the instance's administrator (its token) everything; a person with a
// personal API token what their roles in the token's network allow, on that network's
// workshops (an organiser limited to series only on those series); everybody else nothing of
// the organisers'. A members-only workshop of a network answers 404 to whoever is no member of
// it, so that its existence is not revealed.

// Context keys of what access middleware found out about a request.
const (
	callerKey = "werkstatt.caller"
	actorKey  = "werkstatt.actor"
)

var errRole = newProblem(http.StatusForbidden, "your roles in the workshop's network do not allow this")

// callerOf returns who the request's bearer token names, once per request: false for no token
// or a token that names nobody (a participant's token names a registration, not a caller).
func (a *api) callerOf(c echo.Context) (app.Caller, bool, error) {
	if v, ok := c.Get(callerKey).(app.Caller); ok {
		return v, true, nil
	}
	token, ok := bearer(c.Request())
	if !ok {
		return app.Caller{}, false, nil
	}
	caller, ok, err := a.cmds.CallerOf(c.Request().Context(), token)
	if err != nil || !ok {
		return app.Caller{}, false, err
	}
	c.Set(callerKey, caller)
	return caller, true, nil
}

// role lets through to h whoever may act in role on the workshop or series of the route; the
// actor the log records for them is kept for a.op.
func (a *api) role(role domain.Role, h echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token, ok := bearer(c.Request())
		if !ok {
			return errNoToken
		}
		caller, known, err := a.callerOf(c)
		if err != nil {
			return err
		}
		if !known {
			return a.refuse(c, token)
		}
		actor, err := a.routeRole(c, caller, role)
		if err != nil {
			return err
		}
		c.Set(actorKey, actor)
		return h(c)
	}
}

// organiser lets through to h the organisers of the route's workshop or series.
func (a *api) organiser(h echo.HandlerFunc) echo.HandlerFunc { return a.role(domain.RoleOrganiser, h) }

// door lets through to h whoever runs the door of the route's workshop: door staff and its
// organisers.
func (a *api) door(h echo.HandlerFunc) echo.HandlerFunc { return a.role(domain.RoleDoor, h) }

// routeRole returns the actor of caller acting in role on the route's workshop (":id") or
// series (":series"); routes of neither are the instance administrator's.
func (a *api) routeRole(c echo.Context, caller app.Caller, role domain.Role) (string, error) {
	if caller.Admin {
		return app.ActorOrganiser, nil
	}
	ctx := c.Request().Context()
	switch {
	case c.Param("id") != "":
		w, err := a.visibleWorkshop(c, caller)
		if err != nil {
			return "", err
		}
		actor, ok, err := a.cmds.WorkshopRole(ctx, caller, w.Network, w.Series, role)
		if err != nil {
			return "", err
		}
		if !ok {
			return "", errRole
		}
		return actor, nil
	case SeriesParam(c) != "":
		return a.seriesRole(c, caller, SeriesParam(c), role)
	}
	return "", errRole
}

// visibleWorkshop loads the route's workshop as caller may see it: a members-only workshop is
// not found for whoever is no member of its network.
func (a *api) visibleWorkshop(c echo.Context, caller app.Caller) (projections.WorkshopView, error) {
	id, err := workshopID(c)
	if err != nil {
		return projections.WorkshopView{}, err
	}
	w, err := a.Reader.Workshop(c.Request().Context(), id)
	if err != nil {
		return w, err
	}
	if ok, err := a.cmds.Sees(c.Request().Context(), caller, w.Network, w.Visibility); err != nil || !ok {
		return projections.WorkshopView{}, errOr(err, domain.ErrWorkshopNotFound)
	}
	return w, nil
}

func errOr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// seriesRole returns the actor of caller acting in role on every workshop of series: a series
// report spans its workshops, so a person must hold the role for each of them (a series name
// may recur in two networks). A series without workshops is nobody's but the administrator's.
func (a *api) seriesRole(c echo.Context, caller app.Caller, series string, role domain.Role) (string, error) {
	all, err := a.Reader.Workshops(c.Request().Context())
	if err != nil {
		return "", err
	}
	actor := ""
	ctx := app.Remembering(c.Request().Context())
	for _, w := range all {
		if w.Series != series {
			continue
		}
		got, ok, err := a.cmds.WorkshopRole(ctx, caller, w.Network, w.Series, role)
		if err != nil {
			return "", err
		}
		if !ok {
			return "", errRole
		}
		actor = got
	}
	if actor == "" {
		return "", errRole
	}
	return actor, nil
}

// instanceAdmin lets only the instance's administrator through to h.
func (a *api) instanceAdmin(h echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token, ok := bearer(c.Request())
		if !ok {
			return errNoToken
		}
		caller, known, err := a.callerOf(c)
		switch {
		case err != nil:
			return err
		case !known:
			return a.refuse(c, token)
		case !caller.Admin:
			return errRole
		}
		c.Set(actorKey, app.ActorOrganiser)
		return h(c)
	}
}

// signedIn lets through to h anyone whose token names them (the instance's administrator or
// a person's API token); h checks what they may do.
func (a *api) signedIn(h echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token, ok := bearer(c.Request())
		if !ok {
			return errNoToken
		}
		_, known, err := a.callerOf(c)
		switch {
		case err != nil:
			return err
		case !known:
			return a.refuse(c, token)
		}
		return h(c)
	}
}

// caller returns the request's caller as signedIn found it.
func callerOf(c echo.Context) app.Caller {
	v, _ := c.Get(callerKey).(app.Caller)
	return v
}

// organises reports whether the request's token acts for the organisers of workshop w
// (routes that organisers and participants share); the actor is kept for a.op.
func (a *api) organises(c echo.Context, id domain.WorkshopID, role domain.Role) (bool, error) {
	caller, known, err := a.callerOf(c)
	if err != nil || !known {
		return false, err
	}
	if caller.Admin {
		c.Set(actorKey, app.ActorOrganiser)
		return true, nil
	}
	w, err := a.Reader.Workshop(c.Request().Context(), id)
	if errors.Is(err, domain.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	actor, ok, err := a.cmds.WorkshopRole(c.Request().Context(), caller, w.Network, w.Series, role)
	if err != nil || !ok {
		return false, err
	}
	c.Set(actorKey, actor)
	return true, nil
}

// actingActor is the actor a.op records for actor: the organisers' side is recorded as who
// acted for it (the administrator, or a person in a role), everybody else as they are.
func actingActor(c echo.Context, actor string) string {
	if acting, ok := c.Get(actorKey).(string); ok && acting != "" && actor == app.ActorOrganiser {
		return acting
	}
	return actor
}

// seenWorkshop loads the route's workshop for a route anyone may call: a members-only
// workshop is not found for whoever is no member of its network (a token that names nobody
// counts as no token).
func (a *api) seenWorkshop(c echo.Context) (projections.WorkshopView, error) {
	caller, _, err := a.callerOf(c)
	if err != nil {
		return projections.WorkshopView{}, err
	}
	return a.visibleWorkshop(c, caller)
}
