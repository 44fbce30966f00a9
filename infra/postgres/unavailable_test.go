package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/postgres"
	"github.com/werkstatt/werkstatt/projections"
)

// TestUnreachableIsUnavailable: a database that is gone (dropped under the store, or a closed
// pool) is domain.ErrUnavailable for reads, checkpoints, applies and Ping, within the connect
// timeout; a workshop that does not exist stays ErrNotFound and a broken rule stays an
// internal error.
func TestUnreachableIsUnavailable(t *testing.T) {
	ctx := context.Background()
	url := testDatabase(t)
	s, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Workshop(ctx, "NOPE"); !errors.Is(err, domain.ErrNotFound) || errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("unknown workshop: got %v, want ErrNotFound only", err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `DO $$ DECLARE g bigint; BEGIN SELECT current INTO g FROM werkstatt.generation;
		EXECUTE format('ALTER TABLE werkstatt_rm_%s.workshops ADD CONSTRAINT poison CHECK (venue <> %L) NOT VALID', g, 'Gift');
		END $$`); err != nil {
		t.Fatal(err)
	}
	poisoned := []domain.Recorded{{Seq: 1, Workshop: "W1", At: time.Now(), Event: domain.WorkshopScheduled{
		ID: "W1", Title: "T", Venue: "Gift", Days: []domain.Day{"2026-11-16"}, Capacity: 5}}}
	if _, err := s.Apply(ctx, projections.WorkshopDetails{}, poisoned); err == nil || errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("apply against a broken constraint: got %v, want an error that is not ErrUnavailable", err)
	}

	// The database goes away under the store: its connections are terminated, it is dropped.
	if _, err := conn.Exec(ctx, `UPDATE pg_database SET datallowconn = false WHERE datname = current_database()`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()`); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for name, call := range map[string]func() error{
		"Workshops":  func() error { _, err := s.Workshops(ctx); return err },
		"Checkpoint": func() error { _, err := s.Checkpoint(ctx, "workshops.v1"); return err },
		"Apply":      func() error { _, err := s.Apply(ctx, projections.WorkshopDetails{}, poisoned); return err },
		"Ping":       func() error { return s.Ping(ctx) },
	} {
		if err := call(); !errors.Is(err, domain.ErrUnavailable) {
			t.Errorf("%s while the database refuses connections: got %v, want ErrUnavailable", name, err)
		}
	}
	if took := time.Since(start); took > 4*time.Second {
		t.Errorf("the calls took %s", took)
	}
	s.Close()
	if _, err := s.Workshops(ctx); !errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("Workshops on a closed store: got %v, want ErrUnavailable", err)
	}
	if _, err := conn.Exec(ctx, `UPDATE pg_database SET datallowconn = true WHERE datname = current_database()`); err != nil {
		t.Fatal(err)
	}
}
