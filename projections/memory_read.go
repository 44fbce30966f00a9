package projections

import (
	"context"
	"slices"

	"github.com/werkstatt/werkstatt/domain"
)

// Workshops returns every workshop, ordered by first day, then title.
func (m *Memory) Workshops(_ context.Context) ([]WorkshopView, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	views := make([]WorkshopView, 0, len(m.workshops))
	for _, w := range m.workshops {
		if w.exists {
			views = append(views, w.view())
		}
	}
	SortWorkshops(views)
	return views, nil
}

// Workshop returns one workshop or domain.ErrWorkshopNotFound.
func (m *Memory) Workshop(_ context.Context, id domain.WorkshopID) (WorkshopView, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	w, ok := m.workshops[id]
	if !ok || !w.exists {
		return WorkshopView{}, domain.ErrWorkshopNotFound
	}
	return w.view(), nil
}

func (w *workshopRows) view() WorkshopView {
	v := WorkshopView{ID: w.row.ID, Title: w.row.Title, Series: w.row.Series, Venue: w.row.Venue,
		Days: slices.Clone(w.row.Days), Capacity: w.row.Capacity, ScheduledAt: w.row.ScheduledAt,
		RegistrationCloses:    w.row.RegistrationCloses,
		Summary:               w.row.Summary,
		RegistrationQuestions: domain.CloneRegistrationQuestions(w.row.RegistrationQuestions),
		Funding:               w.row.Funding.Clone(),
		Network:               w.row.Network, Visibility: w.row.Visibility.Or(),
		Agenda:    make([]domain.Session, 0, len(w.sessions)),
		Revisions: make(map[domain.SessionID]uint64, len(w.sessions)), Revised: w.revised}
	for _, s := range w.sessions {
		s.Speakers = slices.Clone(s.Speakers)
		v.Agenda = append(v.Agenda, s)
		v.Revisions[s.ID] = w.revisions[s.ID]
	}
	SortAgenda(v.Agenda)
	confirmed := make(map[domain.Day]int, len(v.Days))
	for _, h := range w.holders {
		for _, d := range h.seated {
			confirmed[d]++
		}
	}
	v.Seats = SeatsOf(v.Days, v.Capacity, confirmed)
	return v
}

// Registrations returns the workshop's registrations in registration order.
func (m *Memory) Registrations(_ context.Context, id domain.WorkshopID) ([]RegistrationView, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	l, ok := m.lists[id]
	if !ok || !l.exists {
		return nil, domain.ErrWorkshopNotFound
	}
	views := make([]RegistrationView, len(l.entries))
	for i, e := range l.entries {
		views[i] = e.view()
	}
	NumberWaitlist(views)
	return views, nil
}

// Registration returns one registration, or domain.ErrWorkshopNotFound or
// domain.ErrRegistrationNotFound.
func (m *Memory) Registration(_ context.Context, id domain.WorkshopID, rid domain.RegistrationID) (RegistrationView, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	l, ok := m.lists[id]
	if !ok || !l.exists {
		return RegistrationView{}, domain.ErrWorkshopNotFound
	}
	e, ok := l.byID[rid]
	if !ok {
		return RegistrationView{}, domain.ErrRegistrationNotFound
	}
	views := []RegistrationView{e.view()}
	for _, o := range l.entries {
		if o != e && o.status != domain.Cancelled && o.dayStatus.any(domain.Waitlisted) {
			views = append(views, o.view())
		}
	}
	NumberWaitlist(views)
	return views[0], nil
}

func (e *registrationEntry) view() RegistrationView {
	r := e.row
	v := RegistrationView{ID: r.ID, Workshop: r.Workshop, Erased: r.Person == nil,
		Organisation: r.Organisation, District: r.District, Days: slices.Clone(r.Days),
		Overnight: r.Overnight, Status: e.status, TokenHash: r.TokenHash,
		RegisteredAt: r.RegisteredAt, UpdatedAt: e.updatedAt,
		DayStatus: e.dayStatus.statusMap(), WaitlistPositions: map[domain.Day]int{},
		Ordinal: r.Ordinal, WaitlistedSince: e.dayStatus.sinceMap(), Lang: r.Lang}
	if p := r.Person; p != nil {
		v.Name, v.Email, v.Dietary, v.PhotoConsent = p.Name, p.Email, p.Dietary, p.PhotoConsent
	}
	v.Answers = MergeAnswers(r.Answers, r.Person)
	return v
}

// CheckIns returns the workshop's check-ins or domain.ErrWorkshopNotFound.
func (m *Memory) CheckIns(_ context.Context, id domain.WorkshopID) ([]domain.CheckIn, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	s, ok := m.sheets[id]
	if !ok || !s.exists {
		return nil, domain.ErrWorkshopNotFound
	}
	out := make([]domain.CheckIn, 0, s.countCheckIns())
	s.eachCheckIn(func(c domain.CheckIn) { out = append(out, c) })
	return out, nil
}

// Attendance returns the workshop's attendance report or domain.ErrWorkshopNotFound.
func (m *Memory) Attendance(_ context.Context, id domain.WorkshopID) (Attendance, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	s, ok := m.sheets[id]
	if !ok || !s.exists {
		return Attendance{}, domain.ErrWorkshopNotFound
	}
	rows := Sheet{Days: s.days, Capacity: s.capacity, Sessions: make([]domain.Session, 0, len(s.sessions)),
		Attendees: make([]Attendee, 0, len(s.attendees)), CheckIns: make([]domain.CheckIn, 0, s.countCheckIns())}
	for _, se := range s.sessions {
		rows.Sessions = append(rows.Sessions, se)
	}
	for id, a := range s.attendees {
		rows.Attendees = append(rows.Attendees, Attendee{ID: id, Organisation: a.organisation, Days: a.days, Status: a.status,
			Answers: a.answers, DayStatus: a.dayStatus.statusMap()})
	}
	s.eachCheckIn(func(c domain.CheckIn) { rows.CheckIns = append(rows.CheckIns, c) })
	return rows.Attendance(), nil
}
