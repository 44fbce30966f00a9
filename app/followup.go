package app

import (
	"context"

	"github.com/werkstatt/werkstatt/domain"
)

// The use cases of the follow-up: topics, votes, the backlog and action items.

// ProposeTopic adds a follow-up topic.
func (a *App) ProposeTopic(ctx context.Context, id domain.WorkshopID, op Op, cmd domain.ProposeTopic) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.ProposeTopic(cmd) })
}

// CastVotes records a participant's votes on the topics, replacing their earlier ones.
func (a *App) CastVotes(ctx context.Context, id domain.WorkshopID, op Op, cmd domain.CastVotes) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.CastVotes(cmd) })
}

// OpenVoting lets participants vote on the topics.
func (a *App) OpenVoting(ctx context.Context, id domain.WorkshopID, op Op) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.OpenVoting() })
}

// CloseVoting ends the voting.
func (a *App) CloseVoting(ctx context.Context, id domain.WorkshopID, op Op) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.CloseVoting() })
}

// SetVoteLimit sets how many votes a participant has.
func (a *App) SetVoteLimit(ctx context.Context, id domain.WorkshopID, op Op, limit int) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.SetVoteLimit(limit) })
}

// MergeTopics merges a topic into another, with its votes.
func (a *App) MergeTopics(ctx context.Context, id domain.WorkshopID, op Op, cmd domain.MergeTopics) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.MergeTopics(cmd) })
}

// ChangeTopicStatus moves a topic through the backlog (planned, done, dropped...).
func (a *App) ChangeTopicStatus(ctx context.Context, id domain.WorkshopID, op Op, cmd domain.ChangeTopicStatus) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.ChangeTopicStatus(cmd) })
}

// AgreeActionItem records an action item agreed at the workshop.
func (a *App) AgreeActionItem(ctx context.Context, id domain.WorkshopID, op Op, cmd domain.AgreeActionItem) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.AgreeActionItem(cmd) })
}

// CloseActionItem marks an action item done.
func (a *App) CloseActionItem(ctx context.Context, id domain.WorkshopID, op Op, cmd domain.CloseActionItem) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.CloseActionItem(cmd) })
}

// ReopenActionItem marks a done action item open again.
func (a *App) ReopenActionItem(ctx context.Context, id domain.WorkshopID, op Op, cmd domain.ReopenActionItem) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.ReopenActionItem(cmd) })
}
