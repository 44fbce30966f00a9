package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// Feedback returns a workshop's feedback state and current questionnaires, or
// domain.ErrWorkshopNotFound.
func (s *Store) Feedback(ctx context.Context, w domain.WorkshopID) (projections.FeedbackView, error) {
	w = readable(w) // as stored (see readable)
	var v projections.FeedbackView
	err := read(ctx, "feedback", func(ctx context.Context) error {
		v = projections.FeedbackView{Workshop: w, Questionnaires: []projections.QuestionnaireRow{}}
		b := &pgx.Batch{}
		queueFeedbackState(b, w, &v.State)
		queueQuestionnaires(b, w, &v.Questionnaires, ` AND version = (SELECT max(version) FROM werkstatt.feedback_questionnaires l
			WHERE l.workshop = q.workshop AND l.id = q.id)`)
		return s.pool.SendBatch(ctx, b).Close()
	})
	if err == nil && v.State == "" {
		err = domain.ErrWorkshopNotFound
	}
	if err != nil {
		return projections.FeedbackView{}, err
	}
	projections.SortQuestionnaires(v.Questionnaires)
	return v, nil
}

// Evaluation returns a workshop's evaluation, or domain.ErrWorkshopNotFound.
func (s *Store) Evaluation(ctx context.Context, w domain.WorkshopID) (projections.FeedbackEvaluation, error) {
	w = readable(w) // as stored (see readable)
	var f projections.FeedbackFacts
	err := read(ctx, "evaluation", func(ctx context.Context) error {
		f = projections.FeedbackFacts{Workshop: w, SessionDays: map[domain.SessionID]domain.Day{}}
		b := &pgx.Batch{}
		queueFeedbackState(b, w, &f.State)
		queueQuestionnaires(b, w, &f.Questionnaires, "")
		b.Queue(`SELECT questionnaire, respondent, version, answers, answered_at FROM werkstatt.feedback_answers
			WHERE workshop = $1`, w).Query(func(rows pgx.Rows) error {
			var a projections.AnswerRow
			_, err := pgx.ForEachRow(rows, []any{&a.Questionnaire, &a.Respondent, &a.Version, &a.Answers, &a.At}, func() error {
				a.Workshop = w
				f.Answers = append(f.Answers, a)
				a.Answers = nil
				return nil
			})
			return err
		})
		b.Queue(`SELECT registration, day, session FROM werkstatt.check_ins WHERE workshop = $1`, w).Query(func(rows pgx.Rows) error {
			var c domain.CheckIn
			_, err := pgx.ForEachRow(rows, []any{&c.RegistrationID, &c.Day, &c.SessionID}, func() error {
				f.CheckIns = append(f.CheckIns, c)
				return nil
			})
			return err
		})
		b.Queue(`SELECT id, day FROM werkstatt.sheet_sessions WHERE workshop = $1`, w).Query(func(rows pgx.Rows) error {
			var id domain.SessionID
			var day domain.Day
			_, err := pgx.ForEachRow(rows, []any{&id, &day}, func() error {
				f.SessionDays[id] = day
				return nil
			})
			return err
		})
		return s.pool.SendBatch(ctx, b).Close()
	})
	if err == nil && f.State == "" {
		err = domain.ErrWorkshopNotFound
	}
	if err != nil {
		return projections.FeedbackEvaluation{}, err
	}
	return projections.Evaluate(f), nil
}

// queueFeedbackState reads the board's state into state; it stays "" without a board.
func queueFeedbackState(b *pgx.Batch, w domain.WorkshopID, state *domain.FeedbackState) {
	b.Queue(`SELECT state FROM werkstatt.feedback_boards WHERE workshop = $1`, w).QueryRow(func(row pgx.Row) error {
		err := row.Scan(state)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		return err
	})
}

// queueQuestionnaires reads the workshop's questionnaires that cond (on alias q) selects.
func queueQuestionnaires(b *pgx.Batch, w domain.WorkshopID, out *[]projections.QuestionnaireRow, cond string) {
	b.Queue(`SELECT id, session, version, questions, set_at FROM werkstatt.feedback_questionnaires q
		WHERE workshop = $1`+cond, w).Query(func(rows pgx.Rows) error {
		var q projections.QuestionnaireRow
		_, err := pgx.ForEachRow(rows, []any{&q.ID, &q.SessionID, &q.Version, &q.Questions, &q.SetAt}, func() error {
			q.Workshop = w
			*out = append(*out, q)
			q.Questions = nil
			return nil
		})
		return err
	})
}
