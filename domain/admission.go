package domain

import "fmt"

// ErrNotWaitlisted refuses to admit at the door a registration that does not wait for a seat on
// the day.
var ErrNotWaitlisted = newRule("not-waitlisted", "the registration is not on the waitlist of this day", ErrConflict)

// AdmitWaitlisted admits a person who waits for a seat on Day and has come to the door.
type AdmitWaitlisted struct {
	RegistrationID RegistrationID
	Day            Day
}

// AdmitWaitlisted decides an admission at the door: the registration is confirmed on the day and
// checked in, in one decision. It needs a free seat on the day. The person is there, so they
// get the seat out of waitlist order: those in front of them on the waitlist keep their places.
func (w Workshop) AdmitWaitlisted(c AdmitWaitlisted) ([]Event, error) {
	if err := w.checkCheckIn(CheckInParticipant{RegistrationID: c.RegistrationID, Day: c.Day}); err != nil {
		return nil, err
	}
	r := w.Registrations[c.RegistrationID]
	switch {
	case r.Status == Cancelled:
		return nil, ErrRegistrationCancelled
	case !r.WaitlistedOn(c.Day):
		return nil, fmt.Errorf("%w: the registration is %s on %s", ErrNotWaitlisted, r.DayStatus[c.Day], c.Day)
	case !w.fits([]Day{c.Day}):
		return nil, fmt.Errorf("%w: %d of %d seats are taken on %s", ErrDayFull, w.Confirmed(c.Day), w.Capacity, c.Day)
	}
	return []Event{
		RegistrationConfirmed{RegistrationID: r.ID, FromWaitlist: true, Days: []Day{c.Day}},
		ParticipantCheckedIn{RegistrationID: r.ID, Day: c.Day},
	}, nil
}
