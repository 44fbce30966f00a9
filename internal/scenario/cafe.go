package scenario

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/werkstatt/werkstatt/domain"
)

// Cafe makes a theme café to plan: guests (hosts included), tables and rounds, the same café
// for the same seed, with seats for about 110% of the guests in every round, tables of uneven
// size, preferences skewed to a few popular tables, organisations of very different sizes,
// and every other table hosted by one of the guests.
func Cafe(guests, tables, rounds int, seed uint64) domain.RotationInput {
	rng := rand.New(rand.NewPCG(seed, 0xcafe))
	in := domain.RotationInput{Rounds: rounds, Seed: seed}
	per, total := float64(guests)*1.1/float64(tables), 0
	for t := range tables {
		host := domain.RegistrationID("")
		if t%2 == 0 && t < guests {
			host = guestID(t)
		}
		capacity := max(1, int(math.Round(per*(0.8+0.4*rng.Float64()))))
		if t == tables-1 { // the last table makes up for the others' spread
			capacity = max(capacity, int(math.Ceil(float64(guests)*1.1))-total)
		}
		total += capacity
		in.Tables = append(in.Tables, domain.RotationTable{ID: tableID(t), Capacity: capacity, Host: host})
	}
	popularity := make([]float64, tables)
	for i, t := range rng.Perm(tables) {
		popularity[t] = 1 / float64(i+1)
	}
	orgs := max(1, guests/6)
	for g := range guests {
		in.Guests = append(in.Guests, domain.RotationGuest{ID: guestID(g),
			Organisation: fmt.Sprintf("org-%d", zipf(rng, orgs)),
			Ranking:      ranking(rng, popularity, rankedCount(rng))})
	}
	return in
}

func guestID(g int) domain.RegistrationID { return domain.RegistrationID(fmt.Sprintf("G%05d", g)) }
func tableID(t int) domain.TableID        { return domain.TableID(fmt.Sprintf("T%02d", t)) }

// rankedCount is how many tables a guest ranks: mostly three, some none, some fewer or more.
func rankedCount(rng *rand.Rand) int {
	switch x := rng.IntN(10); {
	case x == 0:
		return 0
	case x == 1:
		return 1 + rng.IntN(2)
	case x == 2:
		return 4 + rng.IntN(2)
	default:
		return 3
	}
}

// ranking draws n distinct tables, each with a chance proportional to its popularity.
func ranking(rng *rand.Rand, popularity []float64, n int) []domain.TableID {
	left := append([]float64(nil), popularity...)
	var out []domain.TableID
	for range min(n, len(left)) {
		total := 0.0
		for _, w := range left {
			total += w
		}
		x, t := rng.Float64()*total, -1
		for i, w := range left {
			if w > 0 && (t < 0 || x >= 0) {
				t = i // the last table with weight before x runs out
			}
			x -= w
		}
		out = append(out, tableID(t))
		left[t] = 0
	}
	return out
}

// zipf draws from 0..n-1 with chance proportional to 1/(i+1), so a few organisations are big.
func zipf(rng *rand.Rand, n int) int {
	h := 0.0
	for i := range n {
		h += 1 / float64(i+1)
	}
	x := rng.Float64() * h
	for i := range n {
		if x -= 1 / float64(i+1); x < 0 {
			return i
		}
	}
	return n - 1
}
