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
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// Store is a projections.Store in PostgreSQL.
type Store struct {
	pool *pgxpool.Pool

	generation atomic.Int64 // the current generation as last seen; 0 before the first apply

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

// PoolStat returns the connection pool's figures for the metrics.
func (s *Store) PoolStat() *pgxpool.Stat { return s.pool.Stat() }

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
// generation. A batch costs two round trips: the transaction's start, the generation's and the
// checkpoints' locks go in one pipeline, the rows, the checkpoints and the commit in another.
// When the generation changed under it (a rebuild switched), it starts again on the new one.
func (s *Store) ApplyAll(ctx context.Context, ps []projections.Projection, batch []domain.Recorded) ([]uint64, error) {
	cps, err := s.applyPipelined(ctx, ps, batch)
	if errors.Is(err, errGenerationMoved) {
		cps, err = s.applyPipelined(ctx, ps, batch)
	}
	if err != nil {
		return nil, classify(fmt.Errorf("postgres: apply %s: %w", names(ps), err))
	}
	return cps, nil
}

// errGenerationMoved is applyPipelined's answer when the generation it assumed is no longer
// the current one.
var errGenerationMoved = errors.New("the read models' generation moved")

func (s *Store) applyPipelined(ctx context.Context, ps []projections.Projection, batch []domain.Recorded) ([]uint64, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	// A connection released inside a transaction (an error below) is closed by the pool.
	defer conn.Release()
	gen := s.generation.Load()
	if gen == 0 { // not known yet: read it first
		if err := conn.QueryRow(ctx, "SELECT current FROM werkstatt.generation").Scan(&gen); err != nil {
			return nil, fmt.Errorf("generation: %w", err)
		}
		s.generation.Store(gen)
	}
	q := s.statementsFor(generationSchema(gen))
	start := &pgx.Batch{}
	start.Queue("BEGIN")
	var current int64
	start.Queue("SELECT current FROM werkstatt.generation FOR SHARE").QueryRow(func(row pgx.Row) error { return row.Scan(&current) })
	seqs := queueCheckpointLocks(start, q, ps)
	err = conn.SendBatch(ctx, start).Close()
	if current != 0 && current != gen {
		s.generation.Store(current)
		rollback(ctx, conn)
		return nil, errGenerationMoved // the assumed schema may be gone: that error is not ours
	}
	if err != nil {
		rollback(ctx, conn)
		if current == 0 && s.generationMoved(ctx, gen) {
			// The batch failed before it read the generation: preparing a statement of the
			// assumed schema, dropped by a rebuild, on a connection that had not prepared it yet.
			return nil, errGenerationMoved
		}
		return nil, fmt.Errorf("lock checkpoints: %w", err)
	}
	rows, cps, err := queueRows(ctx, q, ps, batch, seqs)
	if err != nil {
		rollback(ctx, conn)
		return nil, err
	}
	rows.b.Queue("COMMIT")
	if err := conn.SendBatch(ctx, &rows.b).Close(); err != nil {
		rollback(ctx, conn)
		return nil, fmt.Errorf("write rows: %w", err)
	}
	return cps, nil
}

// rollback ends the connection's failed or unwanted transaction; should that fail, the pool
// closes the connection on release, which ends it too.
func rollback(ctx context.Context, conn *pgxpool.Conn) {
	_, _ = conn.Exec(context.WithoutCancel(ctx), "ROLLBACK")
}

func names(ps []projections.Projection) string {
	n := make([]string, len(ps))
	for i, p := range ps {
		n[i] = p.Name()
	}
	return strings.Join(n, ",")
}

// applyBatch applies batch to each of ps in tx (a rebuild's): it locks their checkpoint rows,
// then sends the rows and the new checkpoints in one pgx.Batch. It returns the checkpoints in
// the order of ps.
func applyBatch(ctx context.Context, tx pgx.Tx, q *statements, ps []projections.Projection, batch []domain.Recorded) ([]uint64, error) {
	lock := &pgx.Batch{}
	seqs := queueCheckpointLocks(lock, q, ps)
	if err := tx.SendBatch(ctx, lock).Close(); err != nil {
		return nil, fmt.Errorf("lock checkpoints: %w", err)
	}
	rows, cps, err := queueRows(ctx, q, ps, batch, seqs)
	if err != nil || rows.b.Len() == 0 {
		return cps, err
	}
	if err := tx.SendBatch(ctx, &rows.b).Close(); err != nil {
		return nil, fmt.Errorf("write rows: %w", err)
	}
	return cps, nil
}

// queueCheckpointLocks queues the creation and the lock of the checkpoint rows of ps (locked in
// the order of their names, the same in every replica) into b; the map holds their sequences
// once b was sent.
func queueCheckpointLocks(b *pgx.Batch, q *statements, ps []projections.Projection) map[string]int64 {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name()
	}
	seqs := make(map[string]int64, len(ps))
	b.Queue(q.initCheckpoints, names)
	b.Queue(q.lockCheckpoints, names).Query(func(rows pgx.Rows) error {
		var name string
		var seq int64
		_, err := pgx.ForEachRow(rows, []any{&name, &seq}, func() error { seqs[name] = seq; return nil })
		return err
	})
	return seqs
}

// queueRows queues the row operations of the events of batch above each projection's
// checkpoint (seqs) and the checkpoints that move, and returns the checkpoints in the order
// of ps.
func queueRows(ctx context.Context, q *statements, ps []projections.Projection, batch []domain.Recorded, seqs map[string]int64) (*rowQueue, []uint64, error) {
	safe := make([]domain.Recorded, len(batch)) // storable once, not once per projection
	for i, e := range batch {
		safe[i] = storable(e)
	}
	rows := &rowQueue{q: q}
	cps := make([]uint64, len(ps))
	var moved []string
	var to []int64
	for i, p := range ps {
		cp := uint64(seqs[p.Name()])
		last := cp
		for _, e := range safe {
			if e.Seq <= cp {
				continue
			}
			if err := p.Apply(ctx, rows, e); err != nil {
				return nil, nil, fmt.Errorf("%s: %w", p.Name(), err)
			}
			last = max(last, e.Seq)
		}
		if last != cp {
			moved, to = append(moved, p.Name()), append(to, int64(last))
		}
		cps[i] = last
	}
	if len(moved) > 0 {
		rows.b.Queue(q.setCheckpoints, moved, to)
	}
	return rows, cps, nil
}

// generationMoved reads the current generation and reports (and remembers) whether it is no
// longer gen.
func (s *Store) generationMoved(ctx context.Context, gen int64) bool {
	var current int64
	if err := s.pool.QueryRow(ctx, "SELECT current FROM werkstatt.generation").Scan(&current); err != nil || current == gen {
		return false
	}
	s.generation.Store(current)
	return true
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
