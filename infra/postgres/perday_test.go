package postgres_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/internal/scenario"
	"github.com/werkstatt/werkstatt/projections/projectionstest"
)

// TestPerDayStatusMigratesUnderViews takes a database back to where migration 007 finds one in
// service (one status per registration, read through the views): opening it again gives every
// day of a registration its status, and the seats, lists and attendance read as before.
func TestPerDayStatusMigratesUnderViews(t *testing.T) {
	url := testDatabase(t)
	before := open(t, url)
	projectionstest.ApplyAll(t, before, scenario.Workshops(1, 5), 100)
	ctx := context.Background()
	w, err := before.Workshop(ctx, "W00000")
	if err != nil {
		t.Fatal(err)
	}
	list, _ := before.Registrations(ctx, "W00000")
	att, _ := before.Attendance(ctx, "W00000")
	for _, r := range list {
		for _, d := range r.Days {
			if r.Status != domain.Cancelled && r.DayStatus[d] != r.Status {
				t.Skipf("%s is %s but %s on %s: the old shape had one status", r.ID, r.Status, r.DayStatus[d], d)
			}
		}
	}
	_, conn := rewoundDatabase(t, url,
		"DROP VIEW werkstatt.seat_holders", "DROP VIEW werkstatt.registrations", "DROP VIEW werkstatt.attendees",
		"UPDATE werkstatt_rm_1.seat_holders SET seated = cardinality(seated_days) > 0",
		"ALTER TABLE werkstatt_rm_1.seat_holders DROP COLUMN seated_days",
		"ALTER TABLE werkstatt_rm_1.registrations DROP COLUMN day_status, DROP COLUMN waitlisted_since",
		"ALTER TABLE werkstatt_rm_1.attendees DROP COLUMN day_status",
		"CREATE VIEW werkstatt.seat_holders AS SELECT * FROM werkstatt_rm_1.seat_holders",
		"CREATE VIEW werkstatt.registrations AS SELECT * FROM werkstatt_rm_1.registrations",
		"CREATE VIEW werkstatt.attendees AS SELECT * FROM werkstatt_rm_1.attendees",
		"DELETE FROM werkstatt_rm_1.schema_migrations WHERE version = 7")
	_ = conn
	s := open(t, url)
	w2, err := s.Workshop(ctx, "W00000")
	if err != nil || !reflect.DeepEqual(w2.Seats, w.Seats) {
		t.Errorf("seats after migrating %+v, %v; want %+v", w2.Seats, err, w.Seats)
	}
	list2, err := s.Registrations(ctx, "W00000")
	if err != nil || !reflect.DeepEqual(list2, list) {
		t.Errorf("registrations after migrating differ (%v):\ngot  %+v\nwant %+v", err, list2, list)
	}
	if att2, err := s.Attendance(ctx, "W00000"); err != nil || !reflect.DeepEqual(att2, att) {
		t.Errorf("attendance after migrating %+v, %v; want %+v", att2, err, att)
	}
}
