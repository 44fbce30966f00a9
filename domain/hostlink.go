package domain

import "crypto/subtle"

// A host link lets a table's host write the table's notes from their phone: the organiser
// issues it per table; the log keeps only the SHA-256 of its token (TokenHash, hex), like a
// participant's token. Issuing again replaces the link; revoking it, or removing the table,
// makes it invalid.

// ErrHostLinkNotFound is returned for a host link that is not (or no longer) the table's.
var ErrHostLinkNotFound = newRule("host-link-not-found", "the host link is not valid (any more)", ErrNotFound)

// HostLinkIssued records that a table of a theme café got a host link; it replaces an earlier one.
type HostLinkIssued struct {
	SessionID SessionID `json:"session_id"`
	TableID   TableID   `json:"table_id"`
	TokenHash string    `json:"token_hash"`
}

func (HostLinkIssued) Name() string { return "themecafe.host_link_issued.v1" }

func (e HostLinkIssued) cafe() SessionID { return e.SessionID }

var _ = register[HostLinkIssued]()

// HostLinkRevoked records that a table's host link no longer opens it.
type HostLinkRevoked struct {
	SessionID SessionID `json:"session_id"`
	TableID   TableID   `json:"table_id"`
}

func (HostLinkRevoked) Name() string { return "themecafe.host_link_revoked.v1" }

func (e HostLinkRevoked) cafe() SessionID { return e.SessionID }

var _ = register[HostLinkRevoked]()

// IssueHostLink decides a new host link for a table, under the hash of its token.
func (w Workshop) IssueHostLink(session SessionID, table TableID, tokenHash string) ([]Event, error) {
	_, cafe, err := w.cafe(session)
	if err != nil {
		return nil, err
	}
	if _, ok := cafe.Table(table); !ok {
		return nil, ErrTableNotFound
	}
	if tokenHash == "" {
		return nil, FieldErrors{{Field: "token", Code: CodeRequired, Detail: "a host link needs a token"}}
	}
	return []Event{HostLinkIssued{SessionID: session, TableID: table, TokenHash: tokenHash}}, nil
}

// RevokeHostLink decides that a table's host link no longer opens it; without one it decides
// nothing.
func (w Workshop) RevokeHostLink(session SessionID, table TableID) ([]Event, error) {
	_, cafe, err := w.cafe(session)
	if err != nil {
		return nil, err
	}
	if _, ok := cafe.Table(table); !ok {
		return nil, ErrTableNotFound
	}
	if cafe.HostLinks[table] == "" {
		return nil, nil
	}
	return []Event{HostLinkRevoked{SessionID: session, TableID: table}}, nil
}

// HostTable returns the table of café session whose host link has the token hash tokenHash;
// any mismatch (no café, no table, no link, another link) is ErrHostLinkNotFound.
func (w Workshop) HostTable(session SessionID, table TableID, tokenHash string) (*Cafe, Table, error) {
	cafe, ok := w.ThemeCafes[session]
	if !ok {
		return nil, Table{}, ErrHostLinkNotFound
	}
	t, ok := cafe.Table(table)
	want := cafe.HostLinks[table]
	if !ok || want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(tokenHash)) != 1 {
		return nil, Table{}, ErrHostLinkNotFound
	}
	return cafe, t, nil
}
