package domain

import (
	"maps"
	"slices"
)

// A theme café (a session of kind theme_cafe) runs several tables in parallel; participants
// move between them in rounds. The café lives in the Workshop aggregate because its decisions
// need the registrations and the agenda. This file holds its state, the events and how they
// change it; themecafe_commands.go and themecafe_plan.go hold the decisions.

// DefaultRounds is the number of rounds of a new café until an organiser sets it.
const DefaultRounds = 3

// Limits of a café, so that one request cannot bloat every replay of the log.
const (
	MaxRounds  = 8
	MaxTables  = 100
	MaxRanking = 5
	maxNotes   = 30 // items per list of a table's notes
)

// Table is a table of a theme café. The host stays at the table in every round: either a
// registration (Host) or a named guest who is not registered (HostGuest). A guest host's name
// is public information an organiser gives about a speaker, not data of a participant, so it
// travels in the events unencrypted. Capacity counts the visitors' seats in one round.
type Table struct {
	ID          TableID        `json:"id"`
	Topic       string         `json:"topic"`
	Description string         `json:"description,omitempty"`
	Host        RegistrationID `json:"host,omitempty"`
	HostGuest   string         `json:"host_guest,omitempty"`
	Capacity    int            `json:"capacity"`
}

// Collection is where the collection of preferences stands.
type Collection string

const (
	CollectionNotOpen Collection = "not_open"
	CollectionOpen    Collection = "open"
	CollectionClosed  Collection = "closed"
)

// TableRemovedReason explains a seat that was lost because its table was removed from the café
// after planning; a re-plan fills it again.
const TableRemovedReason UnseatedReason = "table_removed"

// TableNotes is what a table's host recorded after a round.
type TableNotes struct {
	KeyPoints     []string `json:"key_points,omitempty"`
	Examples      []string `json:"examples,omitempty"`
	OpenQuestions []string `json:"open_questions,omitempty"`
}

// TableRound names one round (from 1) at one table.
type TableRound struct {
	Table TableID
	Round int
}

// Cafe is the state of one theme café. Tables are in the order they were added.
type Cafe struct {
	Rounds      int
	Tables      []Table
	Collection  Collection
	Preferences map[RegistrationID][]TableID // rankings, best first; never empty
	// Plan is the current rotation plan, nil before the first one. Cancelled registrations
	// have no seats in it: RegistrationCancelled frees them (see Evolve).
	Plan      *RotationPlan
	PlanSeed  uint64
	Quality   RotationQuality // of the plan as planned or last moved
	Published bool
	Notes     map[TableRound]TableNotes
	// HostLinks are the hashes of the tables' host-link tokens (see HostLinkIssued).
	HostLinks map[TableID]string
}

func newCafe() *Cafe {
	return &Cafe{Rounds: DefaultRounds, Collection: CollectionNotOpen,
		Preferences: map[RegistrationID][]TableID{}, Notes: map[TableRound]TableNotes{}, HostLinks: map[TableID]string{}}
}

// Table returns the table with id and whether it exists.
func (c *Cafe) Table(id TableID) (Table, bool) {
	i := c.tableIndex(id)
	if i < 0 {
		return Table{}, false
	}
	return c.Tables[i], true
}

func (c *Cafe) tableIndex(id TableID) int {
	return slices.IndexFunc(c.Tables, func(t Table) bool { return t.ID == id })
}

// The events of theme cafés; evolveCafe and Cafe.evolve below fold them.

// RoundsSet records the number of rounds of a theme café.
type RoundsSet struct {
	SessionID SessionID `json:"session_id"`
	Rounds    int       `json:"rounds"`
}

func (RoundsSet) Name() string { return "themecafe.rounds_set.v1" }

func (e RoundsSet) cafe() SessionID { return e.SessionID }

var _ = register[RoundsSet]()

// TableAdded records a new table of a theme café.
type TableAdded struct {
	SessionID SessionID `json:"session_id"`
	Table     Table     `json:"table"`
}

func (TableAdded) Name() string { return "themecafe.table_added.v1" }

func (e TableAdded) cafe() SessionID { return e.SessionID }

var _ = register[TableAdded]()

// TableChanged records a table of a theme café as it is after a change.
type TableChanged struct {
	SessionID SessionID `json:"session_id"`
	Table     Table     `json:"table"`
}

func (TableChanged) Name() string { return "themecafe.table_changed.v1" }

func (e TableChanged) cafe() SessionID { return e.SessionID }

var _ = register[TableChanged]()

// TableRemoved records that a table was taken out of a theme café, with its notes; seats at
// it in a plan become missing seats (TableRemovedReason) until the next plan.
type TableRemoved struct {
	SessionID SessionID `json:"session_id"`
	TableID   TableID   `json:"table_id"`
}

func (TableRemoved) Name() string { return "themecafe.table_removed.v1" }

func (e TableRemoved) cafe() SessionID { return e.SessionID }

var _ = register[TableRemoved]()

// PreferenceCollectionOpened records that participants may rank the tables of a café.
type PreferenceCollectionOpened struct {
	SessionID SessionID `json:"session_id"`
}

func (PreferenceCollectionOpened) Name() string { return "themecafe.preferences_opened.v1" }

func (e PreferenceCollectionOpened) cafe() SessionID { return e.SessionID }

var _ = register[PreferenceCollectionOpened]()

// PreferenceCollectionClosed records that rankings can no longer change.
type PreferenceCollectionClosed struct {
	SessionID SessionID `json:"session_id"`
}

func (PreferenceCollectionClosed) Name() string { return "themecafe.preferences_closed.v1" }

func (e PreferenceCollectionClosed) cafe() SessionID { return e.SessionID }

var _ = register[PreferenceCollectionClosed]()

// PreferencesStated records a participant's ranking of a café's tables, best first; an empty
// ranking withdraws it. It carries a registration id, not personal data.
type PreferencesStated struct {
	SessionID      SessionID      `json:"session_id"`
	RegistrationID RegistrationID `json:"registration_id"`
	Ranking        []TableID      `json:"ranking"`
}

func (PreferencesStated) Name() string { return "themecafe.preferences_stated.v1" }

func (e PreferencesStated) cafe() SessionID { return e.SessionID }

var _ = register[PreferencesStated]()

// RotationPlanned records a rotation plan with its full seating, the result of the planner,
// so that replaying the log never runs the planner again. A new plan is not published.
type RotationPlanned struct {
	SessionID SessionID       `json:"session_id"`
	Seed      uint64          `json:"seed"`
	Plan      RotationPlan    `json:"plan"`
	Quality   RotationQuality `json:"quality"`
}

func (RotationPlanned) Name() string { return "themecafe.rotation_planned.v1" }

func (e RotationPlanned) cafe() SessionID { return e.SessionID }

var _ = register[RotationPlanned]()

// GuestMoved records an organiser's move of one guest to a table in one round, with the
// plan's figures after the move.
type GuestMoved struct {
	SessionID      SessionID       `json:"session_id"`
	RegistrationID RegistrationID  `json:"registration_id"`
	Round          int             `json:"round"`
	TableID        TableID         `json:"table_id"`
	Quality        RotationQuality `json:"quality"`
}

func (GuestMoved) Name() string { return "themecafe.guest_moved.v1" }

func (e GuestMoved) cafe() SessionID { return e.SessionID }

var _ = register[GuestMoved]()

// RotationPublished records that participants may see their routes.
type RotationPublished struct {
	SessionID SessionID `json:"session_id"`
}

func (RotationPublished) Name() string { return "themecafe.rotation_published.v1" }

func (e RotationPublished) cafe() SessionID { return e.SessionID }

var _ = register[RotationPublished]()

// TableNotesRecorded records what a table brought up in a round; it replaces earlier notes of
// that table and round.
type TableNotesRecorded struct {
	SessionID SessionID  `json:"session_id"`
	TableID   TableID    `json:"table_id"`
	Round     int        `json:"round"`
	Notes     TableNotes `json:"notes"`
}

func (TableNotesRecorded) Name() string { return "themecafe.notes_recorded.v1" }

func (e TableNotesRecorded) cafe() SessionID { return e.SessionID }

var _ = register[TableNotesRecorded]()

// evolveCafe applies the events of theme cafés to w (which Evolve has set up). An event about a
// café or table that does not exist changes nothing: Evolve never fails.
func (w Workshop) evolveCafe(e Event) {
	switch e := e.(type) {
	case SessionPlanned:
		w.ensureCafe(e.Session)
	case SessionChanged:
		w.ensureCafe(e.Session)
	case SessionCancelled:
		delete(w.ThemeCafes, e.SessionID)
	case RegistrationCancelled:
		for _, c := range w.ThemeCafes {
			c.dropRegistration(e.RegistrationID)
		}
	case cafeEvent:
		if c, ok := w.ThemeCafes[e.cafe()]; ok {
			c.evolve(e)
		}
	}
}

// cafeEvent is an event about one café.
type cafeEvent interface {
	Event
	cafe() SessionID
}

func (c *Cafe) evolve(e cafeEvent) {
	switch e := e.(type) {
	case RoundsSet:
		c.Rounds = e.Rounds
	case TableAdded:
		c.Tables = append(c.Tables, e.Table)
	case TableChanged:
		if i := c.tableIndex(e.Table.ID); i >= 0 {
			c.Tables[i] = e.Table
		}
	case TableRemoved:
		c.removeTable(e.TableID)
	case PreferenceCollectionOpened:
		c.Collection = CollectionOpen
	case PreferenceCollectionClosed:
		c.Collection = CollectionClosed
	case PreferencesStated:
		if len(e.Ranking) == 0 {
			delete(c.Preferences, e.RegistrationID)
		} else {
			c.Preferences[e.RegistrationID] = slices.Clone(e.Ranking)
		}
	case RotationPlanned:
		p := e.Plan.clone() // the event keeps its own maps: later moves must not change it
		c.Plan, c.PlanSeed, c.Quality, c.Published = &p, e.Seed, e.Quality, false
	case GuestMoved:
		if c.Plan != nil {
			c.Plan.seat(e.RegistrationID, e.Round, e.TableID)
			c.Quality = e.Quality
		}
	case RotationPublished:
		c.Published = true
	case TableNotesRecorded:
		c.Notes[TableRound{e.TableID, e.Round}] = e.Notes.clone()
	case HostLinkIssued:
		if c.tableIndex(e.TableID) >= 0 {
			c.HostLinks[e.TableID] = e.TokenHash
		}
	case HostLinkRevoked:
		delete(c.HostLinks, e.TableID)
	}
}

// ensureCafe gives a theme-café session its café. A session changed to another kind keeps its
// café, unused, so that changing it back loses nothing.
func (w Workshop) ensureCafe(s Session) {
	if _, ok := w.ThemeCafes[s.ID]; !ok && s.Kind == ThemeCafe {
		w.ThemeCafes[s.ID] = newCafe()
	}
}

// dropRegistration frees a cancelled registration's seats, forgets its ranking and takes it
// off the table it hosted. The plan stays valid: freeing a seat breaks no hard rule.
func (c *Cafe) dropRegistration(id RegistrationID) {
	delete(c.Preferences, id)
	for i := range c.Tables {
		if c.Tables[i].Host == id {
			c.Tables[i].Host = ""
		}
	}
	if c.Plan != nil {
		delete(c.Plan.Seats, id)
		c.Plan.Unseated = slices.DeleteFunc(c.Plan.Unseated, func(u Unseated) bool { return u.Guest == id })
	}
}

// removeTable drops a table with its notes, takes it out of every ranking and turns the
// seats at it into missing seats that a re-plan fills.
func (c *Cafe) removeTable(id TableID) {
	c.Tables = slices.DeleteFunc(c.Tables, func(t Table) bool { return t.ID == id })
	for g, ranking := range c.Preferences {
		if ranking = slices.DeleteFunc(ranking, func(t TableID) bool { return t == id }); len(ranking) == 0 {
			delete(c.Preferences, g)
		} else {
			c.Preferences[g] = ranking
		}
	}
	for k := range c.Notes {
		if k.Table == id {
			delete(c.Notes, k)
		}
	}
	delete(c.HostLinks, id)
	if c.Plan == nil {
		return
	}
	for g, seats := range c.Plan.Seats {
		for r, t := range seats {
			if t == id {
				seats[r] = ""
				c.Plan.Unseated = append(c.Plan.Unseated, Unseated{Guest: g, Round: r + 1, Reason: TableRemovedReason})
			}
		}
	}
	slices.SortFunc(c.Plan.Unseated, compareUnseated)
}

func compareUnseated(a, b Unseated) int {
	if a.Round != b.Round {
		return a.Round - b.Round
	}
	switch {
	case a.Guest < b.Guest:
		return -1
	case a.Guest > b.Guest:
		return 1
	}
	return 0
}

// seat puts guest at table in round n (from 1) and drops a missing-seat entry for that round.
func (p *RotationPlan) seat(guest RegistrationID, n int, table TableID) {
	seats := slices.Clone(p.Seats[guest])
	if n < 1 || n > len(seats) {
		return
	}
	seats[n-1] = table
	p.Seats[guest] = seats
	p.Unseated = slices.DeleteFunc(p.Unseated, func(u Unseated) bool { return u.Guest == guest && u.Round == n })
}

func (p RotationPlan) clone() RotationPlan {
	c := RotationPlan{Seats: make(map[RegistrationID][]TableID, len(p.Seats)), Unseated: slices.Clone(p.Unseated)}
	for g, s := range p.Seats {
		c.Seats[g] = slices.Clone(s)
	}
	return c
}

func (n TableNotes) clone() TableNotes {
	return TableNotes{KeyPoints: slices.Clone(n.KeyPoints), Examples: slices.Clone(n.Examples),
		OpenQuestions: slices.Clone(n.OpenQuestions)}
}

func (c *Cafe) clone() *Cafe {
	d := *c
	d.Tables = slices.Clone(c.Tables)
	d.Preferences = make(map[RegistrationID][]TableID, len(c.Preferences))
	for g, r := range c.Preferences {
		d.Preferences[g] = slices.Clone(r)
	}
	if c.Plan != nil {
		p := c.Plan.clone()
		d.Plan = &p
	}
	d.Notes = make(map[TableRound]TableNotes, len(c.Notes))
	for k, n := range c.Notes {
		d.Notes[k] = n.clone()
	}
	d.HostLinks = maps.Clone(c.HostLinks)
	return &d
}

func cloneCafes(cafes map[SessionID]*Cafe) map[SessionID]*Cafe {
	if cafes == nil {
		return nil
	}
	c := make(map[SessionID]*Cafe, len(cafes))
	for k, v := range cafes {
		c[k] = v.clone()
	}
	return c
}
