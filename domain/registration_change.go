package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Rules of changing a registration.
var (
	// ErrRegistrationCancelled refuses a change of a cancelled registration.
	ErrRegistrationCancelled = newRule("registration-cancelled", "a cancelled registration cannot be changed", ErrConflict)
	// ErrCheckedInDay refuses to remove a day on which the person was already checked in: the
	// attendance of that day stays as it happened.
	ErrCheckedInDay = newRule("checked-in-day", "a day on which the person was checked in cannot be removed", ErrConflict)
)

// ChangeRegistration changes a registration's days, dietary needs or overnight stay; nil fields
// stay as they are.
type ChangeRegistration struct {
	ID        RegistrationID
	Days      *[]Day
	Dietary   *string
	Overnight *bool
	// PhotoConsent sets whether photos showing the person may be published.
	PhotoConsent *bool
	// Organiser is true when the organiser changes the registration: the registration closing
	// time does not hold for them. A participant's change is refused once registration is
	// closed at At on Today (see RegistrationClosed; zero values skip the rule).
	Organiser bool
	At        time.Time
	Today     Day
}

// ChangeRegistration decides a change of a registration. Every day kept keeps its seat or
// waitlist place; an added day is confirmed when it has a free seat and waitlisted on that day
// otherwise; seats given up by removed days go to those days' waitlists, first come first
// served, in the same decision. A change that changes nothing decides nothing.
func (w Workshop) ChangeRegistration(c ChangeRegistration) ([]Event, error) {
	r, err := w.registration(c.ID)
	if err != nil {
		return nil, err
	}
	if r.Erased {
		return nil, ErrRegistrationErased
	}
	if r.Status == Cancelled {
		return nil, ErrRegistrationCancelled
	}
	var fe FieldErrors
	days := r.Days
	if c.Days != nil {
		checkDays(&fe, "days", *c.Days, w.Days)
		days = slices.Clone(*c.Days)
		slices.Sort(days)
	}
	if c.Dietary != nil {
		checkText(&fe, "dietary", *c.Dietary, false, maxText)
	}
	if err := fe.err(); err != nil {
		return nil, err
	}
	if !c.Organiser && w.RegistrationClosed(c.At, c.Today) {
		return nil, ErrRegistrationClosed
	}
	// Status stays empty: added days follow as RegistrationConfirmed/Waitlisted with Days.
	changed := RegistrationChanged{RegistrationID: r.ID, Organisation: r.Organisation, Days: days,
		Overnight: r.Overnight}
	if c.Overnight != nil {
		changed.Overnight = *c.Overnight
	}
	if c.Dietary != nil {
		changed.Person = &Person{Dietary: strings.TrimSpace(*c.Dietary)}
	}
	if c.PhotoConsent != nil {
		if changed.Person == nil {
			changed.Person, changed.DietaryKept = &Person{}, true
		}
		changed.Person.PhotoConsent, changed.PhotoConsentSet = *c.PhotoConsent, true
	}
	if changed.Person == nil && changed.Overnight == r.Overnight && slices.Equal(days, r.Days) {
		return nil, nil
	}
	for _, d := range r.Days {
		if !slices.Contains(days, d) && w.checkedInOn(r.ID, d) {
			return nil, fmt.Errorf("%w: checked in on %s", ErrCheckedInDay, d)
		}
	}
	var added []Day
	for _, d := range days {
		if !slices.Contains(r.Days, d) {
			added = append(added, d)
		}
	}
	next := w.Clone().Evolve(changed)
	events := append([]Event{changed}, next.seatOrWaitlist(r.ID, added, days)...)
	for _, e := range events[1:] {
		next = next.Evolve(e)
	}
	return append(events, next.promote()...), nil
}

// checkedInOn reports whether the registration has a check-in on day, at the door or a session.
func (w Workshop) checkedInOn(id RegistrationID, day Day) bool {
	for c := range w.CheckIns {
		if c.RegistrationID == id && c.Day == day {
			return true
		}
	}
	return false
}
