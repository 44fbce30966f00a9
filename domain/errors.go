package domain

import (
	"errors"
	"strings"
)

// Classes of failure. Every error the domain returns matches exactly one of them with errors.Is,
// so that adapters (HTTP, CLI) map a class once instead of every rule.
var (
	// ErrNotFound is returned when a workshop, session, registration or check-in does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid is returned when a command's values break a rule that does not depend on
	// state (a malformed email, a day outside the workshop, ends before starts).
	ErrInvalid = errors.New("invalid")
	// ErrConflict is returned when a command clashes with the current state (a room already
	// taken, an email already registered).
	ErrConflict = errors.New("conflict")
)

// Rule is a named rule violation. It matches its class with errors.Is, and callers may match
// the rule itself (errors.Is(err, ErrAlreadyRegistered)).
type Rule struct {
	msg   string
	class error
}

func (r *Rule) Error() string { return r.msg }
func (r *Rule) Unwrap() error { return r.class }

// Rules that adapters or tests may want to tell apart.
var (
	ErrWorkshopNotFound     = &Rule{"workshop not found", ErrNotFound}
	ErrWorkshopExists       = &Rule{"a workshop with this id already exists", ErrConflict}
	ErrSessionNotFound      = &Rule{"session not found", ErrNotFound}
	ErrRegistrationNotFound = &Rule{"registration not found", ErrNotFound}
	// ErrRegistrationErased answers a personal token whose registration was erased: it opens
	// only the notice that the data is gone, never a page or command acting as that person.
	ErrRegistrationErased = &Rule{"the personal data of this registration was erased", ErrNotFound}
	ErrCheckInNotFound    = &Rule{"no such check-in", ErrNotFound}

	ErrAlreadyRegistered      = &Rule{"this email already holds an active registration for the workshop", ErrConflict}
	ErrRoomOccupied           = &Rule{"the room is already used by another session at that time", ErrConflict}
	ErrCapacityBelowConfirmed = &Rule{"capacity may not drop below the confirmed registrations of a day", ErrConflict}
	ErrAlreadyCancelled       = &Rule{"the registration is already cancelled", ErrConflict}

	ErrNotConfirmed = &Rule{"only a confirmed registration for that day can be checked in", ErrInvalid}
)

// FieldError names the field of a command that broke a rule, in the API's (JSON) spelling.
type FieldError struct {
	Field  string `json:"field"`
	Detail string `json:"detail"`
}

// FieldErrors is a validation failure on one or more fields. It matches ErrInvalid.
type FieldErrors []FieldError

func (fe FieldErrors) Error() string {
	parts := make([]string, len(fe))
	for i, f := range fe {
		parts[i] = f.Field + ": " + f.Detail
	}
	return strings.Join(parts, "; ")
}

func (fe FieldErrors) Unwrap() error { return ErrInvalid }

// add appends a field error; it keeps validation code to one line per rule.
func (fe *FieldErrors) add(field, detail string) { *fe = append(*fe, FieldError{field, detail}) }

// err returns nil when no field failed, so that callers can `return fe.err()`.
func (fe FieldErrors) err() error {
	if len(fe) == 0 {
		return nil
	}
	return fe
}
