package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// Readers query the views of the control schema. A read batch runs as one implicit transaction;
// when a generation switch replaces the views under it, PostgreSQL may abort it as a deadlock,
// and read retries it once.
func read(ctx context.Context, what string, f func(ctx context.Context) error) error {
	err := f(ctx)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "40P01" {
		err = f(ctx)
	}
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return classify(fmt.Errorf("postgres: read %s: %w", what, err))
	}
	return err
}

const (
	selectWorkshops = `SELECT id, title, series, venue, days, capacity, scheduled_at, registration_closes,
		registration_questions, funding, revised, network, visibility, summary FROM werkstatt.workshops`
	selectSessions = `SELECT workshop, id, title, kind, day, starts, ends, room, speakers, revision FROM werkstatt.sessions`
	selectSeats    = `SELECT h.workshop, d, count(*) FROM werkstatt.seat_holders h, unnest(h.seated_days) d WHERE true`
)

// Workshops returns every workshop, ordered by first day, then title.
func (s *Store) Workshops(ctx context.Context) ([]projections.WorkshopView, error) {
	views := []projections.WorkshopView{}
	err := read(ctx, "workshops", func(ctx context.Context) error {
		var err error
		views, err = s.workshops(ctx, selectWorkshops, selectSessions, selectSeats+" GROUP BY 1, 2")
		return err
	})
	projections.SortWorkshops(views)
	return views, err
}

// Workshop returns one workshop or domain.ErrWorkshopNotFound.
func (s *Store) Workshop(ctx context.Context, id domain.WorkshopID) (projections.WorkshopView, error) {
	id = readable(id) // as stored (see readable)
	var views []projections.WorkshopView
	err := read(ctx, "workshop", func(ctx context.Context) error {
		var err error
		views, err = s.workshops(ctx, selectWorkshops+" WHERE id = $1", selectSessions+" WHERE workshop = $1",
			selectSeats+" AND h.workshop = $1 GROUP BY 1, 2", id)
		return err
	})
	if err == nil && len(views) == 0 {
		err = domain.ErrWorkshopNotFound
	}
	if err != nil {
		return projections.WorkshopView{}, err
	}
	return views[0], nil
}

// workshops reads workshops, their sessions and seat counts in one round trip.
func (s *Store) workshops(ctx context.Context, workshops, sessions, seats string, args ...any) ([]projections.WorkshopView, error) {
	views := []projections.WorkshopView{}
	index := map[domain.WorkshopID]int{}
	confirmed := map[domain.WorkshopID]map[domain.Day]int{}
	b := &pgx.Batch{}
	b.Queue(workshops, args...).Query(func(rows pgx.Rows) error {
		var w projections.WorkshopView
		var closes *time.Time
		var funding *domain.Funding
		var revised int64
		_, err := pgx.ForEachRow(rows, []any{&w.ID, &w.Title, &w.Series, &w.Venue, &w.Days, &w.Capacity, &w.ScheduledAt, &closes,
			&w.RegistrationQuestions, &funding, &revised, &w.Network, &w.Visibility, &w.Summary}, func() error {
			w.Visibility = w.Visibility.Or()
			w.Revised = uint64(revised)
			w.Revisions = map[domain.SessionID]uint64{}
			w.ScheduledAt = w.ScheduledAt.UTC()
			w.RegistrationCloses = time.Time{}
			if closes != nil {
				w.RegistrationCloses = closes.UTC()
			}
			w.Funding = domain.Funding{}
			if funding != nil {
				w.Funding, funding = *funding, nil
			}
			w.Agenda = []domain.Session{}
			index[w.ID] = len(views)
			views = append(views, w)
			w.Days, w.RegistrationQuestions = nil, nil
			return nil
		})
		return err
	})
	b.Queue(sessions, args...).Query(func(rows pgx.Rows) error {
		var w domain.WorkshopID
		var se domain.Session
		var revision int64
		_, err := pgx.ForEachRow(rows, []any{&w, &se.ID, &se.Title, &se.Kind, &se.Day, &se.Starts, &se.Ends, &se.Room, &se.Speakers, &revision}, func() error {
			if i, ok := index[w]; ok {
				views[i].Agenda = append(views[i].Agenda, se)
				views[i].Revisions[se.ID] = uint64(revision)
			}
			se.Speakers = nil
			return nil
		})
		return err
	})
	b.Queue(seats, args...).Query(func(rows pgx.Rows) error {
		var w domain.WorkshopID
		var d domain.Day
		var n int
		_, err := pgx.ForEachRow(rows, []any{&w, &d, &n}, func() error {
			if confirmed[w] == nil {
				confirmed[w] = map[domain.Day]int{}
			}
			confirmed[w][d] = n
			return nil
		})
		return err
	})
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, err
	}
	for i := range views {
		projections.SortAgenda(views[i].Agenda)
		views[i].Seats = projections.SeatsOf(views[i].Days, views[i].Capacity, confirmed[views[i].ID])
	}
	return views, nil
}

const selectRegistrations = `SELECT id, workshop, ordinal, name, email, dietary, organisation, district, days,
	overnight, status, token_hash, registered_at, updated_at, answers, text_answers, day_status, waitlisted_since, lang, photo_consent FROM werkstatt.registrations`

// waitingSomewhere selects the registrations waitlisted on some day.
const waitingSomewhere = `status <> 'cancelled' AND EXISTS (SELECT 1 FROM jsonb_each_text(day_status) e WHERE e.value = 'waitlisted')`

// Registrations returns the workshop's registrations in registration order.
func (s *Store) Registrations(ctx context.Context, id domain.WorkshopID) ([]projections.RegistrationView, error) {
	id = readable(id) // as stored (see readable)
	var views []projections.RegistrationView
	err := read(ctx, "registrations", func(ctx context.Context) error {
		views = nil
		var exists bool
		b := &pgx.Batch{}
		b.Queue(`SELECT EXISTS (SELECT 1 FROM werkstatt.registration_lists WHERE workshop = $1)`, id).
			QueryRow(func(row pgx.Row) error { return row.Scan(&exists) })
		b.Queue(selectRegistrations+` WHERE workshop = $1 ORDER BY ordinal, id COLLATE "C"`, id).Query(func(rows pgx.Rows) error {
			var err error
			views, err = scanRegistrations(rows)
			return err
		})
		if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		if !exists {
			return domain.ErrWorkshopNotFound
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	projections.NumberWaitlist(views)
	return views, nil
}

// Registration returns one registration, or domain.ErrWorkshopNotFound or
// domain.ErrRegistrationNotFound.
func (s *Store) Registration(ctx context.Context, id domain.WorkshopID, rid domain.RegistrationID) (projections.RegistrationView, error) {
	id, rid = readable(id), readable(rid) // as stored (see readable)
	var views []projections.RegistrationView
	var exists bool
	err := read(ctx, "registration", func(ctx context.Context) error {
		b := &pgx.Batch{}
		b.Queue(`SELECT EXISTS (SELECT 1 FROM werkstatt.registration_lists WHERE workshop = $1)`, id).
			QueryRow(func(row pgx.Row) error { return row.Scan(&exists) })
		// The registration first, then everybody else waiting somewhere, to number the waitlists.
		b.Queue(selectRegistrations+` WHERE workshop = $1 AND (id = $2 OR `+waitingSomewhere+`)
			ORDER BY id = $2 DESC`, id, rid).Query(func(rows pgx.Rows) error {
			var err error
			views, err = scanRegistrations(rows)
			return err
		})
		return s.pool.SendBatch(ctx, b).Close()
	})
	switch {
	case err != nil:
		return projections.RegistrationView{}, err
	case !exists:
		return projections.RegistrationView{}, domain.ErrWorkshopNotFound
	case len(views) == 0 || views[0].ID != rid:
		return projections.RegistrationView{}, domain.ErrRegistrationNotFound
	}
	projections.NumberWaitlist(views)
	return views[0], nil
}

func scanRegistrations(rows pgx.Rows) ([]projections.RegistrationView, error) {
	views := []projections.RegistrationView{}
	var v projections.RegistrationView
	var ordinal int64
	var name, email, dietary *string
	var clear, text map[string]string
	_, err := pgx.ForEachRow(rows, []any{&v.ID, &v.Workshop, &ordinal, &name, &email, &dietary, &v.Organisation,
		&v.District, &v.Days, &v.Overnight, &v.Status, &v.TokenHash, &v.RegisteredAt, &v.UpdatedAt, &clear, &text,
		&v.DayStatus, &v.WaitlistedSince, &v.Lang, &v.PhotoConsent}, func() error {
		r := v
		r.Ordinal = uint64(ordinal)
		r.WaitlistPositions = map[domain.Day]int{}
		var p *domain.Person
		if name != nil {
			p = &domain.Person{Answers: text}
		}
		r.Answers = projections.MergeAnswers(clear, p)
		clear, text = nil, nil
		r.Erased = name == nil
		r.Name, r.Email, r.Dietary = deref(name), deref(email), deref(dietary)
		r.RegisteredAt, r.UpdatedAt = utc(r.RegisteredAt), utc(r.UpdatedAt)
		views = append(views, r)
		v.Days, v.DayStatus, v.WaitlistedSince = nil, nil, nil
		return nil
	})
	return views, err
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func utc(t time.Time) time.Time { return t.UTC() }

// CheckIns returns the workshop's check-ins or domain.ErrWorkshopNotFound.
func (s *Store) CheckIns(ctx context.Context, id domain.WorkshopID) ([]domain.CheckIn, error) {
	id = readable(id) // as stored (see readable)
	var out []domain.CheckIn
	var exists bool
	err := read(ctx, "check-ins", func(ctx context.Context) error {
		out, exists = []domain.CheckIn{}, false
		b := &pgx.Batch{}
		b.Queue(`SELECT true FROM werkstatt.attendance_sheets WHERE workshop = $1`, id).QueryRow(func(row pgx.Row) error {
			err := row.Scan(&exists)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			return err
		})
		b.Queue(`SELECT registration, day, session FROM werkstatt.check_ins WHERE workshop = $1`, id).Query(func(rows pgx.Rows) error {
			var c domain.CheckIn
			_, err := pgx.ForEachRow(rows, []any{&c.RegistrationID, &c.Day, &c.SessionID}, func() error {
				out = append(out, c)
				return nil
			})
			return err
		})
		return s.pool.SendBatch(ctx, b).Close()
	})
	if err == nil && !exists {
		err = domain.ErrWorkshopNotFound
	}
	return out, err
}

// Attendance returns the workshop's attendance report or domain.ErrWorkshopNotFound.
func (s *Store) Attendance(ctx context.Context, id domain.WorkshopID) (projections.Attendance, error) {
	id = readable(id) // as stored (see readable)
	var sheet projections.Sheet
	var exists bool
	err := read(ctx, "attendance", func(ctx context.Context) error {
		sheet, exists = projections.Sheet{}, false
		b := &pgx.Batch{}
		b.Queue(`SELECT days, capacity FROM werkstatt.attendance_sheets WHERE workshop = $1`, id).Query(func(rows pgx.Rows) error {
			_, err := pgx.ForEachRow(rows, []any{&sheet.Days, &sheet.Capacity}, func() error { exists = true; return nil })
			return err
		})
		b.Queue(`SELECT id, title, day, starts FROM werkstatt.sheet_sessions WHERE workshop = $1`, id).Query(func(rows pgx.Rows) error {
			var se domain.Session
			_, err := pgx.ForEachRow(rows, []any{&se.ID, &se.Title, &se.Day, &se.Starts}, func() error {
				sheet.Sessions = append(sheet.Sessions, se)
				return nil
			})
			return err
		})
		b.Queue(`SELECT registration, organisation, days, status, answers, day_status FROM werkstatt.attendees WHERE workshop = $1`, id).Query(func(rows pgx.Rows) error {
			var a projections.Attendee
			_, err := pgx.ForEachRow(rows, []any{&a.ID, &a.Organisation, &a.Days, &a.Status, &a.Answers, &a.DayStatus}, func() error {
				sheet.Attendees = append(sheet.Attendees, a)
				a.Days, a.Answers, a.DayStatus = nil, nil, nil
				return nil
			})
			return err
		})
		b.Queue(`SELECT registration, day, session FROM werkstatt.check_ins WHERE workshop = $1`, id).Query(func(rows pgx.Rows) error {
			var c domain.CheckIn
			_, err := pgx.ForEachRow(rows, []any{&c.RegistrationID, &c.Day, &c.SessionID}, func() error {
				sheet.CheckIns = append(sheet.CheckIns, c)
				return nil
			})
			return err
		})
		return s.pool.SendBatch(ctx, b).Close()
	})
	if err == nil && !exists {
		err = domain.ErrWorkshopNotFound
	}
	if err != nil {
		return projections.Attendance{}, err
	}
	return sheet.Attendance(), nil
}
