// Package domain holds Werkstatt's vocabulary and rules: workshops, their agenda, registrations,
// the waitlist and check-ins. It is pure: no I/O, no clock, no randomness. Commands are decided
// against the current state into events; Evolve folds events into state.
package domain

import (
	"maps"
	"slices"
	"time"
)

// Identifiers are single NATS subject tokens (no dots, no spaces): ULIDs in practice.
type (
	WorkshopID     string
	SessionID      string
	RegistrationID string
)

// Day is a calendar date in ISO form, "2026-11-16".
type Day string

// ParseDay checks that s is an ISO calendar date.
func ParseDay(s string) (Day, bool) {
	_, err := time.Parse(time.DateOnly, s)
	return Day(s), err == nil
}

// Kind is what sort of agenda item a session is.
type Kind string

const (
	Keynote    Kind = "keynote"
	Talk       Kind = "talk"
	Discussion Kind = "discussion"
	ThemeCafe  Kind = "theme_cafe"
	Break      Kind = "break"
	Other      Kind = "other"
)

// Kinds lists every kind of session in the order forms offer them.
var Kinds = []Kind{Keynote, Talk, Discussion, ThemeCafe, Break, Other}

// Session is an item of a workshop's agenda. Starts and Ends are "HH:MM" on Day.
type Session struct {
	ID       SessionID `json:"id"`
	Title    string    `json:"title"`
	Kind     Kind      `json:"kind"`
	Day      Day       `json:"day"`
	Starts   string    `json:"starts"`
	Ends     string    `json:"ends"`
	Room     string    `json:"room,omitempty"`
	Speakers []string  `json:"speakers,omitempty"`
}

// overlaps reports whether two sessions share a room at the same time on the same day.
func (s Session) overlaps(o Session) bool {
	return s.Room != "" && s.Room == o.Room && s.Day == o.Day && s.Starts < o.Ends && o.Starts < s.Ends
}

// Status is where a registration stands.
type Status string

const (
	Confirmed  Status = "confirmed"
	Waitlisted Status = "waitlisted"
	Cancelled  Status = "cancelled"
)

// Registration is what the rules need to know of a registration; the personal data stays in
// the events and the read models.
type Registration struct {
	ID           RegistrationID
	EmailKey     string
	Organisation string
	Days         []Day
	Overnight    bool
	Status       Status
	// Erased is true once the person's data was erased (see Erase).
	Erased bool
	// Lang is the language the person registered in (Languages); "" for registrations from
	// before it was recorded, which mails treat as DefaultLanguage.
	Lang string
}

// CheckIn identifies one presence: a registration on a day, at a session or (empty SessionID)
// at the day as a whole.
type CheckIn struct {
	RegistrationID RegistrationID
	Day            Day
	SessionID      SessionID
}

// Workshop is the aggregate: one workshop of a series with its agenda, registrations and
// check-ins. Its zero value is a workshop that has not been scheduled.
type Workshop struct {
	ID       WorkshopID
	Title    string
	Series   string
	Venue    string
	Days     []Day
	Capacity int
	// RegistrationCloses is the instant from which people may no longer register, zero for
	// none (see RegistrationClosed).
	RegistrationCloses time.Time
	// RegistrationQuestions are the organiser's own fields of the registration form, in
	// their order (see registration_questions.go).
	RegistrationQuestions []RegistrationQuestion
	// Funding names the project, funding reference, funder and logo (see funding.go).
	Funding Funding

	Sessions      map[SessionID]Session // cancelled sessions are removed
	Registrations map[RegistrationID]*Registration
	// Waitlist holds waitlisted registrations, first come first.
	Waitlist []RegistrationID
	CheckIns map[CheckIn]bool
	// ThemeCafes holds the café of every session of kind theme_cafe (see themecafe.go).
	ThemeCafes map[SessionID]*Cafe
	// FollowUps holds the topics, votes and action items agreed here (see followup.go).
	FollowUps *FollowUps
	// Feedback holds the questionnaires and who (by respondent key) answered (see feedback.go).
	Feedback *Feedback

	// seated counts confirmed registrations per day and active maps the email key of every
	// registration that is not cancelled to it: both follow from Registrations, and are kept so
	// that a decision costs the same with 30 registrations as with 3,000.
	seated map[Day]int
	active map[string]RegistrationID
}

// Scheduled reports whether the workshop exists.
func (w Workshop) Scheduled() bool { return w.ID != "" }

// Confirmed counts the confirmed registrations of day.
func (w Workshop) Confirmed(day Day) int { return w.seated[day] }

// ActiveRegistration returns the registration that holds emailKey and is not cancelled.
func (w Workshop) ActiveRegistration(emailKey string) (RegistrationID, bool) {
	id, ok := w.active[emailKey]
	return id, ok
}

// setStatus moves a registration to s, keeping the seat counts and active emails in step.
func (w Workshop) setStatus(id RegistrationID, s Status) {
	r := w.Registrations[id]
	for _, d := range r.Days {
		switch {
		case r.Status == Confirmed && s != Confirmed:
			w.seated[d]--
		case r.Status != Confirmed && s == Confirmed:
			w.seated[d]++
		}
	}
	if s == Cancelled && w.active[r.EmailKey] == id {
		delete(w.active, r.EmailKey)
	}
	r.Status = s
}

// HasDay reports whether d is one of the workshop's days.
func (w Workshop) HasDay(d Day) bool { return slices.Contains(w.Days, d) }

// The events of a workshop, its agenda, registrations and check-ins, each with its stored name
// and registration; Evolve below folds them (erasure.go, themecafe.go, followup.go and
// feedback.go hold the events of their features).

// WorkshopScheduled records that an organiser created a workshop.
type WorkshopScheduled struct {
	ID       WorkshopID `json:"id"`
	Title    string     `json:"title"`
	Series   string     `json:"series,omitempty"`
	Venue    string     `json:"venue"`
	Days     []Day      `json:"days"`
	Capacity int        `json:"capacity"`
}

func (WorkshopScheduled) Name() string { return "workshop.scheduled.v1" }

var _ = register[WorkshopScheduled]()

// WorkshopChanged records the workshop's title, venue and capacity after a change.
type WorkshopChanged struct {
	Title    string `json:"title"`
	Venue    string `json:"venue"`
	Capacity int    `json:"capacity"`
}

func (WorkshopChanged) Name() string { return "workshop.changed.v1" }

var _ = register[WorkshopChanged]()

// RegistrationClosesSet records the instant from which people may no longer register
// ("Anmeldeschluss"); a zero Closes removes it.
type RegistrationClosesSet struct {
	Closes time.Time `json:"closes,omitzero"`
}

func (RegistrationClosesSet) Name() string { return "workshop.registration_closes_set.v1" }

var _ = register[RegistrationClosesSet]()

// SessionPlanned records a new item of the agenda.
type SessionPlanned struct {
	Session Session `json:"session"`
}

func (SessionPlanned) Name() string { return "session.planned.v1" }

var _ = register[SessionPlanned]()

// SessionChanged records an agenda item as it is after a change.
type SessionChanged struct {
	Session Session `json:"session"`
}

func (SessionChanged) Name() string { return "session.changed.v1" }

var _ = register[SessionChanged]()

// SessionCancelled records that an agenda item was taken off the agenda.
type SessionCancelled struct {
	SessionID SessionID `json:"session_id"`
}

func (SessionCancelled) Name() string { return "session.cancelled.v1" }

var _ = register[SessionCancelled]()

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
	// Lang is the language the person registered in ("de" or "en"); absent in events from
	// before it was recorded.
	Lang string `json:"lang,omitempty"`
	// TokenHash is the SHA-256 of the participant's personal token; the token itself is never
	// stored.
	TokenHash string `json:"token_hash"`
	// Answers holds the answers to the workshop's choice and yes/no registration questions
	// (yes/no as AnswerYes or AnswerNo), by question id. They are categories that reports
	// count, like Organisation, and stay after erasure; text answers travel in Person.
	Answers map[string]string `json:"answers,omitempty"`
}

func (ParticipantRegistered) Name() string { return "participant.registered.v1" }

// DataSubject names the person whose key encrypts Person.
func (e ParticipantRegistered) DataSubject() string { return string(e.RegistrationID) }

// WithPerson returns the registration carrying p.
func (e ParticipantRegistered) WithPerson(p *Person) Event { e.Person = p; return e }

var _ = register[ParticipantRegistered]()

// RegistrationConfirmed records that a registration holds a seat on each of its days, either
// at once or when promoted from the waitlist.
type RegistrationConfirmed struct {
	RegistrationID RegistrationID `json:"registration_id"`
	FromWaitlist   bool           `json:"from_waitlist,omitempty"`
}

func (RegistrationConfirmed) Name() string { return "registration.confirmed.v1" }

var _ = register[RegistrationConfirmed]()

// RegistrationWaitlisted records that a registration could not get a seat on every requested
// day. Position is its place in the waitlist at that moment.
type RegistrationWaitlisted struct {
	RegistrationID RegistrationID `json:"registration_id"`
	Position       int            `json:"position"`
}

func (RegistrationWaitlisted) Name() string { return "registration.waitlisted.v1" }

var _ = register[RegistrationWaitlisted]()

// RegistrationCancelled records that a registration gave up its seats or waitlist place.
type RegistrationCancelled struct {
	RegistrationID RegistrationID `json:"registration_id"`
}

func (RegistrationCancelled) Name() string { return "registration.cancelled.v1" }

var _ = register[RegistrationCancelled]()

// RegistrationChanged records a registration's days and overnight stay after a change by the
// participant or the organiser; Status is the registration's status at the change (confirmed
// people keep their seats on the days they keep, and on added days). Person, when the dietary
// needs changed, carries them (Name and Email stay empty): it is sealed under the registration's
// key like ParticipantRegistered's Person, so erasing the person forgets it too. Promotions the
// change allows follow in the same decision as RegistrationConfirmed.
type RegistrationChanged struct {
	RegistrationID RegistrationID `json:"registration_id"`
	Person         *Person        `json:"person,omitempty"`
	Organisation   string         `json:"organisation"`
	Days           []Day          `json:"days"`
	Overnight      bool           `json:"overnight,omitempty"`
	Status         Status         `json:"status"`
}

func (RegistrationChanged) Name() string { return "registration.changed.v1" }

// DataSubject names the person whose key encrypts Person.
func (e RegistrationChanged) DataSubject() string { return string(e.RegistrationID) }

// WithPerson returns the change carrying p.
func (e RegistrationChanged) WithPerson(p *Person) Event { e.Person = p; return e }

var _ = register[RegistrationChanged]()

// ParticipantCheckedIn records presence on a day, or at one session of that day.
type ParticipantCheckedIn struct {
	RegistrationID RegistrationID `json:"registration_id"`
	Day            Day            `json:"day"`
	SessionID      SessionID      `json:"session_id,omitempty"`
}

func (ParticipantCheckedIn) Name() string { return "checkin.recorded.v1" }

var _ = register[ParticipantCheckedIn]()

// CheckInAnnulled records that a check-in was a mistake.
type CheckInAnnulled struct {
	RegistrationID RegistrationID `json:"registration_id"`
	Day            Day            `json:"day"`
	SessionID      SessionID      `json:"session_id,omitempty"`
}

func (CheckInAnnulled) Name() string { return "checkin.annulled.v1" }

var _ = register[CheckInAnnulled]()

// Evolve returns the workshop as it is after e. It never fails: the decision validated e.
// The workshop's maps are shared with the receiver, as a fold from the log wants it; callers
// that keep the old state use Clone first.
func (w Workshop) Evolve(e Event) Workshop {
	switch e := e.(type) {
	case WorkshopScheduled:
		w = Workshop{ID: e.ID, Title: e.Title, Series: e.Series, Venue: e.Venue,
			Days: e.Days, Capacity: e.Capacity,
			Sessions: map[SessionID]Session{}, Registrations: map[RegistrationID]*Registration{},
			CheckIns: map[CheckIn]bool{}, ThemeCafes: map[SessionID]*Cafe{}, FollowUps: newFollowUps(), Feedback: newFeedback(),
			seated: map[Day]int{}, active: map[string]RegistrationID{}}
	case WorkshopChanged:
		w.Title, w.Venue, w.Capacity = e.Title, e.Venue, e.Capacity
	case RegistrationClosesSet:
		w.RegistrationCloses = e.Closes
	case RegistrationQuestionsSet:
		w.RegistrationQuestions = e.Questions
	case FundingSet:
		w.Funding = e.Funding
	case SessionPlanned:
		w.Sessions[e.Session.ID] = e.Session
	case SessionChanged:
		w.Sessions[e.Session.ID] = e.Session
	case SessionCancelled:
		delete(w.Sessions, e.SessionID)
		for c := range w.CheckIns {
			if c.SessionID == e.SessionID {
				delete(w.CheckIns, c) // nobody attends a session that does not take place
			}
		}
	case ParticipantRegistered:
		w.Registrations[e.RegistrationID] = &Registration{ID: e.RegistrationID, EmailKey: e.EmailKey,
			Organisation: e.Organisation, Days: e.Days, Overnight: e.Overnight, Lang: e.Lang}
		if e.EmailKey != "" { // a walk-in may come without an email: nothing to hold
			w.active[e.EmailKey] = e.RegistrationID
		}
	case RegistrationConfirmed:
		w.setStatus(e.RegistrationID, Confirmed)
		w.Waitlist = slices.DeleteFunc(w.Waitlist, func(id RegistrationID) bool { return id == e.RegistrationID })
	case RegistrationWaitlisted:
		w.setStatus(e.RegistrationID, Waitlisted)
		w.Waitlist = append(w.Waitlist, e.RegistrationID)
	case RegistrationCancelled:
		w.setStatus(e.RegistrationID, Cancelled)
		w.Waitlist = slices.DeleteFunc(w.Waitlist, func(id RegistrationID) bool { return id == e.RegistrationID })
		for c := range w.CheckIns {
			if c.RegistrationID == e.RegistrationID {
				delete(w.CheckIns, c)
			}
		}
	case RegistrationChanged:
		if r, ok := w.Registrations[e.RegistrationID]; ok {
			if r.Status == Confirmed {
				for _, d := range r.Days {
					w.seated[d]--
				}
				for _, d := range e.Days {
					w.seated[d]++
				}
			}
			r.Days, r.Overnight = e.Days, e.Overnight
		}
	case ParticipantCheckedIn:
		w.CheckIns[CheckIn(e)] = true
	case CheckInAnnulled:
		delete(w.CheckIns, CheckIn(e))
	case PersonalDataErased:
		w.evolveErasure(e)
	}
	if w.ThemeCafes != nil {
		w.evolveCafe(e)
	}
	if w.FollowUps != nil {
		w.evolveFollowUps(e)
	}
	if w.Feedback != nil {
		w.evolveFeedback(e)
	}
	return w
}

// Clone returns a deep copy, so that a decision tried on a copy cannot change the original.
func (w Workshop) Clone() Workshop {
	c := w
	c.Days = slices.Clone(w.Days)
	c.Waitlist = slices.Clone(w.Waitlist)
	c.RegistrationQuestions = CloneRegistrationQuestions(w.RegistrationQuestions)
	if w.Sessions != nil {
		c.Sessions = make(map[SessionID]Session, len(w.Sessions))
		for k, v := range w.Sessions {
			v.Speakers = slices.Clone(v.Speakers)
			c.Sessions[k] = v
		}
		c.Registrations = make(map[RegistrationID]*Registration, len(w.Registrations))
		for k, v := range w.Registrations {
			r := *v
			r.Days = slices.Clone(v.Days)
			c.Registrations[k] = &r
		}
		c.CheckIns = maps.Clone(w.CheckIns)
		c.ThemeCafes = cloneCafes(w.ThemeCafes)
		c.FollowUps = w.FollowUps.clone()
		c.Feedback = w.Feedback.clone()
		c.seated = maps.Clone(w.seated)
		c.active = maps.Clone(w.active)
	}
	return c
}

// Fold applies events in order to w.
func (w Workshop) Fold(events ...Event) Workshop {
	for _, e := range events {
		w = w.Evolve(e)
	}
	return w
}
