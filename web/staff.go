package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// The organiser's pages serve the instance's administrator (signed in with the organiser token)
// and the people of a network (signed in with their account) as far as their roles reach: a
// workshop's pages its organisers and the network's admins, its check-in screen also the door
// staff, its reports also the leads of its series. The actor a page records is who acted.

// actorKey is where staff keeps the actor of the request's commands.
const actorKey = "web.actor"

// actorOf is the actor the log records for an organiser's command on this request: the
// signed-in person in the role the page asked for, or the organiser (the administrator).
func actorOf(c echo.Context) string {
	if a, ok := c.Get(actorKey).(string); ok && a != "" {
		return a
	}
	return app.ActorOrganiser
}

// leadPages are the ends of the organiser's report pages that a series' lead reads too.
var leadPages = []string{"/attendance", "/attendance.csv", "/attendance.pdf", "/attendance.xlsx",
	"/evaluation.csv", "/evaluation.pdf", "/evaluation.xlsx", "/catering.csv", "/catering.pdf",
	"/certificates.pdf", "/sign-in-sheets.pdf", "/badges.pdf", "/report.csv", "/report.pdf", "/report.xlsx"}

// pageRole is the role route r asks of a person.
func pageRole(r route) domain.Role {
	switch {
	case strings.HasSuffix(r.path, "/check-in") || strings.Contains(r.path, "/check-in/"):
		return domain.RoleDoor
	case r.method == http.MethodGet && hasAnySuffix(r.path, leadPages):
		return domain.RoleLead
	}
	return domain.RoleOrganiser
}

func hasAnySuffix(s string, suffixes []string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// anyAccountPages are the organiser's pages every signed-in person may open; what they show
// and allow follows from the person's roles (the dashboard lists their workshops, scheduling
// decides the network).
var anyAccountPages = map[string]bool{"/organiser": true, "/organiser/workshops/new": true, "/organiser/workshops": true}

// staff lets through to next whoever may open route r: the administrator, or a person whose
// roles reach the route's workshop or series. Others go to the sign-in page (and come back);
// a person whose roles do not reach gets 403, a members-only workshop they do not see 404.
func (s *site) staff(r route, next echo.HandlerFunc) echo.HandlerFunc {
	role := pageRole(r)
	return func(c echo.Context) error {
		caller, ok, err := s.pageCaller(c)
		if err != nil {
			return err
		}
		if !ok {
			return toSignIn(c)
		}
		actor := app.ActorOrganiser
		if !caller.Admin {
			if actor, err = s.staffActor(c, caller, r, role); err != nil {
				return err
			}
		}
		c.Set(actorKey, actor)
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

// staffActor returns the actor of a person acting in role on route r, or why they may not.
func (s *site) staffActor(c echo.Context, caller app.Caller, r route, role domain.Role) (string, error) {
	ctx := c.Request().Context()
	switch {
	case anyAccountPages[r.path]:
		return app.ActorAccount(caller.Account, domain.RoleOrganiser), nil
	case c.Param("id") != "":
		id := c.Param("id")
		if !domain.ValidID(id) {
			return "", domain.ErrWorkshopNotFound
		}
		w, err := s.cfg.Reader.Workshop(ctx, domain.WorkshopID(id))
		if err != nil {
			return "", err
		}
		if ok, err := s.cmds.Sees(ctx, caller, w.Network, w.Visibility); err != nil || !ok {
			return "", errOr(err, domain.ErrWorkshopNotFound)
		}
		actor, ok, err := s.cmds.WorkshopRole(ctx, caller, w.Network, w.Series, role)
		if err != nil || !ok {
			return "", errOr(err, app.ErrForbidden)
		}
		return actor, nil
	case c.Param("series") != "":
		all, err := s.cfg.Reader.Workshops(ctx)
		if err != nil {
			return "", err
		}
		actor := ""
		ctx := app.Remembering(ctx)
		for _, w := range all {
			if w.Series != c.Param("series") {
				continue
			}
			got, ok, err := s.cmds.WorkshopRole(ctx, caller, w.Network, w.Series, role)
			if err != nil || !ok {
				return "", errOr(err, app.ErrForbidden)
			}
			actor = got
		}
		if actor == "" {
			return "", app.ErrForbidden
		}
		return actor, nil
	}
	return "", app.ErrForbidden // the administrator's own pages: erasure, the outbox
}
