package app

import (
	"context"

	"github.com/werkstatt/werkstatt/domain"
)

// The use cases of a workshop's agenda, registrations and check-ins. Each decides through
// App.decide: the actor and idempotency of op are recorded, and the read models reflect the
// write when it returns.

// ChangeWorkshop changes a scheduled workshop's title, venue, capacity or registration closing
// time (which may not lie after the end of its last day in the instance's time zone).
func (a *App) ChangeWorkshop(ctx context.Context, id domain.WorkshopID, op Op, cmd domain.ChangeWorkshop) (domain.Appended, error) {
	cmd.Zone = a.cfg.Location
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.Change(cmd) })
}

// ChangeSession changes session sid of the agenda to what change makes of it as the workshop
// holds it (the API patches some fields, the pages replace them all). change may run more than
// once and must not have effects; its error comes back unchanged. An unknown sid is the
// domain's not-found.
func (a *App) ChangeSession(ctx context.Context, id domain.WorkshopID, op Op, sid domain.SessionID,
	change func(domain.Session) (domain.Session, error)) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) {
		old, ok := w.Sessions[sid]
		if !ok {
			return w.ChangeSession(domain.ChangeSession{Session: domain.Session{ID: sid}})
		}
		s, err := change(old)
		if err != nil {
			return nil, err
		}
		return w.ChangeSession(domain.ChangeSession{Session: s})
	})
}

// CancelSession takes a session off the agenda.
func (a *App) CancelSession(ctx context.Context, id domain.WorkshopID, op Op, sid domain.SessionID) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.CancelSession(sid) })
}

// CancelRegistration cancels registration rid; a waitlisted participant may move up into the freed seat.
func (a *App) CancelRegistration(ctx context.Context, id domain.WorkshopID, op Op, rid domain.RegistrationID) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.CancelRegistration(rid) })
}

// CheckInParticipant records that a participant arrived (for a day, or a session of it).
func (a *App) CheckInParticipant(ctx context.Context, id domain.WorkshopID, op Op, cmd domain.CheckInParticipant) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.CheckIn(cmd) })
}

// AdmitWaitlisted admits at the door a person waiting for a seat on a day that has one at the
// door (a free seat, or on the day itself a seat nobody came for): they are confirmed on the day
// and checked in, in one decision (see domain.Workshop.AdmitWaitlisted). The organiser (or the
// door desk, signed in as the organiser) admits.
func (a *App) AdmitWaitlisted(ctx context.Context, id domain.WorkshopID, op Op, cmd domain.AdmitWaitlisted) (domain.Appended, error) {
	op.Actor = organiserActor(op.Actor)
	cmd.Today = a.Today()
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.AdmitWaitlisted(cmd) })
}

// AnnulCheckIn takes back a check-in made by mistake.
func (a *App) AnnulCheckIn(ctx context.Context, id domain.WorkshopID, op Op, cmd domain.CheckInParticipant) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.AnnulCheckIn(cmd) })
}

// SetRegistrationQuestions replaces the workshop's registration questions (the organiser's own
// fields of the registration form) with qs. The actor is the organiser.
func (a *App) SetRegistrationQuestions(ctx context.Context, id domain.WorkshopID, op Op, qs []domain.RegistrationQuestion) (domain.Appended, error) {
	op.Actor = organiserActor(op.Actor)
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) {
		return w.SetRegistrationQuestions(domain.SetRegistrationQuestions{Questions: qs})
	})
}
