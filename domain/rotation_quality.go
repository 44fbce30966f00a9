package domain

// RotationQuality sums up how well a plan meets the soft goals, as figures an organiser can
// compare between plans.
type RotationQuality struct {
	// Visits counts the seats filled over all rounds; Unseated the (guest, round) pairs without one.
	Visits   int `json:"visits"`
	Unseated int `json:"unseated"`
	// ChoiceShare is the share of visits at a guest's first, second and third ranked table, and
	// at any other table (unranked tables and guests without a ranking included).
	ChoiceShare [4]float64 `json:"choice_share"`
	// SameOrgPairs counts, over rounds and tables, the pairs of people at a table (host
	// included) who come from the same organisation.
	SameOrgPairs int `json:"same_org_pairs"`
	// MeetRepeats counts the pairs of guests who share a table in more than one round.
	MeetRepeats int `json:"meet_repeats"`
	// FillMin and FillMax are the lowest and highest share of seats taken at a table in a round.
	FillMin float64 `json:"fill_min"`
	FillMax float64 `json:"fill_max"`
	// Moved counts the guests whose seat in some round differs from the one in.Previous.
	Moved int `json:"moved"`
}

// Quality measures p against the soft goals of in. A plan that breaks a hard rule (see Check)
// measures as the zero RotationQuality.
func (p RotationPlan) Quality(in RotationInput) RotationQuality {
	rot, err := newRotation(in)
	if err != nil {
		return RotationQuality{}
	}
	s, err := rot.seatingOf(p)
	if err != nil {
		return RotationQuality{}
	}
	q := s.quality()
	q.Moved = p.moved(in.Previous)
	return q
}

// quality measures the seating; Moved is left to the caller, who knows the previous plan.
func (s *seating) quality() RotationQuality {
	f := s.figures()
	q := RotationQuality{Visits: f.visits, Unseated: s.guests*s.rounds - f.visits,
		SameOrgPairs: f.orgPairs, MeetRepeats: f.repeats}
	q.FillMin, q.FillMax = s.fillRange()
	if f.visits > 0 {
		prev := 0
		for i, n := range f.choices {
			q.ChoiceShare[i] = float64(n-prev) / float64(f.visits)
			prev = n
		}
		q.ChoiceShare[3] = float64(f.visits-prev) / float64(f.visits)
	}
	return q
}

// choice is the ChoiceShare index of table t for a guest with ranking.
func choice(ranking []int, t int) int {
	for i, ranked := range ranking[:min(3, len(ranking))] {
		if ranked == t {
			return i
		}
	}
	return 3
}

// meetRepeats counts pairs sharing a table in two or more rounds, each pair once: at the
// first round they share, and only when they share another.
func (s *seating) meetRepeats() int {
	n := 0
	for g := range s.guests {
		for r := range s.rounds {
			t := s.seat[g*s.rounds+r]
			if t < 0 {
				continue
			}
			for _, x := range s.members[r*s.tables+int(t)] {
				if int(x) > g && s.firstShared(g, int(x)) == r && s.together(g, int(x), r) > 0 {
					n++
				}
			}
		}
	}
	return n
}

func (s *seating) firstShared(g, x int) int {
	for r := range s.rounds {
		if t := s.seat[g*s.rounds+r]; t >= 0 && t == s.seat[x*s.rounds+r] {
			return r
		}
	}
	return -1
}

// moved counts guests whose seat differs from a seat they had in previous.
func (p RotationPlan) moved(previous *RotationPlan) int {
	if previous == nil {
		return 0
	}
	n := 0
	for id, seats := range p.Seats {
		before := previous.Seats[id]
		for r := 0; r < len(before) && r < len(seats); r++ {
			if before[r] != "" && before[r] != seats[r] {
				n++
				break
			}
		}
	}
	return n
}

// NoWorseThan reports whether q is at least as good as o on every figure: as many seats, at
// least the share of first choices, of first or second, and of first to third, no more
// same-organisation pairs or repeated meetings, and no wider fill range.
func (q RotationQuality) NoWorseThan(o RotationQuality) bool {
	const eps = 1e-9
	var cq, co float64
	for i := range 3 {
		cq, co = cq+q.ChoiceShare[i], co+o.ChoiceShare[i]
		if cq < co-eps {
			return false
		}
	}
	return q.Visits >= o.Visits && q.SameOrgPairs <= o.SameOrgPairs && q.MeetRepeats <= o.MeetRepeats &&
		q.FillMax-q.FillMin <= o.FillMax-o.FillMin+eps
}
