package domain

import "time"

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
// no error.
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
	if found == "" {
		return nil, nil
	}
	return []Event{DataExportRequested{RegistrationID: found, LinkID: linkID, ExpiresAt: expires.UTC(), Lang: lang}}, nil
}
