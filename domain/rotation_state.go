package domain

import (
	"fmt"
	"slices"
)

// rotation is a validated RotationInput indexed for the search: tables and guests are
// numbered, organisations too, and preferences are a cost per guest and table.
type rotation struct {
	in         RotationInput
	rounds     int
	tables     int
	guests     int // guests to seat: hosts are not among them
	capacity   []int
	tableIndex map[TableID]int
	hostOf     map[RegistrationID]bool
	guestIDs   []RegistrationID // guest number -> id, in input order
	guestIndex map[RegistrationID]int
	ranking    [][]int // guest -> ranked tables, best first
	cost       []int32 // guest*tables+table -> preference cost, 0 for a first choice
	org        []int32 // guest -> organisation number, -1 for none
	orgs       int
	hostOrg    []int32 // table -> organisation of its host when the host is a guest, else -1
}

// newRotation validates in and indexes it.
func newRotation(in RotationInput) (*rotation, error) {
	rot := &rotation{in: in, rounds: in.Rounds, tables: len(in.Tables),
		tableIndex: map[TableID]int{}, hostOf: map[RegistrationID]bool{}, guestIndex: map[RegistrationID]int{}}
	var fe FieldErrors
	if in.Rounds < 1 {
		fe.add("rounds", CodeOutOfRange, "must be at least 1")
	}
	if len(in.Tables) == 0 {
		fe.add("tables", CodeTooFew, "must name at least one table")
	}
	rot.indexTables(&fe)
	rot.indexGuests(&fe)
	if err := fe.err(); err != nil {
		return nil, err
	}
	return rot, nil
}

func (rot *rotation) indexTables(fe *FieldErrors) {
	for i, t := range rot.in.Tables {
		field := fmt.Sprintf("tables[%d]", i)
		if _, dup := rot.tableIndex[t.ID]; dup || t.ID == "" {
			fe.add(field+".id", CodeNamedTwice, fmt.Sprintf("%q is empty or named twice", t.ID))
		}
		if t.Capacity < 1 {
			fe.add(field+".capacity", CodeOutOfRange, "must be at least 1")
		}
		if t.Host != "" && rot.hostOf[t.Host] {
			fe.add(field+".host", CodeAlreadyHosting, fmt.Sprintf("%s already hosts another table", t.Host))
		}
		rot.tableIndex[t.ID] = i
		rot.capacity = append(rot.capacity, t.Capacity)
		if t.Host != "" {
			rot.hostOf[t.Host] = true
		}
	}
}

func (rot *rotation) indexGuests(fe *FieldErrors) {
	orgIndex := map[string]int32{}
	orgOf := func(name string) int32 {
		if name == "" {
			return -1
		}
		if _, ok := orgIndex[name]; !ok {
			orgIndex[name] = int32(len(orgIndex))
		}
		return orgIndex[name]
	}
	hostOrgs := map[RegistrationID]int32{}
	seen := map[RegistrationID]bool{}
	for i, g := range rot.in.Guests {
		field := fmt.Sprintf("guests[%d]", i)
		if seen[g.ID] || g.ID == "" {
			fe.add(field+".id", CodeNamedTwice, fmt.Sprintf("%q is empty or named twice", g.ID))
		}
		seen[g.ID] = true
		ranking := rot.checkRanking(fe, field, g.Ranking)
		if rot.hostOf[g.ID] {
			hostOrgs[g.ID] = orgOf(g.Organisation)
			continue
		}
		rot.guestIndex[g.ID] = len(rot.guestIDs)
		rot.guestIDs = append(rot.guestIDs, g.ID)
		rot.ranking = append(rot.ranking, ranking)
		rot.org = append(rot.org, orgOf(g.Organisation))
	}
	rot.guests = len(rot.guestIDs)
	rot.hostOrg = make([]int32, rot.tables)
	for t, table := range rot.in.Tables {
		rot.hostOrg[t] = -1
		if o, ok := hostOrgs[table.Host]; ok && table.Host != "" {
			rot.hostOrg[t] = o
		}
	}
	rot.orgs = len(orgIndex)
	rot.cost = make([]int32, rot.guests*rot.tables)
	for g, ranking := range rot.ranking {
		for t := range rot.tables {
			rot.cost[g*rot.tables+t] = rankCost(slices.Index(ranking, t), len(ranking))
		}
	}
}

func (rot *rotation) checkRanking(fe *FieldErrors, field string, ranking []TableID) []int {
	out := make([]int, 0, len(ranking))
	for _, id := range ranking {
		t, ok := rot.tableIndex[id]
		switch {
		case !ok:
			fe.add(field+".ranking", CodeNotATable, fmt.Sprintf("%q is not a table of this café", id))
		case slices.Contains(out, t):
			fe.add(field+".ranking", CodeNamedTwice, fmt.Sprintf("%q is ranked twice", id))
		default:
			out = append(out, t)
		}
	}
	return out
}

// rankCost is the preference cost of a table at rank i (from 0; -1 when unranked). A first
// choice is worth markedly more than the step between later ones, because what guests notice
// is whether they got the table they asked for.
func rankCost(i, ranked int) int32 {
	switch {
	case ranked == 0:
		return 0
	case i < 0:
		return int32(ranked) + 3
	case i == 0:
		return 0
	default:
		return int32(i) + 2
	}
}

// seating is a (partial) plan under search: which table each guest has in each round, and the
// counts the objective needs, kept up to date by place and unplace.
type seating struct {
	*rotation
	seat    []int32   // guest*rounds+round -> table, -1 when unseated
	pos     []int32   // guest*rounds+round -> index in members
	load    []int32   // round*tables+table -> seated visitors
	members [][]int32 // round*tables+table -> guests
	orgN    []int32   // (round*tables+table)*orgs+org -> guests and host of that organisation
	pinned  []bool    // guest*rounds+round -> a seat kept from the previous plan
	bounds  *bounds   // set during a search that may not make any figure worse
}

func (rot *rotation) newSeating() *seating {
	cells := rot.rounds * rot.tables
	s := &seating{rotation: rot,
		seat: make([]int32, rot.guests*rot.rounds), pos: make([]int32, rot.guests*rot.rounds),
		load: make([]int32, cells), members: make([][]int32, cells),
		orgN: make([]int32, cells*rot.orgs), pinned: make([]bool, rot.guests*rot.rounds)}
	for i := range s.seat {
		s.seat[i] = -1
	}
	for r := range rot.rounds {
		for t, o := range rot.hostOrg {
			if o >= 0 {
				s.orgN[(r*rot.tables+t)*rot.orgs+int(o)]++
			}
		}
	}
	return s
}

func (s *seating) free(r, t int) bool { return int(s.load[r*s.tables+t]) < s.capacity[t] }

// visited reports whether guest g sits at table t in a round other than except.
func (s *seating) visited(g, t, except int) bool {
	for r := range s.rounds {
		if r != except && int(s.seat[g*s.rounds+r]) == t {
			return true
		}
	}
	return false
}

func (s *seating) place(g, r, t int) {
	c := r*s.tables + t
	s.seat[g*s.rounds+r] = int32(t)
	s.pos[g*s.rounds+r] = int32(len(s.members[c]))
	s.members[c] = append(s.members[c], int32(g))
	s.load[c]++
	if o := s.org[g]; o >= 0 {
		s.orgN[c*s.orgs+int(o)]++
	}
}

func (s *seating) unplace(g, r int) {
	t := int(s.seat[g*s.rounds+r])
	c := r*s.tables + t
	m, i := s.members[c], s.pos[g*s.rounds+r]
	last := m[len(m)-1]
	m[i] = last
	s.pos[int(last)*s.rounds+r] = i
	s.members[c] = m[:len(m)-1]
	s.load[c]--
	if o := s.org[g]; o >= 0 {
		s.orgN[c*s.orgs+int(o)]--
	}
	s.seat[g*s.rounds+r] = -1
}

func (s *seating) seated() int {
	n := 0
	for _, t := range s.seat {
		if t >= 0 {
			n++
		}
	}
	return n
}

// result turns the seating into a plan, explaining every missing seat.
func (s *seating) result() RotationPlan {
	p := RotationPlan{Seats: make(map[RegistrationID][]TableID, s.guests)}
	for g, id := range s.guestIDs {
		seats := make([]TableID, s.rounds)
		for r := range s.rounds {
			if t := s.seat[g*s.rounds+r]; t >= 0 {
				seats[r] = s.in.Tables[t].ID
			}
		}
		p.Seats[id] = seats
	}
	seats := 0
	for _, c := range s.capacity {
		seats += c
	}
	for r := range s.rounds {
		for g, id := range s.guestIDs {
			if s.seat[g*s.rounds+r] < 0 {
				p.Unseated = append(p.Unseated, Unseated{Guest: id, Round: r + 1, Reason: s.reason(g, seats)})
			}
		}
	}
	return p
}

func (s *seating) reason(g, seats int) UnseatedReason {
	visits := 0
	for r := range s.rounds {
		if s.seat[g*s.rounds+r] >= 0 {
			visits++
		}
	}
	switch {
	case visits >= s.tables:
		return TablesExhausted
	case s.guests > seats:
		return RoundFull
	default:
		return NoUnvisitedSeat
	}
}
