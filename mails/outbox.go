package mails

import (
	"context"
	"fmt"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// Sender hands a message on: to an SMTP server (infra/smtp), or into the kept mails that the
// organiser's outbox page shows (infra/mailbox). Send returns once the message was accepted.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Failures records the mails whose delivery finally failed, for the organiser.
type Failures interface {
	Failed(ctx context.Context, m Message, reason string) error
}

// SentLog remembers the mails a Sender accepted, so that a commit that comes again after a
// crash (its acknowledgement lost) sends none of them twice.
type SentLog interface {
	WasSent(ctx context.Context, id string) (bool, error)
	MarkSent(ctx context.Context, id string) error
}

// Consistency lets the handler wait until the read models reflect a commit
// (*projections.Runner implements it).
type Consistency interface {
	WaitFor(ctx context.Context, seq uint64) error
}

// Handler is the outbox's handler for mails: it composes the mails of a commit once the read
// models reflect it and sends them. An error makes the outbox try the whole commit again
// later: mails sent before the error go out again then, with the same Message-ID, which mail
// clients show once.
type Handler struct {
	Composer    Composer
	Consistency Consistency
	Sender      Sender
	Failures    Failures
	// Sent, when set, keeps a mail from going out twice; without it a commit tried again sends
	// its mails again (with the same Message-ID), which suits a Sender that keeps them by id.
	Sent SentLog
}

// Handle handles one commit. On the final attempt (final) a mail that cannot be sent is
// recorded as failed instead of being tried again.
func (h Handler) Handle(ctx context.Context, seq uint64, events []domain.Recorded, final bool) error {
	if !Concerns(events) {
		return nil
	}
	// A network's mails read its log, not the read models: no need to wait for them.
	if readsModels(events) {
		wait, cancel := context.WithTimeout(ctx, 30*time.Second)
		err := h.Consistency.WaitFor(wait, seq)
		cancel()
		if err != nil {
			return fmt.Errorf("mails: read models at %d: %w", seq, err)
		}
	}
	msgs, err := h.Composer.Compose(ctx, events)
	if err != nil {
		return fmt.Errorf("mails: compose %d: %w", seq, err)
	}
	for _, m := range msgs {
		if h.Sent != nil {
			sent, err := h.Sent.WasSent(ctx, m.ID)
			if err != nil {
				return fmt.Errorf("mails: was %s sent: %w", m.ID, err)
			}
			if sent {
				continue
			}
		}
		err := h.Sender.Send(ctx, m)
		if err == nil {
			if h.Sent != nil {
				// A mark that fails sends the mail once more on the next attempt: the same
				// Message-ID, which mail clients show once.
				if err := h.Sent.MarkSent(ctx, m.ID); err != nil {
					return fmt.Errorf("mails: mark %s sent: %w", m.ID, err)
				}
			}
			continue
		}
		if !final || h.Failures == nil {
			return fmt.Errorf("mails: send %s: %w", m.ID, err)
		}
		if ferr := h.Failures.Failed(ctx, m, err.Error()); ferr != nil {
			return fmt.Errorf("mails: record the failure of %s: %w", m.ID, ferr)
		}
	}
	return nil
}

// Concerns reports whether a commit may cause a mail, so that the outbox does not wait for the
// read models on every commit.
func Concerns(events []domain.Recorded) bool {
	for _, r := range events {
		switch r.Event.(type) {
		case domain.RegistrationConfirmed, domain.RegistrationWaitlisted, domain.RegistrationCancelled, domain.LinkRequested,
			domain.DataExportRequested, domain.PasswordLinkIssued, domain.RemindersSent, domain.FeedbackRequested, domain.MessageSent,
			domain.RotationPublished, domain.AnnouncementPosted, domain.AccountDataExportRequested:
			return true
		}
	}
	return false
}

// readsModels reports whether composing the mails of a commit reads the read models: a
// workshop's mails do.
func readsModels(events []domain.Recorded) bool {
	for _, r := range events {
		switch r.Event.(type) {
		case domain.RegistrationConfirmed, domain.RegistrationWaitlisted, domain.RegistrationCancelled, domain.LinkRequested,
			domain.DataExportRequested, domain.RemindersSent, domain.FeedbackRequested, domain.MessageSent, domain.RotationPublished:
			return true
		}
	}
	return false
}

// Kept is a mail as the organiser's outbox page shows it: kept (no SMTP server configured) or
// finally failed. Message is the zero Message when the person was erased since (Erased).
type Kept struct {
	ID           string
	Kind         Kind
	Workshop     domain.WorkshopID
	Registration domain.RegistrationID
	At           time.Time
	Failed       bool
	Reason       string // why it failed
	Erased       bool
	Message      Message
}
