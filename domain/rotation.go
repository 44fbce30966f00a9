package domain

import (
	"fmt"
	"slices"
)

// A theme café is a session of several tables running in parallel, each with a topic and a
// host who stays at the table, while participants move between tables in rounds. This file
// holds the vocabulary and the entry points of the rotation planner; rotation_*.go hold the
// search behind PlanRotation.

// TableID identifies a table of a theme café.
type TableID string

// RotationTable is a table of a theme café. Capacity counts the seats for visitors in one
// round, without the host. Host is the registration hosting the table, or "" for a host who is
// not a participant (a named guest).
type RotationTable struct {
	ID       TableID        `json:"id"`
	Capacity int            `json:"capacity"`
	Host     RegistrationID `json:"host,omitempty"`
}

// RotationGuest is a participant confirmed for the day of the café. Ranking lists the tables
// the guest would like to visit, best first; it may be empty.
type RotationGuest struct {
	ID           RegistrationID `json:"id"`
	Organisation string         `json:"organisation,omitempty"`
	Ranking      []TableID      `json:"ranking,omitempty"`
}

// RotationInput is what the planner plans from. Guests listed as the host of a table stay at
// that table and are not seated elsewhere. Seed makes the plan reproducible: the same input
// and seed give the same plan. Previous, when given, is a plan made before registrations
// changed: the new plan keeps its seats wherever the hard rules allow.
type RotationInput struct {
	Tables   []RotationTable `json:"tables"`
	Rounds   int             `json:"rounds"`
	Guests   []RotationGuest `json:"guests"`
	Seed     uint64          `json:"seed"`
	Previous *RotationPlan   `json:"previous,omitempty"`
}

// RotationPlan says where every guest sits in every round. Seats[guest][n-1] is the guest's
// table in round n, or "" when the guest has no seat in that round; Unseated then says why.
// Hosts do not appear in Seats. Round numbers count from 1 everywhere in this API.
type RotationPlan struct {
	Seats    map[RegistrationID][]TableID `json:"seats"`
	Unseated []Unseated                   `json:"unseated,omitempty"`
}

// Unseated is a guest who could not be seated in a round, and why.
type Unseated struct {
	Guest  RegistrationID `json:"guest"`
	Round  int            `json:"round"`
	Reason UnseatedReason `json:"reason"`
}

// UnseatedReason explains a missing seat in terms an organiser can act on.
type UnseatedReason string

const (
	// RoundFull: the round has fewer seats than guests.
	RoundFull UnseatedReason = "round_full"
	// TablesExhausted: there are more rounds than tables the guest could still visit.
	TablesExhausted UnseatedReason = "tables_exhausted"
	// NoUnvisitedSeat: there are seats, but not at tables the guest has not visited yet; the
	// remaining seats are at tables too small for everyone to visit them.
	NoUnvisitedSeat UnseatedReason = "no_unvisited_seat"
)

// Rules of a rotation plan that a move by hand or Check may break. All are of class ErrConflict.
var (
	ErrTableFull    = newRule("table-full", "the table is full in that round", ErrConflict)
	ErrTableVisited = newRule("table-visited", "the participant visits that table in another round", ErrConflict)
	ErrHostSeated   = newRule("host-seated", "a host stays at their table and is not seated elsewhere", ErrConflict)
	ErrSeatMissing  = newRule("seat-missing", "a participant has no seat although the tables have room for everyone", ErrConflict)
)

// PlanRotation plans who sits at which table in every round. It never breaks a hard rule: no
// table over capacity, no table visited twice, hosts stay put, and everyone is seated in every
// round as far as the tables allow. Within those rules it favours, in this order, the tables
// guests ranked highest, spreading organisations, new people to meet, and even table sizes.
// With in.Previous it keeps previous seats unless a hard rule needs them changed. It returns
// FieldErrors (ErrInvalid) for malformed input.
func PlanRotation(in RotationInput) (RotationPlan, error) {
	rot, err := newRotation(in)
	if err != nil {
		return RotationPlan{}, err
	}
	s := rot.plan()
	return s.result(), nil
}

// GreedyRotation is the simple baseline PlanRotation is measured against: round by round,
// each guest in input order takes the best-ranked table with room that they have not visited,
// else the first such table in input order. It ignores in.Previous. Input is assumed valid
// (see PlanRotation); an invalid one gives an empty plan.
func GreedyRotation(in RotationInput) RotationPlan {
	rot, err := newRotation(in)
	if err != nil {
		return RotationPlan{}
	}
	return rot.greedy().result()
}

// greedyTable is the table the greedy baseline gives guest g in round r, or -1.
func (rot *rotation) greedyTable(s *seating, g, r int) int {
	for _, t := range rot.ranking[g] {
		if s.free(r, t) && !s.visited(g, t, -1) {
			return t
		}
	}
	for t := range rot.tables {
		if s.free(r, t) && !s.visited(g, t, -1) {
			return t
		}
	}
	return -1
}

// Round returns who sits at each table in round n (from 1), each list sorted by id.
func (p RotationPlan) Round(n int) map[TableID][]RegistrationID {
	at := map[TableID][]RegistrationID{}
	for g, seats := range p.Seats {
		if n >= 1 && n <= len(seats) && seats[n-1] != "" {
			at[seats[n-1]] = append(at[seats[n-1]], g)
		}
	}
	for _, guests := range at {
		slices.Sort(guests)
	}
	return at
}

// Move seats guest at table to in round n (from 1), as an organiser does by hand. It refuses a
// move that breaks a hard rule (ErrTableFull, ErrTableVisited, ErrHostSeated) and returns a new
// plan; p is not changed.
func (p RotationPlan) Move(in RotationInput, guest RegistrationID, n int, to TableID) (RotationPlan, error) {
	rot, err := newRotation(in)
	if err != nil {
		return p, err
	}
	var fe FieldErrors
	if n < 1 || n > in.Rounds {
		fe.add("round", CodeOutOfRange, fmt.Sprintf("must be between 1 and %d", in.Rounds))
	}
	t, ok := rot.tableIndex[to]
	if !ok {
		fe.add("table", CodeNotATable, fmt.Sprintf("%q is not a table of this café", to))
	}
	if err := fe.err(); err != nil {
		return p, err
	}
	if rot.hostOf[guest] {
		return p, ErrHostSeated
	}
	seats, ok := p.Seats[guest]
	if !ok || len(seats) != in.Rounds {
		return p, ErrRegistrationNotFound
	}
	if seats[n-1] == to {
		return p, nil
	}
	if i := slices.Index(seats, to); i >= 0 {
		return p, fmt.Errorf("%w: %s in round %d", ErrTableVisited, to, i+1)
	}
	if len(p.Round(n)[to]) >= rot.capacity[t] {
		return p, fmt.Errorf("%w: %s has %d seats", ErrTableFull, to, rot.capacity[t])
	}
	next := RotationPlan{Seats: make(map[RegistrationID][]TableID, len(p.Seats))}
	for g, s := range p.Seats {
		next.Seats[g] = s
	}
	moved := slices.Clone(seats)
	moved[n-1] = to
	next.Seats[guest] = moved
	next.Unseated = slices.DeleteFunc(slices.Clone(p.Unseated), func(u Unseated) bool {
		return u.Guest == guest && u.Round == n
	})
	return next, nil
}

// Check verifies every hard rule of p for in: each guest has a seat or an Unseated entry in
// every round and nothing else, tables exist and are not over capacity, no guest visits a table
// twice, hosts are not seated, and as many seats are used as the tables allow. Callers use it
// after moves by hand; tests use it on every plan.
func (p RotationPlan) Check(in RotationInput) error {
	rot, err := newRotation(in)
	if err != nil {
		return err
	}
	for id := range p.Seats {
		if rot.hostOf[id] {
			return fmt.Errorf("%w: %s", ErrHostSeated, id)
		}
		if _, ok := rot.guestIndex[id]; !ok {
			return fmt.Errorf("%w: %s is seated but not a guest", ErrConflict, id)
		}
	}
	s, err := rot.seatingOf(p)
	if err != nil {
		return err
	}
	missing := map[Unseated]bool{}
	for g, id := range rot.guestIDs {
		for r := range rot.rounds {
			if s.seat[g*rot.rounds+r] < 0 {
				missing[Unseated{Guest: id, Round: r + 1}] = true
			}
		}
	}
	for _, u := range p.Unseated {
		if !missing[Unseated{Guest: u.Guest, Round: u.Round}] {
			return fmt.Errorf("%w: %s is listed as unseated in round %d but is seated or unknown", ErrConflict, u.Guest, u.Round)
		}
		delete(missing, Unseated{Guest: u.Guest, Round: u.Round})
	}
	for u := range missing {
		return fmt.Errorf("%w: %s has no seat in round %d and no reason", ErrConflict, u.Guest, u.Round)
	}
	if seated, most := s.seated(), rot.maxSeats(); seated < most {
		return fmt.Errorf("%w: %d of %d possible seats used", ErrSeatMissing, seated, most)
	}
	return nil
}

// seatingOf rebuilds the search state from a plan, refusing seats that break a hard rule.
func (rot *rotation) seatingOf(p RotationPlan) (*seating, error) {
	s := rot.newSeating()
	for g, id := range rot.guestIDs {
		seats, ok := p.Seats[id]
		if !ok || len(seats) != rot.rounds {
			return nil, fmt.Errorf("%w: %s needs a seat or \"\" for each of %d rounds", ErrConflict, id, rot.rounds)
		}
		for r, tid := range seats {
			if tid == "" {
				continue
			}
			t, ok := rot.tableIndex[tid]
			switch {
			case !ok:
				return nil, fmt.Errorf("%w: %s sits at unknown table %q", ErrConflict, id, tid)
			case s.visited(g, t, r):
				return nil, fmt.Errorf("%w: %s at %s", ErrTableVisited, id, tid)
			case !s.free(r, t):
				return nil, fmt.Errorf("%w: %s in round %d", ErrTableFull, tid, r+1)
			}
			s.place(g, r, t)
		}
	}
	return s, nil
}
