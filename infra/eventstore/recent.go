package eventstore

import (
	"sync"

	"github.com/werkstatt/werkstatt/domain"
)

// recentSize is how many decoded commits recent keeps: enough for every projection of a
// process to find a commit another one decoded moments ago, while they catch up side by side.
const recentSize = 4096

// recent remembers the last decoded commits by stream sequence, so that each commit is
// decoded (and its personal data decrypted) once per process, not once per projection.
// Decoded events are values the projections only read. The erasure of a person must call
// clear, so that no decrypted copy outlives the key.
type recent struct {
	mu      sync.Mutex
	commits [recentSize]struct {
		seq    uint64
		events []domain.Recorded
	}
}

func (r *recent) get(seq uint64) ([]domain.Recorded, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := &r.commits[seq%recentSize]
	return c.events, c.seq == seq && seq != 0
}

func (r *recent) put(seq uint64, events []domain.Recorded) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := &r.commits[seq%recentSize]
	c.seq, c.events = seq, events
}

func (r *recent) clear() {
	r.mu.Lock()
	defer r.mu.Unlock()
	clear(r.commits[:])
}
