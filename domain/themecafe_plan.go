package domain

import "slices"

// PlanCafe plans (or re-plans) who sits at which table in every round. Seed makes the plan
// reproducible; callers derive it from something stable, such as the command's id. With
// PresentOnly, only participants checked in on the café's day (at the door or at any session)
// are placed: the plan on the day then leaves out no-shows.
type PlanCafe struct {
	SessionID   SessionID
	Seed        uint64
	PresentOnly bool
}

// PlanCafe decides a rotation plan. Guests are the registrations confirmed for the café's day
// (not cancelled), with their rankings; hosts stay at their tables. An existing plan is the
// previous one: its seats are kept wherever the rules allow, so that late registrations and
// cancellations move as few people as possible.
func (w Workshop) PlanCafe(c PlanCafe) ([]Event, error) {
	s, cafe, err := w.cafe(c.SessionID)
	if err != nil {
		return nil, err
	}
	if len(cafe.Tables) == 0 {
		return nil, ErrNoTables
	}
	in := w.rotationInput(s, cafe, c.PresentOnly)
	in.Seed, in.Previous = c.Seed, cafe.Plan
	plan, err := PlanRotation(in)
	if err != nil {
		return nil, err
	}
	return []Event{RotationPlanned{SessionID: c.SessionID, Seed: c.Seed, Plan: plan, Quality: plan.Quality(in)}}, nil
}

// rotationInput is what the planner needs of a café: its tables, rounds and guests in a fixed
// order (by registration id), so that the same state and seed give the same plan.
func (w Workshop) rotationInput(s Session, c *Cafe, presentOnly bool) RotationInput {
	in := RotationInput{Rounds: c.Rounds, Tables: make([]RotationTable, len(c.Tables))}
	for i, t := range c.Tables {
		in.Tables[i] = RotationTable{ID: t.ID, Capacity: t.Capacity, Host: t.Host}
	}
	var present map[RegistrationID]bool
	if presentOnly {
		present = map[RegistrationID]bool{}
		for ci := range w.CheckIns {
			if ci.Day == s.Day {
				present[ci.RegistrationID] = true
			}
		}
	}
	for id, r := range w.Registrations {
		if !r.ConfirmedOn(s.Day) || (presentOnly && !present[id]) {
			continue
		}
		in.Guests = append(in.Guests, RotationGuest{ID: id, Organisation: r.Organisation,
			Ranking: slices.Clone(c.Preferences[id])})
	}
	slices.SortFunc(in.Guests, func(a, b RotationGuest) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return in
}

// MoveGuest seats a guest at a table in one round of the current plan, by hand.
type MoveGuest struct {
	SessionID      SessionID
	RegistrationID RegistrationID
	Round          int
	TableID        TableID
}

// MoveGuest decides a move by hand. The plan refuses a move that breaks a hard rule
// (ErrTableFull, ErrTableVisited, ErrHostSeated); a guest the plan does not know (registered
// after it) is ErrRegistrationNotFound: plan again to fit them in. Moving a guest to the seat
// they have decides nothing.
func (w Workshop) MoveGuest(c MoveGuest) ([]Event, error) {
	s, cafe, err := w.cafe(c.SessionID)
	if err != nil {
		return nil, err
	}
	if cafe.Plan == nil {
		return nil, ErrNoPlan
	}
	if rounds := planRounds(*cafe.Plan); rounds != 0 && rounds != cafe.Rounds {
		return nil, ErrPlanOutdated
	}
	if _, ok := cafe.Table(c.TableID); !ok {
		return nil, ErrTableNotFound
	}
	in := w.rotationInput(s, cafe, false)
	// Guests the plan knows are in the input even if they are no longer confirmed, so that the
	// planner's checks see the whole plan.
	for id := range cafe.Plan.Seats {
		if !slices.ContainsFunc(in.Guests, func(g RotationGuest) bool { return g.ID == id }) {
			in.Guests = append(in.Guests, RotationGuest{ID: id})
		}
	}
	next, err := cafe.Plan.Move(in, c.RegistrationID, c.Round, c.TableID)
	if err != nil {
		return nil, err
	}
	if slices.Equal(next.Seats[c.RegistrationID], cafe.Plan.Seats[c.RegistrationID]) {
		return nil, nil
	}
	q := next.Quality(in)
	q.Moved = cafe.Quality.Moved // moves by hand are not the planner's moves
	return []Event{GuestMoved{SessionID: c.SessionID, RegistrationID: c.RegistrationID, Round: c.Round,
		TableID: c.TableID, Quality: q}}, nil
}

// planRounds is the number of rounds a plan was made for, 0 when it seats nobody.
func planRounds(p RotationPlan) int {
	for _, seats := range p.Seats {
		return len(seats)
	}
	return 0
}

// PublishPlan lets participants see their routes. Publishing a published plan decides nothing.
func (w Workshop) PublishPlan(session SessionID) ([]Event, error) {
	_, cafe, err := w.cafe(session)
	if err != nil {
		return nil, err
	}
	if cafe.Plan == nil {
		return nil, ErrNoPlan
	}
	if cafe.Published {
		return nil, nil
	}
	return []Event{RotationPublished{SessionID: session}}, nil
}

// Route returns where guest sits in each round of the café's plan ("" for no seat), or nil
// when the plan does not seat them.
func (c *Cafe) Route(guest RegistrationID) []TableID {
	if c.Plan == nil {
		return nil
	}
	return slices.Clone(c.Plan.Seats[guest])
}
