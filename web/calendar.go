package web

import (
	"html/template"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/domain"
)

// calendarLinks are the ways to take a calendar of the JSON API: download its .ics file, or
// subscribe to it (webcal://, or its address pasted into a calendar), so that the calendar
// follows changes. Heading and Hint are message IDs.
type calendarLinks struct {
	ID        string // unique on the page, for the field's id
	Heading   string
	Hint      string
	Download  string
	Subscribe template.URL // webcal: html/template lets only http(s) and mailto through as strings
	Address   string
}

// calendarLinksOf returns the links to the calendar at path (an API path), in the page's
// language; token, if not "", is the personal link's secret, which the address then carries.
func (s *site) calendarLinksOf(c echo.Context, id, heading, hint, path, token string) calendarLinks {
	q := url.Values{"lang": {s.texts(c).lang}}
	if token != "" {
		q.Set("token", token)
	}
	rel := path + "?" + q.Encode()
	return calendarLinks{ID: id, Heading: heading, Hint: hint, Download: rel,
		Subscribe: template.URL("webcal://" + c.Request().Host + rel), Address: absoluteURL(c, rel)}
}

func agendaCalendarPath(w domain.WorkshopID) string {
	return "/api/v1/workshops/" + url.PathEscape(string(w)) + "/agenda.ics"
}

func personalCalendarPath(w domain.WorkshopID, r domain.RegistrationID) string {
	return "/api/v1/workshops/" + url.PathEscape(string(w)) + "/registrations/" + url.PathEscape(string(r)) + "/calendar.ics"
}

func networkCalendarPath(n domain.NetworkID) string {
	return "/api/v1/networks/" + url.PathEscape(string(n)) + "/workshops.ics"
}
