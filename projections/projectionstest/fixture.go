// Package projectionstest is the contract suite every projections.Store passes: run it from the
// store's tests with Run.
package projectionstest

import (
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/internal/scenario"
)

// Identifiers of the fixture.
const (
	w1 domain.WorkshopID = "W1"
	w2 domain.WorkshopID = "W2"
	w3 domain.WorkshopID = "W3"

	d1 domain.Day = "2026-11-16"
	d2 domain.Day = "2026-11-17"

	s1, s2, s3, s4 domain.SessionID = "S1", "S2", "S3", "S4"

	r1, r2, r3, r4, r5 domain.RegistrationID = "R1", "R2", "R3", "R4", "R5"
)

// fixture is a log decided by the real domain rules, with the sequences a test needs.
type fixture struct {
	events     []domain.Recorded
	beforeDrop uint64 // last sequence before R2 cancels
	last       uint64
}

// newFixture schedules W1 (two days, capacity 3) with an agenda, registers five people (R4 and
// R5 are waitlisted), cancels R2 (which promotes R4, R5 moves up) and records check-ins.
// W2 and W3 are earlier workshops that only exist to check the order of the list. Sequences
// have gaps, as in a stream shared with other subjects. R5's personal data is erased.
func newFixture() fixture {
	h := scenario.NewHistory(time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC))
	schedule(h, w1, "Werkstatt Süd", []domain.Day{d2, d1}, 3)
	schedule(h, w2, "Beta", []domain.Day{"2026-10-01"}, 10)
	schedule(h, w3, "Alpha", []domain.Day{"2026-10-01", "2026-10-02"}, 10)
	plan(h, domain.Session{ID: s2, Title: "Vortrag", Kind: domain.Talk, Day: d1, Starts: "10:00", Ends: "11:00", Room: "B"})
	plan(h, domain.Session{ID: s1, Title: "Eröffnung", Kind: domain.Keynote, Day: d1, Starts: "09:00", Ends: "09:45", Room: "A",
		Speakers: []string{"Ada"}})
	plan(h, domain.Session{ID: s3, Title: "Themencafé", Kind: domain.ThemeCafe, Day: d2, Starts: "09:00", Ends: "10:30", Room: "A"})
	plan(h, domain.Session{ID: s4, Title: "Abgesagt", Kind: domain.Other, Day: d2, Starts: "14:00", Ends: "15:00"})
	h.Gap(5)
	h.Must(w1, func(w domain.Workshop) ([]domain.Event, error) {
		return w.ChangeSession(domain.ChangeSession{Session: domain.Session{ID: s2, Title: "Vortrag: Praxis",
			Kind: domain.Talk, Day: d1, Starts: "10:00", Ends: "11:00", Room: "B"}})
	})
	h.Must(w1, func(w domain.Workshop) ([]domain.Event, error) { return w.CancelSession(s4) })
	register(h, r1, "Verein A", nil)
	register(h, r2, "Verein B", []domain.Day{d1})
	register(h, r3, "Verein A", nil)
	register(h, r4, "Verein C", nil)
	h.Gap(3)
	register(h, r5, "Verein B", []domain.Day{d1})
	checkIn(h, r2, d1, "")
	f := fixture{beforeDrop: h.Seq()}
	h.Must(w1, func(w domain.Workshop) ([]domain.Event, error) { return w.CancelRegistration(r2) })
	checkIn(h, r1, d1, "")
	checkIn(h, r1, d1, s1)
	checkIn(h, r1, d2, "")
	checkIn(h, r3, d1, s2)
	checkIn(h, r4, d2, "")
	checkIn(h, r4, d1, "")
	h.Must(w1, func(w domain.Workshop) ([]domain.Event, error) {
		return w.AnnulCheckIn(domain.CheckInParticipant{RegistrationID: r4, Day: d1})
	})
	title := "Werkstatt Nord"
	h.Must(w1, func(w domain.Workshop) ([]domain.Event, error) { return w.Change(domain.ChangeWorkshop{Title: &title}) })
	// W1 closes registration on its first day at noon (UTC+1); W2 had a closing time that was
	// cleared again.
	setCloses(h, w2, time.Date(2026, 9, 30, 18, 0, 0, 0, time.UTC))
	setCloses(h, w1, closes1)
	setCloses(h, w2, time.Time{})
	f.events, f.last = h.Events, h.Seq()
	for i, e := range f.events {
		if p, ok := e.Event.(domain.ParticipantRegistered); ok && p.RegistrationID == r5 {
			p.Person = nil // as the decoder reports a person whose key was erased
			f.events[i].Event = p
		}
	}
	return f
}

// upTo returns the events with Seq <= seq.
func (f fixture) upTo(seq uint64) []domain.Recorded {
	for i, e := range f.events {
		if e.Seq > seq {
			return f.events[:i]
		}
	}
	return f.events
}

func schedule(h *scenario.History, id domain.WorkshopID, title string, days []domain.Day, capacity int) {
	h.Must(id, func(w domain.Workshop) ([]domain.Event, error) {
		return w.Schedule(domain.ScheduleWorkshop{ID: id, Title: title, Venue: "Jugendhaus", Days: days, Capacity: capacity})
	})
}

// closes1 is W1's registration closing time: noon of its first day, at UTC+1.
var closes1 = time.Date(2026, 11, 16, 12, 0, 0, 0, time.FixedZone("CET", 3600))

func setCloses(h *scenario.History, id domain.WorkshopID, closes time.Time) {
	h.Must(id, func(w domain.Workshop) ([]domain.Event, error) {
		return w.Change(domain.ChangeWorkshop{RegistrationCloses: &closes})
	})
}

func plan(h *scenario.History, s domain.Session) {
	h.Must(w1, func(w domain.Workshop) ([]domain.Event, error) { return w.Plan(domain.PlanSession{Session: s}) })
}

func register(h *scenario.History, id domain.RegistrationID, org string, days []domain.Day) {
	h.Must(w1, func(w domain.Workshop) ([]domain.Event, error) {
		return w.Register(domain.RegisterParticipant{ID: id,
			Person:   domain.Person{Name: "Name " + string(id), Email: string(id) + "@example.org", Dietary: "vegan"},
			EmailKey: "key-" + string(id), Organisation: org, District: "Mitte", Days: days, Consent: true,
			TokenHash: "hash-" + string(id)})
	})
}

func checkIn(h *scenario.History, id domain.RegistrationID, day domain.Day, s domain.SessionID) {
	h.Must(w1, func(w domain.Workshop) ([]domain.Event, error) {
		return w.CheckIn(domain.CheckInParticipant{RegistrationID: id, Day: day, SessionID: s})
	})
}
