package projections

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// Memory is a Store that keeps the read models in memory. It starts empty and is rebuilt from the
// log at every start. Reads may run while a batch is applied; they see the state before or after
// the batch, never inside it.
type Memory struct {
	mu          sync.RWMutex
	checkpoints map[string]uint64
	workshops   map[domain.WorkshopID]*workshopRows
	lists       map[domain.WorkshopID]*registrationList
	sheets      map[domain.WorkshopID]*sheet
	cafes       map[cafeKey]*cafeRows               // see themecafe_memory.go
	followUps   map[domain.WorkshopID]*followUpRows // see followup_memory.go
	feedback    map[domain.WorkshopID]*feedbackRows // see feedback_memory.go
	materials   map[materialKey]*materialRows       // see materials_memory.go
}

type workshopRows struct {
	row      WorkshopRow
	exists   bool // false while only child rows arrived (never, with a well-formed log)
	sessions map[domain.SessionID]domain.Session
	holders  map[domain.RegistrationID]*seatHolder
	// revisions and revised are kept apart from row and sessions: PutWorkshop and PutSession
	// replace those, and a revision only moves with ReviseSession and ReviseWorkshop.
	revisions map[domain.SessionID]uint64
	revised   uint64
}

type seatHolder struct {
	days   []domain.Day
	seated map[domain.Day]bool
}

type registrationList struct {
	exists  bool
	entries []*registrationEntry // by ordinal, then id
	byID    map[domain.RegistrationID]*registrationEntry
}

type registrationEntry struct {
	row       RegistrationRow
	status    domain.Status
	dayStatus map[domain.Day]domain.Status
	since     map[domain.Day]uint64
	updatedAt time.Time
}

type sheet struct {
	exists    bool
	days      []domain.Day
	capacity  int
	sessions  map[domain.SessionID]domain.Session
	attendees map[domain.RegistrationID]*attendee
	checkIns  map[domain.CheckIn]struct{}
}

type attendee struct {
	organisation string
	days         []domain.Day
	status       domain.Status
	answers      map[string]string
	dayStatus    map[domain.Day]domain.Status
}

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory {
	return &Memory{
		checkpoints: map[string]uint64{},
		workshops:   map[domain.WorkshopID]*workshopRows{},
		lists:       map[domain.WorkshopID]*registrationList{},
		sheets:      map[domain.WorkshopID]*sheet{},
		cafes:       map[cafeKey]*cafeRows{},
		followUps:   map[domain.WorkshopID]*followUpRows{},
		feedback:    map[domain.WorkshopID]*feedbackRows{},
		materials:   map[materialKey]*materialRows{},
	}
}

// Checkpoint returns the last sequence applied by the named projection, 0 if none.
func (m *Memory) Checkpoint(_ context.Context, projection string) (uint64, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.checkpoints[projection], nil
}

// Apply runs p over the events of batch above p's checkpoint under the write lock. Memory cannot
// roll back: when p fails, the rows of the events before stay and the checkpoint does not move,
// so a redelivery applies them again, which the idempotent row operations allow.
func (m *Memory) Apply(ctx context.Context, p Projection, batch []domain.Recorded) (uint64, error) {
	name := p.Name()
	m.mu.Lock()
	defer m.mu.Unlock()
	cp := m.checkpoints[name]
	last := cp
	tx := memoryTx{m}
	for _, e := range batch {
		if e.Seq <= cp {
			continue
		}
		if err := p.Apply(ctx, tx, e); err != nil {
			return cp, err
		}
		last = max(last, e.Seq)
	}
	m.checkpoints[name] = last
	return last, nil
}

// ApplyAll applies batch to each of ps in turn.
func (m *Memory) ApplyAll(ctx context.Context, ps []Projection, batch []domain.Recorded) ([]uint64, error) {
	cps := make([]uint64, len(ps))
	for i, p := range ps {
		cp, err := m.Apply(ctx, p, batch)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name(), err)
		}
		cps[i] = cp
	}
	return cps, nil
}

// memoryTx implements Tx over the maps of a Memory whose write lock is held. It is a single
// pointer, so passing it as a Tx does not allocate.
type memoryTx struct{ m *Memory }

func (t memoryTx) workshop(w domain.WorkshopID) *workshopRows {
	r, ok := t.m.workshops[w]
	if !ok {
		r = &workshopRows{sessions: map[domain.SessionID]domain.Session{},
			holders: map[domain.RegistrationID]*seatHolder{}, revisions: map[domain.SessionID]uint64{}}
		t.m.workshops[w] = r
	}
	return r
}

func (t memoryTx) PutWorkshop(w WorkshopRow) {
	r := t.workshop(w.ID)
	r.row, r.exists = w, true
}

func (t memoryTx) SetVisibility(id domain.WorkshopID, v domain.Visibility) {
	if r, ok := t.m.workshops[id]; ok {
		r.row.Visibility = v
	}
}

func (t memoryTx) ChangeWorkshop(id domain.WorkshopID, title, venue string, capacity int) {
	if r, ok := t.m.workshops[id]; ok {
		r.row.Title, r.row.Venue, r.row.Capacity = title, venue, capacity
	}
}

func (t memoryTx) SetSummary(id domain.WorkshopID, text string) {
	if r, ok := t.m.workshops[id]; ok {
		r.row.Summary = text
	}
}

func (t memoryTx) SetRegistrationCloses(id domain.WorkshopID, closes time.Time) {
	if r, ok := t.m.workshops[id]; ok {
		r.row.RegistrationCloses = closes
	}
}

func (t memoryTx) SetRegistrationQuestions(id domain.WorkshopID, qs []domain.RegistrationQuestion) {
	if r, ok := t.m.workshops[id]; ok {
		r.row.RegistrationQuestions = nil // none is nil, as every store reads it back
		if len(qs) > 0 {
			r.row.RegistrationQuestions = domain.CloneRegistrationQuestions(qs)
		}
	}
}

func (t memoryTx) SetFunding(id domain.WorkshopID, f domain.Funding) {
	if r, ok := t.m.workshops[id]; ok {
		r.row.Funding = f
	}
}

func (t memoryTx) PutSession(w domain.WorkshopID, s domain.Session) {
	t.workshop(w).sessions[s.ID] = s
}

func (t memoryTx) DeleteSession(w domain.WorkshopID, id domain.SessionID) {
	if r, ok := t.m.workshops[w]; ok {
		delete(r.sessions, id)
		delete(r.revisions, id)
	}
}

func (t memoryTx) ReviseSession(w domain.WorkshopID, id domain.SessionID, seq uint64) {
	if r, ok := t.m.workshops[w]; ok {
		if _, ok := r.sessions[id]; ok {
			r.revisions[id] = seq
		}
	}
}

func (t memoryTx) ReviseWorkshop(id domain.WorkshopID, seq uint64) {
	if r, ok := t.m.workshops[id]; ok {
		r.revised = seq
	}
}

func (t memoryTx) PutSeatHolder(w domain.WorkshopID, id domain.RegistrationID, days []domain.Day) {
	t.workshop(w).holders[id] = &seatHolder{days: days, seated: map[domain.Day]bool{}}
}

func (t memoryTx) SetSeated(w domain.WorkshopID, id domain.RegistrationID, days []domain.Day, seated bool) {
	if h := t.holder(w, id); h != nil {
		if days == nil {
			days = h.days
			clear(h.seated)
		}
		for _, d := range days {
			if seated && slices.Contains(h.days, d) {
				h.seated[d] = true
			} else {
				delete(h.seated, d)
			}
		}
	}
}

func (t memoryTx) ChangeSeatHolder(w domain.WorkshopID, id domain.RegistrationID, days []domain.Day) {
	if h := t.holder(w, id); h != nil {
		h.days = days
		maps.DeleteFunc(h.seated, func(d domain.Day, _ bool) bool { return !slices.Contains(days, d) })
	}
}

func (t memoryTx) holder(w domain.WorkshopID, id domain.RegistrationID) *seatHolder {
	if r, ok := t.m.workshops[w]; ok {
		return r.holders[id]
	}
	return nil
}

func (t memoryTx) list(w domain.WorkshopID) *registrationList {
	l, ok := t.m.lists[w]
	if !ok {
		l = &registrationList{byID: map[domain.RegistrationID]*registrationEntry{}}
		t.m.lists[w] = l
	}
	return l
}

func (t memoryTx) PutRegistrationList(w domain.WorkshopID) { t.list(w).exists = true }

func (t memoryTx) PutRegistration(r RegistrationRow) {
	l := t.list(r.Workshop)
	if e, ok := l.byID[r.ID]; ok {
		e.row, e.status, e.updatedAt = r, "", r.RegisteredAt
		e.dayStatus, e.since = map[domain.Day]domain.Status{}, map[domain.Day]uint64{}
		return
	}
	e := &registrationEntry{row: r, updatedAt: r.RegisteredAt,
		dayStatus: map[domain.Day]domain.Status{}, since: map[domain.Day]uint64{}}
	l.byID[r.ID] = e
	l.entries = append(l.entries, e)
	if n := len(l.entries); n > 1 && !entryBefore(l.entries[n-2], e) {
		slices.SortFunc(l.entries, func(a, b *registrationEntry) int {
			if entryBefore(a, b) {
				return -1
			}
			return 1
		})
	}
}

func entryBefore(a, b *registrationEntry) bool {
	if a.row.Ordinal != b.row.Ordinal {
		return a.row.Ordinal < b.row.Ordinal
	}
	return a.row.ID < b.row.ID
}

func (t memoryTx) entry(w domain.WorkshopID, id domain.RegistrationID) *registrationEntry {
	if l, ok := t.m.lists[w]; ok {
		return l.byID[id]
	}
	return nil
}

func (t memoryTx) SetRegistrationStatus(w domain.WorkshopID, id domain.RegistrationID, s domain.Status, at time.Time) {
	if e := t.entry(w, id); e != nil {
		e.status, e.updatedAt = s, at
		if s == domain.Cancelled {
			clear(e.dayStatus)
			clear(e.since)
		}
	}
}

func (t memoryTx) SetRegistrationDayStatus(w domain.WorkshopID, id domain.RegistrationID, days []domain.Day, s domain.Status, since uint64, at time.Time) {
	if e := t.entry(w, id); e != nil {
		if days == nil {
			days = e.row.Days
		}
		for _, d := range days {
			e.dayStatus[d] = s
			if s == domain.Waitlisted {
				e.since[d] = since
			} else {
				delete(e.since, d)
			}
		}
		e.status, e.updatedAt = StatusOf(e.status, e.dayStatus), at
	}
}

// StatusOf is a registration's status as a whole after its days' statuses changed: Cancelled
// stays; Confirmed when confirmed on a day; Waitlisted when waiting on every day; old while it
// has no day with a status (between a change and the statuses of its added days).
func StatusOf(old domain.Status, days map[domain.Day]domain.Status) domain.Status {
	switch {
	case old == domain.Cancelled:
		return old
	case slices.Contains(slices.Collect(maps.Values(days)), domain.Confirmed):
		return domain.Confirmed
	case len(days) > 0:
		return domain.Waitlisted
	}
	return old
}

func (t memoryTx) ChangeRegistration(w domain.WorkshopID, id domain.RegistrationID, days []domain.Day, overnight bool, dietary *string, photoConsent *bool, at time.Time) {
	if l, ok := t.m.lists[w]; ok {
		if e, ok := l.byID[id]; ok {
			e.row.Days, e.row.Overnight, e.updatedAt = days, overnight, at
			gone := func(d domain.Day) bool { return !slices.Contains(days, d) }
			maps.DeleteFunc(e.dayStatus, func(d domain.Day, _ domain.Status) bool { return gone(d) })
			maps.DeleteFunc(e.since, func(d domain.Day, _ uint64) bool { return gone(d) })
			e.status = StatusOf(e.status, e.dayStatus)
			if (dietary != nil || photoConsent != nil) && e.row.Person != nil {
				p := *e.row.Person // rows handed out by reads share the old Person
				if dietary != nil {
					p.Dietary = *dietary
				}
				if photoConsent != nil {
					p.PhotoConsent = *photoConsent
				}
				e.row.Person = &p
			}
		}
	}
}

func (t memoryTx) SetTokenHash(w domain.WorkshopID, id domain.RegistrationID, hash string) {
	if l, ok := t.m.lists[w]; ok {
		if e, ok := l.byID[id]; ok {
			e.row.TokenHash = hash
		}
	}
}

func (t memoryTx) ReducePerson(w domain.WorkshopID, id domain.RegistrationID, name string) {
	if l, ok := t.m.lists[w]; ok {
		if e, ok := l.byID[id]; ok {
			e.row.Person = &domain.Person{Name: name}
		}
	}
}

func (t memoryTx) ErasePerson(w domain.WorkshopID, id domain.RegistrationID) {
	if l, ok := t.m.lists[w]; ok {
		if e, ok := l.byID[id]; ok {
			e.row.Person = nil
		}
	}
}

func (t memoryTx) sheet(w domain.WorkshopID) *sheet {
	s, ok := t.m.sheets[w]
	if !ok {
		s = &sheet{sessions: map[domain.SessionID]domain.Session{},
			attendees: map[domain.RegistrationID]*attendee{}, checkIns: map[domain.CheckIn]struct{}{}}
		t.m.sheets[w] = s
	}
	return s
}

func (t memoryTx) PutAttendanceSheet(w domain.WorkshopID, days []domain.Day, capacity int) {
	s := t.sheet(w)
	s.exists, s.days, s.capacity = true, days, capacity
}

func (t memoryTx) SetSheetCapacity(w domain.WorkshopID, capacity int) {
	if s, ok := t.m.sheets[w]; ok {
		s.capacity = capacity
	}
}

func (t memoryTx) PutSheetSession(w domain.WorkshopID, s domain.Session) {
	t.sheet(w).sessions[s.ID] = domain.Session{ID: s.ID, Title: s.Title, Day: s.Day, Starts: s.Starts}
}

func (t memoryTx) DeleteSheetSession(w domain.WorkshopID, id domain.SessionID) {
	if s, ok := t.m.sheets[w]; ok {
		delete(s.sessions, id)
	}
}

func (t memoryTx) PutAttendee(w domain.WorkshopID, id domain.RegistrationID, organisation string, days []domain.Day) {
	s := t.sheet(w)
	var answers map[string]string
	if old, ok := s.attendees[id]; ok {
		answers = old.answers
	}
	s.attendees[id] = &attendee{organisation: organisation, days: days, answers: answers, dayStatus: map[domain.Day]domain.Status{}}
}

func (t memoryTx) SetAttendeeAnswers(w domain.WorkshopID, id domain.RegistrationID, answers map[string]string) {
	if s, ok := t.m.sheets[w]; ok {
		if a, ok := s.attendees[id]; ok {
			a.answers = maps.Clone(answers)
		}
	}
}

func (t memoryTx) attendee(w domain.WorkshopID, id domain.RegistrationID) *attendee {
	if s, ok := t.m.sheets[w]; ok {
		return s.attendees[id]
	}
	return nil
}

func (t memoryTx) ChangeAttendee(w domain.WorkshopID, id domain.RegistrationID, organisation string, days []domain.Day) {
	if a := t.attendee(w, id); a != nil {
		a.organisation, a.days = organisation, days
		maps.DeleteFunc(a.dayStatus, func(d domain.Day, _ domain.Status) bool { return !slices.Contains(days, d) })
		a.status = StatusOf(a.status, a.dayStatus)
	}
}

func (t memoryTx) SetAttendeeStatus(w domain.WorkshopID, id domain.RegistrationID, st domain.Status) {
	if a := t.attendee(w, id); a != nil {
		a.status = st
		if st == domain.Cancelled {
			clear(a.dayStatus)
		}
	}
}

func (t memoryTx) SetAttendeeDayStatus(w domain.WorkshopID, id domain.RegistrationID, days []domain.Day, st domain.Status) {
	if a := t.attendee(w, id); a != nil {
		if days == nil {
			days = a.days
		}
		for _, d := range days {
			a.dayStatus[d] = st
		}
		a.status = StatusOf(a.status, a.dayStatus)
	}
}

func (t memoryTx) PutCheckIn(w domain.WorkshopID, c domain.CheckIn) {
	t.sheet(w).checkIns[c] = struct{}{}
}

func (t memoryTx) DeleteCheckIn(w domain.WorkshopID, c domain.CheckIn) {
	if s, ok := t.m.sheets[w]; ok {
		delete(s.checkIns, c)
	}
}

func (t memoryTx) DeleteSessionCheckIns(w domain.WorkshopID, id domain.SessionID) {
	if s, ok := t.m.sheets[w]; ok {
		for c := range s.checkIns {
			if c.SessionID == id {
				delete(s.checkIns, c)
			}
		}
	}
}

func (t memoryTx) DeleteCheckIns(w domain.WorkshopID, id domain.RegistrationID) {
	if s, ok := t.m.sheets[w]; ok {
		for c := range s.checkIns {
			if c.RegistrationID == id {
				delete(s.checkIns, c)
			}
		}
	}
}
