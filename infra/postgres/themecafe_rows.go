package postgres

import (
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// cafeStatements are the SQL of the theme cafés' row operations (themecafes.v1).
type cafeStatements struct {
	put, touch, setRounds, setCollection, setPlan, setQuality, publish    string
	putTable, changeTable, deleteTable, deleteTableNotes                  string
	deleteCafe, deleteTables, deletePreferences, deleteSeats, deleteNotes string
	dropRankedTable, dropEmptyRankings, unseatTable                       string
	putPreferences, deleteRanking, insertSeats, moveSeat, putNotes        string
	touchForRegistration, dropRankings, dropHost, dropSeats               string
}

// newCafeStatements builds the statements; q puts them into a generation schema.
func newCafeStatements(q func(string) string) cafeStatements {
	const cafe = ` WHERE workshop = $1 AND session = $2`
	return cafeStatements{
		put: q(`INSERT INTO rm.theme_cafes (workshop, session, rounds, collection, planned, seed, quality, published, changed)
			VALUES ($1, $2, $3, 'not_open', false, 0, '{}', false, false) ON CONFLICT DO NOTHING`),
		touch:         q(`UPDATE rm.theme_cafes SET changed = planned` + cafe),
		setRounds:     q(`UPDATE rm.theme_cafes SET rounds = $3, changed = planned` + cafe),
		setCollection: q(`UPDATE rm.theme_cafes SET collection = $3` + cafe),
		setPlan:       q(`UPDATE rm.theme_cafes SET planned = true, seed = $3, quality = $4, published = false, changed = false` + cafe),
		setQuality:    q(`UPDATE rm.theme_cafes SET quality = $3` + cafe + ` AND planned`),
		publish:       q(`UPDATE rm.theme_cafes SET published = true` + cafe),

		putTable: q(`INSERT INTO rm.cafe_tables (workshop, session, id, ordinal, topic, description, host, host_guest, capacity)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (workshop, session, id) DO UPDATE SET ordinal = $4,
			topic = $5, description = $6, host = $7, host_guest = $8, capacity = $9`),
		changeTable: q(`UPDATE rm.cafe_tables SET topic = $4, description = $5, host = $6, host_guest = $7, capacity = $8` +
			cafe + ` AND id = $3`),
		deleteTable:       q(`DELETE FROM rm.cafe_tables` + cafe + ` AND id = $3`),
		deleteTableNotes:  q(`DELETE FROM rm.cafe_notes` + cafe + ` AND table_id = $3`),
		dropRankedTable:   q(`UPDATE rm.cafe_preferences SET ranking = array_remove(ranking, $3::text)` + cafe + ` AND $3::text = ANY (ranking)`),
		dropEmptyRankings: q(`DELETE FROM rm.cafe_preferences` + cafe + ` AND cardinality(ranking) = 0`),
		unseatTable:       q(`UPDATE rm.cafe_seats SET table_id = '', reason = $4` + cafe + ` AND table_id = $3`),

		deleteCafe:        q(`DELETE FROM rm.theme_cafes` + cafe),
		deleteTables:      q(`DELETE FROM rm.cafe_tables` + cafe),
		deletePreferences: q(`DELETE FROM rm.cafe_preferences` + cafe),
		deleteSeats:       q(`DELETE FROM rm.cafe_seats` + cafe),
		deleteNotes:       q(`DELETE FROM rm.cafe_notes` + cafe),

		putPreferences: q(`INSERT INTO rm.cafe_preferences (workshop, session, registration, ranking) VALUES ($1, $2, $3, $4)
			ON CONFLICT (workshop, session, registration) DO UPDATE SET ranking = $4`),
		deleteRanking: q(`DELETE FROM rm.cafe_preferences` + cafe + ` AND registration = $3`),
		insertSeats: q(`INSERT INTO rm.cafe_seats (workshop, session, registration, round, table_id, reason)
			SELECT $1, $2, g, r, t, why FROM unnest($3::text[], $4::bigint[], $5::text[], $6::text[]) AS s(g, r, t, why)`),
		moveSeat: q(`UPDATE rm.cafe_seats SET table_id = $5, reason = ''` + cafe + ` AND registration = $3 AND round = $4`),
		putNotes: q(`INSERT INTO rm.cafe_notes (workshop, session, table_id, round, key_points, examples, open_questions, recorded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (workshop, session, table_id, round) DO UPDATE SET
			key_points = $5, examples = $6, open_questions = $7, recorded_at = $8`),

		touchForRegistration: q(`UPDATE rm.theme_cafes c SET changed = true WHERE c.workshop = $1 AND c.planned AND (
			EXISTS (SELECT 1 FROM rm.cafe_seats s WHERE s.workshop = c.workshop AND s.session = c.session AND s.registration = $2)
			OR EXISTS (SELECT 1 FROM rm.cafe_tables t WHERE t.workshop = c.workshop AND t.session = c.session AND t.host = $2))`),
		dropRankings: q(`DELETE FROM rm.cafe_preferences WHERE workshop = $1 AND registration = $2`),
		dropHost:     q(`UPDATE rm.cafe_tables SET host = '' WHERE workshop = $1 AND host = $2`),
		dropSeats:    q(`DELETE FROM rm.cafe_seats WHERE workshop = $1 AND registration = $2`),
	}
}

func (r *rowQueue) PutCafe(w domain.WorkshopID, s domain.SessionID) {
	r.b.Queue(r.q.cafe.put, w, s, domain.DefaultRounds)
}

func (r *rowQueue) DeleteCafe(w domain.WorkshopID, s domain.SessionID) {
	c := r.q.cafe
	for _, sql := range []string{c.deleteCafe, c.deleteTables, c.deletePreferences, c.deleteSeats, c.deleteNotes} {
		r.b.Queue(sql, w, s)
	}
}

func (r *rowQueue) SetCafeRounds(w domain.WorkshopID, s domain.SessionID, rounds int) {
	r.b.Queue(r.q.cafe.setRounds, w, s, rounds)
}

func (r *rowQueue) PutCafeTable(w domain.WorkshopID, s domain.SessionID, t domain.Table, ordinal uint64) {
	r.b.Queue(r.q.cafe.putTable, w, s, t.ID, int64(ordinal), t.Topic, t.Description, t.Host, t.HostGuest, t.Capacity)
	r.b.Queue(r.q.cafe.touch, w, s)
}

func (r *rowQueue) ChangeCafeTable(w domain.WorkshopID, s domain.SessionID, t domain.Table) {
	r.b.Queue(r.q.cafe.changeTable, w, s, t.ID, t.Topic, t.Description, t.Host, t.HostGuest, t.Capacity)
	r.b.Queue(r.q.cafe.touch, w, s)
}

func (r *rowQueue) DeleteCafeTable(w domain.WorkshopID, s domain.SessionID, t domain.TableID) {
	c := r.q.cafe
	r.b.Queue(c.deleteTable, w, s, t)
	r.b.Queue(c.deleteTableNotes, w, s, t)
	r.b.Queue(c.dropRankedTable, w, s, t)
	r.b.Queue(c.dropEmptyRankings, w, s)
	r.b.Queue(c.unseatTable, w, s, t, domain.TableRemovedReason)
	r.b.Queue(c.touch, w, s)
}

func (r *rowQueue) SetCafeCollection(w domain.WorkshopID, s domain.SessionID, col domain.Collection) {
	r.b.Queue(r.q.cafe.setCollection, w, s, col)
}

func (r *rowQueue) PutCafePreferences(w domain.WorkshopID, s domain.SessionID, reg domain.RegistrationID, ranking []domain.TableID) {
	if len(ranking) == 0 {
		r.b.Queue(r.q.cafe.deleteRanking, w, s, reg)
		return
	}
	r.b.Queue(r.q.cafe.putPreferences, w, s, reg, ranking)
}

// PutCafePlan replaces the seat rows in two statements, whatever the size of the plan: one
// row per guest and round, sent as four arrays.
func (r *rowQueue) PutCafePlan(w domain.WorkshopID, s domain.SessionID, seed uint64, p domain.RotationPlan, q domain.RotationQuality) {
	why := make(map[domain.Unseated]domain.UnseatedReason, len(p.Unseated))
	for _, u := range p.Unseated {
		why[domain.Unseated{Guest: u.Guest, Round: u.Round}] = u.Reason
	}
	var guests, tables, reasons []string
	var rounds []int64
	for g, seats := range p.Seats {
		for i, t := range seats {
			guests, rounds, tables = append(guests, string(g)), append(rounds, int64(i+1)), append(tables, string(t))
			reasons = append(reasons, string(why[domain.Unseated{Guest: g, Round: i + 1}]))
		}
	}
	r.b.Queue(r.q.cafe.deleteSeats, w, s)
	r.b.Queue(r.q.cafe.insertSeats, w, s, guests, rounds, tables, reasons)
	r.b.Queue(r.q.cafe.setPlan, w, s, int64(seed), q) // the seed's bits, read back as uint64
}

func (r *rowQueue) MoveCafeGuest(w domain.WorkshopID, s domain.SessionID, reg domain.RegistrationID, n int, t domain.TableID, q domain.RotationQuality) {
	r.b.Queue(r.q.cafe.moveSeat, w, s, reg, n, t)
	r.b.Queue(r.q.cafe.setQuality, w, s, q)
}

func (r *rowQueue) PublishCafePlan(w domain.WorkshopID, s domain.SessionID) {
	r.b.Queue(r.q.cafe.publish, w, s)
}

func (r *rowQueue) PutCafeNotes(w domain.WorkshopID, s domain.SessionID, t domain.TableID, round int, n domain.TableNotes, at time.Time) {
	r.b.Queue(r.q.cafe.putNotes, w, s, t, round, nonNil(n.KeyPoints), nonNil(n.Examples), nonNil(n.OpenQuestions), at)
}

// nonNil makes an absent list an empty array: a nil slice would be NULL.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (r *rowQueue) DropCafeRegistration(w domain.WorkshopID, reg domain.RegistrationID) {
	c := r.q.cafe
	for _, sql := range []string{c.touchForRegistration, c.dropRankings, c.dropHost, c.dropSeats} {
		r.b.Queue(sql, w, reg)
	}
}
