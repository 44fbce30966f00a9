package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/reports"
)

// mimeCalendar is the media type of every calendar (RFC 5545).
const mimeCalendar = "text/calendar; charset=utf-8"

// calendarRequest is what a calendar takes from the request: the host for UIDs and links, and
// the language (?lang=de|en) of its few words and its file name.
func calendarRequest(c echo.Context) (app.CalendarRequest, error) {
	lang, err := queryLang(c)
	if err != nil {
		return app.CalendarRequest{}, err
	}
	base := c.Scheme() + "://" + c.Request().Host
	return app.CalendarRequest{Host: c.Request().Host, Lang: lang,
		WorkshopURL: func(w domain.WorkshopID) string { return base + "/w/" + url.PathEscape(string(w)) }}, nil
}

// sendCalendar answers a calendar as a download named name. Public calendars may be kept for
// a few minutes; a personal one (personal set), whose address carries the personal token, is
// never stored and never sent on as a referrer.
func sendCalendar(c echo.Context, name string, b []byte, personal bool) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", name))
	if personal {
		h.Set("Cache-Control", "no-store")
		h.Set("Referrer-Policy", "no-referrer")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	return c.Blob(http.StatusOK, mimeCalendar, b)
}

// agendaCalendar serves a workshop's agenda as iCalendar, to everybody.
func (a *api) agendaCalendar(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	r, err := calendarRequest(c)
	if err != nil {
		return err
	}
	caller, _, err := a.callerOf(c)
	if err != nil {
		return err
	}
	ws, b, err := a.cmds.AgendaCalendar(c.Request().Context(), caller, id, r)
	if err != nil {
		return err
	}
	// A members-only agenda is nobody's to cache but its reader's.
	return sendCalendar(c, reports.CalendarFileName(r.Lang, reports.AgendaCalendar, ws.Title), b, ws.Visibility.Or() != domain.Public)
}

// upcomingCalendar serves the feed of the workshops that are not over, to everybody.
func (a *api) upcomingCalendar(c echo.Context) error {
	r, err := calendarRequest(c)
	if err != nil {
		return err
	}
	name := "Werkstatt: Workshops"
	b, err := a.cmds.UpcomingCalendar(c.Request().Context(), name, r)
	if err != nil {
		return err
	}
	return sendCalendar(c, reports.CalendarFileName(r.Lang, reports.WorkshopsCalendar, ""), b, false)
}

// personalCalendar serves a participant's own calendar. A calendar client cannot send a
// header, so the personal token may come as ?token= (the personal link's secret) as well as
// Authorization: Bearer; the organiser may read it with their token as Bearer.
func (a *api) personalCalendar(c echo.Context) error {
	id, rid, err := registrationPath(c)
	if err != nil {
		return err
	}
	token := c.QueryParam("token")
	if token != "" && a.Limits != nil {
		// guard locks out only Bearer tokens; a token in the address is an attempt as well
		// (guard counts its failure, errBadToken).
		if wait, locked := a.Limits.failures.locked(clientKey(c.RealIP())); locked {
			return refuseTooMany(c, wait, true)
		}
	}
	if token == "" {
		var ok bool
		if token, ok = bearer(c.Request()); !ok {
			return errNoToken
		}
		if ok, err := a.organises(c, id, domain.RoleOrganiser); err != nil {
			return err
		} else if ok {
			return a.sendPersonalCalendar(c, id, rid)
		}
	}
	view, err := a.Reader.Registration(c.Request().Context(), id, rid)
	if err == nil && app.OwnsRegistration(view, token) {
		return a.sendPersonalCalendar(c, id, rid)
	}
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return err // the token could not be checked: not a wrong token
	}
	return a.refuse(c, token)
}

func (a *api) sendPersonalCalendar(c echo.Context, id domain.WorkshopID, rid domain.RegistrationID) error {
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	r, err := calendarRequest(c)
	if err != nil {
		return err
	}
	ws, b, err := a.cmds.PersonalCalendar(c.Request().Context(), id, rid, r)
	if err != nil {
		return err
	}
	return sendCalendar(c, reports.CalendarFileName(r.Lang, reports.PersonalCalendar, ws.Title), b, true)
}

// networkCalendar serves the feed of a network's workshops that are not over: the public ones
// to everybody, the members-only ones as well to its members (Bearer token). A feed answered
// to credentials is nobody's to cache but its reader's.
func (a *api) networkCalendar(c echo.Context) error {
	id, err := networkID(c)
	if err != nil {
		return err
	}
	r, err := calendarRequest(c)
	if err != nil {
		return err
	}
	caller, _, err := a.callerOf(c)
	if err != nil {
		return err
	}
	name, b, err := a.cmds.NetworkCalendar(c.Request().Context(), caller, id, r)
	if err != nil {
		return err
	}
	return sendCalendar(c, reports.CalendarFileName(r.Lang, reports.WorkshopsCalendar, name), b, !caller.Anonymous())
}
