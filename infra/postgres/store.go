// Package postgres keeps Werkstatt's read models in PostgreSQL (pgx/v5). It implements
// projections.Store.
//
// # Generations
//
// The read models live in a schema generation, werkstatt_rm_<n>, with their own checkpoints.
// The control schema "werkstatt" holds the migrations, a single generation row naming the
// current n, and one view per read-model table pointing at the current generation.
//
//   - Writers (Apply) lock the generation row FOR SHARE in their transaction and write to the
//     generation it names. Then they lock their projection's checkpoint row FOR UPDATE: a second
//     replica applying the same events waits, then sees the new checkpoint and skips them.
//   - Readers query the views, never a generation directly, in plain statements.
//   - Rebuild builds generation n+1 from sequence 1 while the service keeps reading and writing
//     generation n. To switch, it locks the generation row FOR UPDATE, which waits for the
//     writers in flight and holds back new ones; it catches up with the rest of the log in that
//     transaction, checks that every checkpoint reached the old one, moves the row and the views
//     to n+1 and commits. Writers held back re-read the row and write to n+1 (events they bring
//     that n+1 already has are skipped), so no writer ever writes to a dropped schema, and
//     readers switch from one complete model to the other. Then generation n is dropped; the
//     drop waits for readers still inside it.
//
// # Migrations
//
// Versioned .sql files are embedded: migrations/control for the control schema and
// migrations/models for every generation, each schema with its own schema_migrations table.
// Open applies what is missing under an advisory lock, so that several replicas may start at
// once; the views are recreated when a table's definition changed.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// Store is a projections.Store in PostgreSQL.
type Store struct {
	pool *pgxpool.Pool

	mu         sync.Mutex
	statements map[string]*statements // by generation schema
}

var _ projections.Store = (*Store)(nil)

// Open connects to databaseURL and migrates the schema. Connecting waits connectTimeout at most
// unless the URL sets connect_timeout. Reads, Checkpoint and Apply report a database that cannot
// be reached with an error matching domain.ErrUnavailable.
func Open(ctx context.Context, databaseURL string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = connectTimeout
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	s := &Store{pool: pool, statements: map[string]*statements{}}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: migrate: %w", err)
	}
	return s, nil
}

// Close closes the connections.
func (s *Store) Close() { s.pool.Close() }

func (s *Store) migrate(ctx context.Context) error {
	return withLock(ctx, s.pool, lockMigrations, func(conn *pgxpool.Conn) error {
		if _, err := migrate(ctx, conn, controlSchema, "migrations/control"); err != nil {
			return err
		}
		gen, err := currentGeneration(ctx, conn)
		if err != nil {
			return err
		}
		changed, err := migrate(ctx, conn, generationSchema(gen), "migrations/models")
		if err != nil {
			return err
		}
		missing, err := viewsMissing(ctx, conn, gen)
		if err != nil || !(changed || missing) {
			return err
		}
		return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error { return pointViews(ctx, tx, gen) })
	})
}

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func currentGeneration(ctx context.Context, q querier) (int64, error) {
	var gen int64
	if err := q.QueryRow(ctx, "SELECT current FROM werkstatt.generation").Scan(&gen); err != nil {
		return 0, fmt.Errorf("read generation: %w", err)
	}
	return gen, nil
}

// Checkpoint returns the last sequence applied by the named projection, 0 if none.
func (s *Store) Checkpoint(ctx context.Context, projection string) (uint64, error) {
	var seq int64
	err := s.pool.QueryRow(ctx, "SELECT seq FROM werkstatt.checkpoints WHERE projection = $1", projection).Scan(&seq)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, classify(fmt.Errorf("postgres: checkpoint of %s: %w", projection, err))
	}
	return uint64(seq), nil
}

// Apply runs p over the events of batch above p's checkpoint and moves the checkpoint, in one
// transaction of the current generation.
func (s *Store) Apply(ctx context.Context, p projections.Projection, batch []domain.Recorded) (uint64, error) {
	cps, err := s.ApplyAll(ctx, []projections.Projection{p}, batch)
	if err != nil {
		return 0, err
	}
	return cps[0], nil
}

// ApplyAll does what Apply does for each of ps, all in one transaction of the current
// generation: a batch costs five round trips and one commit, not that for every projection.
func (s *Store) ApplyAll(ctx context.Context, ps []projections.Projection, batch []domain.Recorded) ([]uint64, error) {
	var cps []uint64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var gen int64
		if err := tx.QueryRow(ctx, "SELECT current FROM werkstatt.generation FOR SHARE").Scan(&gen); err != nil {
			return fmt.Errorf("lock generation: %w", err)
		}
		var err error
		cps, err = applyBatch(ctx, tx, s.statementsFor(generationSchema(gen)), ps, batch)
		return err
	})
	if err != nil {
		return nil, classify(fmt.Errorf("postgres: apply %s: %w", names(ps), err))
	}
	return cps, nil
}

func names(ps []projections.Projection) string {
	n := make([]string, len(ps))
	for i, p := range ps {
		n[i] = p.Name()
	}
	return strings.Join(n, ",")
}

// applyBatch applies batch to each of ps in tx: it locks their checkpoint rows (in the order of
// ps, the same in every replica), queues the row operations of the events above each
// checkpoint and the new checkpoints into one pgx.Batch and sends it. It returns the
// checkpoints in the order of ps.
func applyBatch(ctx context.Context, tx pgx.Tx, q *statements, ps []projections.Projection, batch []domain.Recorded) ([]uint64, error) {
	seqs := make([]int64, len(ps))
	lock := &pgx.Batch{}
	for i, p := range ps {
		lock.Queue(q.initCheckpoint, p.Name())
		lock.Queue(q.lockCheckpoint, p.Name()).QueryRow(func(row pgx.Row) error { return row.Scan(&seqs[i]) })
	}
	if err := tx.SendBatch(ctx, lock).Close(); err != nil {
		return nil, fmt.Errorf("lock checkpoints: %w", err)
	}
	rows := &rowQueue{q: q}
	cps := make([]uint64, len(ps))
	for i, p := range ps {
		cp := uint64(seqs[i])
		last := cp
		for _, e := range batch {
			if e.Seq <= cp {
				continue
			}
			if err := p.Apply(ctx, rows, storable(e)); err != nil {
				return nil, fmt.Errorf("%s: %w", p.Name(), err)
			}
			last = max(last, e.Seq)
		}
		if last != cp {
			rows.b.Queue(q.setCheckpoint, p.Name(), int64(last))
		}
		cps[i] = last
	}
	if rows.b.Len() == 0 {
		return cps, nil
	}
	if err := tx.SendBatch(ctx, &rows.b).Close(); err != nil {
		return nil, fmt.Errorf("write rows: %w", err)
	}
	return cps, nil
}

func (s *Store) statementsFor(schema string) *statements {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.statements[schema]
	if !ok {
		q = newStatements(schema)
		s.statements[schema] = q
	}
	return q
}
