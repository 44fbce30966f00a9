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
	// Status is the registration as a whole: Cancelled; Confirmed when at least one of its days
	// is confirmed; Waitlisted when none is.
	Status Status
	// DayStatus is where the registration stands on each of its days, Confirmed or Waitlisted
	// (empty once cancelled).
	DayStatus map[Day]Status
	// Erased is true once the person's data was erased (see Erase).
	Erased bool
	// Reduced is true once the person's data was reduced to the evidence a hold keeps (see
	// Reduce): the registration's own key is gone, its evidence key holds the name.
	Reduced bool
	// ErasedBy is why the person's data was erased (set with Erased).
	ErasedBy ErasureReason
	// Lang is the language the person registered in (Languages); "" for registrations from
	// before it was recorded, which mails treat as DefaultLanguage.
	Lang string
	// ExportLinkExpires is when the link of the person's last request for their data expires
	// (see RequestDataExport); zero for none.
	ExportLinkExpires time.Time
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
	// Network owns the workshop, "" for none; Visibility says who sees it ("" is Public).
	Network    NetworkID
	Visibility Visibility
	// RegistrationCloses is the instant from which people may no longer register, zero for
	// none (see RegistrationClosed).
	RegistrationCloses time.Time
	// Summary is the organisers' summary ("Bilanz"), Markdown; "" for none.
	Summary string
	// RegistrationQuestions are the organiser's own fields of the registration form, in
	// their order (see registration_questions.go).
	RegistrationQuestions []RegistrationQuestion
	// Funding names the project, funding reference, funder and logo (see funding.go).
	Funding Funding
	// Retention is the retention policy set for the workshop's series; unset is the default.
	Retention RetentionPolicy

	Sessions      map[SessionID]Session // cancelled sessions are removed
	Registrations map[RegistrationID]*Registration
	// Waitlists holds, per day, the registrations waitlisted on that day, first come first.
	Waitlists map[Day][]RegistrationID
	CheckIns  map[CheckIn]bool
	// ThemeCafes holds the café of every session of kind theme_cafe (see themecafe.go).
	ThemeCafes map[SessionID]*Cafe
	// FollowUps holds the topics, votes and action items agreed here (see followup.go).
	FollowUps *FollowUps
	// Feedback holds the questionnaires and who (by respondent key) answered (see feedback.go).
	Feedback *Feedback
	// Mailings holds the reminder days and which scheduled mails and messages went out (see
	// mailings.go).
	Mailings Mailings
	// Materials holds the workshop's files by id, removed ones included (see material.go).
	Materials map[MaterialID]*Material

	// seated counts confirmed registrations per day and active maps the email key of every
	// registration that is not cancelled to it: both follow from Registrations, and are kept so
	// that a decision costs the same with 30 registrations as with 3,000.
	seated map[Day]int
	active map[string]RegistrationID
	// arrival numbers the registrations in the order they came: see joinWaitlistByArrival.
	arrival map[RegistrationID]int
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

// ConfirmedOn reports whether the registration holds a seat on d.
func (r Registration) ConfirmedOn(d Day) bool { return r.DayStatus[d] == Confirmed }

// WaitlistedOn reports whether the registration waits for a seat on d.
func (r Registration) WaitlistedOn(d Day) bool { return r.DayStatus[d] == Waitlisted }

// WaitlistPosition is the 1-based place of id on day's waitlist, 0 when it does not wait there.
func (w Workshop) WaitlistPosition(id RegistrationID, day Day) int {
	return slices.Index(w.Waitlists[day], id) + 1
}

// setDayStatus moves a registration to s (Confirmed or Waitlisted) on each of days, keeping the
// seat counts and the waitlists in step, and then its overall Status.
func (w Workshop) setDayStatus(id RegistrationID, days []Day, s Status) {
	r := w.Registrations[id]
	if r == nil {
		return
	}
	if r.DayStatus == nil {
		r.DayStatus = map[Day]Status{}
	}
	for _, d := range days {
		old := r.DayStatus[d]
		if old == s {
			continue
		}
		w.leaveDay(r, d)
		r.DayStatus[d] = s
		if s == Confirmed {
			w.seated[d]++
		} else {
			w.joinWaitlist(r, d)
		}
	}
	r.Status = overallStatus(r.DayStatus)
}

// leaveDay frees what r holds on d: its seat or its waitlist place.
func (w Workshop) leaveDay(r *Registration, d Day) {
	switch r.DayStatus[d] {
	case Confirmed:
		w.seated[d]--
	case Waitlisted:
		w.Waitlists[d] = slices.DeleteFunc(w.Waitlists[d], func(id RegistrationID) bool { return id == r.ID })
	}
	delete(r.DayStatus, d)
}

// joinWaitlist puts r at the end of d's waitlist: first come first.
func (w Workshop) joinWaitlist(r *Registration, d Day) {
	w.Waitlists[d] = append(w.Waitlists[d], r.ID)
}

// joinWaitlistByArrival puts r on d's waitlist in order of arrival. A registration of an old
// log that was waitlisted as a whole and then added a day (RegistrationChanged with a Status)
// kept its one place in the single waitlist of that time, which was in order of arrival.
func (w Workshop) joinWaitlistByArrival(r *Registration, d Day) {
	list := w.Waitlists[d]
	i := slices.IndexFunc(list, func(id RegistrationID) bool { return w.arrival[id] > w.arrival[r.ID] })
	if i < 0 {
		i = len(list)
	}
	w.Waitlists[d] = slices.Insert(list, i, r.ID)
}

// overallStatus is a registration's Status from its days' statuses.
func overallStatus(days map[Day]Status) Status {
	s := Waitlisted
	for _, v := range days {
		if v == Confirmed {
			return Confirmed
		}
	}
	if len(days) == 0 {
		return ""
	}
	return s
}

// cancel gives up everything a registration holds.
func (w Workshop) cancel(id RegistrationID) {
	r := w.Registrations[id]
	if r == nil {
		return
	}
	for d := range r.DayStatus {
		w.leaveDay(r, d)
	}
	if w.active[r.EmailKey] == id {
		delete(w.active, r.EmailKey)
	}
	r.Status = Cancelled
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
	// Network owns the workshop; "" for a workshop of no network (the instance's
	// administrator's, as every workshop was before networks existed).
	Network NetworkID `json:"network,omitempty"`
	// Visibility says who sees the workshop; "" is Public.
	Visibility Visibility `json:"visibility,omitempty"`
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

// WorkshopVisibilitySet records who sees the workshop from now on.
type WorkshopVisibilitySet struct {
	Visibility Visibility `json:"visibility"`
}

func (WorkshopVisibilitySet) Name() string { return "workshop.visibility_set.v1" }

var _ = register[WorkshopVisibilitySet]()

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

// RegistrationConfirmed records that a registration holds a seat on Days, either at once or
// when promoted from the waitlist. Empty Days means every day of the registration: that is
// what every event written before per-day waitlists means.
type RegistrationConfirmed struct {
	RegistrationID RegistrationID `json:"registration_id"`
	FromWaitlist   bool           `json:"from_waitlist,omitempty"`
	Days           []Day          `json:"days,omitempty"`
}

func (RegistrationConfirmed) Name() string { return "registration.confirmed.v1" }

var _ = register[RegistrationConfirmed]()

// RegistrationWaitlisted records that a registration waits for a seat on Days, each of them
// full. Empty Days means every day of the registration (every event written before per-day
// waitlists). Positions is its place on each day's waitlist at that moment; Position is its
// place on the first of those days (before per-day waitlists: in the one waitlist).
type RegistrationWaitlisted struct {
	RegistrationID RegistrationID `json:"registration_id"`
	Position       int            `json:"position"`
	Days           []Day          `json:"days,omitempty"`
	Positions      map[Day]int    `json:"positions,omitempty"`
}

func (RegistrationWaitlisted) Name() string { return "registration.waitlisted.v1" }

var _ = register[RegistrationWaitlisted]()

// RegistrationCancelled records that a registration gave up its seats or waitlist place.
type RegistrationCancelled struct {
	RegistrationID RegistrationID `json:"registration_id"`
}

func (RegistrationCancelled) Name() string { return "registration.cancelled.v1" }

var _ = register[RegistrationCancelled]()

// RegistrationChanged records a registration's days, overnight stay and (in Person) dietary
// needs and photo consent after a change by the participant or the organiser; Status is the registration's status at the change (confirmed
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
	Status         Status         `json:"status,omitempty"`
	// PhotoConsentSet says that Person carries the photo consent as changed; DietaryKept that
	// Person does not carry the dietary needs, which stay as they were. Both are absent in
	// events from before photo consent, whose Person carries only the dietary needs.
	PhotoConsentSet bool `json:"photo_consent_set,omitempty"`
	DietaryKept     bool `json:"dietary_kept,omitempty"`
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
			Days: e.Days, Capacity: e.Capacity, Network: e.Network, Visibility: e.Visibility,
			Sessions: map[SessionID]Session{}, Registrations: map[RegistrationID]*Registration{},
			Waitlists: map[Day][]RegistrationID{}, CheckIns: map[CheckIn]bool{}, ThemeCafes: map[SessionID]*Cafe{}, FollowUps: newFollowUps(), Feedback: newFeedback(),
			seated: map[Day]int{}, active: map[string]RegistrationID{}, arrival: map[RegistrationID]int{}}
	case WorkshopChanged:
		w.Title, w.Venue, w.Capacity = e.Title, e.Venue, e.Capacity
	case WorkshopVisibilitySet:
		w.Visibility = e.Visibility
	case RegistrationClosesSet:
		w.RegistrationCloses = e.Closes
	case WorkshopSummaryWritten:
		w.Summary = e.Text
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
			Organisation: e.Organisation, Days: e.Days, Overnight: e.Overnight, Lang: e.Lang,
			DayStatus: map[Day]Status{}}
		w.arrival[e.RegistrationID] = len(w.arrival)
		if e.EmailKey != "" { // a walk-in may come without an email: nothing to hold
			w.active[e.EmailKey] = e.RegistrationID
		}
	case RegistrationConfirmed:
		w.setDayStatus(e.RegistrationID, w.daysOf(e.RegistrationID, e.Days), Confirmed)
	case RegistrationWaitlisted:
		w.setDayStatus(e.RegistrationID, w.daysOf(e.RegistrationID, e.Days), Waitlisted)
	case RegistrationCancelled:
		w.cancel(e.RegistrationID)
		for c := range w.CheckIns {
			if c.RegistrationID == e.RegistrationID {
				delete(w.CheckIns, c)
			}
		}
	case RegistrationChanged:
		w.evolveChange(e)
	case ParticipantCheckedIn:
		w.CheckIns[CheckIn(e)] = true
	case CheckInAnnulled:
		delete(w.CheckIns, CheckIn(e))
	case PersonalDataErased:
		w.evolveErasure(e)
	case ReducedToEvidence:
		w.evolveReduced(e)
	case RetentionSet:
		w.Retention = e.RetentionPolicy
	case DataExportRequested:
		if r := w.Registrations[e.RegistrationID]; r != nil {
			r.ExportLinkExpires = e.ExpiresAt
		}
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
	return w.evolveMaterials(e).evolveMailings(e)
}

// daysOf is days, or every day of the registration when days is empty (see
// RegistrationConfirmed).
func (w Workshop) daysOf(id RegistrationID, days []Day) []Day {
	if len(days) > 0 {
		return days
	}
	if r, ok := w.Registrations[id]; ok {
		return r.Days
	}
	return nil
}

// evolveChange folds a RegistrationChanged, of either shape (see there).
func (w Workshop) evolveChange(e RegistrationChanged) {
	r, ok := w.Registrations[e.RegistrationID]
	if !ok {
		return
	}
	for _, d := range r.Days {
		if !slices.Contains(e.Days, d) {
			w.leaveDay(r, d)
		}
	}
	old := r.Days
	r.Days, r.Overnight = e.Days, e.Overnight
	if e.Status == Confirmed || e.Status == Waitlisted { // an event of before per-day waitlists
		for _, d := range e.Days {
			if !slices.Contains(old, d) {
				r.DayStatus[d] = e.Status
				if e.Status == Confirmed {
					w.seated[d]++
				} else {
					w.joinWaitlistByArrival(r, d)
				}
			}
		}
	}
	if r.Status != Cancelled {
		r.Status = overallStatus(r.DayStatus)
	}
}

// Clone returns a deep copy, so that a decision tried on a copy cannot change the original.
func (w Workshop) Clone() Workshop {
	c := w
	c.Days = slices.Clone(w.Days)
	c.RegistrationQuestions = CloneRegistrationQuestions(w.RegistrationQuestions)
	if w.Waitlists != nil {
		c.Waitlists = make(map[Day][]RegistrationID, len(w.Waitlists))
		for d, l := range w.Waitlists {
			c.Waitlists[d] = slices.Clone(l)
		}
	}
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
			r.DayStatus = maps.Clone(v.DayStatus)
			c.Registrations[k] = &r
		}
		c.CheckIns = maps.Clone(w.CheckIns)
		c.ThemeCafes = cloneCafes(w.ThemeCafes)
		c.FollowUps = w.FollowUps.clone()
		c.Feedback = w.Feedback.clone()
		c.Materials = cloneMaterials(w.Materials)
		c.seated = maps.Clone(w.seated)
		c.active = maps.Clone(w.active)
		c.arrival = maps.Clone(w.arrival)
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
