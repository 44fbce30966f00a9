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
// log at every start, or from a snapshot and the log after it (see WriteSnapshot). Reads may run
// while a batch is applied; they see the state before or after the batch, never inside it.
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

	// strs interns the ids and the short values that many rows repeat (see intern), and
	// daySets the lists of days; only appliers (under the write lock) use them.
	strs    map[string]string
	daySets map[daysKey][]domain.Day
	// applying is the sequence of the event being applied, forgotAt see ForgotAt.
	applying uint64
	forgotAt uint64
}

type workshopRows struct {
	row      WorkshopRow
	exists   bool // false while only child rows arrived (never, with a well-formed log)
	sessions map[domain.SessionID]domain.Session
	holders  map[domain.RegistrationID]seatHolder
	// revisions and revised are kept apart from row and sessions: PutWorkshop and PutSession
	// replace those, and a revision only moves with ReviseSession and ReviseWorkshop.
	revisions map[domain.SessionID]uint64
	revised   uint64
}

// seatHolder is kept by value: a holder's days and seated days are a handful each.
type seatHolder struct {
	days   []domain.Day
	seated seatedDays
}

// seatedDays are the days a holder is seated on, each at most once, all of them among its days.
// They change in place, so unlike lists of days they are never shared (internDays).
type seatedDays []domain.Day

type registrationList struct {
	exists  bool
	entries []*registrationEntry // by ordinal, then id
	byID    map[domain.RegistrationID]*registrationEntry
}

type registrationEntry struct {
	row       RegistrationRow
	status    domain.Status
	dayStatus dayStatuses // since is kept for the waitlisted days only
	updatedAt time.Time
}

type sheet struct {
	exists    bool
	days      []domain.Day
	capacity  int
	sessions  map[domain.SessionID]domain.Session
	attendees map[domain.RegistrationID]*attendee
	// A check-in is a bit of its registration's slotSet: the index of its day and session in
	// slots, which only grows. Most people check in at a handful of the sheet's sessions, so
	// this holds a few words per person instead of one map entry of three strings per check-in.
	slots    []checkInSlot
	checkIns map[domain.RegistrationID]slotSet
}

type checkInSlot struct {
	day     domain.Day
	session domain.SessionID
}

type attendee struct {
	id           domain.RegistrationID // the key in sheet.attendees, shared by its check-ins' key
	organisation string
	days         []domain.Day
	status       domain.Status
	answers      map[string]string
	dayStatus    dayStatuses
}

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory {
	return &Memory{
		checkpoints: map[string]uint64{},
		workshops:   map[domain.WorkshopID]*workshopRows{},
		strs:        map[string]string{},
		daySets:     map[daysKey][]domain.Day{},
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
		m.applying = e.Seq
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
			holders: map[domain.RegistrationID]seatHolder{}, revisions: map[domain.SessionID]uint64{}}
		t.m.workshops[t.m.internWorkshop(w)] = r
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
	t.workshop(w).holders[t.m.internID(id)] = seatHolder{days: t.m.internDays(days)}
}

func (t memoryTx) SetSeated(w domain.WorkshopID, id domain.RegistrationID, days []domain.Day, seated bool) {
	if r, ok := t.m.workshops[w]; ok {
		if h, ok := r.holders[id]; ok {
			if days == nil {
				days = h.days
				h.seated = h.seated[:0]
			}
			for _, d := range days {
				h.seated = slices.DeleteFunc(h.seated, func(x domain.Day) bool { return x == d })
				if seated {
					if i := slices.Index(h.days, d); i >= 0 {
						h.seated = append(h.seated, h.days[i])
					}
				}
			}
			r.holders[t.m.internID(id)] = h // a map keeps the key of the last assignment
		}
	}
}

func (t memoryTx) ChangeSeatHolder(w domain.WorkshopID, id domain.RegistrationID, days []domain.Day) {
	if r, ok := t.m.workshops[w]; ok {
		if h, ok := r.holders[id]; ok {
			h.days = t.m.internDays(days)
			h.seated = slices.DeleteFunc(h.seated, func(d domain.Day) bool { return !slices.Contains(days, d) })
			r.holders[t.m.internID(id)] = h // a map keeps the key of the last assignment
		}
	}
}

func (t memoryTx) list(w domain.WorkshopID) *registrationList {
	l, ok := t.m.lists[w]
	if !ok {
		l = &registrationList{byID: map[domain.RegistrationID]*registrationEntry{}}
		t.m.lists[t.m.internWorkshop(w)] = l
	}
	return l
}

func (t memoryTx) PutRegistrationList(w domain.WorkshopID) { t.list(w).exists = true }

func (t memoryTx) PutRegistration(r RegistrationRow) {
	l := t.list(r.Workshop)
	r.Workshop, r.ID = t.m.internWorkshop(r.Workshop), t.m.internID(r.ID)
	r.Organisation, r.District, r.Lang = t.m.intern(r.Organisation), t.m.intern(r.District), t.m.intern(r.Lang)
	r.Days = t.m.internDays(r.Days)
	if e, ok := l.byID[r.ID]; ok {
		e.row, e.status, e.updatedAt, e.dayStatus = r, "", r.RegisteredAt, nil
		return
	}
	e := &registrationEntry{row: r, updatedAt: r.RegisteredAt}
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
		e.status, e.updatedAt = internStatus(s), at
		if s == domain.Cancelled {
			e.dayStatus = nil
		}
	}
}

func (t memoryTx) SetRegistrationDayStatus(w domain.WorkshopID, id domain.RegistrationID, days []domain.Day, s domain.Status, since uint64, at time.Time) {
	if e := t.entry(w, id); e != nil {
		if days == nil {
			days = e.row.Days
		}
		for _, d := range days {
			e.dayStatus = e.dayStatus.set(t.m.internDay(d), s, since)
		}
		e.status, e.updatedAt = e.dayStatus.statusOf(e.status), at
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
			e.row.Days, e.row.Overnight, e.updatedAt = t.m.internDays(days), overnight, at
			e.dayStatus = e.dayStatus.keep(days)
			e.status = e.dayStatus.statusOf(e.status)
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
	t.m.forget()
	if l, ok := t.m.lists[w]; ok {
		if e, ok := l.byID[id]; ok {
			e.row.Person = &domain.Person{Name: name}
		}
	}
}

func (t memoryTx) ErasePerson(w domain.WorkshopID, id domain.RegistrationID) {
	t.m.forget()
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
			attendees: map[domain.RegistrationID]*attendee{}, checkIns: map[domain.RegistrationID]slotSet{}}
		t.m.sheets[t.m.internWorkshop(w)] = s
	}
	return s
}

func (t memoryTx) PutAttendanceSheet(w domain.WorkshopID, days []domain.Day, capacity int) {
	s := t.sheet(w)
	s.exists, s.days, s.capacity = true, t.m.internDays(days), capacity
}

func (t memoryTx) SetSheetCapacity(w domain.WorkshopID, capacity int) {
	if s, ok := t.m.sheets[w]; ok {
		s.capacity = capacity
	}
}

func (t memoryTx) PutSheetSession(w domain.WorkshopID, s domain.Session) {
	id := domain.SessionID(t.m.intern(string(s.ID)))
	t.sheet(w).sessions[id] = domain.Session{ID: id, Title: s.Title, Day: t.m.internDay(s.Day), Starts: s.Starts}
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
	id = t.m.internID(id)
	s.attendees[id] = &attendee{id: id, organisation: t.m.intern(organisation), days: t.m.internDays(days), answers: answers}
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
		a.organisation, a.days = t.m.intern(organisation), t.m.internDays(days)
		a.dayStatus = a.dayStatus.keep(days)
		a.status = a.dayStatus.statusOf(a.status)
	}
}

func (t memoryTx) SetAttendeeStatus(w domain.WorkshopID, id domain.RegistrationID, st domain.Status) {
	if a := t.attendee(w, id); a != nil {
		a.status = internStatus(st)
		if st == domain.Cancelled {
			a.dayStatus = nil
		}
	}
}

func (t memoryTx) SetAttendeeDayStatus(w domain.WorkshopID, id domain.RegistrationID, days []domain.Day, st domain.Status) {
	if a := t.attendee(w, id); a != nil {
		if days == nil {
			days = a.days
		}
		for _, d := range days {
			a.dayStatus = a.dayStatus.set(t.m.internDay(d), st, 0)
		}
		a.status = a.dayStatus.statusOf(a.status)
	}
}

func (t memoryTx) PutCheckIn(w domain.WorkshopID, c domain.CheckIn) {
	s := t.sheet(w)
	id := c.RegistrationID
	if a, ok := s.attendees[id]; ok {
		id = a.id
	} else {
		id = t.m.internID(id)
	}
	set := s.checkIns[id]
	set.add(s.slot(t.m, c.Day, c.SessionID))
	s.checkIns[id] = set
}

// slot returns the index of the day and session in s.slots, adding them when new.
func (s *sheet) slot(m *Memory, d domain.Day, id domain.SessionID) int {
	if i := s.slotIndex(d, id); i >= 0 {
		return i
	}
	s.slots = append(s.slots, checkInSlot{day: m.internDay(d), session: domain.SessionID(m.intern(string(id)))})
	return len(s.slots) - 1
}

func (s *sheet) slotIndex(d domain.Day, id domain.SessionID) int {
	for i, x := range s.slots {
		if x.day == d && x.session == id {
			return i
		}
	}
	return -1
}

func (t memoryTx) DeleteCheckIn(w domain.WorkshopID, c domain.CheckIn) {
	if s, ok := t.m.sheets[w]; ok {
		if set, ok := s.checkIns[c.RegistrationID]; ok {
			if i := s.slotIndex(c.Day, c.SessionID); i >= 0 {
				set.remove(i)
				s.storeSet(c.RegistrationID, set)
			}
		}
	}
}

// storeSet keeps a registration's check-ins, and no entry once it has none, so that the
// registrations with an entry are those checked in.
func (s *sheet) storeSet(id domain.RegistrationID, set slotSet) {
	if a, ok := s.attendees[id]; ok {
		id = a.id // a map keeps the key of the last assignment
	}
	if set.empty() {
		delete(s.checkIns, id)
	} else {
		s.checkIns[id] = set
	}
}

func (t memoryTx) DeleteSessionCheckIns(w domain.WorkshopID, id domain.SessionID) {
	if s, ok := t.m.sheets[w]; ok {
		for i, x := range s.slots {
			if x.session != id {
				continue
			}
			for r, set := range s.checkIns {
				if set.has(i) {
					set.remove(i)
					s.storeSet(r, set)
				}
			}
		}
	}
}

func (t memoryTx) DeleteCheckIns(w domain.WorkshopID, id domain.RegistrationID) {
	if s, ok := t.m.sheets[w]; ok {
		delete(s.checkIns, id)
	}
}

// eachCheckIn calls f with every check-in of the sheet.
func (s *sheet) eachCheckIn(f func(domain.CheckIn)) {
	for r, set := range s.checkIns {
		set.each(func(i int) { f(domain.CheckIn{RegistrationID: r, Day: s.slots[i].day, SessionID: s.slots[i].session}) })
	}
}

// countCheckIns returns the number of check-ins of the sheet.
func (s *sheet) countCheckIns() int {
	n := 0
	for _, set := range s.checkIns {
		n += set.len()
	}
	return n
}
