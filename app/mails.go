package app

import (
	"context"
	"errors"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/mails"
)

// Mailbox holds the mails kept for the organiser (no SMTP server configured) and those whose
// delivery finally failed. *mailbox.Store implements it.
type Mailbox interface {
	Mails(ctx context.Context) ([]mails.Kept, error)
}

// ErrNoMailbox is returned where no mailbox is configured (API: 503).
var ErrNoMailbox = errors.New("no mailbox is configured")

// Outbox returns the kept and failed mails, newest first: the organiser's outbox page.
func (a *App) Outbox(ctx context.Context) ([]mails.Kept, error) {
	if a.cfg.Mailbox == nil {
		return nil, nil
	}
	return a.cfg.Mailbox.Mails(ctx)
}

// FailedMails returns the mails to people of workshop id whose delivery finally failed.
func (a *App) FailedMails(ctx context.Context, id domain.WorkshopID) ([]mails.Kept, error) {
	all, err := a.Outbox(ctx)
	if err != nil {
		return nil, err
	}
	var out []mails.Kept
	for _, m := range all {
		if m.Failed && m.Workshop == id {
			out = append(out, m)
		}
	}
	return out, nil
}
