package handlers

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

var errLeadReadsOnly = newProblem(http.StatusForbidden, "a lead token only reads the reports of its series")

// SeriesParam returns the route's :series as DecodePathParams decoded it (once).
func SeriesParam(c echo.Context) string { return c.Param("series") }

// leadGrantView is a grant as the API shows it; Token only in the answer that made it.
type leadGrantView struct {
	ID        string     `json:"id"`
	Token     string     `json:"token,omitempty"`
	Series    string     `json:"series"`
	Label     string     `json:"label"`
	Status    string     `json:"status"`
	IssuedAt  time.Time  `json:"issued_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

func newLeadGrantView(g domain.LeadGrant, now time.Time) leadGrantView {
	v := leadGrantView{ID: g.ID, Series: g.Series, Label: g.Label, Status: string(g.Status(now)),
		IssuedAt: g.IssuedAt, ExpiresAt: g.ExpiresAt}
	if !g.RevokedAt.IsZero() {
		v.RevokedAt = &g.RevokedAt
	}
	return v
}

// grantLead answers POST /series/{series}/lead-tokens {"label": ...} for the organiser.
func (a *api) grantLead(c echo.Context) error {
	var body struct {
		Label string `json:"label"`
	}
	if err := decode(c, &body); err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	g, token, err := a.cmds.GrantLead(c.Request().Context(), op, SeriesParam(c), body.Label)
	if err != nil {
		return err
	}
	v := newLeadGrantView(g, a.Now())
	v.Token = token
	return c.JSON(http.StatusCreated, v)
}

// listLeadGrants answers GET /series/{series}/lead-tokens: the grants, never their tokens.
func (a *api) listLeadGrants(c echo.Context) error {
	series := SeriesParam(c)
	list, err := a.cmds.LeadGrants(c.Request().Context(), series)
	if err != nil {
		return err
	}
	out := struct {
		Series string          `json:"series"`
		Grants []leadGrantView `json:"grants"`
	}{Series: series, Grants: make([]leadGrantView, 0, len(list))}
	now := a.Now()
	for _, g := range list {
		out.Grants = append(out.Grants, newLeadGrantView(g, now))
	}
	return c.JSON(http.StatusOK, out)
}

// revokeLead answers DELETE /series/{series}/lead-tokens/{grant}: 204, also for a grant revoked
// before.
func (a *api) revokeLead(c echo.Context) error {
	if _, err := a.cmds.RevokeLead(c.Request().Context(), SeriesParam(c), c.Param("grant")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// reader lets the organiser, or the lead of the series the route is about, through to h: the
// route's :series, or the series of its workshop :id. A lead of another series gets 403, a lead
// token that does not hold 401; other tokens are answered as organiser-only routes answer them.
func (a *api) reader(h echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token, ok := bearer(c.Request())
		if !ok {
			return errNoToken
		}
		if a.isOrganiser(token) {
			return h(c)
		}
		if !app.IsLeadToken(token) {
			// A person's own token: the series' leads read, its organisers too.
			caller, known, err := a.callerOf(c)
			if err != nil {
				return err
			}
			if !known {
				return a.refuse(c, token)
			}
			if c.Request().Method != http.MethodGet {
				return errRole
			}
			if _, err := a.routeRole(c, caller, domain.RoleLead); err != nil {
				return err
			}
			return h(c)
		}
		g, err := a.lead(c, token)
		if err != nil {
			return err
		}
		if c.Request().Method != http.MethodGet {
			return errLeadReadsOnly
		}
		if series, err := a.routeSeries(c); err != nil {
			return err
		} else if series != g.Series {
			return errLeadReadsOnly
		}
		return h(c)
	}
}

// lead returns the grant of a lead token that holds, or the problem to answer.
func (a *api) lead(c echo.Context, token string) (domain.LeadGrant, error) {
	g, err := a.cmds.Lead(c.Request().Context(), token)
	if errors.Is(err, app.ErrNoLeadAccess) {
		return g, errBadToken
	}
	return g, err
}

// routeSeries is the series a report route is about; "" if it names none or an unknown workshop.
// Another error means the workshop could not be read (an unreachable read model).
func (a *api) routeSeries(c echo.Context) (string, error) {
	if s := SeriesParam(c); s != "" {
		return s, nil
	}
	id, err := workshopID(c)
	if err != nil {
		return "", nil
	}
	ws, err := a.Reader.Workshop(c.Request().Context(), id)
	if errors.Is(err, domain.ErrNotFound) {
		return "", nil
	}
	return ws.Series, err
}

// noLeads refuses a lead token with 403 on every route that is not a report: the token is
// recognised, it just does not open this. Other tokens go on to h unchanged.
func (a *api) noLeads(h echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token, ok := bearer(c.Request())
		if !ok || !app.IsLeadToken(token) {
			return h(c)
		}
		if _, err := a.lead(c, token); err != nil {
			return err
		}
		return errLeadReadsOnly
	}
}
