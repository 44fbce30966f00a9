package app

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"time"

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
	// ErrNoLeadAccess is returned by App.Lead for a token that does not hold: forged,
	// unknown, revoked or expired.
	ErrNoLeadAccess = errors.New("the lead token does not hold")

	errNoLeadGrants = errors.New("app: Config.LeadGrants is not set")
)

// LeadToken returns the token of grant id. Anyone with the master key can derive it, so the
// pages and the API show it once, when the grant is made.
func LeadToken(p Pseudonyms, id string) string {
	return leadTokenPrefix + id + "." + p.Pseudonym(leadTokenPurpose, id)
}

// IsLeadToken reports whether token has the form of a lead token, valid or not.
func IsLeadToken(token string) bool { return strings.HasPrefix(token, leadTokenPrefix) }

// LeadGrantID returns the grant id that token names, if its signature holds. It looks nothing
// up: whether the grant holds is App.Lead's question.
func LeadGrantID(p Pseudonyms, token string) (string, bool) {
	id, sig, ok := strings.Cut(strings.TrimPrefix(token, leadTokenPrefix), ".")
	if !IsLeadToken(token) || !ok || id == "" {
		return "", false
	}
	want := p.Pseudonym(leadTokenPurpose, id)
	return id, subtle.ConstantTimeCompare([]byte(sig), []byte(want)) == 1
}

func (a *App) leadGrants() (LeadGrants, error) {
	if a.cfg.LeadGrants == nil {
		return nil, errNoLeadGrants
	}
	return a.cfg.LeadGrants, nil
}

// Lead returns the grant behind token if the token holds now; else ErrNoLeadAccess. Other
// errors mean the grants could not be read.
func (a *App) Lead(ctx context.Context, token string) (domain.LeadGrant, error) {
	id, ok := LeadGrantID(a.cfg.Pseudonyms, token)
	if !ok {
		return domain.LeadGrant{}, ErrNoLeadAccess
	}
	g, err := a.LeadGrant(ctx, id)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return domain.LeadGrant{}, ErrNoLeadAccess
	case err != nil:
		return domain.LeadGrant{}, err
	case !g.Holds(a.cfg.Now()):
		return g, ErrNoLeadAccess
	}
	return g, nil
}

// LeadGrant returns grant id as it stands, whether it holds or not (a lead's session asks it
// on every request, to end at once when the grant is revoked).
func (a *App) LeadGrant(ctx context.Context, id string) (domain.LeadGrant, error) {
	store, err := a.leadGrants()
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
func (a *App) LeadGrants(ctx context.Context, series string) ([]domain.LeadGrant, error) {
	store, err := a.leadGrants()
	if err != nil {
		return nil, err
	}
	return store.List(ctx, strings.TrimSpace(series))
}

// GrantLead gives the person label names read access to the reports of series for
// domain.LeadGrantLifetime and returns the grant with its token. With a key (op.Key) the grant's id
// derives from it, so that a repeat returns the first grant instead of making a second.
func (a *App) GrantLead(ctx context.Context, op Op, series, label string) (domain.LeadGrant, string, error) {
	want, err := domain.NewLeadGrant(series, label, a.cfg.Now())
	if err != nil {
		return domain.LeadGrant{}, "", err
	}
	store, err := a.leadGrants()
	if err != nil {
		return domain.LeadGrant{}, "", err
	}
	if commandID, _ := a.binding(op); commandID != "" {
		sum := sha256.Sum256([]byte(a.cfg.Pseudonyms.Pseudonym("lead-grant-id", commandID)))
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
	return g, LeadToken(a.cfg.Pseudonyms, g.ID), nil
}

// RevokeLead ends grant id of series now. Revoking it again changes nothing; a grant of another
// series does not exist here.
func (a *App) RevokeLead(ctx context.Context, series, id string) (domain.LeadGrant, error) {
	g, err := a.LeadGrant(ctx, id)
	if err == nil && g.Series != strings.TrimSpace(series) {
		err = fmt.Errorf("%w: lead grant %s", domain.ErrNotFound, id)
	}
	if err != nil {
		return domain.LeadGrant{}, err
	}
	return a.cfg.LeadGrants.Revoke(ctx, id, a.cfg.Now())
}
