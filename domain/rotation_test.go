package domain_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/internal/scenario"
)

func TestPlanRotationRejectsBadInput(t *testing.T) {
	table := func(id domain.TableID, capacity int) domain.RotationTable {
		return domain.RotationTable{ID: id, Capacity: capacity}
	}
	guest := func(id domain.RegistrationID, ranking ...domain.TableID) domain.RotationGuest {
		return domain.RotationGuest{ID: id, Ranking: ranking}
	}
	tests := []struct {
		name  string
		in    domain.RotationInput
		field string
	}{
		{"no rounds", domain.RotationInput{Tables: []domain.RotationTable{table("a", 2)}}, "rounds"},
		{"no tables", domain.RotationInput{Rounds: 1}, "tables"},
		{"no capacity", domain.RotationInput{Rounds: 1, Tables: []domain.RotationTable{table("a", 0)}}, "tables[0].capacity"},
		{"table twice", domain.RotationInput{Rounds: 1, Tables: []domain.RotationTable{table("a", 1), table("a", 1)}}, "tables[1].id"},
		{"host of two tables", domain.RotationInput{Rounds: 1, Tables: []domain.RotationTable{
			{ID: "a", Capacity: 1, Host: "h"}, {ID: "b", Capacity: 1, Host: "h"}}}, "tables[1].host"},
		{"guest twice", domain.RotationInput{Rounds: 1, Tables: []domain.RotationTable{table("a", 1)},
			Guests: []domain.RotationGuest{guest("g"), guest("g")}}, "guests[1].id"},
		{"unknown table ranked", domain.RotationInput{Rounds: 1, Tables: []domain.RotationTable{table("a", 1)},
			Guests: []domain.RotationGuest{guest("g", "b")}}, "guests[0].ranking"},
		{"table ranked twice", domain.RotationInput{Rounds: 1, Tables: []domain.RotationTable{table("a", 1)},
			Guests: []domain.RotationGuest{guest("g", "a", "a")}}, "guests[0].ranking"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := domain.PlanRotation(tt.in)
			var fe domain.FieldErrors
			if !errors.Is(err, domain.ErrInvalid) || !errors.As(err, &fe) {
				t.Fatalf("got error %v, want FieldErrors matching ErrInvalid", err)
			}
			if !slices.ContainsFunc(fe, func(f domain.FieldError) bool { return f.Field == tt.field }) {
				t.Errorf("got fields %v, want %s among them", fe, tt.field)
			}
		})
	}
}

// randomCafe makes a small café with anything the rules allow: tight or ample seats, more
// rounds than tables, hosts who are guests, guests without ranking or organisation.
func randomCafe(rng *rand.Rand) domain.RotationInput {
	in := domain.RotationInput{Rounds: 1 + rng.IntN(4), Seed: rng.Uint64()}
	guests := rng.IntN(25)
	for i := range 1 + rng.IntN(6) {
		table := domain.RotationTable{ID: domain.TableID(fmt.Sprintf("t%d", i)), Capacity: 1 + rng.IntN(7)}
		if rng.IntN(3) == 0 && i < guests {
			table.Host = domain.RegistrationID(fmt.Sprintf("g%d", i))
		}
		in.Tables = append(in.Tables, table)
	}
	for i := range guests {
		g := domain.RotationGuest{ID: domain.RegistrationID(fmt.Sprintf("g%d", i))}
		if o := rng.IntN(5); o > 0 {
			g.Organisation = fmt.Sprintf("org%d", o)
		}
		for _, t := range rng.Perm(len(in.Tables))[:rng.IntN(len(in.Tables)+1)] {
			g.Ranking = append(g.Ranking, in.Tables[t].ID)
		}
		in.Guests = append(in.Guests, g)
	}
	return in
}

func TestPlanRotationKeepsHardRules(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for i := range 400 {
		in := randomCafe(rng)
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			p, err := domain.PlanRotation(in)
			if err != nil {
				t.Fatalf("planning %+v: %v", in, err)
			}
			if err := p.Check(in); err != nil {
				t.Fatalf("got Check error %v for plan %v of %+v, want none", err, p, in)
			}
			again, _ := domain.PlanRotation(in)
			if !reflect.DeepEqual(p, again) {
				t.Fatalf("planning twice: got %v and %v, want the same plan", p, again)
			}
			checkHosts(t, in, p)
			checkShortfall(t, in, p)
		})
	}
}

// checkHosts fails when a host who is a guest got a seat.
func checkHosts(t *testing.T, in domain.RotationInput, p domain.RotationPlan) {
	t.Helper()
	for _, table := range in.Tables {
		if _, ok := p.Seats[table.Host]; ok {
			t.Errorf("host %s of %s is seated, want them to stay at their table", table.Host, table.ID)
		}
	}
}

// checkShortfall fails unless the plan leaves out exactly the seats no plan could fill, found
// by a plain max flow (source -> guest: rounds, guest -> table: 1, table -> sink: rounds *
// capacity), and unless a round with fewer seats than guests blames RoundFull.
func checkShortfall(t *testing.T, in domain.RotationInput, p domain.RotationPlan) {
	t.Helper()
	if want := len(p.Seats)*in.Rounds - maxFlowSeats(len(p.Seats), in); len(p.Unseated) != want {
		t.Errorf("got %d unseated, want %d", len(p.Unseated), want)
	}
	seats := 0
	for _, table := range in.Tables {
		seats += table.Capacity
	}
	for _, u := range p.Unseated {
		if len(p.Seats) > seats && in.Rounds <= len(in.Tables) && u.Reason != domain.RoundFull {
			t.Errorf("round %d: got reason %s for %s, want %s", u.Round, u.Reason, u.Guest, domain.RoundFull)
		}
	}
}

func maxFlowSeats(guests int, in domain.RotationInput) int {
	n := guests + len(in.Tables) + 2
	source, sink := n-2, n-1
	capacity := make([][]int, n)
	for i := range capacity {
		capacity[i] = make([]int, n)
	}
	for g := range guests {
		capacity[source][g] = in.Rounds
		for i := range in.Tables {
			capacity[g][guests+i] = 1
		}
	}
	for i, table := range in.Tables {
		capacity[guests+i][sink] = in.Rounds * table.Capacity
	}
	flow := 0
	for {
		parent := make([]int, n)
		for i := range parent {
			parent[i] = -1
		}
		parent[source] = source
		queue := []int{source}
		for len(queue) > 0 && parent[sink] < 0 {
			u := queue[0]
			queue = queue[1:]
			for v := range n {
				if parent[v] < 0 && capacity[u][v] > 0 {
					parent[v] = u
					queue = append(queue, v)
				}
			}
		}
		if parent[sink] < 0 {
			return flow
		}
		for v := sink; v != source; v = parent[v] {
			capacity[parent[v]][v]--
			capacity[v][parent[v]]++
		}
		flow++
	}
}

func TestPlanRotationExplainsMissingSeats(t *testing.T) {
	tables := func(caps ...int) []domain.RotationTable {
		var out []domain.RotationTable
		for i, c := range caps {
			out = append(out, domain.RotationTable{ID: domain.TableID(fmt.Sprintf("t%d", i)), Capacity: c})
		}
		return out
	}
	guests := func(n int) []domain.RotationGuest {
		var out []domain.RotationGuest
		for i := range n {
			out = append(out, domain.RotationGuest{ID: domain.RegistrationID(fmt.Sprintf("g%02d", i))})
		}
		return out
	}
	tests := []struct {
		name     string
		in       domain.RotationInput
		unseated int
		reason   domain.UnseatedReason
	}{
		{"everyone fits", domain.RotationInput{Tables: tables(3, 3), Rounds: 2, Guests: guests(6)}, 0, ""},
		{"round full", domain.RotationInput{Tables: tables(3), Rounds: 1, Guests: guests(5)}, 2, domain.RoundFull},
		{"more rounds than tables", domain.RotationInput{Tables: tables(5, 5, 5), Rounds: 4, Guests: guests(2)}, 2, domain.TablesExhausted},
		// Ten guests cannot all visit a table of one seat in two rounds: 12 of 20 seats at most.
		{"table too small to visit", domain.RotationInput{Tables: tables(10, 1), Rounds: 2, Guests: guests(10)}, 8, domain.NoUnvisitedSeat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := domain.PlanRotation(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Check(tt.in); err != nil {
				t.Fatalf("got Check error %v, want none", err)
			}
			if len(p.Unseated) != tt.unseated {
				t.Fatalf("got %d unseated %v, want %d", len(p.Unseated), p.Unseated, tt.unseated)
			}
			for _, u := range p.Unseated {
				if u.Reason != tt.reason {
					t.Errorf("got reason %s for %s in round %d, want %s", u.Reason, u.Guest, u.Round, tt.reason)
				}
			}
		})
	}
}

func TestPlanRotationBeatsGreedy(t *testing.T) {
	sizes := []struct{ guests, tables, rounds int }{{30, 4, 2}, {60, 5, 3}, {120, 8, 3}, {200, 8, 4}}
	for _, size := range sizes {
		for seed := range uint64(8) {
			in := scenario.Cafe(size.guests, size.tables, size.rounds, seed)
			t.Run(fmt.Sprintf("%dx%dx%d/%d", size.guests, size.tables, size.rounds, seed), func(t *testing.T) {
				p, err := domain.PlanRotation(in)
				if err != nil {
					t.Fatal(err)
				}
				if err := p.Check(in); err != nil {
					t.Fatalf("got Check error %v, want none", err)
				}
				got, greedy := p.Quality(in), domain.GreedyRotation(in).Quality(in)
				if got.Visits < greedy.Visits {
					t.Fatalf("got %d visits, want at least greedy's %d", got.Visits, greedy.Visits)
				}
				// Counts of pairs grow with the people seated, so they compare only at equal seats.
				if got.Visits == greedy.Visits && !got.NoWorseThan(greedy) {
					t.Errorf("got quality %+v, want no worse than greedy %+v", got, greedy)
				}
				if got.ChoiceShare[0] <= greedy.ChoiceShare[0] {
					t.Errorf("got first-choice share %.3f, want more than greedy's %.3f", got.ChoiceShare[0], greedy.ChoiceShare[0])
				}
			})
		}
	}
}

func TestPlanRotationKeepsSeatsOnReplan(t *testing.T) {
	for seed := range uint64(20) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			in := scenario.Cafe(20, 4, 3, seed)
			before, err := domain.PlanRotation(in)
			if err != nil {
				t.Fatal(err)
			}
			next := in
			next.Guests = slices.Clone(in.Guests)
			gone := 1 + int(seed)%(len(next.Guests)-1) // never guest 0, the host of table 0
			next.Guests = slices.Delete(next.Guests, gone, gone+1)
			next.Guests = append(next.Guests, domain.RotationGuest{ID: "late", Organisation: "org-0",
				Ranking: []domain.TableID{in.Tables[1].ID, in.Tables[0].ID}})
			next.Previous = &before
			after, err := domain.PlanRotation(next)
			if err != nil {
				t.Fatal(err)
			}
			if err := after.Check(next); err != nil {
				t.Fatalf("got Check error %v, want none", err)
			}
			if _, ok := after.Seats[in.Guests[gone].ID]; ok {
				t.Errorf("the cancelled guest %s is still seated", in.Guests[gone].ID)
			}
			if q := after.Quality(next); q.Moved > 2 {
				t.Errorf("got %d guests moved, want at most 2", q.Moved)
			}
		})
	}
}

func TestRotationPlanMove(t *testing.T) {
	in := domain.RotationInput{Rounds: 2, Tables: []domain.RotationTable{
		{ID: "a", Capacity: 1}, {ID: "b", Capacity: 2, Host: "host"}, {ID: "c", Capacity: 2}},
		Guests: []domain.RotationGuest{{ID: "host"}, {ID: "x"}, {ID: "y"}, {ID: "z"}}}
	p := domain.RotationPlan{Seats: map[domain.RegistrationID][]domain.TableID{
		"x": {"a", "b"}, "y": {"b", "c"}, "z": {"c", "a"}}}
	if err := p.Check(in); err != nil {
		t.Fatalf("got Check error %v for the starting plan, want none", err)
	}
	tests := []struct {
		name  string
		guest domain.RegistrationID
		round int
		to    domain.TableID
		err   error
	}{
		{"to a full table", "y", 1, "a", domain.ErrTableFull},
		{"to a table visited in another round", "x", 1, "b", domain.ErrTableVisited},
		{"a host", "host", 1, "c", domain.ErrHostSeated},
		{"to an unknown table", "x", 1, "z", domain.ErrInvalid},
		{"in a round that does not exist", "x", 3, "c", domain.ErrInvalid},
		{"to a free table not visited", "x", 1, "c", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.Move(in, tt.guest, tt.round, tt.to)
			if !errors.Is(err, tt.err) {
				t.Fatalf("got error %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			if seat := got.Seats[tt.guest][tt.round-1]; seat != tt.to {
				t.Errorf("got %s at %s in round %d, want %s", tt.guest, seat, tt.round, tt.to)
			}
			if err := got.Check(in); err != nil {
				t.Errorf("got Check error %v after the move, want none", err)
			}
			if p.Seats[tt.guest][tt.round-1] == tt.to {
				t.Errorf("the move changed the original plan")
			}
		})
	}
}

func TestRotationPlanCheckRefusesBrokenRules(t *testing.T) {
	in := domain.RotationInput{Rounds: 2, Tables: []domain.RotationTable{
		{ID: "a", Capacity: 1, Host: "host"}, {ID: "b", Capacity: 1}},
		Guests: []domain.RotationGuest{{ID: "host"}, {ID: "x"}, {ID: "y"}}}
	tests := []struct {
		name  string
		seats map[domain.RegistrationID][]domain.TableID
		err   error
	}{
		{"over capacity", map[domain.RegistrationID][]domain.TableID{"x": {"a", "b"}, "y": {"a", "b"}}, domain.ErrTableFull},
		{"visited twice", map[domain.RegistrationID][]domain.TableID{"x": {"a", "a"}, "y": {"b", "b"}}, domain.ErrTableVisited},
		{"host seated", map[domain.RegistrationID][]domain.TableID{"x": {"a", "b"}, "y": {"b", "a"}, "host": {"", ""}}, domain.ErrHostSeated},
		{"seat left empty", map[domain.RegistrationID][]domain.TableID{"x": {"a", "b"}, "y": {"b", ""}}, domain.ErrConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := domain.RotationPlan{Seats: tt.seats}.Check(in)
			if !errors.Is(err, tt.err) {
				t.Errorf("got %v, want %v", err, tt.err)
			}
		})
	}
	seatMissing := domain.RotationPlan{Seats: map[domain.RegistrationID][]domain.TableID{"x": {"a", "b"}, "y": {"b", ""}},
		Unseated: []domain.Unseated{{Guest: "y", Round: 2, Reason: domain.NoUnvisitedSeat}}}
	if err := seatMissing.Check(in); !errors.Is(err, domain.ErrSeatMissing) {
		t.Errorf("a seat left empty that y could take: got %v, want %v", err, domain.ErrSeatMissing)
	}
}

func TestRotationPlanRound(t *testing.T) {
	p := domain.RotationPlan{Seats: map[domain.RegistrationID][]domain.TableID{"y": {"a", "b"}, "x": {"a", ""}}}
	got := p.Round(1)
	if want := map[domain.TableID][]domain.RegistrationID{"a": {"x", "y"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("got round 1 %v, want %v", got, want)
	}
	if got := fmt.Sprint(p.Round(2)); !strings.Contains(got, "b:[y]") {
		t.Errorf("got round 2 %s, want y at b", got)
	}
}
