package domain

import (
	"slices"
	"strings"
)

// Classes of failure. Every error the domain returns matches exactly one of them with errors.Is,
// so that adapters (HTTP, CLI) map a class once instead of every rule.
var (
	// ErrNotFound is returned when a workshop, session, registration or check-in does not exist.
	ErrNotFound = newRule("not-found", "not found", nil)
	// ErrInvalid is returned when a command's values break a rule that does not depend on
	// state (a malformed email, a day outside the workshop, ends before starts).
	ErrInvalid = newRule("invalid", "invalid", nil)
	// ErrConflict is returned when a command clashes with the current state (a room already
	// taken, an email already registered).
	ErrConflict = newRule("conflict", "conflict", nil)
)

// Rule is a named rule violation. It matches its class (or a more general rule) with errors.Is,
// and callers may match the rule itself (errors.Is(err, ErrAlreadyRegistered)).
//
// Every rule has a stable code, unique among the rules: the API's problem type
// (urn:werkstatt:problem:<code>, where the API publishes the rule) and the key of the pages'
// message are derived from it, never from the English text, which is free to change.
type Rule struct {
	code  string
	msg   string
	class error
}

// Code is the rule's stable name, such as "already-registered".
func (r *Rule) Code() string  { return r.code }
func (r *Rule) Error() string { return r.msg }
func (r *Rule) Unwrap() error { return r.class }

// Violation is a rule broken by particular things, which Detail names in the words of the data
// (a session's title, a room, times), not in a language: a page may show it as it is.
type Violation struct {
	Rule   *Rule
	Detail string
}

func (v *Violation) Error() string { return v.Rule.Error() + ": " + v.Detail }
func (v *Violation) Unwrap() error { return v.Rule }

// rules lists every rule in the order of definition (see Rules).
var rules []*Rule

// newRule defines a rule; every rule is made by it, so that Rules lists them all.
func newRule(code, msg string, class error) *Rule {
	r := &Rule{code: code, msg: msg, class: class}
	rules = append(rules, r)
	return r
}

// Rules returns every rule the domain defines, classes included. Adapters check with it that
// each code has a message.
func Rules() []*Rule { return slices.Clone(rules) }

// Codes returns the codes of the rules err matches, the most specific first: a rule's own, then
// the more general rule or class it belongs to. An error that matches no rule has none.
func Codes(err error) []string {
	var codes []string
	var walk func(error)
	walk = func(e error) {
		for e != nil {
			if r, ok := e.(*Rule); ok {
				codes = append(codes, r.code)
			}
			switch u := e.(type) {
			case interface{ Unwrap() []error }:
				for _, inner := range u.Unwrap() {
					walk(inner)
				}
				return
			case interface{ Unwrap() error }:
				e = u.Unwrap()
			default:
				return
			}
		}
	}
	walk(err)
	return codes
}

// Rules that adapters or tests may want to tell apart.
var (
	ErrWorkshopNotFound     = newRule("workshop-not-found", "workshop not found", ErrNotFound)
	ErrWorkshopExists       = newRule("workshop-exists", "a workshop with this id already exists", ErrConflict)
	ErrSessionNotFound      = newRule("session-not-found", "session not found", ErrNotFound)
	ErrRegistrationNotFound = newRule("registration-not-found", "registration not found", ErrNotFound)
	// ErrRegistrationErased answers a personal token whose registration was erased: it opens
	// only the notice that the data is gone, never a page or command acting as that person.
	ErrRegistrationErased = newRule("registration-erased", "the personal data of this registration was erased", ErrNotFound)
	ErrCheckInNotFound    = newRule("check-in-not-found", "no such check-in", ErrNotFound)

	ErrAlreadyRegistered      = newRule("already-registered", "this email already holds an active registration for the workshop", ErrConflict)
	ErrRoomOccupied           = newRule("room-occupied", "the room is already used by another session at that time", ErrConflict)
	ErrCapacityBelowConfirmed = newRule("capacity-below-confirmed", "capacity may not drop below the confirmed registrations of a day", ErrConflict)
	ErrAlreadyCancelled       = newRule("already-cancelled", "the registration is already cancelled", ErrConflict)
	// ErrRegistrationClosed refuses a registration at or after the workshop's registration
	// closing time or after its last day.
	ErrRegistrationClosed = newRule("registration-closed", "registration for this workshop is closed", ErrConflict)

	ErrNotConfirmed = newRule("not-confirmed", "only a confirmed registration for that day can be checked in", ErrInvalid)
)

// FieldError names the field of a command that broke a rule, in the API's (JSON) spelling. Code
// names the rule (one of FieldCodes); Detail says it in English for a developer reading the
// API's answer. Adapters that speak to people choose their message by Code, never by Detail.
type FieldError struct {
	Field  string `json:"field"`
	Code   string `json:"code"`
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
func (fe *FieldErrors) add(field, code, detail string) {
	*fe = append(*fe, FieldError{Field: field, Code: code, Detail: detail})
}

// err returns nil when no field failed, so that callers can `return fe.err()`.
func (fe FieldErrors) err() error {
	if len(fe) == 0 {
		return nil
	}
	return fe
}
