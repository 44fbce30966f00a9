package domain

import (
	"errors"
	"time"
)

// Decision is a command bound to its arguments: given the workshop as the log has it, it returns
// the events to append, or the rule it breaks. It must be pure: a store may call it again on a
// fresher workshop when another writer came first.
type Decision func(Workshop) ([]Event, error)

// Meta describes a command for the log: who sent it, when, and how a repeat of it is recognised.
type Meta struct {
	Actor string
	At    time.Time // the clock reading passed in; the store never reads the clock itself
	// CommandID makes a command idempotent: "" = none. The same CommandID for the same workshop
	// comes back with the first decision and appends nothing.
	CommandID string
	// Request fingerprints what the command's sender asked for (an opaque keyed hash). A
	// CommandID comes back with its first decision only together with the same Request; with
	// another one the store returns ErrCommandReused. The log keeps it beside the CommandID, so
	// every store recognises the pair.
	Request string
}

// Appended is what deciding a command through the log did.
type Appended struct {
	// Seq is the log's sequence of the commit; for a duplicate that of the first commit, and when
	// the decision returned no events the workshop's last sequence.
	Seq uint64
	// Events are the events appended; for a duplicate, those of the first decision.
	Events    []Event
	Duplicate bool
}

var (
	// ErrConcurrentUpdate is returned by a store when other writers kept changing the workshop
	// through every retry. Retrying later is safe (HTTP 409).
	ErrConcurrentUpdate = errors.New("the workshop was changed concurrently too often; try again")

	// ErrCommandReused is returned by a store for a Meta.CommandID that the workshop's log holds
	// with another Meta.Request: the id was used for a different command. Nothing is appended
	// and nothing of the first command is returned.
	ErrCommandReused = errors.New("the command id was used for another request")
)
