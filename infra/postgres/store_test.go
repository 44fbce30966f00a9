package postgres_test

import (
	"context"
	"reflect"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/werkstatt/werkstatt/infra/postgres"
	"github.com/werkstatt/werkstatt/infra/postgres/postgrestest"
	"github.com/werkstatt/werkstatt/internal/scenario"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/projections/projectionstest"
)

// testDatabase is a database of the test's own (postgrestest.Database).
func testDatabase(t testing.TB) string { return postgrestest.Database(t) }

func open(t testing.TB, url string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

func TestContract(t *testing.T) {
	projectionstest.Run(t, func(t *testing.T) projections.Store { return open(t, testDatabase(t)) })
}

func TestMigrationsAreIdempotent(t *testing.T) {
	url := testDatabase(t)
	var wg sync.WaitGroup
	for range 3 { // replicas starting at once
		wg.Go(func() { open(t, url) })
	}
	wg.Wait()
	s := open(t, url)
	events := scenario.Workshops(1, 5)
	projectionstest.ApplyAll(t, s, events, 100)
	open(t, url) // once more, on a used database
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var control, models, gen int
	err = conn.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM werkstatt.schema_migrations),
		(SELECT count(*) FROM werkstatt_rm_1.schema_migrations), (SELECT current FROM werkstatt.generation)`).Scan(&control, &models, &gen)
	if err != nil || control != 1 || models != 7 || gen != 1 {
		t.Errorf("migrations control %d, models %d, generation %d, %v; want 1, 7, 1", control, models, gen, err)
	}
	if w, err := s.Workshop(context.Background(), "W00000"); err != nil || len(w.Agenda) != 9 {
		t.Errorf("Workshop after reopening: %d sessions, %v; want 9", len(w.Agenda), err)
	}
}

// TestReplicasApplyConcurrently runs two stores on one database, each applying the whole log
// through every projection at once, as two replicas of the service do.
func TestReplicasApplyConcurrently(t *testing.T) {
	url := testDatabase(t)
	replicas := []*postgres.Store{open(t, url), open(t, url)}
	events := scenario.Workshops(3, 40)
	var wg sync.WaitGroup
	for _, s := range replicas {
		for _, p := range projections.All() {
			wg.Go(func() {
				for _, b := range projections.Batches(events, 37) {
					if _, err := s.Apply(context.Background(), p, b); err != nil {
						t.Errorf("apply %s: %v", p.Name(), err)
						return
					}
				}
			})
		}
	}
	wg.Wait()
	want := projections.NewMemory()
	projectionstest.ApplyAll(t, want, events, 500)
	for _, s := range replicas {
		compare(t, s, want)
	}
}

// compare checks that got shows the same views as want for every workshop of want.
func compare(t *testing.T, got, want projections.Reader) {
	t.Helper()
	ctx := context.Background()
	ws, err := want.Workshops(ctx)
	if err != nil {
		t.Fatal(err)
	}
	gs, err := got.Workshops(ctx)
	if err != nil || !reflect.DeepEqual(normaliseWorkshops(gs), normaliseWorkshops(ws)) {
		t.Errorf("Workshops = %+v, %v\nwant %+v", gs, err, ws)
	}
	for _, w := range ws {
		gr, err1 := got.Registrations(ctx, w.ID)
		wr, err2 := want.Registrations(ctx, w.ID)
		if err1 != nil || err2 != nil || !reflect.DeepEqual(normaliseRegistrations(gr), normaliseRegistrations(wr)) {
			t.Errorf("Registrations(%s) = %+v, %v\nwant %+v, %v", w.ID, gr, err1, wr, err2)
		}
		ga, err1 := got.Attendance(ctx, w.ID)
		wa, err2 := want.Attendance(ctx, w.ID)
		if err1 != nil || err2 != nil || !reflect.DeepEqual(ga, wa) {
			t.Errorf("Attendance(%s) = %+v, %v\nwant %+v, %v", w.ID, ga, err1, wa, err2)
		}
	}
}

func normaliseWorkshops(ws []projections.WorkshopView) []projections.WorkshopView {
	for i := range ws {
		ws[i].ScheduledAt = ws[i].ScheduledAt.UTC()
		for j := range ws[i].Agenda {
			if len(ws[i].Agenda[j].Speakers) == 0 {
				ws[i].Agenda[j].Speakers = nil
			}
		}
	}
	return ws
}

func normaliseRegistrations(rs []projections.RegistrationView) []projections.RegistrationView {
	for i := range rs {
		rs[i].RegisteredAt, rs[i].UpdatedAt = rs[i].RegisteredAt.UTC(), rs[i].UpdatedAt.UTC()
	}
	return rs
}
