package reports_test

import (
	"testing"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

// TestReportsCountConfirmedDaysOnly: a person confirmed on day 1 and waiting for day 2 eats,
// sleeps and is expected on day 1 only.
func TestReportsCountConfirmedDaysOnly(t *testing.T) {
	d1, d2 := domain.Day("2026-11-16"), domain.Day("2026-11-17")
	ws := projections.WorkshopView{ID: "W", Title: "Werkstatt", Days: []domain.Day{d1, d2}, Capacity: 1}
	regs := []projections.RegistrationView{
		{ID: "A", Name: "Anna", Days: []domain.Day{d1, d2}, Overnight: true, Status: domain.Confirmed,
			DayStatus: map[domain.Day]domain.Status{d1: domain.Confirmed, d2: domain.Waitlisted}},
		{ID: "B", Name: "Ben", Days: []domain.Day{d2}, Status: domain.Confirmed,
			DayStatus: map[domain.Day]domain.Status{d2: domain.Confirmed}},
	}
	c := reports.BuildCatering(ws, regs)
	if c.Days[0].People != 1 || c.Days[1].People != 1 || c.Days[0].Overnight != 0 {
		t.Errorf("catering %+v, want 1 person each day and no overnight stay (Anna waits for day 2)", c.Days)
	}
	a := reports.BuildAttendance(ws, regs, nil, "")
	if a.Days[0].Confirmed != 1 || a.Days[1].Confirmed != 1 || a.PersonDays != 2 {
		t.Errorf("attendance days %+v, person-days %d; want 1 confirmed each day, 2", a.Days, a.PersonDays)
	}
	for _, p := range a.Participants {
		if p.Name == "Anna" && (len(p.Days) != 1 || p.Days[0] != d1) {
			t.Errorf("Anna's days %v, want [%s]", p.Days, d1)
		}
	}
}
