package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// outboxMailJSON is a kept or failed mail as GET /api/v1/outbox answers it. A mail of a person
// erased since carries only its ids, kind and time.
type outboxMailJSON struct {
	ID           string    `json:"id"`
	Kind         string    `json:"kind"`
	Workshop     string    `json:"workshop"`
	Registration string    `json:"registration"`
	At           time.Time `json:"at"`
	Failed       bool      `json:"failed"`
	Reason       string    `json:"reason,omitempty"`
	Erased       bool      `json:"erased"`
	To           string    `json:"to,omitempty"`
	Subject      string    `json:"subject,omitempty"`
	Text         string    `json:"text,omitempty"`
}

// outbox lists the kept mails (no SMTP server configured) and the failed deliveries, newest
// first (organiser only).
func (a *api) outbox(c echo.Context) error {
	all, err := a.cmds.Outbox(c.Request().Context())
	if err != nil {
		return err
	}
	list := make([]outboxMailJSON, 0, len(all))
	for _, m := range all {
		list = append(list, outboxMailJSON{ID: m.ID, Kind: string(m.Kind), Workshop: string(m.Workshop),
			Registration: string(m.Registration), At: m.At.UTC(), Failed: m.Failed, Reason: m.Reason, Erased: m.Erased,
			To: m.Message.To, Subject: m.Message.Subject, Text: m.Message.Text})
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, map[string][]outboxMailJSON{"mails": list})
}
