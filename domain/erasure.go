package domain

// EraseParticipant erases the personal data of a registration (GDPR Art. 17). The event store
// deletes the registration's data key after the decision is appended; the decision itself
// records that the person is gone and frees what they still held.
type EraseParticipant struct {
	RegistrationID RegistrationID
	// Reason is why: ErasureRequested (a person's request, also "") or ErasureRetention.
	Reason ErasureReason
}

// ErasureReason says why personal data was erased.
type ErasureReason string

const (
	// ErasureRequested: the person asked (GDPR Art. 17); the zero value, as in every erasure
	// recorded before reasons were.
	ErasureRequested ErasureReason = ""
	// ErasureRetention: the workshop's retention period (or evidence hold) ended.
	ErasureRetention ErasureReason = "retention"
)

// PersonalDataErased records that a registration's personal data was erased: its data key is
// deleted, so the Person of its ParticipantRegistered can no longer be read. It carries no
// personal data itself.
type PersonalDataErased struct {
	RegistrationID RegistrationID `json:"registration_id"`
	Reason         ErasureReason  `json:"reason,omitempty"`
}

func (PersonalDataErased) Name() string { return "registration.personal_data_erased.v1" }

var _ = register[PersonalDataErased]()

// Erase decides an erasure. Repeating one decides nothing (no events, no error), so that the
// caller may delete the key again after a failure.
//
// A registration still waiting, or confirmed without anybody having checked it in, is
// cancelled first, exactly as CancelRegistration decides it: nobody can be reached for a seat
// any more, and the seat goes to the waitlist. A registration that was checked in keeps its
// status and check-ins: the person was there, and the attendance counts that funders read must
// not change when somebody asks to be forgotten.
func (w Workshop) Erase(c EraseParticipant) ([]Event, error) {
	r, err := w.registration(c.RegistrationID)
	if err != nil {
		return nil, err
	}
	if r.Erased {
		return nil, nil
	}
	var events []Event
	// Retention erases after the workshop: nobody waits for a seat any more, and the counts
	// of the funders' reports stay as they were.
	if c.Reason != ErasureRetention && (r.Status == Waitlisted || r.Status == Confirmed && !w.attended(r.ID)) {
		if events, err = w.CancelRegistration(r.ID); err != nil {
			return nil, err
		}
	}
	events = append(events, PersonalDataErased{RegistrationID: c.RegistrationID, Reason: c.Reason})
	// The personal materials the person uploaded as a café table's host go with them.
	return append(events, w.removePersonal(func(m *Material) bool { return m.HostRegistration == c.RegistrationID })...), nil
}

// attended reports whether the registration has any check-in, at the door or at a session.
func (w Workshop) attended(id RegistrationID) bool {
	for c := range w.CheckIns {
		if c.RegistrationID == id {
			return true
		}
	}
	return false
}

// evolveErasure marks a registration erased. An erased registration no longer holds its email:
// the same person may register again, as a new registration.
func (w Workshop) evolveErasure(e PersonalDataErased) {
	r, ok := w.Registrations[e.RegistrationID]
	if !ok {
		return
	}
	r.Erased = true
	r.ErasedBy = e.Reason
	if w.active[r.EmailKey] == r.ID {
		delete(w.active, r.EmailKey)
	}
}
