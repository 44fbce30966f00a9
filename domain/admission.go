package domain

import "fmt"

// ErrNotWaitlisted refuses to admit at the door a registration that does not wait for a seat on
// the day.
var ErrNotWaitlisted = newRule("not-waitlisted", "the registration is not on the waitlist of this day", ErrConflict)

// AdmitWaitlisted admits a person who waits for a seat on Day and has come to the door.
type AdmitWaitlisted struct {
	RegistrationID RegistrationID
	Day            Day
	// Today is the caller's date in the instance's time zone: on the day itself, the seats of
	// people who have not come count as free at the door (see DoorSeat). Empty: unknown.
	Today Day
}

// AdmitWaitlisted decides an admission at the door: the registration is confirmed on the day and
// checked in, in one decision. It needs a seat at the door (see DoorSeat). The person is there,
// so they get the seat out of waitlist order: those in front of them on the waitlist keep their
// places.
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
	case !w.DoorSeat(c.Day, c.Today):
		return nil, w.doorFull(c.Day)
	}
	return []Event{
		RegistrationConfirmed{RegistrationID: r.ID, FromWaitlist: true, Days: []Day{c.Day}},
		ParticipantCheckedIn{RegistrationID: r.ID, Day: c.Day},
	}, nil
}

// DoorSeat reports whether the door may let one more person in on day: while a seat is free,
// and on the day itself (today) also while fewer people have come than there are seats. Every
// seat taken is a promise to somebody, but on the day a promise nobody came for is a seat the
// organiser may give to whoever stands at the door: confirmed people may then outnumber the
// seats, and nobody is moved up from the waitlist until they no longer do.
func (w Workshop) DoorSeat(day, today Day) bool {
	return w.fits([]Day{day}) || day == today && w.Present(day) < w.Capacity
}

// Present counts the people checked in on day, at the door or at any session of the day.
func (w Workshop) Present(day Day) int {
	seen := map[RegistrationID]bool{}
	for c := range w.CheckIns {
		if c.Day == day {
			seen[c.RegistrationID] = true
		}
	}
	return len(seen)
}

func (w Workshop) doorFull(day Day) error {
	return fmt.Errorf("%w: %d of %d seats are taken on %s and %d people have come", ErrDayFull,
		w.Confirmed(day), w.Capacity, day, w.Present(day))
}
