package domain

import (
	"cmp"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on free text, so that one request cannot bloat every replay of the log.
const (
	maxTitle = 200
	maxText  = 500
	maxDays  = 14
	// maxSpeakers is the most speakers a session names.
	maxSpeakers = 30
	maxEmail    = 254 // RFC 5321 caps a path at 256, brackets included
)

// ScheduleWorkshop creates a workshop.
type ScheduleWorkshop struct {
	ID       WorkshopID
	Title    string
	Series   string
	Venue    string
	Days     []Day
	Capacity int
	// Network owns the workshop ("" for none); the caller checks that it exists.
	Network NetworkID
	// Visibility says who sees the workshop; "" is Public.
	Visibility Visibility
	// RegistrationCloses is the instant from which people may no longer register, zero for
	// none; it may not lie after the end of the workshop's last day in Zone.
	RegistrationCloses time.Time
	// Zone is the instance's time zone, in which the workshop's last day ends; nil is UTC.
	Zone *time.Location
	// Funding is what the workshop inherits from its series (the latest workshop of the series
	// with funding details), unset for none.
	Funding Funding
	// Retention is the retention policy the workshop inherits from its series, unset for none.
	Retention RetentionPolicy
	// ReminderDays is how many days before its first day the workshop reminds its confirmed
	// people (0: never, at most MaxReminderDays); nil is DefaultReminderDays.
	ReminderDays *int
}

// Schedule decides a new workshop, followed by its registration closing time and its inherited
// funding details when it has them.
func (w Workshop) Schedule(c ScheduleWorkshop) ([]Event, error) {
	if w.Scheduled() {
		return nil, ErrWorkshopExists
	}
	var fe FieldErrors
	if c.ID == "" {
		fe.add("id", CodeRequired, "must not be empty") // ids come from the caller; an empty one would never count as scheduled
	}
	checkID(&fe, "id", string(c.ID))
	checkText(&fe, "title", c.Title, true, maxTitle)
	checkText(&fe, "series", c.Series, false, maxTitle)
	checkText(&fe, "venue", c.Venue, true, maxTitle)
	checkDays(&fe, "days", c.Days, nil)
	checkRange(&fe, "capacity", c.Capacity, 1, MaxCapacity)
	checkID(&fe, "network", string(c.Network))
	if !c.Visibility.Valid() {
		fe.add("visibility", CodeNotInList, `must be "public" or "members"`)
	} else if c.Visibility == MembersOnly && c.Network == "" {
		fe.add("visibility", CodeNotAllowed, "only a network's workshop can be for its members only")
	}
	if len(fe) == 0 {
		checkCloses(&fe, c.RegistrationCloses, c.Days, c.Zone)
	}
	if c.ReminderDays != nil {
		checkReminderDays(&fe, *c.ReminderDays)
	}
	if err := fe.err(); err != nil {
		return nil, err
	}
	funding, err := c.Funding.checked()
	if err != nil {
		return nil, err
	}
	days := slices.Clone(c.Days)
	slices.Sort(days)
	events := []Event{WorkshopScheduled{ID: c.ID, Title: strings.TrimSpace(c.Title),
		Series: strings.TrimSpace(c.Series), Venue: strings.TrimSpace(c.Venue),
		Days: days, Capacity: c.Capacity, Network: c.Network, Visibility: c.Visibility}}
	if !c.RegistrationCloses.IsZero() {
		events = append(events, RegistrationClosesSet{Closes: c.RegistrationCloses})
	}
	if funding.Set() {
		events = append(events, FundingSet{Funding: funding})
	}
	if c.Retention.Set() {
		if err := c.Retention.Check(); err != nil {
			return nil, err
		}
		events = append(events, RetentionSet{RetentionPolicy: c.Retention})
	}
	if c.ReminderDays != nil && *c.ReminderDays != DefaultReminderDays {
		events = append(events, ReminderDaysSet{Days: *c.ReminderDays})
	}
	return events, nil
}

// checkCloses checks a registration closing time (zero for none): it may not lie after the end
// of the last of days in zone (nil is UTC).
func checkCloses(fe *FieldErrors, closes time.Time, days []Day, zone *time.Location) {
	if closes.IsZero() || len(days) == 0 {
		return
	}
	if end, ok := LastDayEnds(days, zone); ok && closes.After(end) {
		fe.add("registration_closes", CodeAfterLastDay,
			fmt.Sprintf("%s is after the end of the workshop's last day %s", closes.Format(time.RFC3339), slices.Max(days)))
	}
}

// LastDayEnds is the instant at which the last of days ends in zone (nil is UTC): midnight
// after it. ok is false when the last day is no date.
func LastDayEnds(days []Day, zone *time.Location) (time.Time, bool) {
	if zone == nil {
		zone = time.UTC
	}
	if len(days) == 0 {
		return time.Time{}, false
	}
	last, err := time.ParseInLocation(time.DateOnly, string(slices.Max(days)), zone)
	if err != nil {
		return time.Time{}, false
	}
	return last.AddDate(0, 0, 1), true
}

// ChangeWorkshop changes title, venue, capacity or the registration closing time; nil fields
// stay as they are.
type ChangeWorkshop struct {
	Title    *string
	Venue    *string
	Capacity *int
	// RegistrationCloses sets the instant from which people may no longer register; a zero
	// time removes it.
	RegistrationCloses *time.Time
	// Visibility says who sees the workshop from now on.
	Visibility *Visibility
	// ReminderDays is how many days before its first day the workshop reminds its confirmed
	// people (0: never).
	ReminderDays *int
	// Zone is the instance's time zone, in which the workshop's last day ends; nil is UTC.
	Zone *time.Location
}

// Change decides a change of the workshop. A raised capacity promotes waitlisted people in the
// same decision; a new registration closing time follows as RegistrationClosesSet.
func (w Workshop) Change(c ChangeWorkshop) ([]Event, error) {
	if !w.Scheduled() {
		return nil, ErrWorkshopNotFound
	}
	next := WorkshopChanged{Title: w.Title, Venue: w.Venue, Capacity: w.Capacity}
	var fe FieldErrors
	if c.Title != nil {
		checkText(&fe, "title", *c.Title, true, maxTitle)
		next.Title = strings.TrimSpace(*c.Title)
	}
	if c.Venue != nil {
		checkText(&fe, "venue", *c.Venue, true, maxTitle)
		next.Venue = strings.TrimSpace(*c.Venue)
	}
	if c.Capacity != nil {
		checkRange(&fe, "capacity", *c.Capacity, 1, MaxCapacity)
		next.Capacity = *c.Capacity
	}
	var closes []Event
	if c.Visibility != nil {
		switch v := *c.Visibility; {
		case !v.Valid() || v == "":
			fe.add("visibility", CodeNotInList, `must be "public" or "members"`)
		case v == MembersOnly && w.Network == "":
			fe.add("visibility", CodeNotAllowed, "only a network's workshop can be for its members only")
		case v != w.Visibility.Or():
			closes = append(closes, WorkshopVisibilitySet{Visibility: v})
		}
	}
	if c.RegistrationCloses != nil {
		checkCloses(&fe, *c.RegistrationCloses, w.Days, c.Zone)
		if !c.RegistrationCloses.Equal(w.RegistrationCloses) {
			closes = append(closes, RegistrationClosesSet{Closes: *c.RegistrationCloses})
		}
	}
	if c.ReminderDays != nil {
		checkReminderDays(&fe, *c.ReminderDays)
		if *c.ReminderDays != w.Mailings.Reminder() {
			closes = append(closes, ReminderDaysSet{Days: *c.ReminderDays})
		}
	}
	if err := fe.err(); err != nil {
		return nil, err
	}
	for _, d := range w.Days {
		if n := w.Confirmed(d); n > next.Capacity {
			return nil, fmt.Errorf("%w: %d people are confirmed on %s", ErrCapacityBelowConfirmed, n, d)
		}
	}
	if next == (WorkshopChanged{Title: w.Title, Venue: w.Venue, Capacity: w.Capacity}) {
		return closes, nil
	}
	events := []Event{next}
	return append(append(events, w.Clone().Evolve(next).promote()...), closes...), nil
}

// RegisterParticipant registers a person for some or all days of the workshop.
type RegisterParticipant struct {
	ID           RegistrationID
	Person       Person
	EmailKey     string // keyed hash of the normalised email, computed by the caller
	Organisation string
	District     string
	Days         []Day // empty means every day
	Overnight    bool
	Consent      bool
	TokenHash    string
	// Lang is the language the person registers in, one of Languages; "" (not recorded) is
	// DefaultLanguage.
	Lang string
	// Answers answers the workshop's registration questions by question id: a string for a
	// text or choice question, a bool for a yes/no one (any other value is refused).
	Answers map[string]any
	// At is the caller's clock: registration is refused at and after the workshop's
	// registration closing time. Today is the caller's date in the instance's time zone:
	// registration is refused after the workshop's last day (see RegistrationClosed). A zero
	// At or an empty Today means the time or date is unknown and skips its rule: scenario and
	// benchmark code builds histories without a clock.
	At    time.Time
	Today Day
	// ByOrganiser is a registration by hand (a phone registration): the organiser registers
	// the person, so the closing time and the end of the workshop do not apply. Consent is
	// still required: the organiser states that the person agreed.
	ByOrganiser bool
	// Member says that the person registering is a member of the workshop's network: only
	// members (and organisers, by hand) register for a members-only workshop, which is not
	// found for anybody else.
	Member bool
}

// Register seats a participant on the requested days, or waitlists them when a day is full.
func (w Workshop) Register(c RegisterParticipant) ([]Event, error) {
	if !w.Scheduled() || (w.Visibility == MembersOnly && !c.Member && !c.ByOrganiser) {
		return nil, ErrWorkshopNotFound
	}
	var fe FieldErrors
	checkText(&fe, "name", c.Person.Name, true, maxTitle)
	if addr, err := mail.ParseAddress(c.Person.Email); err != nil || addr.Address != strings.TrimSpace(c.Person.Email) ||
		!ValidText(c.Person.Email, false) || utf8.RuneCountInString(c.Person.Email) > maxEmail {
		fe.add("email", CodeNotAnEmail, "must be an email address such as name@example.org")
	}
	checkText(&fe, "organisation", c.Organisation, true, maxTitle)
	checkText(&fe, "district", c.District, false, maxTitle)
	checkText(&fe, "dietary", c.Person.Dietary, false, maxText)
	days := c.Days
	if len(days) == 0 {
		days = w.Days
	} else {
		checkDays(&fe, "days", days, w.Days)
	}
	clear, text := w.checkRegistrationAnswers(&fe, c.Answers)
	if c.Lang != "" && !slices.Contains(Languages, c.Lang) {
		fe.add("lang", CodeNotInList, "must be one of "+strings.Join(Languages, ", "))
	}
	if !c.Consent {
		fe.add("consent", CodeConsentRequired, "consent to the processing of your data is required to register")
	}
	if err := fe.err(); err != nil {
		return nil, err
	}
	if !c.ByOrganiser && w.RegistrationClosed(c.At, c.Today) {
		return nil, ErrRegistrationClosed
	}
	if _, ok := w.Registrations[c.ID]; ok {
		return nil, fmt.Errorf("%w: registration id %s is taken", ErrConflict, c.ID)
	}
	if _, ok := w.ActiveRegistration(c.EmailKey); ok {
		return nil, ErrAlreadyRegistered
	}
	days = slices.Clone(days)
	slices.Sort(days)
	p := Person{Name: strings.TrimSpace(c.Person.Name), Email: strings.TrimSpace(c.Person.Email),
		Dietary: strings.TrimSpace(c.Person.Dietary), Answers: text, PhotoConsent: c.Person.PhotoConsent}
	registered := ParticipantRegistered{RegistrationID: c.ID, Person: &p, EmailKey: c.EmailKey,
		Organisation: strings.TrimSpace(c.Organisation), District: strings.TrimSpace(c.District),
		Days: days, Overnight: c.Overnight, Lang: c.Lang, TokenHash: c.TokenHash, Answers: clear}
	// Someone already waiting keeps their place: a newcomer is confirmed on a day only if a
	// seat is free now, which it never is while somebody waits for that day (promote runs on
	// every change).
	return append([]Event{registered}, w.seatOrWaitlist(c.ID, days, nil)...), nil
}

// seatOrWaitlist decides the status of registration id on days: confirmed on those with a free
// seat, waitlisted on the others. all names the registration's days when days are all of them
// (nil: they are): then the events leave Days empty, as before per-day waitlists.
func (w Workshop) seatOrWaitlist(id RegistrationID, days []Day, all []Day) []Event {
	var free, full []Day
	for _, d := range days {
		if w.fits([]Day{d}) {
			free = append(free, d)
		} else {
			full = append(full, d)
		}
	}
	whole := func(ds []Day) []Day {
		if all == nil && len(ds) == len(days) {
			return nil
		}
		return ds
	}
	var events []Event
	if len(free) > 0 {
		events = append(events, RegistrationConfirmed{RegistrationID: id, Days: whole(free)})
	}
	if len(full) > 0 {
		e := RegistrationWaitlisted{RegistrationID: id, Days: whole(full), Positions: map[Day]int{}}
		for _, d := range full {
			e.Positions[d] = len(w.Waitlists[d]) + 1
		}
		e.Position = e.Positions[full[0]]
		events = append(events, e)
	}
	return events
}

// RegistrationClosed reports whether registration is closed at now (the caller's clock) on
// today (its date in the instance's time zone): at or after the registration closing time, or
// after the workshop's last day. A zero now or an empty today skips its rule.
func (w Workshop) RegistrationClosed(now time.Time, today Day) bool {
	return RegistrationClosed(w.RegistrationCloses, w.Days, now, today)
}

// RegistrationClosed is Workshop.RegistrationClosed for a workshop of days with closing time
// closes (zero for none), so that read models can tell it too. Days are ISO dates, so that
// they compare as strings.
func RegistrationClosed(closes time.Time, days []Day, now time.Time, today Day) bool {
	if !closes.IsZero() && !now.IsZero() && !now.Before(closes) {
		return true
	}
	return today != "" && len(days) > 0 && today > slices.Max(days)
}

// CancelRegistration gives up a registration's seats and waitlist places. Freed seats go to
// each day's waitlist in the same decision.
func (w Workshop) CancelRegistration(id RegistrationID) ([]Event, error) {
	r, err := w.registration(id)
	if err != nil {
		return nil, err
	}
	if r.Status == Cancelled {
		return nil, ErrAlreadyCancelled
	}
	cancelled := RegistrationCancelled{RegistrationID: id}
	events := []Event{cancelled}
	return append(events, w.Clone().Evolve(cancelled).promote()...), nil
}

// promote serves each day's waitlist, first come first, while the day has a free seat. A
// registration promoted on several days at once gets one RegistrationConfirmed naming them. It
// decides on w, which it changes: call it on a clone.
func (w Workshop) promote() []Event {
	var order []RegistrationID
	promoted := map[RegistrationID][]Day{}
	for _, d := range w.Days {
		for len(w.Waitlists[d]) > 0 && w.fits([]Day{d}) {
			id := w.Waitlists[d][0]
			w.setDayStatus(id, []Day{d}, Confirmed)
			if promoted[id] == nil {
				order = append(order, id)
			}
			promoted[id] = append(promoted[id], d)
		}
	}
	events := make([]Event, 0, len(order))
	for _, id := range order {
		events = append(events, RegistrationConfirmed{RegistrationID: id, FromWaitlist: true, Days: promoted[id]})
	}
	return events
}

// fits reports whether every one of days has a free seat.
func (w Workshop) fits(days []Day) bool {
	for _, d := range days {
		if w.Confirmed(d) >= w.Capacity {
			return false
		}
	}
	return true
}

// CheckInParticipant records presence on a day, or at a session of that day.
type CheckInParticipant struct {
	RegistrationID RegistrationID
	Day            Day
	SessionID      SessionID
}

// CheckIn decides a check-in. Repeating one decides nothing: no events, no error.
func (w Workshop) CheckIn(c CheckInParticipant) ([]Event, error) {
	if err := w.checkCheckIn(c); err != nil {
		return nil, err
	}
	r := w.Registrations[c.RegistrationID]
	if !r.ConfirmedOn(c.Day) {
		return nil, fmt.Errorf("%w: the registration is %s on %s (its days are %v)", ErrNotConfirmed, cmp.Or(r.DayStatus[c.Day], r.Status), c.Day, r.Days)
	}
	if w.CheckIns[CheckIn(c)] {
		return nil, nil
	}
	return []Event{ParticipantCheckedIn(c)}, nil
}

// AnnulCheckIn takes back a mistaken check-in.
func (w Workshop) AnnulCheckIn(c CheckInParticipant) ([]Event, error) {
	if err := w.checkCheckIn(c); err != nil {
		return nil, err
	}
	if !w.CheckIns[CheckIn(c)] {
		return nil, ErrCheckInNotFound
	}
	return []Event{CheckInAnnulled(c)}, nil
}

func (w Workshop) checkCheckIn(c CheckInParticipant) error {
	if _, err := w.registration(c.RegistrationID); err != nil {
		return err
	}
	if !w.HasDay(c.Day) {
		return FieldErrors{{"day", CodeNotADay, fmt.Sprintf("%q is not a day of this workshop", c.Day)}}
	}
	if c.SessionID == "" {
		return nil
	}
	s, ok := w.Sessions[c.SessionID]
	if !ok {
		return ErrSessionNotFound
	}
	if s.Day != c.Day {
		return FieldErrors{{"session_id", CodeOtherDay, fmt.Sprintf("the session takes place on %s, not on %s", s.Day, c.Day)}}
	}
	return nil
}

func (w Workshop) registration(id RegistrationID) (*Registration, error) {
	if !w.Scheduled() {
		return nil, ErrWorkshopNotFound
	}
	r, ok := w.Registrations[id]
	if !ok {
		return nil, ErrRegistrationNotFound
	}
	return r, nil
}

// checkDays validates a list of days: at least one, ISO dates, no duplicates and, when allowed
// is given, each one of them.
func checkDays(fe *FieldErrors, field string, days, allowed []Day) {
	if len(days) == 0 {
		fe.add(field, CodeTooFew, "must name at least one day")
		return
	}
	if len(days) > maxDays {
		fe.add(field, CodeTooMany, fmt.Sprintf("must name at most %d days", maxDays))
		return
	}
	seen := map[Day]bool{}
	for _, d := range days {
		switch _, ok := ParseDay(string(d)); {
		case !ok:
			fe.add(field, CodeNotADate, fmt.Sprintf("%q is not a date as YYYY-MM-DD", d))
		case seen[d]:
			fe.add(field, CodeNamedTwice, fmt.Sprintf("%s is named twice", d))
		case allowed != nil && !slices.Contains(allowed, d):
			fe.add(field, CodeNotADay, fmt.Sprintf("%s is not a day of this workshop", d))
		}
		seen[d] = true
	}
}

func validClock(s string) bool {
	if len(s) != 5 || s[2] != ':' {
		return false
	}
	h, m := (s[0]-'0')*10+(s[1]-'0'), (s[3]-'0')*10+(s[4]-'0')
	return s[0] >= '0' && s[0] <= '2' && s[1] >= '0' && s[1] <= '9' && s[3] >= '0' && s[3] <= '5' &&
		s[4] >= '0' && s[4] <= '9' && h < 24 && m < 60
}
