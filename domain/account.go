package domain

import (
	"slices"
	"time"
)

// AccountID names a person's account. It is derived from the account's e-mail address with a
// keyed hash (app.App.AccountID), so that the same person added to a second network, or
// signing in over single sign-on, is the same account, and the id reveals no address.
type AccountID string

// Role is what a member may do in a network.
type Role string

// The roles of a network's members.
const (
	// RoleAdmin manages the network's members and their roles.
	RoleAdmin Role = "admin"
	// RoleOrganiser plans and runs the network's workshops (optionally of named series only).
	RoleOrganiser Role = "organiser"
	// RoleDoor runs the check-in screen and sees the names it needs, nothing else.
	RoleDoor Role = "door"
	// RoleLead reads the reports and exports of named series and changes nothing.
	RoleLead Role = "lead"
	// RoleMember sees members-only workshops and registers for them.
	RoleMember Role = "member"
)

// Roles lists every role, the most powerful first.
var Roles = []Role{RoleAdmin, RoleOrganiser, RoleDoor, RoleLead, RoleMember}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// TokenInfo is a personal API token as its owner sees it in a list, without its secret: the
// token acts as Account with Account's roles in Network, until it is revoked.
type TokenInfo struct {
	ID        string
	Account   AccountID
	Network   string
	Label     string
	IssuedAt  time.Time
	RevokedAt time.Time // zero while the token holds
}

// Revoked reports whether the token was revoked.
func (t TokenInfo) Revoked() bool { return !t.RevokedAt.IsZero() }

// Identity is who an identity provider says signed in over single sign-on. The account is the
// one of Email, and only when the provider verified that address (EmailVerified): an address
// the provider has not verified could be anyone's.
type Identity struct {
	Issuer        string // the provider
	Subject       string // the person's id at the provider
	Email         string
	EmailVerified bool
	Name          string
}

// PasswordLink is a one-time link to set an account's password (an invitation, a reset), as
// its holder sees it before using it.
type PasswordLink struct {
	Account AccountID
	// Email is the account's address: the password policy refuses a password that contains it.
	Email     string
	ExpiresAt time.Time
}
