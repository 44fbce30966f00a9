package projectionstest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/internal/scenario"
	"github.com/werkstatt/werkstatt/projections"
)

// erasureLog has workshop E (one day, capacity 2): A is confirmed and checked in, B confirmed,
// C waitlisted. Then A and B are erased: A keeps seat and check-in (the person was there), B is
// cancelled and C promoted. The Person of every registration is still readable, as when the
// erasure is applied before the key is gone: the read model must forget it by itself.
// It returns the log and the sequence before the erasures (A's is the next one).
func erasureLog() ([]domain.Recorded, uint64) {
	const e domain.WorkshopID = "E"
	h := scenario.NewHistory(time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC))
	h.Must(e, func(w domain.Workshop) ([]domain.Event, error) {
		return w.Schedule(domain.ScheduleWorkshop{ID: e, Title: "Löschwerkstatt", Venue: "Jugendhaus",
			Days: []domain.Day{d1}, Capacity: 2})
	})
	for _, id := range []domain.RegistrationID{"A", "B", "C"} {
		h.Must(e, func(w domain.Workshop) ([]domain.Event, error) {
			return w.Register(domain.RegisterParticipant{ID: id,
				Person: domain.Person{Name: "Name " + string(id), Email: string(id) + "@example.org", Dietary: "vegan",
					PhotoConsent: true},
				EmailKey: "key-" + string(id), Organisation: "Verein " + string(id), District: "Mitte", Consent: true,
				TokenHash: "hash-" + string(id)})
		})
	}
	h.Must(e, func(w domain.Workshop) ([]domain.Event, error) {
		return w.CheckIn(domain.CheckInParticipant{RegistrationID: "A", Day: d1})
	})
	before := h.Seq()
	for _, id := range []domain.RegistrationID{"A", "B"} {
		h.Must(e, func(w domain.Workshop) ([]domain.Event, error) {
			return w.Erase(domain.EraseParticipant{RegistrationID: id})
		})
	}
	return h.Events, before
}

// testErasure checks that PersonalDataErased clears name, email and dietary, and keeps what
// does not identify the person: organisation, district, days, status, check-ins and counts.
func testErasure(t *testing.T, s projections.Store) {
	ctx := context.Background()
	events, before := erasureLog()
	upTo := func(seq uint64) []domain.Recorded {
		var out []domain.Recorded
		for _, e := range events {
			if e.Seq <= seq {
				out = append(out, e)
			}
		}
		return out
	}
	early := upTo(before)
	ApplyAll(t, s, early, 3)
	attendanceBefore, err := s.Attendance(ctx, "E")
	if err != nil {
		t.Fatalf("Attendance before the erasure: %v", err)
	}
	// Erasing A, who was there, changes no count.
	erasedA := upTo(before + 1)
	ApplyAll(t, s, erasedA[len(early):], 1)
	if got, err := s.Attendance(ctx, "E"); err != nil || !reflect.DeepEqual(got, attendanceBefore) {
		t.Errorf("got attendance %+v, %v after erasing A, want it unchanged %+v", got, err, attendanceBefore)
	}
	ApplyAll(t, s, events[len(erasedA):], 1)

	type person struct {
		Erased                 bool
		Name, Email, Dietary   string
		PhotoConsent           bool
		Organisation, District string
		Days                   []domain.Day
		Status                 domain.Status
	}
	got := map[domain.RegistrationID]person{}
	list, err := s.Registrations(ctx, "E")
	if err != nil {
		t.Fatalf("Registrations: %v", err)
	}
	for _, r := range list {
		one, err := s.Registration(ctx, "E", r.ID)
		if err != nil || !reflect.DeepEqual(one.Erased, r.Erased) || one.Name != r.Name {
			t.Errorf("Registration(%s) = %+v, %v; want it as in the list %+v", r.ID, one, err, r)
		}
		got[r.ID] = person{r.Erased, r.Name, r.Email, r.Dietary, r.PhotoConsent, r.Organisation, r.District, r.Days, r.Status}
	}
	days := []domain.Day{d1}
	want := map[domain.RegistrationID]person{
		"A": {Erased: true, Organisation: "Verein A", District: "Mitte", Days: days, Status: domain.Confirmed},
		"B": {Erased: true, Organisation: "Verein B", District: "Mitte", Days: days, Status: domain.Cancelled},
		"C": {Name: "Name C", Email: "C@example.org", Dietary: "vegan", PhotoConsent: true, Organisation: "Verein C", District: "Mitte",
			Days: days, Status: domain.Confirmed},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got registrations after the erasure\n%+v\nwant\n%+v", got, want)
	}

	// B's cancellation promoted C; A's seat and presence stay.
	attendance, err := s.Attendance(ctx, "E")
	if err != nil {
		t.Fatalf("Attendance: %v", err)
	}
	wantAttendance := projections.Attendance{Capacity: 2, Confirmed: 2, Cancelled: 1,
		Days:     []projections.DayAttendance{{Day: d1, Confirmed: 2, CheckedIn: 1}},
		Sessions: attendanceBefore.Sessions,
		Organisations: []projections.OrganisationAttendance{
			{Organisation: "Verein A", Confirmed: 1, CheckedIn: 1}, {Organisation: "Verein C", Confirmed: 1}}}
	if !reflect.DeepEqual(attendance, wantAttendance) {
		t.Errorf("got attendance %+v after the erasure, want %+v", attendance, wantAttendance)
	}
	checkIns, err := s.CheckIns(ctx, "E")
	if want := []domain.CheckIn{{RegistrationID: "A", Day: d1}}; err != nil || !reflect.DeepEqual(checkIns, want) {
		t.Errorf("got check-ins %v, %v; want A's kept %v", checkIns, err, want)
	}
	if w, err := s.Workshop(ctx, "E"); err != nil || w.Seats[0].Confirmed != 2 {
		t.Errorf("got workshop %+v, %v; want 2 seats taken (A and the promoted C)", w.Seats, err)
	}
}
