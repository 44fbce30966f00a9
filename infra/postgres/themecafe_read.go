package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// ThemeCafe returns the café of a session, or domain.ErrSessionNotFound.
func (s *Store) ThemeCafe(ctx context.Context, w domain.WorkshopID, sid domain.SessionID) (projections.ThemeCafeView, error) {
	w, sid = readable(w), readable(sid) // as stored (see readable)
	var v projections.ThemeCafeView
	var exists bool
	err := read(ctx, "theme café", func(ctx context.Context) error {
		v, exists = projections.ThemeCafeView{Workshop: w, Session: sid}, false
		b := &pgx.Batch{}
		var planned bool
		var seed int64
		b.Queue(`SELECT rounds, collection, planned, seed, quality, published, changed FROM werkstatt.theme_cafes
			WHERE workshop = $1 AND session = $2`, w, sid).QueryRow(func(row pgx.Row) error {
			err := row.Scan(&v.Rounds, &v.Collection, &planned, &seed, &v.Quality, &v.Published, &v.ChangedSincePlan)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			exists = err == nil
			return err
		})
		queueCafeRows(b, &v, w, sid)
		if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		v.Seed = uint64(seed)
		if !planned {
			v.Plan = nil
		} else if v.Plan == nil {
			v.Plan = &domain.RotationPlan{Seats: map[domain.RegistrationID][]domain.TableID{}}
		}
		return nil
	})
	if err == nil && !exists {
		err = domain.ErrSessionNotFound
	}
	if err != nil {
		return projections.ThemeCafeView{}, err
	}
	v.Normalise()
	return v, nil
}

// queueCafeRows queues the reads of a café's tables, rankings, seats and notes into v.
func queueCafeRows(b *pgx.Batch, v *projections.ThemeCafeView, w domain.WorkshopID, sid domain.SessionID) {
	const cafe = ` WHERE workshop = $1 AND session = $2`
	v.Tables = []domain.Table{}
	b.Queue(`SELECT id, topic, description, host, host_guest, capacity FROM werkstatt.cafe_tables`+cafe+
		` ORDER BY ordinal, id COLLATE "C"`, w, sid).Query(func(rows pgx.Rows) error {
		var t domain.Table
		_, err := pgx.ForEachRow(rows, []any{&t.ID, &t.Topic, &t.Description, &t.Host, &t.HostGuest, &t.Capacity}, func() error {
			v.Tables = append(v.Tables, t)
			return nil
		})
		return err
	})
	v.Preferences = map[domain.RegistrationID][]domain.TableID{}
	b.Queue(`SELECT registration, ranking FROM werkstatt.cafe_preferences`+cafe, w, sid).Query(func(rows pgx.Rows) error {
		var g domain.RegistrationID
		var ranking []domain.TableID
		_, err := pgx.ForEachRow(rows, []any{&g, &ranking}, func() error {
			v.Preferences[g], ranking = ranking, nil
			return nil
		})
		return err
	})
	b.Queue(`SELECT registration, round, table_id, reason FROM werkstatt.cafe_seats`+cafe+
		` ORDER BY registration, round`, w, sid).Query(func(rows pgx.Rows) error {
		var g domain.RegistrationID
		var round int
		var t domain.TableID
		var reason domain.UnseatedReason
		_, err := pgx.ForEachRow(rows, []any{&g, &round, &t, &reason}, func() error {
			if v.Plan == nil {
				v.Plan = &domain.RotationPlan{Seats: map[domain.RegistrationID][]domain.TableID{}}
			}
			v.Plan.Seats[g] = append(v.Plan.Seats[g], t)
			if t == "" && reason != "" {
				v.Plan.Unseated = append(v.Plan.Unseated, domain.Unseated{Guest: g, Round: round, Reason: reason})
			}
			return nil
		})
		return err
	})
	b.Queue(`SELECT table_id, round, key_points, examples, open_questions, recorded_at FROM werkstatt.cafe_notes`+cafe,
		w, sid).Query(func(rows pgx.Rows) error {
		var n projections.CafeNotes
		_, err := pgx.ForEachRow(rows, []any{&n.Table, &n.Round, &n.Notes.KeyPoints, &n.Notes.Examples,
			&n.Notes.OpenQuestions, &n.RecordedAt}, func() error {
			v.Notes = append(v.Notes, n)
			n.Notes = domain.TableNotes{}
			return nil
		})
		return err
	})
}
