package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/handlers"
)

// The organiser grants project leads access to a series' reports, one by one, and revokes it on
// the series' lead page. The token of a new grant is shown once, on the answer to the form.

const leadGrantsPath = "/organiser/series/:series/leads"

// leadGrantsURL is the lead page of series, its name escaped for a path.
func leadGrantsURL(series string) string {
	return "/organiser/series/" + url.PathEscape(series) + "/leads"
}

// leadGrantsPage is what the organiser's lead page shows.
type leadGrantsPage struct {
	Series string
	Path   string // of this page
	Grants []leadGrantRow
	Grant  form        // the form to grant access
	Issued *issuedLead // the grant the form just made, with its token
	// Revoked is the label of the grant just revoked, for the notice.
	Revoked string
}

type leadGrantRow struct {
	domain.LeadGrant
	Status domain.GrantStatus
}

// issuedLead is a new grant as the organiser sees it once.
type issuedLead struct {
	Label, Token, SignIn string
}

// leadGrants builds the page of the route's series.
func (s *site) leadGrants(c echo.Context) (leadGrantsPage, error) {
	series := strings.TrimSpace(handlers.SeriesParam(c))
	list, err := s.cmds.LeadGrants(c.Request().Context(), series)
	if err != nil {
		return leadGrantsPage{}, err
	}
	p := leadGrantsPage{Series: series, Path: leadGrantsURL(series), Grant: newForm(s)}
	now := s.cfg.Now()
	for _, g := range list {
		p.Grants = append(p.Grants, leadGrantRow{LeadGrant: g, Status: g.Status(now)})
	}
	if id := c.QueryParam("revoked"); id != "" {
		if i := slices.IndexFunc(list, func(g domain.LeadGrant) bool { return g.ID == id }); i >= 0 {
			p.Revoked = list[i].Label
		}
	}
	return p, nil
}

func (s *site) leadGrantsPage(c echo.Context) error {
	return show(s, c, s.leadGrants, "organiser-leads.html", "LeadGrantsTitle")
}

// grantLead makes a grant and answers with the page that shows its token this once: no
// redirect, the token is nowhere to be fetched again. A double submit shows the same grant.
func (s *site) grantLead(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	series := strings.TrimSpace(handlers.SeriesParam(c))
	g, token, err := s.cmds.GrantLead(c.Request().Context(), organiserOp(c, f, "grant lead "+series), series, f.V("label"))
	if err != nil {
		return rerender(s, c, err, (*form).rejected, s.leadGrants,
			func(p *leadGrantsPage, f form) { p.Grant = f }, "organiser-leads.html", "LeadGrantsTitle")
	}
	p, err := s.leadGrants(c)
	if err != nil {
		return err
	}
	p.Issued = &issuedLead{Label: g.Label, Token: token, SignIn: c.Scheme() + "://" + c.Request().Host + "/lead/sign-in"}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, "organiser-leads.html", "LeadGrantsTitle", p)
}

// revokeLead ends a grant; the lead's next request finds the session over.
func (s *site) revokeLead(c echo.Context) error {
	series := strings.TrimSpace(handlers.SeriesParam(c))
	g, err := s.cmds.RevokeLead(c.Request().Context(), series, c.Param("grant"))
	if err != nil {
		return err
	}
	return seeOther(c, leadGrantsURL(series), "revoked", g.ID)
}
