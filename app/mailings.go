package app

import (
	"context"
	"crypto/sha256"
	"errors"
	"slices"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// ActorSchedule is the actor of what the service decides on its own clock: the reminders
// before a workshop and the feedback requests after it.
const ActorSchedule = "schedule"

// KindSchedule is the kind of ActorSchedule.
const KindSchedule ActorKind = "schedule"

// The scheduled mails' kinds, as their derived command ids name them.
const (
	dueReminders = "reminders"
	dueFeedback  = "feedback-request"
)

// SendDueMails decides the reminders and feedback requests that are due now (Config.Now) on
// every workshop whose days make one possible. The domain decides each once: every replica
// may call this on its own clock, and a repeat (another tick, another replica) decides nothing
// or comes back as the duplicate of the first decision, never as an error. It returns how
// many were decided now and the errors of the workshops it could not decide (the others are
// decided all the same).
func (a *App) SendDueMails(ctx context.Context) (int, error) {
	views, err := a.cfg.Reader.Workshops(ctx)
	if err != nil {
		return 0, err
	}
	now := a.cfg.Now()
	today := now.In(a.cfg.Location)
	var (
		sent int
		errs []error
	)
	for _, v := range views {
		for _, kind := range a.mayBeDue(v, today) {
			n, err := a.decideDue(ctx, v.ID, kind, now)
			sent += n
			if err != nil && !errors.Is(err, domain.ErrWorkshopNotFound) {
				a.cfg.Logger.Warn("scheduled mails not decided", "workshop", v.ID, "kind", kind, "err", err)
				errs = append(errs, err)
			}
		}
	}
	return sent, errors.Join(errs...)
}

// mayBeDue names the scheduled mails of v that may be due at now (in the instance's time
// zone), judged by its days alone: the domain decides with the reminder days and what was
// sent. It spares the log a command per workshop and minute for workshops long past or far
// ahead.
func (a *App) mayBeDue(v projections.WorkshopView, now time.Time) []string {
	if len(v.Days) == 0 {
		return nil
	}
	first, err1 := time.ParseInLocation(time.DateOnly, string(slices.Min(v.Days)), a.cfg.Location)
	last, err2 := time.ParseInLocation(time.DateOnly, string(slices.Max(v.Days)), a.cfg.Location)
	if err1 != nil || err2 != nil {
		return nil
	}
	var kinds []string
	if !now.Before(first.AddDate(0, 0, -domain.MaxReminderDays-1)) && now.Before(first) {
		kinds = append(kinds, dueReminders)
	}
	if !now.Before(last) && now.Before(last.AddDate(0, 0, 1).Add(domain.FeedbackWindow)) {
		kinds = append(kinds, dueFeedback)
	}
	return kinds
}

// decideDue decides one scheduled mail of workshop id under a command id derived from the
// workshop and the kind, so that two replicas deciding it at once append it once.
func (a *App) decideDue(ctx context.Context, id domain.WorkshopID, kind string, now time.Time) (int, error) {
	op := Op{Actor: ActorSchedule, Key: kind, Scope: kind}
	res, err := a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) {
		if kind == dueReminders {
			return w.SendReminders(domain.SendReminders{Now: now, Zone: a.cfg.Location})
		}
		return w.RequestFeedback(domain.RequestFeedback{Now: now, Zone: a.cfg.Location})
	})
	if err != nil || res.Duplicate || len(res.Events) == 0 {
		return 0, err
	}
	return 1, nil
}

// Message is an organiser's message as the API and the pages send it.
type Message struct {
	To            []domain.MessageGroup
	Subject, Text string
}

// SentMessage is an organiser's message as it was sent.
type SentMessage struct {
	domain.MessageSent
	At time.Time
}

// SendMessage sends an organiser's message to the groups of workshop id's people it names: one
// mail to each person in them now (the mails outbox sends them). The actor is the organiser;
// a repeat with the same idempotency key sends nothing more and answers the first message.
func (a *App) SendMessage(ctx context.Context, id domain.WorkshopID, op Op, m Message) (domain.MessageSent, error) {
	op.Actor = organiserActor(op.Actor)
	mid := a.newMessageID(op)
	res, err := a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) {
		return w.SendMessage(domain.SendMessage{ID: mid, To: m.To, Subject: m.Subject, Text: m.Text})
	})
	if err != nil {
		return domain.MessageSent{}, err
	}
	for _, e := range res.Events {
		if s, ok := e.(domain.MessageSent); ok {
			return s, nil
		}
	}
	return domain.MessageSent{ID: mid}, nil
}

// newMessageID is a fresh message id, derived from op's key when there is one.
func (a *App) newMessageID(op Op) domain.MessageID {
	commandID, _ := a.binding(op)
	if commandID == "" {
		return domain.MessageID(a.cfg.NewID())
	}
	sum := sha256.Sum256([]byte(a.cfg.Pseudonyms.Pseudonym("message-id", commandID)))
	var id ulid.ULID
	copy(id[:], sum[:])
	return domain.MessageID(id.String())
}

// Mailings returns what workshop id's log says of its mails: its reminder days, whether its
// reminder and feedback request went out, and the organiser's messages with when each was
// sent, the latest first.
func (a *App) Mailings(ctx context.Context, id domain.WorkshopID) (domain.Mailings, []SentMessage, error) {
	recs, err := a.recorded(ctx, id)
	if err != nil {
		return domain.Mailings{}, nil, err
	}
	var (
		w    domain.Workshop
		sent []SentMessage
	)
	for _, r := range recs {
		w = w.Evolve(r.Event)
		if m, ok := r.Event.(domain.MessageSent); ok {
			sent = append(sent, SentMessage{MessageSent: m, At: r.At})
		}
	}
	if !w.Scheduled() {
		return domain.Mailings{}, nil, domain.ErrWorkshopNotFound
	}
	slices.Reverse(sent)
	return w.Mailings, sent, nil
}
