// Package postgrestest gives tests and benchmarks outside infra/postgres a PostgreSQL
// database of their own, as the package's own tests make them.
package postgrestest

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/werkstatt/werkstatt/infra/postgres"
	"github.com/werkstatt/werkstatt/projections"
)

// AdminURL reaches the server's maintenance database, where tests create their own databases:
// $WERKSTATT_TEST_POSTGRES, or the local server as user postgres.
func AdminURL() string {
	if u := os.Getenv("WERKSTATT_TEST_POSTGRES"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// Database creates a database with a random name, drops it when the test ends and returns its
// URL. It skips the test when PostgreSQL is unreachable, or fails it when CI=true.
func Database(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL at %s: %v", AdminURL(), err)
		}
		t.Skipf("PostgreSQL at %s unreachable (set WERKSTATT_TEST_POSTGRES): %v", AdminURL(), err)
	}
	defer admin.Close(ctx)
	name := "werkstatt_test_" + rand.Text()[:12]
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin, err := pgx.Connect(ctx, AdminURL())
		if err != nil {
			t.Errorf("drop database %s: %v", name, err)
			return
		}
		defer admin.Close(ctx)
		if _, err := admin.Exec(ctx, "DROP DATABASE "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	cfg, err := pgx.ParseConfig(AdminURL())
	if err != nil {
		t.Fatalf("parse %s: %v", AdminURL(), err)
	}
	return fmt.Sprintf("postgres://%s@%s:%d/%s?sslmode=disable", cfg.User, cfg.Host, cfg.Port, name)
}

// Store opens the read models in a database of their own (see Database) and closes them when
// the test ends.
func Store(t testing.TB) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), Database(t))
	if err != nil {
		t.Fatalf("open the read models: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// ReadModel is a kind of read-model store and how a test or benchmark opens an empty one.
type ReadModel struct {
	Name string
	Open func(testing.TB) projections.Store
}

// ReadModels are both kinds a test runs against: memory, and PostgreSQL in a database of its
// own (see Store).
func ReadModels() []ReadModel {
	return []ReadModel{
		{"memory", func(testing.TB) projections.Store { return projections.NewMemory() }},
		{"postgres", func(t testing.TB) projections.Store { return Store(t) }},
	}
}
