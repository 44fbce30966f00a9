package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// Source delivers the log from sequence fromSeq up to its end as of the call, in log order, in
// batches of whole commits (events that share a Seq come in one batch). It stops at the first
// error apply returns and returns it.
type Source func(ctx context.Context, fromSeq uint64, apply func([]domain.Recorded) error) error

// Rebuild builds every projection of projections.All from sequence 1 into a new generation and
// switches to it without downtime (see the package comment). Only one rebuild runs at a time;
// a second one waits. On failure the new generation is dropped and the current one stays.
func (s *Store) Rebuild(ctx context.Context, source Source) error {
	err := withLock(ctx, s.pool, lockRebuild, func(*pgxpool.Conn) error {
		gen, err := s.newGeneration(ctx)
		if err != nil {
			return err
		}
		old, err := s.build(ctx, gen, source)
		if err != nil {
			_, derr := s.pool.Exec(context.WithoutCancel(ctx), "DROP SCHEMA IF EXISTS "+ident(generationSchema(gen))+" CASCADE")
			return errors.Join(err, derr)
		}
		// The switch is committed: from here on, failing to drop only leaves garbage that the
		// next rebuild removes.
		s.mu.Lock()
		delete(s.statements, generationSchema(old))
		s.mu.Unlock()
		if _, err := s.pool.Exec(ctx, "DROP SCHEMA IF EXISTS "+ident(generationSchema(old))+" CASCADE"); err != nil {
			return fmt.Errorf("drop generation %d: %w", old, err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: rebuild: %w", err)
	}
	return nil
}

// newGeneration drops generations left by failed rebuilds and creates the next one, migrated.
func (s *Store) newGeneration(ctx context.Context) (int64, error) {
	var gen int64
	err := withLock(ctx, s.pool, lockMigrations, func(conn *pgxpool.Conn) error {
		current, err := currentGeneration(ctx, conn)
		if err != nil {
			return err
		}
		rows, _ := conn.Query(ctx, `SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'werkstatt\_rm\_%' AND nspname <> $1`,
			generationSchema(current))
		stale, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		for _, schema := range stale {
			if _, err := conn.Exec(ctx, "DROP SCHEMA "+ident(schema)+" CASCADE"); err != nil {
				return fmt.Errorf("drop stale %s: %w", schema, err)
			}
		}
		if err := conn.QueryRow(ctx, "SELECT nextval('werkstatt.generations')").Scan(&gen); err != nil {
			return err
		}
		_, err = migrate(ctx, conn, generationSchema(gen), "migrations/models")
		return err
	})
	return gen, err
}

// build catches generation gen up with the log, then switches to it. It returns the generation
// it replaced.
func (s *Store) build(ctx context.Context, gen int64, source Source) (int64, error) {
	q := s.statementsFor(generationSchema(gen))
	err := source(ctx, 1, func(batch []domain.Recorded) error {
		return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { return applyAll(ctx, tx, q, batch) })
	})
	if err != nil {
		return 0, fmt.Errorf("catch up generation %d: %w", gen, err)
	}
	var old int64
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		old, err = s.switchTo(ctx, tx, gen, source)
		return err
	})
	return old, err
}

// switchTo holds back writers, applies the rest of the log to gen, checks it has everything the
// current generation has, and points the generation row and the views at gen.
func (s *Store) switchTo(ctx context.Context, tx pgx.Tx, gen int64, source Source) (int64, error) {
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", lockMigrations); err != nil {
		return 0, err
	}
	var old int64
	if err := tx.QueryRow(ctx, "SELECT current FROM werkstatt.generation FOR UPDATE").Scan(&old); err != nil {
		return 0, fmt.Errorf("lock generation: %w", err)
	}
	oldCps, err := checkpoints(ctx, tx, generationSchema(old))
	if err != nil {
		return 0, err
	}
	newCps, err := checkpoints(ctx, tx, generationSchema(gen))
	if err != nil {
		return 0, err
	}
	from := uint64(0)
	for i, p := range projections.All() {
		if cp := newCps[p.Name()]; i == 0 || cp < from {
			from = cp
		}
	}
	q := s.statementsFor(generationSchema(gen))
	if err := source(ctx, from+1, func(batch []domain.Recorded) error { return applyAll(ctx, tx, q, batch) }); err != nil {
		return 0, fmt.Errorf("final catch-up: %w", err)
	}
	if newCps, err = checkpoints(ctx, tx, generationSchema(gen)); err != nil {
		return 0, err
	}
	for name, cp := range oldCps {
		if newCps[name] < cp {
			return 0, fmt.Errorf("projection %s reached %d from the source, but the running one is at %d: the source ended early",
				name, newCps[name], cp)
		}
	}
	if _, err := tx.Exec(ctx, "UPDATE werkstatt.generation SET current = $1", gen); err != nil {
		return 0, err
	}
	return old, pointViews(ctx, tx, gen)
}

// applyAll applies batch to every projection in tx.
func applyAll(ctx context.Context, tx pgx.Tx, q *statements, batch []domain.Recorded) error {
	_, err := applyBatch(ctx, tx, q, projections.All(), batch)
	return err
}

func checkpoints(ctx context.Context, tx pgx.Tx, schema string) (map[string]uint64, error) {
	rows, _ := tx.Query(ctx, "SELECT projection, seq FROM "+ident(schema)+".checkpoints")
	cps := map[string]uint64{}
	var name string
	var seq int64
	_, err := pgx.ForEachRow(rows, []any{&name, &seq}, func() error {
		cps[name] = uint64(seq)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read checkpoints of %s: %w", schema, err)
	}
	return cps, nil
}

func ident(name string) string { return pgx.Identifier{name}.Sanitize() }
