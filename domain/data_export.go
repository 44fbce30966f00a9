package domain

import (
	"crypto/subtle"
	"encoding/base64"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A person may ask for a copy of everything stored about them (GDPR Art. 15 and 20). Every
// copy given is recorded on the log of each workshop the person holds a registration in, so
// that the workshop's history answers who was given it, when and how. The events name the
// registration, never the person's address.

// Channels through which a person's data is exported.
const (
	// ExportByAdmin: an instance or network admin looked the person up by their address.
	ExportByAdmin = "admin"
	// ExportByMailLink: the person opened the link mailed to them on their request.
	ExportByMailLink = "mail-link"
)

// PersonalDataExported records that a copy of the personal data of registration
// RegistrationID was given out through Channel; the commit's actor says who asked.
type PersonalDataExported struct {
	RegistrationID RegistrationID `json:"registration_id"`
	Channel        string         `json:"channel"`
}

func (PersonalDataExported) Name() string { return "workshop.personal_data_exported.v1" }

var _ = register[PersonalDataExported]()

// DataExportRequested records that a person asked for a copy of their data with the address of
// registration RegistrationID: the outbox mails them a link, valid until ExpiresAt, derived from
// LinkID (the log holds no credential). Lang is the language of the mail.
type DataExportRequested struct {
	RegistrationID RegistrationID `json:"registration_id"`
	LinkID         string         `json:"link_id"`
	ExpiresAt      time.Time      `json:"expires_at"`
	Lang           string         `json:"lang,omitempty"`
}

func (DataExportRequested) Name() string { return "registration.data_export_requested.v1" }

var _ = register[DataExportRequested]()

// ExportRequestInterval is how soon after a request for one's data another one mails nothing:
// nobody can flood a person's mailbox through the public form.
const ExportRequestInterval = 10 * time.Minute

// RecordDataExport decides that the data of registration rid was exported through channel. An
// erased registration has nothing left to export: ErrRegistrationErased.
func (w Workshop) RecordDataExport(rid RegistrationID, channel string) ([]Event, error) {
	if !w.Scheduled() {
		return nil, ErrWorkshopNotFound
	}
	r := w.Registrations[rid]
	switch {
	case r == nil:
		return nil, ErrRegistrationNotFound
	case r.Erased:
		return nil, ErrRegistrationErased
	}
	return []Event{PersonalDataExported{RegistrationID: rid, Channel: channel}}, nil
}

// RequestDataExport decides a person's request for a copy of their data on the registration
// that holds emailKey (the latest one, cancelled ones included: they hold data too). It never
// says whether there is one: without a registration that is not erased it decides nothing and
// no error; nor within ExportRequestInterval of the last request (a link is on its way).
func (w Workshop) RequestDataExport(emailKey, linkID, lang string, expires time.Time) ([]Event, error) {
	if !w.Scheduled() {
		return nil, ErrWorkshopNotFound
	}
	if emailKey == "" {
		return nil, nil
	}
	var found RegistrationID
	for id, r := range w.Registrations {
		if r.EmailKey == emailKey && !r.Erased && id > found {
			found = id
		}
	}
	if found == "" || expires.Sub(w.Registrations[found].ExportLinkExpires) < ExportRequestInterval {
		return nil, nil
	}
	return []Event{DataExportRequested{RegistrationID: found, LinkID: linkID, ExpiresAt: expires.UTC(), Lang: lang}}, nil
}

// DataExportLinkPurpose is the purpose under which the token of a link to a person's export is
// signed as a keyed pseudonym: the application checks it when the link is opened, the outbox
// derives it when it mails the link, so that the log holds no credential.
const DataExportLinkPurpose = "data-export-link"

// maxDataExportToken bounds what ParseDataExportToken reads.
const maxDataExportToken = 512

// DataExportToken returns the token of the export link of event e of workshop w: the workshop,
// registration, link and expiry, and their signature (sign is the keyed pseudonym).
func DataExportToken(sign func(purpose, value string) string, w WorkshopID, e DataExportRequested) string {
	value := strings.Join([]string{string(w), string(e.RegistrationID), e.LinkID,
		strconv.FormatInt(e.ExpiresAt.Unix(), 10)}, "|")
	return base64.RawURLEncoding.EncodeToString([]byte(value)) + "." + sign(DataExportLinkPurpose, value)
}

// DataExportLink is what a valid export link names: a registration of a workshop, or an
// account in a network (AccountDataExportToken).
type DataExportLink struct {
	Workshop     WorkshopID
	Registration RegistrationID
	Network      NetworkID
	Account      AccountID
	ExpiresAt    time.Time
}

// ParseDataExportToken checks token's signature and returns what it names; ok is false for
// anything that is not a token DataExportToken made with the same key. Expiry is the caller's
// to check.
func ParseDataExportToken(sign func(purpose, value string) string, token string) (DataExportLink, bool) {
	if len(token) > maxDataExportToken {
		return DataExportLink{}, false
	}
	enc, mac, ok := strings.Cut(token, ".")
	if !ok {
		return DataExportLink{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return DataExportLink{}, false
	}
	value := string(raw)
	if subtle.ConstantTimeCompare([]byte(sign(DataExportLinkPurpose, value)), []byte(mac)) != 1 {
		return DataExportLink{}, false
	}
	parts := strings.Split(value, "|")
	if len(parts) == 5 && parts[0] == accountTokenKind && parts[1] != "" && parts[2] != "" {
		unix, err := strconv.ParseInt(parts[4], 10, 64)
		if err != nil {
			return DataExportLink{}, false
		}
		return DataExportLink{Network: NetworkID(parts[1]), Account: AccountID(parts[2]), ExpiresAt: time.Unix(unix, 0).UTC()}, true
	}
	if len(parts) != 4 || parts[0] == "" || parts[1] == "" {
		return DataExportLink{}, false
	}
	unix, err := strconv.ParseInt(parts[3], 10, 64)
	if err != nil {
		return DataExportLink{}, false
	}
	return DataExportLink{Workshop: WorkshopID(parts[0]), Registration: RegistrationID(parts[1]),
		ExpiresAt: time.Unix(unix, 0).UTC()}, true
}

// A person known only by an account in a network (no registration) asks for their data the same
// way: the request and every copy given are recorded in the network's log, naming the account,
// never the address.

// AccountDataExportRequested records that a person asked for a copy of their data with the
// address of member Account of Network: the outbox mails them a link, valid until ExpiresAt,
// derived from LinkID (the log holds no credential). Lang is the language of the mail.
type AccountDataExportRequested struct {
	Network   NetworkID `json:"network"`
	Account   AccountID `json:"account"`
	LinkID    string    `json:"link_id"`
	ExpiresAt time.Time `json:"expires_at"`
	Lang      string    `json:"lang,omitempty"`
}

func (AccountDataExportRequested) Name() string { return "network.data_export_requested.v1" }

var _ = register[AccountDataExportRequested]()

// AccountDataExported records that a copy of the personal data of member Account was given out
// through Channel; the commit's actor says who asked.
type AccountDataExported struct {
	Account AccountID `json:"account"`
	Channel string    `json:"channel"`
}

func (AccountDataExported) Name() string { return "network.personal_data_exported.v1" }

var _ = register[AccountDataExported]()

// evolveDataExport applies a request for an account's data to n.
func (n Network) evolveDataExport(e AccountDataExportRequested) Network {
	n.ExportLinks = maps.Clone(n.ExportLinks)
	if n.ExportLinks == nil {
		n.ExportLinks = map[AccountID]time.Time{}
	}
	n.ExportLinks[e.Account] = e.ExpiresAt
	return n
}

// RequestDataExport decides a person's request for a copy of their data on their account in the
// network. It never says whether the account exists: for none it decides nothing and no error;
// nor within ExportRequestInterval of the account's last request (a link is on its way).
func (n Network) RequestDataExport(account AccountID, linkID, lang string, expires time.Time) ([]Event, error) {
	if !n.Exists() {
		return nil, ErrNetworkNotFound
	}
	if _, ok := n.Members[account]; !ok || account == "" || linkID == "" {
		return nil, nil
	}
	if last, ok := n.ExportLinks[account]; ok && expires.Sub(last) < ExportRequestInterval {
		return nil, nil
	}
	if !slices.Contains(Languages, lang) {
		lang = ""
	}
	return []Event{AccountDataExportRequested{Network: n.ID, Account: account, LinkID: linkID, ExpiresAt: expires.UTC(), Lang: lang}}, nil
}

// RecordDataExport decides that the data of member account was exported through channel.
func (n Network) RecordDataExport(account AccountID, channel string) ([]Event, error) {
	if !n.Exists() {
		return nil, ErrNetworkNotFound
	}
	if _, ok := n.Members[account]; !ok {
		return nil, ErrMemberNotFound
	}
	return []Event{AccountDataExported{Account: account, Channel: channel}}, nil
}

// accountTokenKind marks the token of a link to an account's export.
const accountTokenKind = "account"

// AccountDataExportToken returns the token of the export link of e: the network, account, link
// and expiry, and their signature (sign is the keyed pseudonym).
func AccountDataExportToken(sign func(purpose, value string) string, e AccountDataExportRequested) string {
	value := strings.Join([]string{accountTokenKind, string(e.Network), string(e.Account), e.LinkID,
		strconv.FormatInt(e.ExpiresAt.Unix(), 10)}, "|")
	return base64.RawURLEncoding.EncodeToString([]byte(value)) + "." + sign(DataExportLinkPurpose, value)
}
