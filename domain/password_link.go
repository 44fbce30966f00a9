package domain

import (
	"fmt"
	"slices"
	"time"
)

// PasswordLinkPurpose is the purpose under which the token of a one-time link to set a password
// is derived as a keyed pseudonym of PasswordLinkValue: the application derives it when it
// issues the link, the outbox again when it mails it, so that the log never holds a credential.
const PasswordLinkPurpose = "password-link"

// PasswordLinkValue is what the token of link linkID of account is derived from.
func PasswordLinkValue(account AccountID, linkID string) string {
	return string(account) + "|" + linkID
}

// Why a link to set a password was issued.
const (
	// LinkForInvitation: an admin invited a member, who has no password yet.
	LinkForInvitation = "invitation"
	// LinkForReset: the person asked to reset their password (they forgot it).
	LinkForReset = "reset"
)

// PasswordLinkIssued records that a one-time link to set the password of member Account was
// issued, so that the outbox mails it. It holds neither the token (derived from LinkID) nor
// the address (the member's sealed Person has it): erasing the account leaves nothing to mail.
// Network names the network whose log holds it, since a network's events name no workshop.
type PasswordLinkIssued struct {
	Network   NetworkID `json:"network"`
	Account   AccountID `json:"account"`
	LinkID    string    `json:"link_id"`
	Purpose   string    `json:"purpose"`
	ExpiresAt time.Time `json:"expires_at"`
	// Lang is the language of the mail ("" for the default).
	Lang string `json:"lang,omitempty"`
}

func (PasswordLinkIssued) Name() string { return "network.password_link_issued.v1" }

var _ = register[PasswordLinkIssued]()

// ResetInterval is how long after a reset link another one is not mailed: whoever asks again
// and again (or from many addresses) cannot fill a person's mailbox; the person has a fresh
// link already.
const ResetInterval = 10 * time.Minute

// RecentReset reports whether a reset link that expires at expires would follow the account's
// last one within ResetInterval (links of one lifetime: their expiries are as far apart as their
// issues).
func (n Network) RecentReset(account AccountID, expires time.Time) bool {
	last, ok := n.Resets[account]
	return ok && expires.Sub(last) < ResetInterval
}

// IssuePasswordLink decides that member account gets a link to set their password, mailed. A
// reset that follows the last one within ResetInterval decides nothing.
func (n Network) IssuePasswordLink(account AccountID, linkID, purpose, lang string, expires time.Time) ([]Event, error) {
	if !n.Exists() {
		return nil, ErrNetworkNotFound
	}
	if _, ok := n.Members[account]; !ok {
		return nil, ErrMemberNotFound
	}
	if linkID == "" || (purpose != LinkForInvitation && purpose != LinkForReset) {
		return nil, fmt.Errorf("%w: a password link needs an id and a purpose, got %q, %q", ErrInvalid, linkID, purpose)
	}
	if purpose == LinkForReset && n.RecentReset(account, expires) {
		return nil, nil
	}
	if !slices.Contains(Languages, lang) {
		lang = ""
	}
	return []Event{PasswordLinkIssued{Network: n.ID, Account: account, LinkID: linkID, Purpose: purpose,
		ExpiresAt: expires.UTC(), Lang: lang}}, nil
}
