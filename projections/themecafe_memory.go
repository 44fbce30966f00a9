package projections

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

type cafeKey struct {
	w domain.WorkshopID
	s domain.SessionID
}

// cafeRows are the rows of one café in a Memory store.
type cafeRows struct {
	rounds      int
	tables      []cafeTable
	collection  domain.Collection
	preferences map[domain.RegistrationID][]domain.TableID
	plan        *domain.RotationPlan
	seed        uint64
	quality     domain.RotationQuality
	published   bool
	changed     bool
	notes       map[domain.TableRound]CafeNotes
}

type cafeTable struct {
	table   domain.Table
	ordinal uint64
}

func (t memoryTx) cafe(w domain.WorkshopID, s domain.SessionID) (*cafeRows, bool) {
	c, ok := t.m.cafes[cafeKey{w, s}]
	return c, ok
}

// touch marks a planned café as changed since its plan.
func (c *cafeRows) touch() { c.changed = c.plan != nil }

func (t memoryTx) PutCafe(w domain.WorkshopID, s domain.SessionID) {
	if _, ok := t.cafe(w, s); !ok {
		t.m.cafes[cafeKey{w, s}] = &cafeRows{rounds: domain.DefaultRounds, collection: domain.CollectionNotOpen,
			preferences: map[domain.RegistrationID][]domain.TableID{}, notes: map[domain.TableRound]CafeNotes{}}
	}
}

func (t memoryTx) DeleteCafe(w domain.WorkshopID, s domain.SessionID) {
	delete(t.m.cafes, cafeKey{w, s})
}

func (t memoryTx) SetCafeRounds(w domain.WorkshopID, s domain.SessionID, rounds int) {
	if c, ok := t.cafe(w, s); ok {
		c.rounds = rounds
		c.touch()
	}
}

func (t memoryTx) PutCafeTable(w domain.WorkshopID, s domain.SessionID, tb domain.Table, ordinal uint64) {
	c, ok := t.cafe(w, s)
	if !ok {
		return
	}
	c.tables = slices.DeleteFunc(c.tables, func(x cafeTable) bool { return x.table.ID == tb.ID })
	c.tables = append(c.tables, cafeTable{table: tb, ordinal: ordinal})
	slices.SortStableFunc(c.tables, func(a, b cafeTable) int {
		return cmp.Or(cmp.Compare(a.ordinal, b.ordinal), cmp.Compare(a.table.ID, b.table.ID))
	})
	c.touch()
}

func (t memoryTx) ChangeCafeTable(w domain.WorkshopID, s domain.SessionID, tb domain.Table) {
	if c, ok := t.cafe(w, s); ok {
		for i := range c.tables {
			if c.tables[i].table.ID == tb.ID {
				c.tables[i].table = tb
				c.touch()
			}
		}
	}
}

func (t memoryTx) DeleteCafeTable(w domain.WorkshopID, s domain.SessionID, id domain.TableID) {
	c, ok := t.cafe(w, s)
	if !ok {
		return
	}
	c.tables = slices.DeleteFunc(c.tables, func(x cafeTable) bool { return x.table.ID == id })
	for g, ranking := range c.preferences {
		if ranking = slices.DeleteFunc(slices.Clone(ranking), func(x domain.TableID) bool { return x == id }); len(ranking) == 0 {
			delete(c.preferences, g)
		} else {
			c.preferences[g] = ranking
		}
	}
	maps.DeleteFunc(c.notes, func(k domain.TableRound, _ CafeNotes) bool { return k.Table == id })
	if c.plan != nil {
		for g, seats := range c.plan.Seats {
			for r, x := range seats {
				if x == id {
					seats[r] = ""
					c.plan.Unseated = append(c.plan.Unseated, domain.Unseated{Guest: g, Round: r + 1, Reason: domain.TableRemovedReason})
				}
			}
		}
	}
	c.touch()
}

func (t memoryTx) SetCafeCollection(w domain.WorkshopID, s domain.SessionID, col domain.Collection) {
	if c, ok := t.cafe(w, s); ok {
		c.collection = col
	}
}

func (t memoryTx) PutCafePreferences(w domain.WorkshopID, s domain.SessionID, r domain.RegistrationID, ranking []domain.TableID) {
	if c, ok := t.cafe(w, s); ok {
		if len(ranking) == 0 {
			delete(c.preferences, r)
		} else {
			c.preferences[r] = slices.Clone(ranking)
		}
	}
}

func (t memoryTx) PutCafePlan(w domain.WorkshopID, s domain.SessionID, seed uint64, p domain.RotationPlan, q domain.RotationQuality) {
	if c, ok := t.cafe(w, s); ok {
		c.plan = clonePlan(p)
		c.seed, c.quality, c.published, c.changed = seed, q, false, false
	}
}

func clonePlan(p domain.RotationPlan) *domain.RotationPlan {
	c := &domain.RotationPlan{Seats: make(map[domain.RegistrationID][]domain.TableID, len(p.Seats)),
		Unseated: slices.Clone(p.Unseated)}
	for g, seats := range p.Seats {
		c.Seats[g] = slices.Clone(seats)
	}
	return c
}

func (t memoryTx) MoveCafeGuest(w domain.WorkshopID, s domain.SessionID, r domain.RegistrationID, n int, tb domain.TableID, q domain.RotationQuality) {
	c, ok := t.cafe(w, s)
	if !ok || c.plan == nil {
		return
	}
	if seats := c.plan.Seats[r]; n >= 1 && n <= len(seats) {
		seats[n-1] = tb
		c.plan.Unseated = slices.DeleteFunc(c.plan.Unseated, func(u domain.Unseated) bool { return u.Guest == r && u.Round == n })
	}
	c.quality = q
}

func (t memoryTx) PublishCafePlan(w domain.WorkshopID, s domain.SessionID) {
	if c, ok := t.cafe(w, s); ok {
		c.published = true
	}
}

func (t memoryTx) PutCafeNotes(w domain.WorkshopID, s domain.SessionID, tb domain.TableID, round int, n domain.TableNotes, at time.Time) {
	if c, ok := t.cafe(w, s); ok {
		c.notes[domain.TableRound{Table: tb, Round: round}] = CafeNotes{Table: tb, Round: round,
			Notes: domain.TableNotes{KeyPoints: slices.Clone(n.KeyPoints), Examples: slices.Clone(n.Examples),
				OpenQuestions: slices.Clone(n.OpenQuestions)}, RecordedAt: at}
	}
}

func (t memoryTx) DropCafeRegistration(w domain.WorkshopID, r domain.RegistrationID) {
	for k, c := range t.m.cafes {
		if k.w != w {
			continue
		}
		delete(c.preferences, r)
		for i := range c.tables {
			if c.tables[i].table.Host == r {
				c.tables[i].table.Host = ""
				c.touch()
			}
		}
		if c.plan == nil {
			continue
		}
		if _, ok := c.plan.Seats[r]; ok {
			delete(c.plan.Seats, r)
			c.plan.Unseated = slices.DeleteFunc(c.plan.Unseated, func(u domain.Unseated) bool { return u.Guest == r })
			c.touch()
		}
	}
}

// ThemeCafe returns the café of a session.
func (m *Memory) ThemeCafe(_ context.Context, w domain.WorkshopID, s domain.SessionID) (ThemeCafeView, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c, ok := m.cafes[cafeKey{w, s}]
	if !ok {
		return ThemeCafeView{}, domain.ErrSessionNotFound
	}
	v := ThemeCafeView{Workshop: w, Session: s, Rounds: c.rounds, Collection: c.collection,
		Tables: make([]domain.Table, 0, len(c.tables)), Preferences: make(map[domain.RegistrationID][]domain.TableID, len(c.preferences)),
		Seed: c.seed, Quality: c.quality, Published: c.published, ChangedSincePlan: c.changed}
	for _, tb := range c.tables {
		v.Tables = append(v.Tables, tb.table)
	}
	for g, r := range c.preferences {
		v.Preferences[g] = slices.Clone(r)
	}
	if c.plan != nil {
		v.Plan = clonePlan(*c.plan)
	}
	for _, n := range c.notes {
		n.Notes = domain.TableNotes{KeyPoints: slices.Clone(n.Notes.KeyPoints), Examples: slices.Clone(n.Notes.Examples),
			OpenQuestions: slices.Clone(n.Notes.OpenQuestions)}
		v.Notes = append(v.Notes, n)
	}
	v.Normalise()
	return v, nil
}
