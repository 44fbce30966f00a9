package app

import (
	"context"

	"github.com/werkstatt/werkstatt/domain"
)

// The use cases of a workshop's feedback. Answers are anonymous: the pages and the API pass the
// respondent key (RespondentKey), never the registration.

// SetQuestionnaire sets the questions of the workshop's or a session's questionnaire.
func (a *App) SetQuestionnaire(ctx context.Context, id domain.WorkshopID, op Op, cmd domain.SetQuestionnaire) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.SetQuestionnaire(cmd) })
}

// OpenFeedback lets participants answer the questionnaires.
func (a *App) OpenFeedback(ctx context.Context, id domain.WorkshopID, op Op) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.OpenFeedback() })
}

// CloseFeedback ends the answering; the evaluation stays.
func (a *App) CloseFeedback(ctx context.Context, id domain.WorkshopID, op Op) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.CloseFeedback() })
}

// AnswerFeedback records a participant's answer under their respondent key (RespondentKey); a repeat replaces it.
func (a *App) AnswerFeedback(ctx context.Context, id domain.WorkshopID, op Op, cmd domain.AnswerFeedback) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.AnswerFeedback(cmd) })
}
