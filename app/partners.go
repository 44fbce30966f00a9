package app

import (
	"context"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/reports"
)

// PartnerPeriod is the period of a partner participation report as a reader asks for it; ""
// is the default: from the first of January of this year to today.
type PartnerPeriod struct{ From, To string }

// PartnerReport returns the partner participation report of network id over period p for its
// admins, its organisers and its leads (and the instance's administrator). An organiser or a
// lead of named series reads the meetings of those series only; a member without such a role
// is refused, a stranger learns nothing (not found). Meetings are the network's workshops whose
// first day lies in the period and is not after today: those held.
func (a *App) PartnerReport(ctx context.Context, c Caller, id domain.NetworkID, p PartnerPeriod) (reports.PartnerReport, error) {
	if a.cfg.Networks == nil {
		return reports.PartnerReport{}, ErrNoNetworks
	}
	n, m, member, err := a.membership(ctx, c, id)
	switch {
	case err != nil:
		return reports.PartnerReport{}, err
	case !n.Exists() || (!member && !c.Admin):
		return reports.PartnerReport{}, domain.ErrNetworkNotFound
	case !c.Admin && !hasRole(m, domain.RoleAdmin) && !hasRole(m, domain.RoleOrganiser) && !hasRole(m, domain.RoleLead):
		return reports.PartnerReport{}, ErrForbidden
	}
	today := a.Today()
	from, to, err := partnerPeriod(p, today)
	if err != nil {
		return reports.PartnerReport{}, err
	}
	groups := map[string]string{}
	for _, g := range n.Groups {
		if !g.Closed && g.Series != "" {
			groups[g.Series] = g.Name
		}
	}
	ws, err := a.cfg.Reader.Workshops(ctx)
	if err != nil {
		return reports.PartnerReport{}, err
	}
	var meetings []reports.PartnerMeeting
	for _, w := range ws {
		if w.Network != id || len(w.Days) == 0 {
			continue
		}
		first := w.Days[0]
		if first < from || first > to || first > today {
			continue
		}
		if !c.Admin && !m.Holds(domain.RoleLead, w.Series) && !m.Holds(domain.RoleOrganiser, w.Series) {
			continue
		}
		att, err := a.cfg.Reader.Attendance(ctx, w.ID)
		if err != nil {
			return reports.PartnerReport{}, err
		}
		meetings = append(meetings, reports.PartnerMeeting{Workshop: w.ID, Title: w.Title, Series: w.Series,
			Group: groups[w.Series], FirstDay: first, Organisations: att.Organisations})
	}
	r := reports.BuildPartners(n.Name, from, to, meetings)
	if r.Meetings == nil {
		r.Meetings = []reports.PartnerMeeting{}
	}
	return r, nil
}

// maxPartnerPeriod bounds a report's period, so that one request cannot ask for centuries.
const maxPartnerPeriod = 10 * 366 * 24 * time.Hour

// partnerPeriod checks p: dates, from not after to, at most ten years.
func partnerPeriod(p PartnerPeriod, today domain.Day) (domain.Day, domain.Day, error) {
	var fe domain.FieldErrors
	from, to := domain.Day(string(today)[:4]+"-01-01"), today
	if p.From != "" {
		d, ok := domain.ParseDay(p.From)
		if !ok {
			fe = append(fe, domain.FieldError{Field: "from", Code: domain.CodeNotADate, Detail: "must be a date such as 2037-01-31"})
		}
		from = d
	}
	if p.To != "" {
		d, ok := domain.ParseDay(p.To)
		if !ok {
			fe = append(fe, domain.FieldError{Field: "to", Code: domain.CodeNotADate, Detail: "must be a date such as 2037-12-31"})
		}
		to = d
	}
	if len(fe) > 0 {
		return "", "", fe
	}
	f, _ := time.Parse(time.DateOnly, string(from))
	t, _ := time.Parse(time.DateOnly, string(to))
	switch {
	case t.Before(f):
		return "", "", domain.FieldErrors{{Field: "to", Code: domain.CodeEndsBeforeStarts, Detail: "must not be before from"}}
	case t.Sub(f) > maxPartnerPeriod:
		return "", "", domain.FieldErrors{{Field: "to", Code: domain.CodeOutOfRange, Detail: "the period must be at most 10 years"}}
	}
	return from, to, nil
}
