package scenario

import (
	"fmt"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// History records decisions the way the event store does, without one: every decision gets the
// next sequence, shared by its events. Tests, benchmarks and `werkstatt bench` use it to build
// realistic logs with the real domain rules.
type History struct {
	// Events holds every recorded event in log order.
	Events    []domain.Recorded
	seq       uint64
	at        time.Time
	workshops map[domain.WorkshopID]domain.Workshop
}

// NewHistory starts an empty log whose first decision is recorded at start; each decision
// is recorded one second after the one before.
func NewHistory(start time.Time) *History {
	return &History{at: start, workshops: map[domain.WorkshopID]domain.Workshop{}}
}

// Decide lets decide produce events from the workshop's current state and records them. It
// returns the sequence of the decision (0 when it decided nothing).
func (h *History) Decide(id domain.WorkshopID, decide domain.Decision) (uint64, error) {
	w := h.workshops[id]
	events, err := decide(w)
	if err != nil || len(events) == 0 {
		return 0, err
	}
	h.seq++
	h.at = h.at.Add(time.Second)
	for _, e := range events {
		w = w.Evolve(e)
		h.Events = append(h.Events, domain.Recorded{Seq: h.seq, Workshop: id, At: h.at, Actor: "history", Event: e})
	}
	h.workshops[id] = w
	return h.seq, nil
}

// Must is Decide for scripts that know their decisions are valid; it panics otherwise.
func (h *History) Must(id domain.WorkshopID, decide domain.Decision) uint64 {
	seq, err := h.Decide(id, decide)
	if err != nil {
		panic(fmt.Sprintf("history: decision on %s: %v", id, err))
	}
	return seq
}

// Gap skips n sequences, as messages of other subjects of the stream do.
func (h *History) Gap(n uint64) { h.seq += n }

// Workshop returns the workshop as the recorded events left it.
func (h *History) Workshop(id domain.WorkshopID) domain.Workshop { return h.workshops[id] }

// Seq returns the sequence of the last decision.
func (h *History) Seq() uint64 { return h.seq }
