package domain

import "slices"

// How many seats can a rotation use at most? Seen as a flow, each guest sends up to one visit
// per round, at most one to each table, and table t takes at most rounds*capacity visits. Any
// such choice of visits can be laid out in rounds (König: split table t into capacity copies
// of at most rounds visits each; a bipartite graph of degree <= rounds has a proper
// rounds-edge-colouring, and a colour is a round). So the most seats is a max flow, and the
// minimum cut of this complete bipartite network has a closed form.

// maxSeats is the largest number of (guest, round) seats any valid plan can fill: the minimum
// over m of guests*min(rounds, m) + rounds * (capacity of all but the m largest tables).
func (rot *rotation) maxSeats() int {
	caps := slices.Clone(rot.capacity)
	slices.Sort(caps)
	small := make([]int, len(caps)+1) // small[k]: capacity of the k smallest tables
	for i, c := range caps {
		small[i+1] = small[i] + c
	}
	best := -1
	for m := 0; m <= rot.tables; m++ {
		v := rot.guests*min(rot.rounds, m) + rot.rounds*small[rot.tables-m]
		if best < 0 || v < best {
			best = v
		}
	}
	return best
}

// augmentRound seats as many guests without a seat in round r as the round allows, moving
// seated guests along augmenting paths (a maximum matching of guests to unvisited tables).
func (s *seating) augmentRound(r int) {
	room := 0
	for t := range s.tables {
		room += s.capacity[t] - int(s.load[r*s.tables+t])
	}
	from, via := make([]int32, s.tables), make([]int32, s.tables)
	queue := make([]int, 0, s.tables)
	for g := 0; g < s.guests && room > 0; g++ {
		if s.seat[g*s.rounds+r] < 0 && s.augment(g, r, from, via, queue) {
			room--
		}
	}
}

// augment looks for a chain of moves in round r that frees a seat g may take: g to table t0,
// a guest of t0 to t1, and so on to a table with room. It searches breadth first over tables.
func (s *seating) augment(g, r int, from, via []int32, queue []int) bool {
	for t := range from {
		from[t] = -2
		if !s.visited(g, t, r) {
			from[t], via[t] = -1, int32(g)
			queue = append(queue, t)
		}
	}
	for i := 0; i < len(queue); i++ {
		t := queue[i]
		if s.free(r, t) {
			s.shift(r, t, from, via)
			return true
		}
		for _, h := range s.members[r*s.tables+t] {
			for t2 := range from {
				if from[t2] == -2 && !s.visited(int(h), t2, r) {
					from[t2], via[t2] = int32(t), h
					queue = append(queue, t2)
				}
			}
		}
	}
	return false
}

// shift applies an augmenting chain ending at table t, which has room. A moved guest loses the
// pin of a previous seat: the move was needed to seat someone.
func (s *seating) shift(r, t int, from, via []int32) {
	for t >= 0 {
		h, prev := int(via[t]), int(from[t])
		if prev >= 0 {
			s.unplace(h, r)
		}
		s.place(h, r, t)
		s.pinned[h*s.rounds+r] = false
		t = prev
	}
}

// reseat lays out every visit afresh when filling round by round used fewer seats than the
// tables allow. It keeps which tables each guest visits, adds visits along augmenting paths
// up to maxSeats, and assigns rounds by edge colouring. Previous seats are not kept.
func (s *seating) reseat() *seating {
	v, most := s.visitsOf(), s.maxSeats()
	// A guest without an augmenting path never gets one later, so one pass suffices.
	for g := 0; g < s.guests && v.total < most; g++ {
		for v.deg[g] < s.rounds && v.total < most && v.augment(g) {
		}
	}
	return v.colour()
}

// visits is a choice of tables per guest without rounds: a b-matching of guests (up to rounds
// tables each) and tables (up to rounds*capacity guests each).
type visits struct {
	*rotation
	have  []bool // guest*tables+table
	deg   []int  // guest -> tables visited
	tdeg  []int  // table -> visitors
	total int
}

func (s *seating) visitsOf() *visits {
	v := &visits{rotation: s.rotation, have: make([]bool, s.guests*s.tables),
		deg: make([]int, s.guests), tdeg: make([]int, s.tables)}
	for g := range s.guests {
		for r := range s.rounds {
			if t := int(s.seat[g*s.rounds+r]); t >= 0 {
				v.have[g*s.tables+t] = true
				v.deg[g]++
				v.tdeg[t]++
				v.total++
			}
		}
	}
	return v
}

// augment adds one visit for g, possibly by letting other guests trade a table for another.
func (v *visits) augment(g int) bool {
	from, via := make([]int, v.tables), make([]int, v.tables)
	var queue []int
	for t := range from {
		from[t] = -2
		if !v.have[g*v.tables+t] {
			from[t], via[t] = -1, g
			queue = append(queue, t)
		}
	}
	for i := 0; i < len(queue); i++ {
		t := queue[i]
		if v.tdeg[t] < v.rounds*v.capacity[t] {
			v.apply(t, from, via)
			return true
		}
		for h := range v.guests {
			if !v.have[h*v.tables+t] {
				continue
			}
			for t2 := range from {
				if from[t2] == -2 && !v.have[h*v.tables+t2] {
					from[t2], via[t2] = t, h
					queue = append(queue, t2)
				}
			}
		}
	}
	return false
}

func (v *visits) apply(t int, from, via []int) {
	v.tdeg[t]++
	v.total++
	for t >= 0 {
		h, prev := via[t], from[t]
		v.have[h*v.tables+t] = true
		if prev >= 0 {
			v.have[h*v.tables+prev] = false
		} else {
			v.deg[h]++
		}
		t = prev
	}
}

// colour assigns each visit a round: table t is split into copies of at most rounds visits
// (at most capacity copies), and the guest-copy graph is edge-coloured with rounds colours by
// flipping alternating paths.
func (v *visits) colour() *seating {
	R := v.rounds
	var copyTable []int
	type edge struct{ guest, copy int }
	var edges []edge
	for t := range v.tables {
		k := 0
		for g := range v.guests {
			if v.have[g*v.tables+t] {
				if k%R == 0 {
					copyTable = append(copyTable, t)
				}
				edges = append(edges, edge{g, v.guests + len(copyTable) - 1})
				k++
			}
		}
	}
	at := make([]int32, (v.guests+len(copyTable))*R)
	for i := range at {
		at[i] = -1
	}
	free := func(x int) int { return slices.Index(at[x*R:(x+1)*R], -1) }
	for _, e := range edges {
		a, b := free(e.guest), free(e.copy)
		if at[e.copy*R+a] >= 0 {
			flip(at, R, e.copy, a, b)
		}
		at[e.guest*R+a], at[e.copy*R+a] = int32(e.copy), int32(e.guest)
	}
	s := v.newSeating()
	for g := range v.guests {
		for r := range R {
			if c := at[g*R+r]; c >= 0 {
				s.place(g, r, copyTable[int(c)-v.guests])
			}
		}
	}
	return s
}

// flip swaps colours a and b along the alternating path that starts at x with colour a.
func flip(at []int32, R, x, a, b int) {
	path := []int{x}
	for c := a; at[x*R+c] >= 0; c = a + b - c {
		x = int(at[x*R+c])
		path = append(path, x)
	}
	colourOf := func(i int, swapped bool) int {
		if (i%2 == 0) != swapped {
			return a
		}
		return b
	}
	for i := 0; i+1 < len(path); i++ {
		c := colourOf(i, false)
		at[path[i]*R+c], at[path[i+1]*R+c] = -1, -1
	}
	for i := 0; i+1 < len(path); i++ {
		c := colourOf(i, true)
		at[path[i]*R+c], at[path[i+1]*R+c] = int32(path[i+1]), int32(path[i])
	}
}
