package domain

// LinkRequested records that a person asked for their personal link again (they lost it): the
// outbox mails it. TokenHash is the hash of the registration's derived token: a registration
// from before personal links were derived gets one this way, so that a mail can carry it (its
// old link stops working, which is what a lost link wants); for a newer one it is the hash it
// has. The event names nobody: the email the person typed stays out of the log.
type LinkRequested struct {
	RegistrationID RegistrationID `json:"registration_id"`
	TokenHash      string         `json:"token_hash,omitempty"`
}

func (LinkRequested) Name() string { return "registration.link_requested.v1" }

var _ = register[LinkRequested]()

// RequestLink decides a request for the personal link of the registration that holds emailKey.
// It never says whether there is one: without an active registration (none, cancelled, erased)
// it decides nothing and no error. tokenHash returns the hash of a registration's derived token.
func (w Workshop) RequestLink(emailKey string, tokenHash func(RegistrationID) string) ([]Event, error) {
	if !w.Scheduled() {
		return nil, ErrWorkshopNotFound
	}
	id, ok := w.ActiveRegistration(emailKey)
	if !ok || emailKey == "" {
		return nil, nil
	}
	if r := w.Registrations[id]; r == nil || r.Erased || r.Status == Cancelled {
		return nil, nil
	}
	return []Event{LinkRequested{RegistrationID: id, TokenHash: tokenHash(id)}}, nil
}
