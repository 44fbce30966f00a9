package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations
var migrations embed.FS

// Advisory lock keys: one serialises migrations and generation switches, one lets a single
// rebuild run at a time.
const (
	lockMigrations int64 = 0x7765726b73746101
	lockRebuild    int64 = 0x7765726b73746102
)

// controlSchema holds the migrations of the control tables, the generation row and the views
// that readers query.
const controlSchema = "werkstatt"

func generationSchema(gen int64) string { return fmt.Sprintf("werkstatt_rm_%d", gen) }

// migration is one embedded .sql file; its name starts with its version: 001_name.sql.
type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations(dir string) ([]migration, error) {
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		prefix, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(prefix)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration %s: name must be <version>_<name>.sql", e.Name())
		}
		b, err := migrations.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	return ms, nil
}

// withLock runs f on one connection while it holds the session advisory lock key.
func withLock(ctx context.Context, pool *pgxpool.Pool, key int64, f func(*pgxpool.Conn) error) (err error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", key); err != nil {
		return fmt.Errorf("advisory lock: %w", err)
	}
	defer func() {
		if _, uerr := conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", key); uerr != nil {
			// Closing the session releases its locks; the pool drops the closed connection.
			_ = conn.Conn().Close(context.WithoutCancel(ctx))
			err = errors.Join(err, fmt.Errorf("advisory unlock: %w", uerr))
		}
	}()
	return f(conn)
}

// migrate applies the migrations of dir that schema has not seen, each in its own transaction
// with schema first on the search path. Callers hold lockMigrations. It reports whether it
// applied any.
func migrate(ctx context.Context, conn *pgxpool.Conn, schema, dir string) (bool, error) {
	ms, err := loadMigrations(dir)
	if err != nil {
		return false, err
	}
	ident := pgx.Identifier{schema}.Sanitize()
	if _, err := conn.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+ident+"; CREATE TABLE IF NOT EXISTS "+ident+
		".schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"); err != nil {
		return false, fmt.Errorf("create %s.schema_migrations: %w", schema, err)
	}
	rows, _ := conn.Query(ctx, "SELECT version FROM "+ident+".schema_migrations")
	applied, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return false, fmt.Errorf("read %s.schema_migrations: %w", schema, err)
	}
	changed := false
	for _, m := range ms {
		if slices.Contains(applied, m.version) {
			continue
		}
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SET LOCAL search_path TO "+ident+"; "+m.sql); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "INSERT INTO "+ident+".schema_migrations (version, name) VALUES ($1, $2)", m.version, m.name)
			return err
		})
		if err != nil {
			return changed, fmt.Errorf("migration %s in %s: %w", m.name, schema, err)
		}
		changed = true
	}
	return changed, nil
}

// pointViews makes the views of the control schema show the tables of generation gen. In one
// transaction with the generation switch, readers move from one complete model to the next.
// CREATE OR REPLACE keeps the views' identity, so prepared statements stay valid.
func pointViews(ctx context.Context, tx pgx.Tx, gen int64) error {
	schema := generationSchema(gen)
	rows, _ := tx.Query(ctx, `SELECT table_name::text FROM information_schema.tables
		WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'
		ORDER BY table_name`, schema)
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("list tables of %s: %w", schema, err)
	}
	for _, t := range tables {
		view, table := pgx.Identifier{controlSchema, t}.Sanitize(), pgx.Identifier{schema, t}.Sanitize()
		if _, err := tx.Exec(ctx, "CREATE OR REPLACE VIEW "+view+" AS SELECT * FROM "+table); err != nil {
			return fmt.Errorf("point view %s at %s: %w", view, table, err)
		}
	}
	return nil
}

// viewsMissing reports whether some table of generation gen has no view yet.
func viewsMissing(ctx context.Context, conn *pgxpool.Conn, gen int64) (bool, error) {
	var missing bool
	err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM information_schema.tables t
		WHERE t.table_schema = $1 AND t.table_type = 'BASE TABLE' AND t.table_name <> 'schema_migrations'
		AND NOT EXISTS (SELECT 1 FROM information_schema.views v WHERE v.table_schema = $2 AND v.table_name = t.table_name))`,
		generationSchema(gen), controlSchema).Scan(&missing)
	return missing, err
}
