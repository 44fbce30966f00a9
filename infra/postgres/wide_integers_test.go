package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// TestWideIntegersMigrateUnderViews takes a database back to where migration 005 finds one in
// service: integer columns, read through the control schema's views, with rows. Opening it
// again widens the columns under the views, keeps the rows, and then stores a capacity beyond
// 32 bits.
func TestWideIntegersMigrateUnderViews(t *testing.T) {
	narrow := []struct{ table, column string }{{"workshops", "capacity"}, {"attendance_sheets", "capacity"},
		{"theme_cafes", "rounds"}, {"cafe_tables", "capacity"}, {"cafe_seats", "round"}, {"cafe_notes", "round"},
		{"followup_boards", "vote_limit"}, {"feedback_questionnaires", "version"}, {"feedback_answers", "version"}}
	var sqls []string
	for _, n := range narrow {
		sqls = append(sqls, "DROP VIEW werkstatt."+n.table,
			"ALTER TABLE werkstatt_rm_1."+n.table+" ALTER "+n.column+" TYPE integer",
			"CREATE VIEW werkstatt."+n.table+" AS SELECT * FROM werkstatt_rm_1."+n.table)
	}
	url, conn := rewound(t, append(sqls, "DELETE FROM werkstatt_rm_1.schema_migrations WHERE version = 5")...)
	ctx := context.Background()

	s := open(t, url)
	for _, n := range narrow {
		for _, schema := range []string{"werkstatt_rm_1", "werkstatt"} {
			var typ string
			if err := conn.QueryRow(ctx, `SELECT data_type FROM information_schema.columns
				WHERE table_schema = $1 AND table_name = $2 AND column_name = $3`, schema, n.table, n.column).Scan(&typ); err != nil || typ != "bigint" {
				t.Errorf("%s.%s.%s: got %q, %v; want bigint", schema, n.table, n.column, typ, err)
			}
		}
	}
	if w, err := s.Workshop(ctx, "W00000"); err != nil || len(w.Agenda) != 9 {
		t.Errorf("Workshop after the migration: %d sessions, %v; want 9", len(w.Agenda), err)
	}
	big := []domain.Recorded{{Seq: 1 << 20, Workshop: "W00000", Event: domain.WorkshopChanged{Title: "T", Venue: "V", Capacity: 1 << 40}}}
	if _, err := s.Apply(ctx, projections.WorkshopDetails{}, big); err != nil {
		t.Fatalf("apply a capacity of 2^40: %v", err)
	}
	if w, err := s.Workshop(ctx, "W00000"); err != nil || w.Capacity != 1<<40 {
		t.Errorf("got capacity %d, %v; want 2^40", w.Capacity, err)
	}
}

// TestReadersTakeAnyString asks every reader with a NUL and broken UTF-8, as a hostile path or
// query parameter would: it finds nothing, and PostgreSQL is never asked what it refuses.
func TestReadersTakeAnyString(t *testing.T) {
	s := open(t, testDatabase(t))
	ctx := context.Background()
	const bad = "W\x00\xff"
	notFound := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("%s: got %v, want not found", what, err)
		}
	}
	_, err := s.Workshop(ctx, bad)
	notFound("Workshop", err)
	_, err = s.Registrations(ctx, bad)
	notFound("Registrations", err)
	_, err = s.Registration(ctx, bad, bad)
	notFound("Registration", err)
	_, err = s.Attendance(ctx, bad)
	notFound("Attendance", err)
	_, err = s.CheckIns(ctx, bad)
	notFound("CheckIns", err)
	_, err = s.ThemeCafe(ctx, bad, bad)
	notFound("ThemeCafe", err)
	_, err = s.FollowUps(ctx, bad)
	notFound("FollowUps", err)
	_, err = s.Feedback(ctx, bad)
	notFound("Feedback", err)
	_, err = s.Evaluation(ctx, bad)
	notFound("Evaluation", err)
	if topics, err := s.SeriesTopics(ctx, bad); err != nil || len(topics) != 0 {
		t.Errorf("SeriesTopics: got %v, %v; want none", topics, err)
	}
	if figures, err := s.SeriesFigures(ctx, bad); err != nil || len(figures) != 0 {
		t.Errorf("SeriesFigures: got %v, %v; want none", figures, err)
	}
	items, err := s.ActionItems(ctx, projections.ActionItemFilter{Series: bad, Organisation: bad, Registration: bad})
	if err != nil || len(items) != 0 {
		t.Errorf("ActionItems: got %v, %v; want none", items, err)
	}
}
