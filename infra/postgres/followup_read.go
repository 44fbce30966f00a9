package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

const (
	selectTopics = `SELECT t.workshop, b.first_day, t.id, t.ordinal, t.title, t.description, t.source_kind,
		t.source_session, t.source_table, t.proposed_by, t.proposed_at, t.status, t.link, t.merged_into,
		(SELECT count(*) FROM werkstatt.followup_votes v WHERE v.workshop = t.workshop AND t.id = ANY (v.topics))
		FROM werkstatt.followup_topics t JOIN werkstatt.followup_boards b ON b.workshop = t.workshop`
	selectTopicHistory = `SELECT h.workshop, h.topic, h.seq, h.kind, h.other, h.status, h.link, h.at
		FROM werkstatt.followup_topic_history h JOIN werkstatt.followup_boards b ON b.workshop = h.workshop`
)

// FollowUps returns a workshop's board, or domain.ErrWorkshopNotFound.
func (s *Store) FollowUps(ctx context.Context, w domain.WorkshopID) (projections.FollowUpBoard, error) {
	w = readable(w) // as stored (see readable)
	var v projections.FollowUpBoard
	var exists bool
	err := read(ctx, "follow-ups", func(ctx context.Context) error {
		v, exists = projections.FollowUpBoard{Workshop: w, Votes: map[domain.RegistrationID][]domain.TopicID{}}, false
		b := &pgx.Batch{}
		b.Queue(`SELECT series, days, voting, vote_limit FROM werkstatt.followup_boards WHERE workshop = $1`, w).
			QueryRow(func(row pgx.Row) error {
				err := row.Scan(&v.Series, &v.Days, &v.Voting, &v.VoteLimit)
				if errors.Is(err, pgx.ErrNoRows) {
					return nil
				}
				exists = err == nil
				return err
			})
		b.Queue(`SELECT registration, topics FROM werkstatt.followup_votes WHERE workshop = $1`, w).Query(func(rows pgx.Rows) error {
			var r domain.RegistrationID
			var ts []domain.TopicID
			_, err := pgx.ForEachRow(rows, []any{&r, &ts}, func() error {
				v.Votes[r], ts = ts, nil
				return nil
			})
			return err
		})
		queueTopics(b, &v.Topics, ` WHERE t.workshop = $1`, ` WHERE h.workshop = $1`, w)
		return s.pool.SendBatch(ctx, b).Close()
	})
	if err == nil && !exists {
		err = domain.ErrWorkshopNotFound
	}
	if err != nil {
		return projections.FollowUpBoard{}, err
	}
	projections.RankTopics(v.Topics)
	return v, nil
}

// SeriesTopics returns the topics of every workshop of series.
func (s *Store) SeriesTopics(ctx context.Context, series string) ([]projections.TopicView, error) {
	series = readable(series) // as stored (see readable)
	var views []projections.TopicView
	if series == "" {
		return []projections.TopicView{}, nil
	}
	err := read(ctx, "series topics", func(ctx context.Context) error {
		views = nil
		b := &pgx.Batch{}
		queueTopics(b, &views, ` WHERE b.series = $1`, ` WHERE b.series = $1`, series)
		return s.pool.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return nil, err
	}
	projections.RankTopics(views)
	return views, nil
}

// queueTopics queues the reads of the topics and their history that the conditions select
// (on t, the topics, and h, the history; both may use b, the board) into views.
func queueTopics(b *pgx.Batch, views *[]projections.TopicView, topics, history string, arg any) {
	*views = []projections.TopicView{}
	index := map[[2]string]int{}
	b.Queue(selectTopics+topics, arg).Query(func(rows pgx.Rows) error {
		var t projections.TopicView
		var ordinal int64
		_, err := pgx.ForEachRow(rows, []any{&t.Workshop, &t.FirstDay, &t.ID, &ordinal, &t.Title, &t.Description,
			&t.Source.Kind, &t.Source.SessionID, &t.Source.TableID, &t.ProposedBy, &t.ProposedAt, &t.Status, &t.Link,
			&t.MergedInto, &t.Voters}, func() error {
			t.Ordinal = uint64(ordinal)
			index[[2]string{string(t.Workshop), string(t.ID)}] = len(*views)
			*views = append(*views, t)
			t = projections.TopicView{}
			return nil
		})
		return err
	})
	b.Queue(selectTopicHistory+history, arg).Query(func(rows pgx.Rows) error {
		var w, topic string
		var c projections.TopicChange
		var seq int64
		_, err := pgx.ForEachRow(rows, []any{&w, &topic, &seq, &c.Kind, &c.Other, &c.Status, &c.Link, &c.At}, func() error {
			c.Seq = uint64(seq)
			if i, ok := index[[2]string{w, topic}]; ok {
				(*views)[i].History = append((*views)[i].History, c)
			}
			c = projections.TopicChange{}
			return nil
		})
		return err
	})
}

// ActionItems returns the items f selects.
func (s *Store) ActionItems(ctx context.Context, f projections.ActionItemFilter) ([]projections.ActionItemView, error) {
	f.Workshop, f.Series, f.Registration, f.Organisation = readable(f.Workshop), readable(f.Series), readable(f.Registration), readable(f.Organisation) // as stored (see readable)
	items := []projections.ActionItemView{}
	if f.Workshop == "" && f.Series == "" {
		return items, nil
	}
	err := read(ctx, "action items", func(ctx context.Context) error {
		items = items[:0]
		rows, _ := s.pool.Query(ctx, `SELECT a.workshop, b.series, b.first_day, a.id, a.ordinal, a.what, a.who_registration,
			a.who_organisation, a.due_by, a.agreed_at, a.done, a.done_at, a.done_by
			FROM werkstatt.followup_action_items a JOIN werkstatt.followup_boards b ON b.workshop = a.workshop
			WHERE ($1 = '' OR a.workshop = $1) AND ($2 = '' OR b.series = $2) AND (NOT $3 OR NOT a.done)
			AND ($4 = '' OR a.who_registration = $4) AND ($5 = '' OR a.who_organisation = $5)`,
			f.Workshop, f.Series, f.OpenOnly, f.Registration, f.Organisation)
		var a projections.ActionItemView
		var ordinal int64
		var doneAt *time.Time
		_, err := pgx.ForEachRow(rows, []any{&a.Workshop, &a.Series, &a.FirstDay, &a.ID, &ordinal, &a.What,
			&a.Who.RegistrationID, &a.Who.Organisation, &a.DueBy, &a.AgreedAt, &a.Done, &doneAt, &a.DoneBy}, func() error {
			a.Ordinal = uint64(ordinal)
			if doneAt != nil {
				a.DoneAt = *doneAt
			}
			items = append(items, a)
			a, doneAt = projections.ActionItemView{}, nil
			return nil
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	projections.SortActionItems(items)
	return items, nil
}
