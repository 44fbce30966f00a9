package domain

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// A project lead reads the reports of one series and changes nothing. Organisers grant that
// access one lead at a time and revoke it one by one. The grant is a credential, not a fact of
// a workshop: it is kept beside the keyring, not in the event log, so that it can be revoked on
// its own. Its rules (what a grant needs, how long it lasts, when it holds) are here.

// LeadGrantLifetime is how long a lead's access lasts after it is granted.
const LeadGrantLifetime = 180 * 24 * time.Hour

// maxLeadGrantText bounds a grant's series and label, in characters.
const maxLeadGrantText = 200

// ErrLeadGrantExists is returned by a store of lead grants for a grant whose id is taken, so
// that a caller that derives the id from an idempotency key recognises a repeat.
var ErrLeadGrantExists = errors.New("a lead grant with this id exists")

// LeadGrant is a project lead's access to the reports of one series.
type LeadGrant struct {
	ID     string
	Series string
	// Label says who the access is for, e.g. "Projektleitung AMIF, Frau Schulz".
	Label     string
	IssuedAt  time.Time
	ExpiresAt time.Time
	RevokedAt time.Time // zero while not revoked
}

// GrantStatus is where a lead grant stands at a moment.
type GrantStatus string

// The statuses of a lead grant. A revoked grant stays revoked after it would have expired.
const (
	GrantActive  GrantStatus = "active"
	GrantRevoked GrantStatus = "revoked"
	GrantExpired GrantStatus = "expired"
)

// NewLeadGrant returns the grant of series to the person label names, issued at now and lasting
// LeadGrantLifetime; its ID is left to the caller. Series and label are trimmed; either empty,
// too long or not plain text is a FieldErrors.
func NewLeadGrant(series, label string, now time.Time) (LeadGrant, error) {
	series, label = strings.TrimSpace(series), strings.TrimSpace(label)
	var fe FieldErrors
	checkLeadGrantText(&fe, "series", series)
	checkLeadGrantText(&fe, "label", label)
	if len(fe) > 0 {
		return LeadGrant{}, fe
	}
	return LeadGrant{Series: series, Label: label, IssuedAt: now, ExpiresAt: now.Add(LeadGrantLifetime)}, nil
}

func checkLeadGrantText(fe *FieldErrors, field, s string) {
	switch {
	case s == "":
		*fe = append(*fe, FieldError{Field: field, Code: CodeRequired, Detail: "must not be empty"})
	case !utf8.ValidString(s):
		*fe = append(*fe, FieldError{Field: field, Code: CodeNotUTF8, Detail: "must be valid UTF-8 text without control characters"})
	case !ValidText(s, false):
		*fe = append(*fe, FieldError{Field: field, Code: CodeControlCharacters, Detail: "must be valid UTF-8 text without control characters"})
	case utf8.RuneCountInString(s) > maxLeadGrantText:
		*fe = append(*fe, FieldError{Field: field, Code: CodeTooLong, Detail: fmt.Sprintf("must be at most %d characters", maxLeadGrantText)})
	}
}

// Status returns where g stands at now.
func (g LeadGrant) Status(now time.Time) GrantStatus {
	switch {
	case !g.RevokedAt.IsZero():
		return GrantRevoked
	case !now.Before(g.ExpiresAt):
		return GrantExpired
	}
	return GrantActive
}

// Holds reports whether g opens its series' reports at now.
func (g LeadGrant) Holds(now time.Time) bool { return g.Status(now) == GrantActive }
