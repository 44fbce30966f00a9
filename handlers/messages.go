package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// messageBody is an organiser's message to groups of a workshop's people.
type messageBody struct {
	To      []domain.MessageGroup `json:"to"`
	Subject string                `json:"subject"`
	Text    string                `json:"text"`
}

// messageJSON is a message as sent: when, to which groups, how many people.
type messageJSON struct {
	ID         domain.MessageID      `json:"id"`
	SentAt     *time.Time            `json:"sent_at,omitempty"`
	To         []domain.MessageGroup `json:"to"`
	Subject    string                `json:"subject"`
	Recipients int                   `json:"recipients"`
}

// sendMessage decides the message; the mails outbox sends the mails, so the answer is 202.
func (a *api) sendMessage(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	var b messageBody
	if err := decode(c, &b); err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	sent, err := a.cmds.SendMessage(c.Request().Context(), id, op, app.Message{To: b.To, Subject: b.Subject, Text: b.Text})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, map[string]any{"id": sent.ID, "recipients": len(sent.Recipients)})
}

// messagesJSON is the workshop's mails as the organiser sees them: its messages, and its
// reminder days and whether the reminder and the feedback request went out (the read models do
// not hold these; the workshop's log does).
type messagesJSON struct {
	Messages          []messageJSON `json:"messages"`
	ReminderDays      int           `json:"reminder_days"`
	RemindersSent     bool          `json:"reminders_sent"`
	FeedbackRequested bool          `json:"feedback_requested"`
}

// listMessages lists the workshop's messages, the latest first.
func (a *api) listMessages(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	m, sent, err := a.cmds.Mailings(c.Request().Context(), id)
	if err != nil {
		return err
	}
	out := make([]messageJSON, 0, len(sent))
	for _, m := range sent {
		at := m.At.UTC()
		out = append(out, messageJSON{ID: m.ID, SentAt: &at, To: nonNil(m.To), Subject: m.Subject, Recipients: len(m.Recipients)})
	}
	return c.JSON(http.StatusOK, messagesJSON{Messages: out, ReminderDays: m.Reminder(), RemindersSent: m.RemindersSent,
		FeedbackRequested: m.FeedbackAsked})
}
