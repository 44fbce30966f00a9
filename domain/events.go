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
	// Answers holds the answers to the workshop's text registration questions, by question id:
	// free text may identify the person, so it is sealed with the rest and forgotten on erasure.
	Answers map[string]string `json:"answers,omitempty"`
	// PhotoConsent is true when the person agreed that photos showing them may be published
	// ("Fotos dürfen veröffentlicht werden"). It is sealed with the rest, so an erased person
	// counts as not consenting.
	PhotoConsent bool `json:"photo_consent,omitempty"`
}
