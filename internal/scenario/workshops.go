package scenario

import (
	"fmt"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// Workshops returns a realistic log: workshops workshops of three days, capacity 80% of
// participants, each with 9 sessions, participants registrations (the late ones waitlisted),
// a tenth of them cancelled (promoting waiters), a capacity raise, day check-ins of most
// confirmed people and session check-ins of half of them, and a few annulled check-ins. Every
// workshop belongs to the series SeriesName; Series builds a series with feedback.
func Workshops(workshops, participants int) []domain.Recorded {
	h := NewHistory(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
	for i := range workshops {
		scenarioWorkshop(h, domain.WorkshopID(fmt.Sprintf("W%05d", i)), i, participants)
	}
	return h.Events
}

func scenarioWorkshop(h *History, id domain.WorkshopID, n, participants int) {
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 7*n)
	days := []domain.Day{day(start, 0), day(start, 1), day(start, 2)}
	capacity := max(participants*4/5, 1)
	h.Must(id, func(w domain.Workshop) ([]domain.Event, error) {
		return w.Schedule(domain.ScheduleWorkshop{ID: id, Title: fmt.Sprintf("Werkstatt %d", n),
			Series: SeriesName, Venue: "Haus am See", Days: days, Capacity: capacity})
	})
	for s := range 9 {
		sess := domain.Session{ID: domain.SessionID(fmt.Sprintf("%s-S%d", id, s)), Title: fmt.Sprintf("Session %d", s),
			Kind: domain.Talk, Day: days[s%3], Starts: fmt.Sprintf("%02d:00", 9+s/3*2), Ends: fmt.Sprintf("%02d:30", 9+s/3*2),
			Room: "Saal"}
		h.Must(id, func(w domain.Workshop) ([]domain.Event, error) { return w.Plan(domain.PlanSession{Session: sess}) })
	}
	for p := range participants {
		h.Must(id, func(w domain.Workshop) ([]domain.Event, error) { return w.Register(scenarioPerson(id, p)) })
	}
	for p := 0; p < participants; p += 10 {
		h.Must(id, func(w domain.Workshop) ([]domain.Event, error) { return w.CancelRegistration(scenarioRID(id, p)) })
	}
	raised := capacity + participants/20
	h.Must(id, func(w domain.Workshop) ([]domain.Event, error) {
		return w.Change(domain.ChangeWorkshop{Capacity: &raised})
	})
	scenarioCheckIns(h, id, days, participants)
}

func scenarioCheckIns(h *History, id domain.WorkshopID, days []domain.Day, participants int) {
	for p := range participants {
		rid := scenarioRID(id, p)
		r := h.Workshop(id).Registrations[rid]
		if r.Status != domain.Confirmed || p%7 == 3 {
			continue
		}
		for d, dd := range days {
			if !r.ConfirmedOn(dd) {
				continue
			}
			c := domain.CheckInParticipant{RegistrationID: rid, Day: dd}
			h.Must(id, func(w domain.Workshop) ([]domain.Event, error) { return w.CheckIn(c) })
			if p%2 == 0 {
				c.SessionID = domain.SessionID(fmt.Sprintf("%s-S%d", id, d))
				h.Must(id, func(w domain.Workshop) ([]domain.Event, error) { return w.CheckIn(c) })
			}
			if p%13 == 0 && d == 0 {
				h.Must(id, func(w domain.Workshop) ([]domain.Event, error) { return w.AnnulCheckIn(c) })
			}
		}
	}
}

func scenarioRID(id domain.WorkshopID, p int) domain.RegistrationID {
	return domain.RegistrationID(fmt.Sprintf("%s-R%05d", id, p))
}

func scenarioPerson(id domain.WorkshopID, p int) domain.RegisterParticipant {
	return domain.RegisterParticipant{ID: scenarioRID(id, p),
		Person:   domain.Person{Name: fmt.Sprintf("Person %d", p), Email: fmt.Sprintf("p%d@example.org", p)},
		EmailKey: fmt.Sprintf("%s-k%d", id, p), Organisation: fmt.Sprintf("Verein %d", p%12),
		District: "Nord", Consent: true, TokenHash: fmt.Sprintf("t%d", p)}
}

func day(start time.Time, n int) domain.Day {
	return domain.Day(start.AddDate(0, 0, n).Format(time.DateOnly))
}
