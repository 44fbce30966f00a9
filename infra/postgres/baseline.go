package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// UpsertRaw is the baseline `werkstatt bench` measures the PostgreSQL catch-up against: it writes
// the rows every projection derives from each batch into a scratch generation with nothing
// else, each batch one transaction and one pgx.Batch of the same row statements, without
// checkpoints, locks, reading or decoding. It returns the time the writes took (deriving the
// rows is not timed) and drops the scratch generation.
func (s *Store) UpsertRaw(ctx context.Context, batches [][]domain.Recorded) (elapsed time.Duration, err error) {
	gen, err := s.newGeneration(ctx)
	if err != nil {
		return 0, err
	}
	schema := generationSchema(gen)
	defer func() {
		_, derr := s.pool.Exec(context.WithoutCancel(ctx), "DROP SCHEMA IF EXISTS "+ident(schema)+" CASCADE")
		err = errors.Join(err, derr)
	}()
	q := newStatements(schema)
	queued := make([]*rowQueue, len(batches))
	for i, batch := range batches {
		rows := &rowQueue{q: q}
		for _, p := range projections.All() {
			for _, e := range batch {
				if err := p.Apply(ctx, rows, storable(e)); err != nil {
					return 0, fmt.Errorf("postgres: raw rows of %s: %w", p.Name(), err)
				}
			}
		}
		queued[i] = rows
	}
	start := time.Now()
	for _, rows := range queued {
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { return tx.SendBatch(ctx, &rows.b).Close() })
		if err != nil {
			return 0, fmt.Errorf("postgres: raw upsert: %w", err)
		}
	}
	return time.Since(start), nil
}
