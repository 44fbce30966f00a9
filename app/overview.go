package app

import (
	"context"
	"slices"
	"strings"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// OverviewWorkshop is a workshop as a network's events overview lists it.
type OverviewWorkshop struct {
	ID         domain.WorkshopID      `json:"id"`
	Title      string                 `json:"title"`
	Series     string                 `json:"series"`
	Venue      string                 `json:"venue"`
	Days       []domain.Day           `json:"days"`
	Visibility domain.Visibility      `json:"visibility"`
	Seats      []projections.DaySeats `json:"seats"`
}

// NetworkWorkshops returns network id's events overview as c sees it (the public workshops for
// everybody, the members-only ones as well for the network's members and the instance's
// administrator, as Sees), narrowed by f: upcoming ones first day first, past ones last day
// first. A workshop has no district of its own; f.District keeps the workshops someone from
// that district registered for (cancelled registrations count not). It returns the network's
// name as well.
func (a *App) NetworkWorkshops(ctx context.Context, c Caller, id domain.NetworkID, f domain.OverviewFilter) (string, []OverviewWorkshop, error) {
	n, _, member, err := a.membership(ctx, c, id)
	if err != nil {
		return "", nil, err
	}
	if !n.Exists() {
		return "", nil, domain.ErrNetworkNotFound
	}
	all, err := a.cfg.Reader.Workshops(ctx)
	if err != nil {
		return "", nil, err
	}
	today := a.Today()
	var list []projections.WorkshopView
	for _, w := range all {
		if w.Network != id || len(w.Days) == 0 {
			continue
		}
		if domain.Over(w.Days[len(w.Days)-1], today) != (f.When == domain.Past) {
			continue
		}
		if w.Visibility.Or() != domain.Public && !member && !c.Admin {
			continue
		}
		if f.Series != "" && !strings.EqualFold(w.Series, f.Series) {
			continue
		}
		if f.District != "" {
			ok, err := a.fromDistrict(ctx, w.ID, f.District)
			if err != nil {
				return "", nil, err
			}
			if !ok {
				continue
			}
		}
		list = append(list, w)
	}
	slices.SortStableFunc(list, func(x, y projections.WorkshopView) int {
		if f.When == domain.Past {
			return strings.Compare(string(y.Days[len(y.Days)-1]), string(x.Days[len(x.Days)-1]))
		}
		return strings.Compare(string(x.Days[0]), string(y.Days[0]))
	})
	out := make([]OverviewWorkshop, 0, len(list))
	for _, w := range list {
		out = append(out, OverviewWorkshop{ID: w.ID, Title: w.Title, Series: w.Series, Venue: w.Venue,
			Days: slices.Clone(w.Days), Visibility: w.Visibility.Or(), Seats: append([]projections.DaySeats{}, w.Seats...)})
	}
	return n.Name, out, nil
}

// fromDistrict reports whether someone from district holds a registration of workshop id that
// is not cancelled.
func (a *App) fromDistrict(ctx context.Context, id domain.WorkshopID, district string) (bool, error) {
	regs, err := a.cfg.Reader.Registrations(ctx, id)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(regs, func(r projections.RegistrationView) bool {
		return r.Status != domain.Cancelled && strings.EqualFold(strings.TrimSpace(r.District), district)
	}), nil
}
