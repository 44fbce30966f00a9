package app

import (
	"context"
	"errors"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

// CalendarRequest is what a calendar takes from the request that asks for it.
type CalendarRequest struct {
	Host string // the right-hand part of the UIDs
	Lang reports.Lang
	// WorkshopURL returns a workshop's public page, for the events' URL; nil for none.
	WorkshopURL func(domain.WorkshopID) string
}

func (a *App) calendarOptions(r CalendarRequest) reports.CalendarOptions {
	return reports.CalendarOptions{Location: a.cfg.Location, Host: r.Host, Now: a.cfg.Now(), Lang: r.Lang,
		WorkshopURL: r.WorkshopURL}
}

// AgendaCalendar returns a workshop's agenda as an iCalendar document, and the workshop (to
// name the file). Anyone may read it, as anyone may read the agenda.
func (a *App) AgendaCalendar(ctx context.Context, c Caller, id domain.WorkshopID, r CalendarRequest) (projections.WorkshopView, []byte, error) {
	ws, err := a.cfg.Reader.Workshop(ctx, id)
	if err != nil {
		return projections.WorkshopView{}, nil, err
	}
	if ok, err := a.Sees(ctx, c, ws.Network, ws.Visibility); err != nil || !ok {
		return projections.WorkshopView{}, nil, errOr(err, domain.ErrWorkshopNotFound)
	}
	b, err := reports.AgendaICS(ws, a.calendarOptions(r))
	return ws, b, err
}

// PersonalCalendar returns the calendar of registration rid: the sessions of the days the
// person holds a seat on (not those they wait for, none after cancelling) and, for every theme café
// whose plan is published, their table in each round. The caller has checked that the
// registration is the caller's own (or that the caller is the organiser).
func (a *App) PersonalCalendar(ctx context.Context, id domain.WorkshopID, rid domain.RegistrationID, r CalendarRequest) (projections.WorkshopView, []byte, error) {
	ws, err := a.cfg.Reader.Workshop(ctx, id)
	if err != nil {
		return projections.WorkshopView{}, nil, err
	}
	reg, err := a.cfg.Reader.Registration(ctx, id, rid)
	if err != nil {
		return projections.WorkshopView{}, nil, err
	}
	days := reg.ConfirmedDays()
	seats, err := a.cafeSeats(ctx, ws, rid)
	if err != nil {
		return projections.WorkshopView{}, nil, err
	}
	b, err := reports.PersonalICS(ws, days, seats, a.calendarOptions(r))
	return ws, b, err
}

// cafeSeats returns where rid sits in the published plans of the workshop's theme cafés.
func (a *App) cafeSeats(ctx context.Context, ws projections.WorkshopView, rid domain.RegistrationID) ([]reports.CafeSeat, error) {
	var seats []reports.CafeSeat
	for _, s := range ws.Agenda {
		if s.Kind != domain.ThemeCafe {
			continue
		}
		cafe, err := a.cfg.Reader.ThemeCafe(ctx, ws.ID, s.ID)
		if errors.Is(err, domain.ErrSessionNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !cafe.Published || cafe.Plan == nil {
			continue
		}
		for i, tid := range cafe.Plan.Seats[rid] {
			if tid == "" {
				continue
			}
			seat := reports.CafeSeat{Session: s.ID, Round: i + 1, Rounds: cafe.Rounds, Topic: string(tid)}
			for _, t := range cafe.Tables {
				if t.ID != tid {
					continue
				}
				if seat.Host, err = a.hostName(ctx, ws.ID, t); err != nil {
					return nil, err
				}
				seat.Topic = t.Topic
			}
			seats = append(seats, seat)
		}
	}
	return seats, nil
}

// hostName is the name of a table's host as the participant's route shows it, "" for none or
// an erased host.
func (a *App) hostName(ctx context.Context, id domain.WorkshopID, t domain.Table) (string, error) {
	if t.Host == "" {
		return t.HostGuest, nil
	}
	r, err := a.cfg.Reader.Registration(ctx, id, t.Host)
	if errors.Is(err, domain.ErrNotFound) {
		return "", nil
	}
	if err != nil || r.Erased {
		return "", err
	}
	return r.Name, nil
}

// UpcomingCalendar returns the feed of the workshops that are not over yet: a whole-day event
// per workshop day, linking to its page. name is the calendar's name.
func (a *App) UpcomingCalendar(ctx context.Context, name string, r CalendarRequest) ([]byte, error) {
	all, err := a.cfg.Reader.Workshops(ctx)
	if err != nil {
		return nil, err
	}
	today := a.Today()
	var list []projections.WorkshopView
	for _, w := range all {
		// The feed is public (and cached as such): members-only workshops stay out.
		if len(w.Days) > 0 && w.Days[len(w.Days)-1] >= today && w.Visibility.Or() == domain.Public {
			list = append(list, w)
		}
	}
	return reports.WorkshopsICS(list, name, a.calendarOptions(r))
}

// NetworkCalendar returns the feed of network id's workshops that are not over yet, as
// UpcomingCalendar does for all: the public ones for everybody, the members-only ones as well
// for the network's members and the instance's administrator. It returns the network's name,
// which names the calendar.
func (a *App) NetworkCalendar(ctx context.Context, c Caller, id domain.NetworkID, r CalendarRequest) (string, []byte, error) {
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
		if w.Network != id || len(w.Days) == 0 || w.Days[len(w.Days)-1] < today {
			continue
		}
		if w.Visibility.Or() == domain.Public || member || c.Admin {
			list = append(list, w)
		}
	}
	b, err := reports.WorkshopsICS(list, "Werkstatt: "+n.Name, a.calendarOptions(r))
	return n.Name, b, err
}
