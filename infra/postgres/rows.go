package postgres

import (
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// statements are the row operations' SQL for one generation schema.
type statements struct {
	initCheckpoints, lockCheckpoints, setCheckpoints string // of several projections at once

	setRegistrationQuestions, setAttendeeAnswers string

	putWorkshop, setVisibility, changeWorkshop, setRegistrationCloses, setFunding, setSummary, putSession, deleteSession, putSeatHolder, setSeated, changeSeatHolder string
	reviseSession, reviseWorkshop                                                                                                                                    string

	putRegistrationList, putRegistration, setRegistrationStatus, changeRegistration, erasePerson, reducePerson string
	setTokenHash                                                                                               string
	setRegistrationDayStatus, overallRegistrationStatus                                                        string

	putSheet, setSheetCapacity, putSheetSession, deleteSheetSession           string
	putAttendee, setAttendeeStatus, putCheckIn, deleteCheckIn, deleteCheckIns string
	changeAttendee, setAttendeeDayStatus, overallAttendeeStatus               string
	deleteSessionCheckIns                                                     string

	cafe     cafeStatements     // themecafe_rows.go
	followUp followUpStatements // followup_rows.go
	feedback feedbackStatements // feedback_rows.go
	material materialStatements // materials_rows.go
}

func newStatements(schema string) *statements {
	s := pgx.Identifier{schema}.Sanitize() + "."
	q := func(sql string) string { return strings.ReplaceAll(sql, "rm.", s) }
	return &statements{
		initCheckpoints: q(`INSERT INTO rm.checkpoints (projection, seq) SELECT unnest($1::text[]), 0 ON CONFLICT DO NOTHING`),
		lockCheckpoints: q(`SELECT projection, seq FROM rm.checkpoints WHERE projection = ANY($1::text[])
			ORDER BY projection FOR UPDATE`),
		setCheckpoints: q(`UPDATE rm.checkpoints AS c SET seq = v.seq
			FROM unnest($1::text[], $2::bigint[]) AS v(projection, seq) WHERE c.projection = v.projection`),

		putWorkshop: q(`INSERT INTO rm.workshops (id, title, series, venue, days, capacity, scheduled_at, registration_closes, network, visibility)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO UPDATE SET title = $2, series = $3,
			venue = $4, days = $5, capacity = $6, scheduled_at = $7, registration_closes = $8, network = $9, visibility = $10`),
		setVisibility:            q(`UPDATE rm.workshops SET visibility = $2 WHERE id = $1`),
		changeWorkshop:           q(`UPDATE rm.workshops SET title = $2, venue = $3, capacity = $4 WHERE id = $1`),
		setRegistrationCloses:    q(`UPDATE rm.workshops SET registration_closes = $2 WHERE id = $1`),
		setRegistrationQuestions: q(`UPDATE rm.workshops SET registration_questions = $2 WHERE id = $1`),
		setAttendeeAnswers:       q(`UPDATE rm.attendees SET answers = $3 WHERE workshop = $1 AND registration = $2`),
		setFunding:               q(`UPDATE rm.workshops SET funding = $2 WHERE id = $1`),
		setSummary:               q(`UPDATE rm.workshops SET summary = $2 WHERE id = $1`),
		putSession: q(`INSERT INTO rm.sessions (workshop, id, title, kind, day, starts, ends, room, speakers)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (workshop, id) DO UPDATE SET title = $3,
			kind = $4, day = $5, starts = $6, ends = $7, room = $8, speakers = $9`),
		deleteSession:  q(`DELETE FROM rm.sessions WHERE workshop = $1 AND id = $2`),
		reviseSession:  q(`UPDATE rm.sessions SET revision = $3 WHERE workshop = $1 AND id = $2`),
		reviseWorkshop: q(`UPDATE rm.workshops SET revised = $2 WHERE id = $1`),
		putSeatHolder: q(`INSERT INTO rm.seat_holders (workshop, registration, days, seated, seated_days) VALUES ($1, $2, $3, false, '{}')
			ON CONFLICT (workshop, registration) DO UPDATE SET days = $3, seated = false, seated_days = '{}'`),
		setSeated: q(`UPDATE rm.seat_holders SET seated_days = CASE
			WHEN $3::text[] IS NULL AND $4 THEN days
			WHEN $3::text[] IS NULL THEN '{}'
			WHEN $4 THEN ARRAY(SELECT DISTINCT x FROM unnest(seated_days || $3::text[]) x WHERE x = ANY(days) ORDER BY 1)
			ELSE ARRAY(SELECT x FROM unnest(seated_days) x WHERE x <> ALL($3::text[]) ORDER BY 1) END
			WHERE workshop = $1 AND registration = $2`),
		changeSeatHolder: q(`UPDATE rm.seat_holders SET days = $3,
			seated_days = ARRAY(SELECT x FROM unnest(seated_days) x WHERE x = ANY($3::text[]) ORDER BY 1)
			WHERE workshop = $1 AND registration = $2`),

		putRegistrationList: q(`INSERT INTO rm.registration_lists (workshop) VALUES ($1) ON CONFLICT DO NOTHING`),
		putRegistration: q(`INSERT INTO rm.registrations (workshop, id, ordinal, name, email, dietary, organisation,
			district, days, overnight, status, token_hash, registered_at, updated_at, answers, text_answers, day_status, waitlisted_since, lang, photo_consent)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '', $11, $12, $12, $13, $14, '{}', '{}', $15, $16)
			ON CONFLICT (workshop, id) DO UPDATE SET ordinal = $3, name = $4, email = $5, dietary = $6,
			organisation = $7, district = $8, days = $9, overnight = $10, status = '', token_hash = $11,
			registered_at = $12, updated_at = $12, answers = $13, text_answers = $14, day_status = '{}', waitlisted_since = '{}', lang = $15,
			photo_consent = $16`),
		setRegistrationStatus: q(`UPDATE rm.registrations SET status = $3, updated_at = $4,
			day_status = CASE WHEN $3 = 'cancelled' THEN '{}' ELSE day_status END,
			waitlisted_since = CASE WHEN $3 = 'cancelled' THEN '{}' ELSE waitlisted_since END
			WHERE workshop = $1 AND id = $2`),
		setRegistrationDayStatus: q(`UPDATE rm.registrations SET
			day_status = day_status || COALESCE((SELECT jsonb_object_agg(d, $4::text) FROM unnest(COALESCE($3::text[], days)) d), '{}'),
			waitlisted_since = CASE WHEN $4 = 'waitlisted'
				THEN waitlisted_since || COALESCE((SELECT jsonb_object_agg(d, $5::bigint) FROM unnest(COALESCE($3::text[], days)) d), '{}')
				ELSE waitlisted_since - COALESCE($3::text[], days) END,
			updated_at = $6
			WHERE workshop = $1 AND id = $2`),
		overallRegistrationStatus: q(`UPDATE rm.registrations SET status = ` + overallStatus + ` WHERE workshop = $1 AND id = $2`),
		changeRegistration: q(`UPDATE rm.registrations SET days = $3, overnight = $4,
			dietary = CASE WHEN $5::text IS NULL OR name IS NULL THEN dietary ELSE $5::text END, updated_at = $6,
			photo_consent = CASE WHEN $7::boolean IS NULL OR name IS NULL THEN photo_consent ELSE $7::boolean END,
			day_status = day_status - ARRAY(SELECT k FROM jsonb_object_keys(day_status) k WHERE k <> ALL($3::text[])),
			waitlisted_since = waitlisted_since - ARRAY(SELECT k FROM jsonb_object_keys(waitlisted_since) k WHERE k <> ALL($3::text[]))
			WHERE workshop = $1 AND id = $2`),
		erasePerson: q(`UPDATE rm.registrations SET name = NULL, email = NULL, dietary = NULL, text_answers = NULL, photo_consent = false
			WHERE workshop = $1 AND id = $2`),
		reducePerson: q(`UPDATE rm.registrations SET name = $3, email = '', dietary = '', text_answers = NULL
			WHERE workshop = $1 AND id = $2`),
		setTokenHash: q(`UPDATE rm.registrations SET token_hash = $3 WHERE workshop = $1 AND id = $2`),

		putSheet: q(`INSERT INTO rm.attendance_sheets (workshop, days, capacity) VALUES ($1, $2, $3)
			ON CONFLICT (workshop) DO UPDATE SET days = $2, capacity = $3`),
		setSheetCapacity: q(`UPDATE rm.attendance_sheets SET capacity = $2 WHERE workshop = $1`),
		putSheetSession: q(`INSERT INTO rm.sheet_sessions (workshop, id, title, day, starts) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (workshop, id) DO UPDATE SET title = $3, day = $4, starts = $5`),
		deleteSheetSession: q(`DELETE FROM rm.sheet_sessions WHERE workshop = $1 AND id = $2`),
		putAttendee: q(`INSERT INTO rm.attendees (workshop, registration, organisation, days, status, day_status) VALUES ($1, $2, $3, $4, '', '{}')
			ON CONFLICT (workshop, registration) DO UPDATE SET organisation = $3, days = $4, status = '', day_status = '{}'`),
		changeAttendee: q(`UPDATE rm.attendees SET organisation = $3, days = $4,
			day_status = day_status - ARRAY(SELECT k FROM jsonb_object_keys(day_status) k WHERE k <> ALL($4::text[]))
			WHERE workshop = $1 AND registration = $2`),
		setAttendeeStatus: q(`UPDATE rm.attendees SET status = $3,
			day_status = CASE WHEN $3 = 'cancelled' THEN '{}' ELSE day_status END
			WHERE workshop = $1 AND registration = $2`),
		setAttendeeDayStatus: q(`UPDATE rm.attendees SET
			day_status = day_status || COALESCE((SELECT jsonb_object_agg(d, $4::text) FROM unnest(COALESCE($3::text[], days)) d), '{}')
			WHERE workshop = $1 AND registration = $2`),
		overallAttendeeStatus: q(`UPDATE rm.attendees SET status = ` + overallStatus + ` WHERE workshop = $1 AND registration = $2`),
		putCheckIn: q(`INSERT INTO rm.check_ins (workshop, registration, day, session) VALUES ($1, $2, $3, $4)
			ON CONFLICT DO NOTHING`),
		deleteCheckIn:         q(`DELETE FROM rm.check_ins WHERE workshop = $1 AND registration = $2 AND day = $3 AND session = $4`),
		deleteCheckIns:        q(`DELETE FROM rm.check_ins WHERE workshop = $1 AND registration = $2`),
		deleteSessionCheckIns: q(`DELETE FROM rm.check_ins WHERE workshop = $1 AND session = $2`),

		cafe:     newCafeStatements(q),
		followUp: newFollowUpStatements(q),
		feedback: newFeedbackStatements(q),
		material: newMaterialStatements(q),
	}
}

// overallStatus is a row's status as a whole from its day_status, as projections.StatusOf
// tells it.
const overallStatus = `CASE WHEN status = 'cancelled' THEN status
	WHEN EXISTS (SELECT 1 FROM jsonb_each_text(day_status) e WHERE e.value = 'confirmed') THEN 'confirmed'
	WHEN day_status <> '{}' THEN 'waitlisted' ELSE status END`

// rowQueue implements projections.Tx by queueing statements into one pgx.Batch.
type rowQueue struct {
	q *statements
	b pgx.Batch
}

func (r *rowQueue) PutWorkshop(w projections.WorkshopRow) {
	r.b.Queue(r.q.putWorkshop, w.ID, w.Title, w.Series, w.Venue, w.Days, w.Capacity, w.ScheduledAt, instant(w.RegistrationCloses),
		string(w.Network), string(w.Visibility))
}

func (r *rowQueue) SetVisibility(id domain.WorkshopID, v domain.Visibility) {
	r.b.Queue(r.q.setVisibility, id, string(v))
}

func (r *rowQueue) SetFunding(id domain.WorkshopID, f domain.Funding) {
	r.b.Queue(r.q.setFunding, id, fundingJSON(f))
}

// fundingJSON is f as the funding column holds it: nil (NULL) for none.
func fundingJSON(f domain.Funding) any {
	if !f.Set() {
		return nil
	}
	return f
}

func (r *rowQueue) SetSummary(id domain.WorkshopID, text string) {
	r.b.Queue(r.q.setSummary, id, text)
}

func (r *rowQueue) SetRegistrationCloses(id domain.WorkshopID, closes time.Time) {
	r.b.Queue(r.q.setRegistrationCloses, id, instant(closes))
}

// instant is t for a nullable timestamptz column: nil (NULL) for the zero time.
func instant(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (r *rowQueue) SetRegistrationQuestions(id domain.WorkshopID, qs []domain.RegistrationQuestion) {
	var v any // NULL for none
	if len(qs) > 0 {
		v = qs
	}
	r.b.Queue(r.q.setRegistrationQuestions, id, v)
}

func (r *rowQueue) SetAttendeeAnswers(w domain.WorkshopID, id domain.RegistrationID, answers map[string]string) {
	r.b.Queue(r.q.setAttendeeAnswers, w, id, answersJSON(answers))
}

// answersJSON is answers for a nullable jsonb column: nil (NULL) for none.
func answersJSON(answers map[string]string) any {
	if len(answers) == 0 {
		return nil
	}
	return answers
}

func (r *rowQueue) ChangeWorkshop(id domain.WorkshopID, title, venue string, capacity int) {
	r.b.Queue(r.q.changeWorkshop, id, title, venue, capacity)
}

func (r *rowQueue) PutSession(w domain.WorkshopID, s domain.Session) {
	r.b.Queue(r.q.putSession, w, s.ID, s.Title, s.Kind, s.Day, s.Starts, s.Ends, s.Room, s.Speakers)
}

func (r *rowQueue) DeleteSession(w domain.WorkshopID, id domain.SessionID) {
	r.b.Queue(r.q.deleteSession, w, id)
}

func (r *rowQueue) ReviseSession(w domain.WorkshopID, id domain.SessionID, seq uint64) {
	r.b.Queue(r.q.reviseSession, w, id, int64(seq))
}

func (r *rowQueue) ReviseWorkshop(id domain.WorkshopID, seq uint64) {
	r.b.Queue(r.q.reviseWorkshop, id, int64(seq))
}

func (r *rowQueue) PutSeatHolder(w domain.WorkshopID, id domain.RegistrationID, days []domain.Day) {
	r.b.Queue(r.q.putSeatHolder, w, id, days)
}

func (r *rowQueue) SetSeated(w domain.WorkshopID, id domain.RegistrationID, days []domain.Day, seated bool) {
	r.b.Queue(r.q.setSeated, w, id, days, seated)
}

func (r *rowQueue) ChangeSeatHolder(w domain.WorkshopID, id domain.RegistrationID, days []domain.Day) {
	r.b.Queue(r.q.changeSeatHolder, w, id, days)
}

func (r *rowQueue) PutRegistrationList(w domain.WorkshopID) {
	r.b.Queue(r.q.putRegistrationList, w)
}

func (r *rowQueue) PutRegistration(x projections.RegistrationRow) {
	var name, email, dietary *string
	var text map[string]string
	consent := false
	if p := x.Person; p != nil {
		name, email, dietary, text, consent = &p.Name, &p.Email, &p.Dietary, p.Answers, p.PhotoConsent
	}
	r.b.Queue(r.q.putRegistration, x.Workshop, x.ID, int64(x.Ordinal), name, email, dietary, x.Organisation,
		x.District, x.Days, x.Overnight, x.TokenHash, x.RegisteredAt, answersJSON(x.Answers), answersJSON(text), x.Lang, consent)
}

func (r *rowQueue) SetRegistrationStatus(w domain.WorkshopID, id domain.RegistrationID, s domain.Status, at time.Time) {
	r.b.Queue(r.q.setRegistrationStatus, w, id, s, at)
}

func (r *rowQueue) SetRegistrationDayStatus(w domain.WorkshopID, id domain.RegistrationID, days []domain.Day, s domain.Status, since uint64, at time.Time) {
	r.b.Queue(r.q.setRegistrationDayStatus, w, id, days, s, int64(since), at)
	r.b.Queue(r.q.overallRegistrationStatus, w, id)
}

func (r *rowQueue) ChangeRegistration(w domain.WorkshopID, id domain.RegistrationID, days []domain.Day, overnight bool, dietary *string, photoConsent *bool, at time.Time) {
	r.b.Queue(r.q.changeRegistration, w, id, days, overnight, dietary, at, photoConsent)
	r.b.Queue(r.q.overallRegistrationStatus, w, id)
}

func (r *rowQueue) SetTokenHash(w domain.WorkshopID, id domain.RegistrationID, hash string) {
	r.b.Queue(r.q.setTokenHash, w, id, hash)
}

func (r *rowQueue) ReducePerson(w domain.WorkshopID, id domain.RegistrationID, name string) {
	r.b.Queue(r.q.reducePerson, w, id, name)
}

func (r *rowQueue) ErasePerson(w domain.WorkshopID, id domain.RegistrationID) {
	r.b.Queue(r.q.erasePerson, w, id)
}

func (r *rowQueue) PutAttendanceSheet(w domain.WorkshopID, days []domain.Day, capacity int) {
	r.b.Queue(r.q.putSheet, w, days, capacity)
}

func (r *rowQueue) SetSheetCapacity(w domain.WorkshopID, capacity int) {
	r.b.Queue(r.q.setSheetCapacity, w, capacity)
}

func (r *rowQueue) PutSheetSession(w domain.WorkshopID, s domain.Session) {
	r.b.Queue(r.q.putSheetSession, w, s.ID, s.Title, s.Day, s.Starts)
}

func (r *rowQueue) DeleteSheetSession(w domain.WorkshopID, id domain.SessionID) {
	r.b.Queue(r.q.deleteSheetSession, w, id)
}

func (r *rowQueue) PutAttendee(w domain.WorkshopID, id domain.RegistrationID, organisation string, days []domain.Day) {
	r.b.Queue(r.q.putAttendee, w, id, organisation, days)
}

func (r *rowQueue) SetAttendeeStatus(w domain.WorkshopID, id domain.RegistrationID, s domain.Status) {
	r.b.Queue(r.q.setAttendeeStatus, w, id, s)
}

func (r *rowQueue) ChangeAttendee(w domain.WorkshopID, id domain.RegistrationID, organisation string, days []domain.Day) {
	r.b.Queue(r.q.changeAttendee, w, id, organisation, days)
	r.b.Queue(r.q.overallAttendeeStatus, w, id)
}

func (r *rowQueue) SetAttendeeDayStatus(w domain.WorkshopID, id domain.RegistrationID, days []domain.Day, s domain.Status) {
	r.b.Queue(r.q.setAttendeeDayStatus, w, id, days, s)
	r.b.Queue(r.q.overallAttendeeStatus, w, id)
}

func (r *rowQueue) PutCheckIn(w domain.WorkshopID, c domain.CheckIn) {
	r.b.Queue(r.q.putCheckIn, w, c.RegistrationID, c.Day, c.SessionID)
}

func (r *rowQueue) DeleteCheckIn(w domain.WorkshopID, c domain.CheckIn) {
	r.b.Queue(r.q.deleteCheckIn, w, c.RegistrationID, c.Day, c.SessionID)
}

func (r *rowQueue) DeleteSessionCheckIns(w domain.WorkshopID, id domain.SessionID) {
	r.b.Queue(r.q.deleteSessionCheckIns, w, id)
}

func (r *rowQueue) DeleteCheckIns(w domain.WorkshopID, id domain.RegistrationID) {
	r.b.Queue(r.q.deleteCheckIns, w, id)
}
