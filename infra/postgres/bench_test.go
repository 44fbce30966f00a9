package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/werkstatt/werkstatt/internal/bench"
	"github.com/werkstatt/werkstatt/internal/scenario"
)

// BenchmarkApplyPostgres reports how many log events per second PostgreSQL absorbs through all
// projections, in batches of 500 as the subscriber delivers them during catch-up. Each round
// uses a fresh database.
func BenchmarkApplyPostgres(b *testing.B) {
	events := scenario.Workshops(10, 200)
	var total float64
	for b.Loop() {
		b.StopTimer()
		s := open(b, testDatabase(b))
		b.StartTimer()
		rate, err := bench.MeasureApply(context.Background(), s, events, 500)
		if err != nil {
			b.Fatal(err)
		}
		total += rate
	}
	b.ReportMetric(total/float64(b.N), "events/s")
	b.ReportMetric(float64(len(events)), "events/op")
}

// BenchmarkBaselineUpserts measures the raw baseline of PostgreSQL catch-up on this machine now:
// pgx.Batch of 1000 upserts per transaction into a small table.
func BenchmarkBaselineUpserts(b *testing.B) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testDatabase(b))
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE TABLE t (id bigint PRIMARY KEY, name text NOT NULL, n int NOT NULL)"); err != nil {
		b.Fatal(err)
	}
	rows := 0
	for b.Loop() {
		batch := &pgx.Batch{}
		for i := range 1000 {
			batch.Queue("INSERT INTO t VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET name = $2, n = $3",
				int64(rows+i), "name", i)
		}
		tx, err := conn.Begin(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			b.Fatal(err)
		}
		rows += 1000
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
