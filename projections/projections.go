// Package projections builds Werkstatt's read models from the event log: the workshop details
// with agenda and free seats, the registration lists and the attendance sheets that screens,
// the HTTP API and reports read.
//
// A projection (WorkshopDetails, Registrations, AttendanceSheet) turns one recorded event into
// row operations on a Tx. The event-to-row logic is written once here; a Store (NewMemory, or
// infra/postgres) implements the rows and runs every batch of events in one transaction
// together with the projection's checkpoint, the last stream sequence it applied. Events with
// Seq <= checkpoint are skipped, so at-least-once delivery has an exactly-once effect. Sequence
// gaps are normal: the log is shared with other subjects.
//
// The Runner applies the batches a feed hands it (decoded commits, in log order) and lets callers
// wait until the read models reflect a sequence (read-your-writes after a command).
package projections

import (
	"context"

	"github.com/werkstatt/werkstatt/domain"
)

// Projection turns recorded events into rows of one read model. Name is stable and versioned:
// it keys the checkpoint, so changing it rebuilds the model from the start of the log.
type Projection interface {
	Name() string
	// Apply writes the rows that follow from e. It only issues Tx operations, which are
	// idempotent, so applying a batch twice leaves the rows as applying it once.
	Apply(ctx context.Context, tx Tx, e domain.Recorded) error
}

// Store holds the read models and their checkpoints.
type Store interface {
	Reader
	// Checkpoint returns the last sequence applied by the named projection, 0 if none.
	Checkpoint(ctx context.Context, projection string) (uint64, error)
	// Apply runs p.Apply for every event of batch with Seq above p's checkpoint and moves the
	// checkpoint to the batch's last Seq, all in one transaction. It returns the checkpoint
	// after the transaction, which may be higher than the batch when another replica went
	// ahead. Events must be in log order, and the events of one commit (they share a Seq) must
	// come in one batch: see Batches.
	Apply(ctx context.Context, p Projection, batch []domain.Recorded) (uint64, error)
	// ApplyAll does what Apply does for each of ps and returns their checkpoints in the order
	// of ps, in one transaction where the store has them. After an error the checkpoints tell
	// what was applied.
	ApplyAll(ctx context.Context, ps []Projection, batch []domain.Recorded) ([]uint64, error)
}

// All returns the projections a store serves, in the order the Runner starts them.
func All() []Projection {
	return []Projection{WorkshopDetails{}, Registrations{}, AttendanceSheet{}, ThemeCafes{}, FollowUpTopics{}, Evaluation{}, Materials{}}
}
