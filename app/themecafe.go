package app

import (
	"context"

	"github.com/werkstatt/werkstatt/domain"
)

// The use cases of a theme café: its tables, rounds, preferences, plan and notes.

// SetCafeRounds sets the rounds of a theme café.
func (a *App) SetCafeRounds(ctx context.Context, id domain.WorkshopID, op Op, cmd domain.SetRounds) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.SetRounds(cmd) })
}

// AddCafeTable adds a table (a topic with its host) to a theme café.
func (a *App) AddCafeTable(ctx context.Context, id domain.WorkshopID, op Op, cmd domain.AddTable) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.AddTable(cmd) })
}

// ChangeCafeTable changes a table of a theme café.
func (a *App) ChangeCafeTable(ctx context.Context, id domain.WorkshopID, op Op, cmd domain.ChangeTable) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.ChangeTable(cmd) })
}

// RemoveCafeTable removes a table from a theme café.
func (a *App) RemoveCafeTable(ctx context.Context, id domain.WorkshopID, op Op, sid domain.SessionID, table domain.TableID) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.RemoveTable(sid, table) })
}

// OpenPreferences lets participants state which tables they prefer.
func (a *App) OpenPreferences(ctx context.Context, id domain.WorkshopID, op Op, sid domain.SessionID) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.OpenPreferences(sid) })
}

// ClosePreferences ends the stating of preferences.
func (a *App) ClosePreferences(ctx context.Context, id domain.WorkshopID, op Op, sid domain.SessionID) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.ClosePreferences(sid) })
}

// StatePreferences records a participant's table preferences, replacing their earlier ones.
func (a *App) StatePreferences(ctx context.Context, id domain.WorkshopID, op Op, cmd domain.StatePreferences) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.StatePreferences(cmd) })
}

// RecordNotes records the notes of a table in a round.
func (a *App) RecordNotes(ctx context.Context, id domain.WorkshopID, op Op, cmd domain.RecordNotes) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.RecordNotes(cmd) })
}

// PlanCafe seats the guests of a theme café at tables, round by round.
func (a *App) PlanCafe(ctx context.Context, id domain.WorkshopID, op Op, cmd domain.PlanCafe) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.PlanCafe(cmd) })
}

// MoveCafeGuest moves a guest to another table in a round of the plan.
func (a *App) MoveCafeGuest(ctx context.Context, id domain.WorkshopID, op Op, cmd domain.MoveGuest) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.MoveGuest(cmd) })
}

// PublishCafePlan makes the theme café's plan visible to the guests.
func (a *App) PublishCafePlan(ctx context.Context, id domain.WorkshopID, op Op, sid domain.SessionID) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.PublishPlan(sid) })
}
