package postgres

import (
	"context"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// The reads of SeriesFigures. Each covers every workshop of the series $1 at once and
// aggregates in SQL, so that a series report costs one round trip and no row of personal data.
const (
	// selectSeriesWorkshops reads the workshops with their attendance figures. Per workshop it
	// groups the check-ins by person: checked in at all, and on a day of the workshop (at the
	// door or at a session), which makes a confirmed ($2) person present. COLLATE "C" keeps
	// grouping and sorting to byte comparisons; ids and names compare equal exactly when
	// their bytes do under the default collation too.
	selectSeriesWorkshops = `SELECT w.id, w.title, w.series, w.venue, w.days, w.capacity, w.scheduled_at,
		f.confirmed, f.present, f.organisations, f.checked_in
		FROM werkstatt.workshops w LEFT JOIN werkstatt.attendance_sheets s ON s.workshop = w.id
		CROSS JOIN LATERAL (
			SELECT count(a.registration) AS confirmed,
				count(*) FILTER (WHERE a.registration IS NOT NULL AND p.on_a_day) AS present,
				array_agg(DISTINCT a.organisation COLLATE "C") FILTER (WHERE a.registration IS NOT NULL) AS organisations,
				count(p.registration) AS checked_in
			FROM (SELECT c.registration COLLATE "C" AS registration, bool_or(c.day = ANY (s.days)) AS on_a_day
				FROM werkstatt.check_ins c WHERE c.workshop = w.id GROUP BY 1) p
			FULL JOIN (SELECT a.registration COLLATE "C" AS registration, a.organisation FROM werkstatt.attendees a
				WHERE a.workshop = w.id AND a.status = $2) a ON a.registration = p.registration) f
		WHERE w.series = $1`
	// inSeries restricts a query on a table with a workshop column to the workshops of the series.
	inSeries = ` workshop IN (SELECT id FROM werkstatt.workshops WHERE series = $1)`
	// $2 is domain.WorkshopQuestionnaire in this and the next two.
	selectSeriesVersions = `SELECT workshop, version, questions FROM werkstatt.feedback_questionnaires
		WHERE id = $2 AND` + inSeries
	selectSeriesResponses = `SELECT workshop, version, count(*) FROM werkstatt.feedback_answers
		WHERE questionnaire = $2 AND` + inSeries + ` GROUP BY workshop, version`
	// selectSeriesAnswers counts and sums the answers giving a scale value, per question. A
	// respondent answers each question once (the domain refuses a second answer in one
	// response), so counting answer elements counts people.
	selectSeriesAnswers = `SELECT a.workshop, a.version, e.question_id, count(*), sum(e.scale)
		FROM werkstatt.feedback_answers a CROSS JOIN LATERAL jsonb_to_recordset(a.answers) e (question_id text, scale integer)
		WHERE a.questionnaire = $2 AND e.scale IS NOT NULL AND a.` + inSeries + ` GROUP BY 1, 2, 3`
)

// answerKey names the answers to one question of one version of a workshop's questionnaire.
type answerKey struct {
	workshop domain.WorkshopID
	version  int
	question domain.QuestionID
}

// SeriesFigures returns the figures of every workshop of series, in the order of Workshops,
// read in one batch without personal data.
func (s *Store) SeriesFigures(ctx context.Context, series string) ([]projections.WorkshopFigures, error) {
	series = readable(series) // as stored (see readable)
	out := []projections.WorkshopFigures{}
	if series == "" {
		return out, nil
	}
	var versions map[domain.WorkshopID][]projections.QuestionnaireRow
	var responses map[answerKey]int
	var answers map[answerKey]projections.ScaleFigures
	err := read(ctx, "series figures", func(ctx context.Context) error {
		out = []projections.WorkshopFigures{}
		versions = map[domain.WorkshopID][]projections.QuestionnaireRow{}
		responses, answers = map[answerKey]int{}, map[answerKey]projections.ScaleFigures{}
		b := &pgx.Batch{}
		b.Queue(selectSeriesWorkshops, series, domain.Confirmed).Query(func(rows pgx.Rows) error {
			var f projections.WorkshopFigures
			w := &f.Workshop
			var orgs []string
			_, err := pgx.ForEachRow(rows, []any{&w.ID, &w.Title, &w.Series, &w.Venue, &w.Days, &w.Capacity, &w.ScheduledAt,
				&f.Confirmed, &f.Present, &orgs, &f.CheckedIn}, func() error {
				w.ScheduledAt = w.ScheduledAt.UTC()
				f.Organisations = organisations(orgs)
				out = append(out, f)
				w.Days, orgs = nil, nil
				return nil
			})
			return err
		})
		queueSeriesFeedback(b, series, versions, responses, answers)
		return s.pool.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Questionnaire = versionFigures(out[i].Workshop.ID, versions[out[i].Workshop.ID], responses, answers)
	}
	projections.SortWorkshopFigures(out)
	return out, nil
}

// queueSeriesFeedback queues the reads of the workshop questionnaires' versions, their
// responses and the answers to each question.
func queueSeriesFeedback(b *pgx.Batch, series string, versions map[domain.WorkshopID][]projections.QuestionnaireRow,
	responses map[answerKey]int, answers map[answerKey]projections.ScaleFigures) {
	b.Queue(selectSeriesVersions, series, domain.WorkshopQuestionnaire).Query(func(rows pgx.Rows) error {
		var q projections.QuestionnaireRow
		_, err := pgx.ForEachRow(rows, []any{&q.Workshop, &q.Version, &q.Questions}, func() error {
			versions[q.Workshop] = append(versions[q.Workshop], q)
			q.Questions = nil
			return nil
		})
		return err
	})
	b.Queue(selectSeriesResponses, series, domain.WorkshopQuestionnaire).Query(func(rows pgx.Rows) error {
		var k answerKey
		var n int
		_, err := pgx.ForEachRow(rows, []any{&k.workshop, &k.version, &n}, func() error {
			responses[k] = n
			return nil
		})
		return err
	})
	b.Queue(selectSeriesAnswers, series, domain.WorkshopQuestionnaire).Query(func(rows pgx.Rows) error {
		var k answerKey
		var f projections.ScaleFigures
		_, err := pgx.ForEachRow(rows, []any{&k.workshop, &k.version, &k.question, &f.Answers, &f.Sum}, func() error {
			answers[k] = f
			return nil
		})
		return err
	})
}

// versionFigures puts together the figures of workshop w's questionnaire versions qs: the
// responses to each and the answers to its scale questions, in its order.
func versionFigures(w domain.WorkshopID, qs []projections.QuestionnaireRow, responses map[answerKey]int,
	answers map[answerKey]projections.ScaleFigures) []projections.VersionFigures {
	slices.SortFunc(qs, func(a, b projections.QuestionnaireRow) int { return a.Version - b.Version })
	out := make([]projections.VersionFigures, 0, len(qs))
	for _, q := range qs {
		v := projections.VersionFigures{Version: q.Version, Responses: responses[answerKey{w, q.Version, ""}],
			Scales: []projections.ScaleFigures{}}
		for _, question := range q.Questions {
			if question.Kind != domain.ScaleQuestion {
				continue
			}
			f := answers[answerKey{w, q.Version, question.ID}]
			f.Question = question
			v.Scales = append(v.Scales, f)
		}
		out = append(out, v)
	}
	return out
}

// organisations trims the distinct organisations, drops the empty one and sorts them.
func organisations(raw []string) []string {
	out := make([]string, 0, len(raw))
	for _, o := range raw {
		if o = strings.TrimSpace(o); o != "" {
			out = append(out, o)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
