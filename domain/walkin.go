package domain

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"unicode/utf8"
)

// ErrDayFull refuses a walk-in on a day whose seats are all taken.
var ErrDayFull = newRule("day-full", "every seat of this day is taken", ErrConflict)

// RegisterWalkIn registers a person who arrives at the door without a registration, for one
// day, and checks them in. The organiser admits them: the registration closing time does not
// apply. The email is optional; without it, EmailKey is empty and the duplicate rule does not
// apply either.
type RegisterWalkIn struct {
	ID           RegistrationID
	Person       Person
	EmailKey     string // keyed hash of the normalised email, "" without an email
	Organisation string
	District     string
	Day          Day
	// Today is the caller's date in the instance's time zone (see DoorSeat); empty: unknown.
	Today Day
}

// RegisterWalkIn decides a walk-in: the registration for its one day, its confirmation and its
// check-in for that day, in one decision. It needs a seat at the door (see DoorSeat).
func (w Workshop) RegisterWalkIn(c RegisterWalkIn) ([]Event, error) {
	if !w.Scheduled() {
		return nil, ErrWorkshopNotFound
	}
	var fe FieldErrors
	checkText(&fe, "name", c.Person.Name, true, maxTitle)
	if email := c.Person.Email; email != "" {
		if addr, err := mail.ParseAddress(email); err != nil || addr.Address != strings.TrimSpace(email) ||
			!ValidText(email, false) || utf8.RuneCountInString(email) > maxEmail {
			fe.add("email", CodeNotAnEmail, "must be an email address such as name@example.org, or empty")
		}
	}
	checkText(&fe, "organisation", c.Organisation, true, maxTitle)
	checkText(&fe, "district", c.District, false, maxTitle)
	checkText(&fe, "dietary", c.Person.Dietary, false, maxText)
	switch _, ok := ParseDay(string(c.Day)); {
	case c.Day == "":
		fe.add("day", CodeRequired, "must not be empty")
	case !ok:
		fe.add("day", CodeNotADate, fmt.Sprintf("%q is not a date as YYYY-MM-DD", c.Day))
	case !w.HasDay(c.Day):
		fe.add("day", CodeNotADay, fmt.Sprintf("%s is not a day of this workshop", c.Day))
	}
	if err := fe.err(); err != nil {
		return nil, err
	}
	if _, ok := w.Registrations[c.ID]; ok {
		return nil, fmt.Errorf("%w: registration id %s is taken", ErrConflict, c.ID)
	}
	if strings.TrimSpace(c.Person.Email) == "" {
		c.EmailKey = "" // no email, no key: the duplicate rule only knows emails
	} else if _, ok := w.ActiveRegistration(c.EmailKey); ok {
		return nil, ErrAlreadyRegistered
	}
	if !w.DoorSeat(c.Day, c.Today) {
		return nil, w.doorFull(c.Day)
	}
	p := Person{Name: strings.TrimSpace(c.Person.Name), Email: strings.TrimSpace(c.Person.Email),
		Dietary: strings.TrimSpace(c.Person.Dietary), PhotoConsent: c.Person.PhotoConsent}
	return []Event{
		ParticipantRegistered{RegistrationID: c.ID, Person: &p, EmailKey: c.EmailKey,
			Organisation: strings.TrimSpace(c.Organisation), District: strings.TrimSpace(c.District),
			Days: slices.Clone([]Day{c.Day})},
		RegistrationConfirmed{RegistrationID: c.ID},
		ParticipantCheckedIn{RegistrationID: c.ID, Day: c.Day},
	}, nil
}
