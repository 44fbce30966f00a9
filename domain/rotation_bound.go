package domain

import "math/rand/v2"

// The objective weighs the goals lexicographically, which can trade a lower goal for a higher
// one: more first choices for more repeated meetings, say. The issue wants a plan at least as
// good as the greedy baseline on every figure, so when the search result is not, the planner
// starts again from the greedy plan and improves it without letting any figure get worse.

// figures are the counts behind RotationQuality that the bounded search keeps up to date.
type figures struct {
	visits   int
	choices  [3]int // visits at a first choice, at a first or second, at one of the first three
	orgPairs int
	repeats  int
}

func (f *figures) add(e effect, sign int) {
	if !e.seated {
		return
	}
	f.visits += sign
	for i := range f.choices {
		if e.choice <= i {
			f.choices[i] += sign
		}
	}
	f.orgPairs += sign * e.org
	f.repeats += sign * e.repeat
}

func (f *figures) plus(o figures) {
	f.visits += o.visits
	for i := range f.choices {
		f.choices[i] += o.choices[i]
	}
	f.orgPairs += o.orgPairs
	f.repeats += o.repeats
}

// within reports whether f is no worse than bound on any figure.
func (f figures) within(bound figures) bool {
	for i := range f.choices {
		if f.choices[i] < bound.choices[i] {
			return false
		}
	}
	return f.visits >= bound.visits && f.orgPairs <= bound.orgPairs && f.repeats <= bound.repeats
}

// bounds holds the figures a bounded search may not make worse, and the current ones.
type bounds struct {
	limit     figures
	now       figures
	fillRange float64
}

// figures counts the figures of the seating from scratch.
func (s *seating) figures() figures {
	var f figures
	for g := range s.guests {
		for r := range s.rounds {
			if t := int(s.seat[g*s.rounds+r]); t >= 0 {
				f.add(effect{seated: true, choice: choice(s.ranking[g], t)}, 1)
			}
		}
	}
	for _, n := range s.orgN {
		f.orgPairs += int(n) * int(n-1) / 2
	}
	f.repeats = s.meetRepeats()
	return f
}

// fillRange returns the lowest and highest share of seats taken at a table in a round.
func (s *seating) fillRange() (lo, hi float64) {
	lo = 1
	for c, l := range s.load {
		fill := float64(l) / float64(s.capacity[c%s.tables])
		lo, hi = min(lo, fill), max(hi, fill)
	}
	return lo, hi
}

// acceptable reports whether a step that changes the objective by d and the figures by f may
// be taken: it must not make the plan worse, nor, in a bounded search, break a bound.
func (s *seating) acceptable(d float64, f figures) bool {
	if d >= 1e-9 {
		return false
	}
	if s.bounds == nil {
		return true
	}
	next := s.bounds.now
	next.plus(f)
	return next.within(s.bounds.limit)
}

// settle books a step just taken. In a bounded search a step that changed table sizes beyond
// the allowed fill range is taken back with undo.
func (s *seating) settle(f figures, resized bool, undo func()) {
	if s.bounds == nil {
		return
	}
	if resized {
		if lo, hi := s.fillRange(); hi-lo > s.bounds.fillRange+1e-9 {
			undo()
			return
		}
	}
	s.bounds.now.plus(f)
}

// greedy is the seating of the greedy baseline.
func (rot *rotation) greedy() *seating {
	s := rot.newSeating()
	for r := range rot.rounds {
		for g := range rot.guests {
			if t := rot.greedyTable(s, g, r); t >= 0 {
				s.place(g, r, t)
			}
		}
	}
	return s
}

// boundedByGreedy returns s, or, when s is worse than the greedy plan on some figure, the
// greedy plan improved without getting worse on any figure. A re-plan keeps s: keeping seats
// matters more there than the comparison with a baseline that ignores them.
func (rot *rotation) boundedByGreedy(s *seating, rng *rand.Rand, budget int) *seating {
	greedy := rot.greedy()
	baseline := greedy.quality()
	if rot.in.Previous != nil || s.quality().NoWorseThan(baseline) {
		return s
	}
	for r := range rot.rounds {
		greedy.augmentRound(r) // seats all the greedy plan left out, so that the start can compete with s
	}
	if greedy.seated() < s.seated() {
		return s
	}
	now := greedy.figures()
	lo, hi := greedy.fillRange()
	greedy.bounds = &bounds{limit: now, now: now, fillRange: hi - lo}
	greedy.improve(rng, budget)
	greedy.bounds = nil
	if greedy.quality().NoWorseThan(baseline) {
		return greedy
	}
	return s
}
