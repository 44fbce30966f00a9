package handlers

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/domain"
)

// A project lead reads the reports of one series and changes nothing. Organisers grant that
// access one lead at a time and revoke it one by one: the grant is a credential kept beside the
// keyring (LeadGrants), not a domain fact. The lead's token is "lead.<grant id>.<signature>",
// the signature a keyed pseudonym of the id, so a guessed or altered id is refused before any
// lookup; a token holds while its grant exists, is not revoked and has not expired.

// LeadGrants keeps the leads' grants. *grants.Store (infra/grants) implements it; every replica shares it.
type LeadGrants interface {
	// Issue stores a new grant; an empty ID gets a random one. A taken ID is domain.ErrLeadGrantExists.
	Issue(ctx context.Context, g domain.LeadGrant) (domain.LeadGrant, error)
	// Get returns a grant as it stands; an unknown id is domain.ErrNotFound.
	Get(ctx context.Context, id string) (domain.LeadGrant, error)
	// Revoke ends a grant at at; revoking it again changes nothing.
	Revoke(ctx context.Context, id string, at time.Time) (domain.LeadGrant, error)
	// List returns the grants of a series, the most recently issued first.
	List(ctx context.Context, series string) ([]domain.LeadGrant, error)
}

const (
	leadTokenPrefix  = "lead."
	leadTokenPurpose = "lead-grant"
)

var (
	// ErrNoLeadAccess is returned by Commands.Lead for a token that does not hold: forged,
	// unknown, revoked or expired.
	ErrNoLeadAccess = errors.New("the lead token does not hold")

	errLeadReadsOnly = newProblem(http.StatusForbidden, "a lead token only reads the reports of its series")
	errNoLeadGrants  = errors.New("handlers: Config.LeadGrants is not set")
)

// LeadToken returns the token of grant id. Anyone with the master key can derive it, so the
// pages and the API show it once, when the grant is made.
func LeadToken(p Pseudonyms, id string) string {
	return leadTokenPrefix + id + "." + p.Pseudonym(leadTokenPurpose, id)
}

// IsLeadToken reports whether token has the form of a lead token, valid or not.
func IsLeadToken(token string) bool { return strings.HasPrefix(token, leadTokenPrefix) }

// LeadGrantID returns the grant id that token names, if its signature holds. It looks nothing
// up: whether the grant holds is Commands.Lead's question.
func LeadGrantID(p Pseudonyms, token string) (string, bool) {
	id, sig, ok := strings.Cut(strings.TrimPrefix(token, leadTokenPrefix), ".")
	if !IsLeadToken(token) || !ok || id == "" {
		return "", false
	}
	want := p.Pseudonym(leadTokenPurpose, id)
	return id, subtle.ConstantTimeCompare([]byte(sig), []byte(want)) == 1
}

func (c *Commands) leadGrants() (LeadGrants, error) {
	if c.cfg.LeadGrants == nil {
		return nil, errNoLeadGrants
	}
	return c.cfg.LeadGrants, nil
}

// Lead returns the grant behind token if the token holds now; else ErrNoLeadAccess. Other
// errors mean the grants could not be read.
func (c *Commands) Lead(ctx context.Context, token string) (domain.LeadGrant, error) {
	id, ok := LeadGrantID(c.cfg.Pseudonyms, token)
	if !ok {
		return domain.LeadGrant{}, ErrNoLeadAccess
	}
	g, err := c.LeadGrant(ctx, id)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return domain.LeadGrant{}, ErrNoLeadAccess
	case err != nil:
		return domain.LeadGrant{}, err
	case !g.Holds(c.cfg.Now()):
		return g, ErrNoLeadAccess
	}
	return g, nil
}

// LeadGrant returns grant id as it stands, whether it holds or not (a lead's session asks it
// on every request, to end at once when the grant is revoked).
func (c *Commands) LeadGrant(ctx context.Context, id string) (domain.LeadGrant, error) {
	store, err := c.leadGrants()
	if err != nil {
		return domain.LeadGrant{}, err
	}
	g, err := store.Get(ctx, id)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.LeadGrant{}, fmt.Errorf("%w: lead grant %s", domain.ErrNotFound, id)
	}
	return g, err
}

// LeadGrants returns the grants of series, the most recently issued first.
func (c *Commands) LeadGrants(ctx context.Context, series string) ([]domain.LeadGrant, error) {
	store, err := c.leadGrants()
	if err != nil {
		return nil, err
	}
	return store.List(ctx, strings.TrimSpace(series))
}

// GrantLead gives the person label names read access to the reports of series for
// domain.LeadGrantLifetime and returns the grant with its token. With a key (op.Key) the grant's id
// derives from it, so that a repeat returns the first grant instead of making a second.
func (c *Commands) GrantLead(ctx context.Context, op Op, series, label string) (domain.LeadGrant, string, error) {
	want, err := domain.NewLeadGrant(series, label, c.cfg.Now())
	if err != nil {
		return domain.LeadGrant{}, "", err
	}
	store, err := c.leadGrants()
	if err != nil {
		return domain.LeadGrant{}, "", err
	}
	if commandID, _ := c.binding(op); commandID != "" {
		sum := sha256.Sum256([]byte(c.cfg.Pseudonyms.Pseudonym("lead-grant-id", commandID)))
		want.ID = base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:16])
	}
	g, err := store.Issue(ctx, want)
	if errors.Is(err, domain.ErrLeadGrantExists) && op.Key != "" {
		// The grant holds what the request asked for (series from the path, label from the body).
		if g, err = store.Get(ctx, want.ID); err == nil && (g.Series != want.Series || g.Label != want.Label) {
			err = ErrKeyReused
		}
	}
	if err != nil {
		return domain.LeadGrant{}, "", err
	}
	return g, LeadToken(c.cfg.Pseudonyms, g.ID), nil
}

// RevokeLead ends grant id of series now. Revoking it again changes nothing; a grant of another
// series does not exist here.
func (c *Commands) RevokeLead(ctx context.Context, series, id string) (domain.LeadGrant, error) {
	g, err := c.LeadGrant(ctx, id)
	if err == nil && g.Series != strings.TrimSpace(series) {
		err = fmt.Errorf("%w: lead grant %s", domain.ErrNotFound, id)
	}
	if err != nil {
		return domain.LeadGrant{}, err
	}
	return c.cfg.LeadGrants.Revoke(ctx, id, c.cfg.Now())
}

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
	op, err := a.op(c, ActorOrganiser)
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
		if !IsLeadToken(token) {
			return a.refuse(c, token)
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
	if errors.Is(err, ErrNoLeadAccess) {
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
		if !ok || !IsLeadToken(token) {
			return h(c)
		}
		if _, err := a.lead(c, token); err != nil {
			return err
		}
		return errLeadReadsOnly
	}
}
