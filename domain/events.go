package domain

import "time"

// Event is a fact about a workshop. Name is the event's stored, versioned name: it never comes
// from the Go type name, so renaming a type cannot orphan stored events.
type Event interface {
	Name() string
}

// Personal is implemented by events that carry data about one person in a Person field. The
// event store encrypts that field under the key of DataSubject, so that deleting the key erases
// the person from every copy of the log (crypto-shredding). WithPerson returns a copy of the
// event carrying p, which is how the store puts an opened Person back into a decoded value.
type Personal interface {
	Event
	DataSubject() string
	WithPerson(p *Person) Event
}

// Recorded is an event as the log holds it: the fact, when and by whom it was recorded, and the
// stream sequence of the message that carried it (all events of one decision share it).
type Recorded struct {
	Seq      uint64
	Workshop WorkshopID
	At       time.Time
	Actor    string
	Event    Event
}

// Person is the personal data of a registration. It travels encrypted; nil means erased.
type Person struct {
	Name    string `json:"name"`
	Email   string `json:"email"`
	Dietary string `json:"dietary,omitempty"`
}

// WorkshopScheduled records that an organiser created a workshop.
type WorkshopScheduled struct {
	ID       WorkshopID `json:"id"`
	Title    string     `json:"title"`
	Series   string     `json:"series,omitempty"`
	Venue    string     `json:"venue"`
	Days     []Day      `json:"days"`
	Capacity int        `json:"capacity"`
}

// WorkshopChanged records the workshop's title, venue and capacity after a change.
type WorkshopChanged struct {
	Title    string `json:"title"`
	Venue    string `json:"venue"`
	Capacity int    `json:"capacity"`
}

// SessionPlanned records a new item of the agenda.
type SessionPlanned struct {
	Session Session `json:"session"`
}

// SessionChanged records an agenda item as it is after a change.
type SessionChanged struct {
	Session Session `json:"session"`
}

// SessionCancelled records that an agenda item was taken off the agenda.
type SessionCancelled struct {
	SessionID SessionID `json:"session_id"`
}

// ParticipantRegistered records a registration. Whether it got seats follows in the same
// decision as RegistrationConfirmed or RegistrationWaitlisted.
type ParticipantRegistered struct {
	RegistrationID RegistrationID `json:"registration_id"`
	Person         *Person        `json:"person,omitempty"`
	// EmailKey identifies the email without revealing it (a keyed hash of the normalised
	// address); it enforces one active registration per email.
	EmailKey     string `json:"email_key"`
	Organisation string `json:"organisation"`
	District     string `json:"district,omitempty"`
	Days         []Day  `json:"days"`
	Overnight    bool   `json:"overnight,omitempty"`
	// TokenHash is the SHA-256 of the participant's personal token; the token itself is never
	// stored.
	TokenHash string `json:"token_hash"`
}

// DataSubject names the person whose key encrypts Person.
func (e ParticipantRegistered) DataSubject() string { return string(e.RegistrationID) }

// WithPerson returns the registration carrying p.
func (e ParticipantRegistered) WithPerson(p *Person) Event { e.Person = p; return e }

// RegistrationConfirmed records that a registration holds a seat on each of its days, either
// at once or when promoted from the waitlist.
type RegistrationConfirmed struct {
	RegistrationID RegistrationID `json:"registration_id"`
	FromWaitlist   bool           `json:"from_waitlist,omitempty"`
}

// RegistrationWaitlisted records that a registration could not get a seat on every requested
// day. Position is its place in the waitlist at that moment.
type RegistrationWaitlisted struct {
	RegistrationID RegistrationID `json:"registration_id"`
	Position       int            `json:"position"`
}

// RegistrationCancelled records that a registration gave up its seats or waitlist place.
type RegistrationCancelled struct {
	RegistrationID RegistrationID `json:"registration_id"`
}

// ParticipantCheckedIn records presence on a day, or at one session of that day.
type ParticipantCheckedIn struct {
	RegistrationID RegistrationID `json:"registration_id"`
	Day            Day            `json:"day"`
	SessionID      SessionID      `json:"session_id,omitempty"`
}

// CheckInAnnulled records that a check-in was a mistake.
type CheckInAnnulled struct {
	RegistrationID RegistrationID `json:"registration_id"`
	Day            Day            `json:"day"`
	SessionID      SessionID      `json:"session_id,omitempty"`
}

// RoundsSet records the number of rounds of a theme café.
type RoundsSet struct {
	SessionID SessionID `json:"session_id"`
	Rounds    int       `json:"rounds"`
}

// TableAdded records a new table of a theme café.
type TableAdded struct {
	SessionID SessionID `json:"session_id"`
	Table     Table     `json:"table"`
}

// TableChanged records a table of a theme café as it is after a change.
type TableChanged struct {
	SessionID SessionID `json:"session_id"`
	Table     Table     `json:"table"`
}

// TableRemoved records that a table was taken out of a theme café, with its notes; seats at
// it in a plan become missing seats (TableRemovedReason) until the next plan.
type TableRemoved struct {
	SessionID SessionID `json:"session_id"`
	TableID   TableID   `json:"table_id"`
}

// PreferenceCollectionOpened records that participants may rank the tables of a café.
type PreferenceCollectionOpened struct {
	SessionID SessionID `json:"session_id"`
}

// PreferenceCollectionClosed records that rankings can no longer change.
type PreferenceCollectionClosed struct {
	SessionID SessionID `json:"session_id"`
}

// PreferencesStated records a participant's ranking of a café's tables, best first; an empty
// ranking withdraws it. It carries a registration id, not personal data.
type PreferencesStated struct {
	SessionID      SessionID      `json:"session_id"`
	RegistrationID RegistrationID `json:"registration_id"`
	Ranking        []TableID      `json:"ranking"`
}

// RotationPlanned records a rotation plan with its full seating, the result of the planner,
// so that replaying the log never runs the planner again. A new plan is not published.
type RotationPlanned struct {
	SessionID SessionID       `json:"session_id"`
	Seed      uint64          `json:"seed"`
	Plan      RotationPlan    `json:"plan"`
	Quality   RotationQuality `json:"quality"`
}

// GuestMoved records an organiser's move of one guest to a table in one round, with the
// plan's figures after the move.
type GuestMoved struct {
	SessionID      SessionID       `json:"session_id"`
	RegistrationID RegistrationID  `json:"registration_id"`
	Round          int             `json:"round"`
	TableID        TableID         `json:"table_id"`
	Quality        RotationQuality `json:"quality"`
}

// RotationPublished records that participants may see their routes.
type RotationPublished struct {
	SessionID SessionID `json:"session_id"`
}

// TableNotesRecorded records what a table brought up in a round; it replaces earlier notes of
// that table and round.
type TableNotesRecorded struct {
	SessionID SessionID  `json:"session_id"`
	TableID   TableID    `json:"table_id"`
	Round     int        `json:"round"`
	Notes     TableNotes `json:"notes"`
}

func (WorkshopScheduled) Name() string      { return "workshop.scheduled.v1" }
func (WorkshopChanged) Name() string        { return "workshop.changed.v1" }
func (SessionPlanned) Name() string         { return "session.planned.v1" }
func (SessionChanged) Name() string         { return "session.changed.v1" }
func (SessionCancelled) Name() string       { return "session.cancelled.v1" }
func (ParticipantRegistered) Name() string  { return "participant.registered.v1" }
func (RegistrationConfirmed) Name() string  { return "registration.confirmed.v1" }
func (RegistrationWaitlisted) Name() string { return "registration.waitlisted.v1" }
func (RegistrationCancelled) Name() string  { return "registration.cancelled.v1" }
func (ParticipantCheckedIn) Name() string   { return "checkin.recorded.v1" }
func (CheckInAnnulled) Name() string        { return "checkin.annulled.v1" }

var (
	_ = register[WorkshopScheduled]()
	_ = register[WorkshopChanged]()
	_ = register[SessionPlanned]()
	_ = register[SessionChanged]()
	_ = register[SessionCancelled]()
	_ = register[ParticipantRegistered]()
	_ = register[RegistrationConfirmed]()
	_ = register[RegistrationWaitlisted]()
	_ = register[RegistrationCancelled]()
	_ = register[ParticipantCheckedIn]()
	_ = register[CheckInAnnulled]()
)

func (RoundsSet) Name() string                  { return "themecafe.rounds_set.v1" }
func (TableAdded) Name() string                 { return "themecafe.table_added.v1" }
func (TableChanged) Name() string               { return "themecafe.table_changed.v1" }
func (TableRemoved) Name() string               { return "themecafe.table_removed.v1" }
func (PreferenceCollectionOpened) Name() string { return "themecafe.preferences_opened.v1" }
func (PreferenceCollectionClosed) Name() string { return "themecafe.preferences_closed.v1" }
func (PreferencesStated) Name() string          { return "themecafe.preferences_stated.v1" }
func (RotationPlanned) Name() string            { return "themecafe.rotation_planned.v1" }
func (GuestMoved) Name() string                 { return "themecafe.guest_moved.v1" }
func (RotationPublished) Name() string          { return "themecafe.rotation_published.v1" }
func (TableNotesRecorded) Name() string         { return "themecafe.notes_recorded.v1" }

var (
	_ = register[RoundsSet]()
	_ = register[TableAdded]()
	_ = register[TableChanged]()
	_ = register[TableRemoved]()
	_ = register[PreferenceCollectionOpened]()
	_ = register[PreferenceCollectionClosed]()
	_ = register[PreferencesStated]()
	_ = register[RotationPlanned]()
	_ = register[GuestMoved]()
	_ = register[RotationPublished]()
	_ = register[TableNotesRecorded]()
)

func (e RoundsSet) cafe() SessionID                  { return e.SessionID }
func (e TableAdded) cafe() SessionID                 { return e.SessionID }
func (e TableChanged) cafe() SessionID               { return e.SessionID }
func (e TableRemoved) cafe() SessionID               { return e.SessionID }
func (e PreferenceCollectionOpened) cafe() SessionID { return e.SessionID }
func (e PreferenceCollectionClosed) cafe() SessionID { return e.SessionID }
func (e PreferencesStated) cafe() SessionID          { return e.SessionID }
func (e RotationPlanned) cafe() SessionID            { return e.SessionID }
func (e GuestMoved) cafe() SessionID                 { return e.SessionID }
func (e RotationPublished) cafe() SessionID          { return e.SessionID }
func (e TableNotesRecorded) cafe() SessionID         { return e.SessionID }
