package domain

import (
	"math/rand/v2"
	"slices"
)

// Weights of the objective PlanRotation minimises. They are far apart so that the goals hold
// in the order: a preference step outweighs any spread of organisations, which
// outweighs repeated meetings, which outweigh uneven tables. A missing seat outweighs all.
const (
	weightSeat = 1e12
	weightPref = 1e6
	weightOrg  = 1e3
	weightMeet = 10
	weightFill = 1
)

// searchSteps is the local search budget per seat to fill. It keeps the large case (2,000
// guests, 40 tables, 4 rounds) well under its two seconds; small cafés get a floor.
const (
	searchSteps    = 60
	searchStepsMin = 5000
)

// plan runs the planner: keep previous seats, fill the rest round by round, make sure every
// seat the tables allow is used, then improve by local search.
func (rot *rotation) plan() *seating {
	rng := rand.New(rand.NewPCG(rot.in.Seed, 0x7e57ab1e))
	s := rot.newSeating()
	s.keepPrevious()
	s.fill(rng)
	if s.seated() < rot.maxSeats() {
		s = s.reseat() // rare: round by round painted itself into a corner
	}
	budget := searchStepsMin + searchSteps*rot.guests*rot.rounds
	s.improve(rng, budget)
	return rot.boundedByGreedy(s, rng, budget)
}

// keepPrevious seats guests where the previous plan had them, as far as that plan is still
// valid, and pins those seats so that the search leaves them alone.
func (s *seating) keepPrevious() {
	if s.in.Previous == nil {
		return
	}
	for g, id := range s.guestIDs {
		seats := s.in.Previous.Seats[id]
		for r := 0; r < len(seats) && r < s.rounds; r++ {
			t, ok := s.tableIndex[seats[r]]
			if !ok || s.visited(g, t, r) || !s.free(r, t) {
				continue
			}
			s.place(g, r, t)
			s.pinned[g*s.rounds+r] = true
		}
	}
}

// fill seats every guest without a seat round by round at the cheapest table with room, those
// with fewer seats so far first, then uses augmenting paths to seat whoever is left.
func (s *seating) fill(rng *rand.Rand) {
	order := rng.Perm(s.guests)
	seatsOf := make([]int, s.guests)
	for r := range s.rounds {
		slices.SortStableFunc(order, func(a, b int) int { return seatsOf[a] - seatsOf[b] })
		for _, g := range order {
			if s.seat[g*s.rounds+r] < 0 {
				if t := s.cheapest(g, r); t >= 0 {
					s.place(g, r, t)
				}
			}
		}
		s.augmentRound(r)
		for g := range seatsOf {
			if s.seat[g*s.rounds+r] >= 0 {
				seatsOf[g]++
			}
		}
	}
}

// cheapest is the table with room in round r that g has not visited and where g's presence
// costs least, leaving repeated meetings to the search; -1 when there is none.
func (s *seating) cheapest(g, r int) int {
	best, bestCost := -1, 0.0
	for t := range s.tables {
		if !s.free(r, t) || s.visited(g, t, r) {
			continue
		}
		c := weightPref*float64(s.cost[g*s.tables+t]) + weightFill*s.fillCost(r, t, -1, -1)
		if o := s.org[g]; o >= 0 {
			c += weightOrg * float64(s.orgN[(r*s.tables+t)*s.orgs+int(o)])
		}
		if best < 0 || c < bestCost {
			best, bestCost = t, c
		}
	}
	return best
}

// effect is what guest g sitting at table t in round r adds to the plan, counted against the
// others at t but neither g itself nor skip (the partner of a swap). t = -1 is no seat.
type effect struct {
	seated bool
	cost   int32   // preference cost
	choice int     // ChoiceShare index
	org    int     // others of g's organisation at the table, host included
	met    int     // sum over the others of rounds already shared with g elsewhere
	repeat int     // others met in exactly one other round: the pair becomes a repeat
	fill   float64 // growth of the sum of squared fill shares
}

// value is the effect's share of the objective. A pair meeting k times costs k(k-1)/2, so
// joining adds the rounds already shared with each guest there.
func (e effect) value() float64 {
	if !e.seated {
		return weightSeat
	}
	return weightPref*float64(e.cost) + weightOrg*float64(e.org) + weightMeet*float64(e.met) + weightFill*e.fill
}

func (s *seating) effect(g, r, t, skip int) effect {
	if t < 0 {
		return effect{}
	}
	e := effect{seated: true, cost: s.cost[g*s.tables+t], choice: choice(s.ranking[g], t),
		fill: s.fillCost(r, t, g, skip)}
	cell := r*s.tables + t
	if o := s.org[g]; o >= 0 {
		e.org = int(s.orgN[cell*s.orgs+int(o)])
		if int(s.seat[g*s.rounds+r]) == t {
			e.org--
		}
		if skip >= 0 && s.org[skip] == o && int(s.seat[skip*s.rounds+r]) == t {
			e.org--
		}
	}
	for _, x := range s.members[cell] {
		if int(x) != g && int(x) != skip {
			k := s.together(g, int(x), r)
			e.met += k
			if k == 1 {
				e.repeat++
			}
		}
	}
	return e
}

// fillCost is the growth of the sum of squared fill shares when one more guest joins table t
// in round r, not counting g and skip if they sit there.
func (s *seating) fillCost(r, t, g, skip int) float64 {
	l := int(s.load[r*s.tables+t])
	for _, x := range [2]int{g, skip} {
		if x >= 0 && int(s.seat[x*s.rounds+r]) == t {
			l--
		}
	}
	c := float64(s.capacity[t])
	return float64(2*l+1) / (c * c)
}

// together counts the rounds other than r in which g and x share a table.
func (s *seating) together(g, x, r int) int {
	gs, xs := s.seat[g*s.rounds:(g+1)*s.rounds], s.seat[x*s.rounds:(x+1)*s.rounds]
	n := 0
	for i, t := range gs {
		if i != r && t >= 0 && t == xs[i] {
			n++
		}
	}
	return n
}

// moveChange is the change of the objective and of the figures if g moved to table to in round r.
func (s *seating) moveChange(g, r, to int) (float64, figures) {
	from := s.effect(g, r, int(s.seat[g*s.rounds+r]), -1)
	into := s.effect(g, r, to, -1)
	var f figures
	f.add(into, 1)
	f.add(from, -1)
	return into.value() - from.value(), f
}

// swapChange is the change if g and h, at different tables in round r, swapped seats.
func (s *seating) swapChange(g, h, r int) (float64, figures) {
	a, b := int(s.seat[g*s.rounds+r]), int(s.seat[h*s.rounds+r])
	effects := [4]effect{s.effect(g, r, b, h), s.effect(h, r, a, g), s.effect(g, r, a, -1), s.effect(h, r, b, -1)}
	var f figures
	d := 0.0
	for i, e := range effects {
		sign := 1 - 2*(i/2)
		f.add(e, sign)
		d += float64(sign) * e.value()
	}
	return d, f
}

func (s *seating) move(g, r, to int) {
	if s.seat[g*s.rounds+r] >= 0 {
		s.unplace(g, r)
	}
	if to >= 0 {
		s.place(g, r, to)
	}
}

// improve is a local search of budget steps. Each step picks a guest and a round and tries
// one of: a table the guest ranks higher or any other table (taking a free seat, swapping with
// a guest there, or pushing that guest to a free seat), or exchanging the guest's tables of
// two rounds. Steps that do not make the plan worse are kept.
func (s *seating) improve(rng *rand.Rand, budget int) {
	if s.guests == 0 {
		return
	}
	for range budget {
		g, r := rng.IntN(s.guests), rng.IntN(s.rounds)
		if s.pinned[g*s.rounds+r] {
			continue
		}
		kind := rng.IntN(10)
		if kind < 2 && s.rounds > 1 {
			s.tryRounds(g, r, rng.IntN(s.rounds))
			continue
		}
		t := rng.IntN(s.tables)
		if kind < 6 && len(s.ranking[g]) > 0 {
			t = s.ranking[g][rng.IntN(min(len(s.ranking[g]), s.rounds+2))]
		}
		s.tryTable(rng, g, r, t)
	}
}

// tryTable tries to bring g to table t in round r.
func (s *seating) tryTable(rng *rand.Rand, g, r, t int) {
	a := int(s.seat[g*s.rounds+r])
	if t == a || s.visited(g, t, r) {
		return
	}
	if s.free(r, t) {
		if d, f := s.moveChange(g, r, t); s.acceptable(d, f) {
			s.move(g, r, t)
			s.settle(f, true, func() { s.move(g, r, a) })
		}
		return
	}
	m := s.members[r*s.tables+t]
	h := int(m[rng.IntN(len(m))])
	if s.pinned[h*s.rounds+r] {
		return
	}
	if a >= 0 && !s.visited(h, a, r) {
		if d, f := s.swapChange(g, h, r); s.acceptable(d, f) {
			s.unplace(g, r)
			s.unplace(h, r)
			s.place(g, r, t)
			s.place(h, r, a)
			s.settle(f, false, nil)
		}
		return
	}
	s.tryPush(rng, g, h, r, t)
}

// tryPush moves h from table t to a free seat elsewhere and g into h's seat.
func (s *seating) tryPush(rng *rand.Rand, g, h, r, t int) {
	t2 := rng.IntN(s.tables)
	if t2 == t || !s.free(r, t2) || s.visited(h, t2, r) {
		return
	}
	a := int(s.seat[g*s.rounds+r])
	d, f := s.moveChange(h, r, t2)
	s.move(h, r, t2)
	d2, f2 := s.moveChange(g, r, t)
	if f.plus(f2); s.acceptable(d+d2, f) {
		s.move(g, r, t)
		s.settle(f, true, func() { s.move(g, r, a); s.move(h, r, t) })
		return
	}
	s.move(h, r, t)
}

// tryRounds exchanges g's tables of rounds r1 and r2 when both have room for it.
func (s *seating) tryRounds(g, r1, r2 int) {
	a, b := int(s.seat[g*s.rounds+r1]), int(s.seat[g*s.rounds+r2])
	if r1 == r2 || a < 0 || b < 0 || s.pinned[g*s.rounds+r2] || !s.free(r1, b) || !s.free(r2, a) {
		return
	}
	d, f := s.moveChange(g, r1, b)
	s.move(g, r1, b)
	d2, f2 := s.moveChange(g, r2, a)
	if f.plus(f2); s.acceptable(d+d2, f) {
		s.move(g, r2, a)
		s.settle(f, true, func() { s.move(g, r2, b); s.move(g, r1, a) })
		return
	}
	s.move(g, r1, a)
}
