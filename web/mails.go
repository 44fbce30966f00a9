package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/mails"
	"github.com/werkstatt/werkstatt/projections"
)

// The organiser's outbox: the mails kept when no SMTP server is configured (to, subject, when,
// the text to open) and the mails whose delivery finally failed. A mail of a person erased
// since shows that it was there, not what it said.

const outboxPath = "/organiser/outbox"

func (s *site) mailRoutes() []route {
	return []route{{http.MethodGet, outboxPath, s.outbox, true}}
}

// outboxPage lists the kept and the failed mails.
type outboxPage struct {
	Kept, Failed []mails.Kept
}

func (s *site) outbox(c echo.Context) error {
	all, err := s.cmds.Outbox(c.Request().Context())
	if err != nil {
		return err
	}
	var p outboxPage
	for _, m := range all {
		if m.Failed {
			p.Failed = append(p.Failed, m)
		} else {
			p.Kept = append(p.Kept, m)
		}
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, "outbox.html", "OutboxTitle", p)
}

// failedMail is a mail to a person of the workshop that could not be delivered, as the
// registration list names it.
type failedMail struct {
	Registration domain.RegistrationID
	Name         string
}

// failedMails names the people of a workshop whose mail finally failed (erased ones are left
// out: there is no one to tell about).
func (s *site) failedMails(c echo.Context, id domain.WorkshopID, all []projections.RegistrationView) ([]failedMail, error) {
	failed, err := s.cmds.FailedMails(c.Request().Context(), id)
	if err != nil || len(failed) == 0 {
		return nil, err
	}
	names := map[domain.RegistrationID]projections.RegistrationView{}
	for _, r := range all {
		names[r.ID] = r
	}
	var out []failedMail
	for _, m := range failed {
		if r, ok := names[m.Registration]; ok && !r.Erased && !m.Erased {
			out = append(out, failedMail{Registration: r.ID, Name: r.Name})
		}
	}
	return out, nil
}
