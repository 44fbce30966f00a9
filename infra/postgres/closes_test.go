package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/werkstatt/werkstatt/internal/scenario"
	"github.com/werkstatt/werkstatt/projections/projectionstest"
)

// TestRegistrationClosesMigratesUnderViews takes a database back to where migration 006
// finds one in service (workshops without the column, read through the views, with rows):
// opening it again adds the column under the views, keeps the rows and reads no closing time.
func TestRegistrationClosesMigratesUnderViews(t *testing.T) {
	url, _ := rewound(t,
		"DROP VIEW werkstatt.workshops",
		"ALTER TABLE werkstatt_rm_1.workshops DROP COLUMN registration_closes",
		"CREATE VIEW werkstatt.workshops AS SELECT * FROM werkstatt_rm_1.workshops",
		"DELETE FROM werkstatt_rm_1.schema_migrations WHERE version = 6")
	s := open(t, url)
	w, err := s.Workshop(context.Background(), "W00000")
	if err != nil || !w.RegistrationCloses.IsZero() || len(w.Agenda) != 9 {
		t.Errorf("Workshop after migrating: closing time %v, %d sessions, %v; want none, 9", w.RegistrationCloses, len(w.Agenda), err)
	}
}

// rewound returns a database in service (one workshop's read models applied) taken back by sqls,
// run in one transaction, to where a migration finds it, and a connection to it.
func rewound(t *testing.T, sqls ...string) (string, *pgx.Conn) {
	t.Helper()
	url := testDatabase(t)
	projectionstest.ApplyAll(t, open(t, url), scenario.Workshops(1, 5), 100)
	return rewoundDatabase(t, url, sqls...)
}

// rewoundDatabase takes the database at url back by sqls, run in one transaction.
func rewoundDatabase(t *testing.T, url string, sqls ...string) (string, *pgx.Conn) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		for _, sql := range sqls {
			if _, err := tx.Exec(ctx, sql); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("take the database back: %v", err)
	}
	return url, conn
}
