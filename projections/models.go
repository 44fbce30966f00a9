package projections

import (
	"context"

	"github.com/werkstatt/werkstatt/domain"
)

// WorkshopDetails builds what a workshop's page shows: its data, its agenda and its free seats.
type WorkshopDetails struct{}

// Name is stable: changing it rebuilds the model from the start of the log.
func (WorkshopDetails) Name() string { return "workshops.v1" }

// Apply writes the rows that follow from e.
func (WorkshopDetails) Apply(_ context.Context, tx Tx, r domain.Recorded) error {
	w := r.Workshop
	switch e := r.Event.(type) {
	case domain.WorkshopScheduled:
		tx.PutWorkshop(WorkshopRow{ID: w, Title: e.Title, Series: e.Series, Venue: e.Venue,
			Days: e.Days, Capacity: e.Capacity, ScheduledAt: r.At, Network: e.Network, Visibility: e.Visibility})
	case domain.WorkshopVisibilitySet:
		tx.SetVisibility(w, e.Visibility)
	case domain.WorkshopChanged:
		tx.ChangeWorkshop(w, e.Title, e.Venue, e.Capacity)
		tx.ReviseWorkshop(w, r.Seq)
	case domain.RegistrationClosesSet:
		tx.SetRegistrationCloses(w, e.Closes.UTC()) // in UTC, as every store reads it back
	case domain.RegistrationQuestionsSet:
		tx.SetRegistrationQuestions(w, e.Questions)
	case domain.FundingSet:
		tx.SetFunding(w, e.Funding)
	case domain.WorkshopSummaryWritten:
		tx.SetSummary(w, e.Text)
	case domain.SessionPlanned:
		tx.PutSession(w, e.Session)
		tx.ReviseSession(w, e.Session.ID, r.Seq)
	case domain.SessionChanged:
		tx.PutSession(w, e.Session)
		tx.ReviseSession(w, e.Session.ID, r.Seq)
	case domain.SessionCancelled:
		tx.DeleteSession(w, e.SessionID)
	case domain.ParticipantRegistered:
		tx.PutSeatHolder(w, e.RegistrationID, e.Days)
	case domain.RegistrationConfirmed:
		tx.SetSeated(w, e.RegistrationID, days(e.Days), true)
	case domain.RegistrationWaitlisted:
		if len(e.Days) > 0 {
			tx.SetSeated(w, e.RegistrationID, e.Days, false)
		}
	case domain.RegistrationCancelled:
		tx.SetSeated(w, e.RegistrationID, nil, false)
	case domain.RegistrationChanged:
		tx.ChangeSeatHolder(w, e.RegistrationID, e.Days)
		if e.Status != "" { // an event of before per-day waitlists: every day took its status
			tx.SetSeated(w, e.RegistrationID, nil, e.Status == domain.Confirmed)
		}
	}
	return nil
}

// Registrations builds the organiser's list of registrations with their waitlist places.
type Registrations struct{}

// Name is stable: changing it rebuilds the model from the start of the log.
func (Registrations) Name() string { return "registrations.v1" }

// Apply writes the rows that follow from e.
func (Registrations) Apply(_ context.Context, tx Tx, r domain.Recorded) error {
	w := r.Workshop
	switch e := r.Event.(type) {
	case domain.WorkshopScheduled:
		tx.PutRegistrationList(w)
	case domain.ParticipantRegistered:
		tx.PutRegistration(RegistrationRow{Workshop: w, ID: e.RegistrationID, Ordinal: r.Seq,
			Person: e.Person, Organisation: e.Organisation, District: e.District, Days: e.Days,
			Overnight: e.Overnight, TokenHash: e.TokenHash, RegisteredAt: r.At, Answers: e.Answers, Lang: e.Lang})
	case domain.RegistrationConfirmed:
		tx.SetRegistrationDayStatus(w, e.RegistrationID, days(e.Days), domain.Confirmed, r.Seq, r.At)
	case domain.RegistrationWaitlisted:
		tx.SetRegistrationDayStatus(w, e.RegistrationID, days(e.Days), domain.Waitlisted, r.Seq, r.At)
	case domain.RegistrationCancelled:
		tx.SetRegistrationStatus(w, e.RegistrationID, domain.Cancelled, r.At)
	case domain.RegistrationChanged:
		var dietary *string
		var consent *bool
		if e.Person != nil { // nil: unchanged, or erased since (ErasePerson forgot it)
			if !e.DietaryKept {
				dietary = &e.Person.Dietary
			}
			if e.PhotoConsentSet {
				consent = &e.Person.PhotoConsent
			}
		}
		tx.ChangeRegistration(w, e.RegistrationID, e.Days, e.Overnight, dietary, consent, r.At)
		if e.Status != "" { // an event of before per-day waitlists: every day took its status
			tx.SetRegistrationDayStatus(w, e.RegistrationID, nil, e.Status, 0, r.At)
		}
	case domain.LinkRequested:
		if e.TokenHash != "" {
			tx.SetTokenHash(w, e.RegistrationID, e.TokenHash)
		}
	case domain.PersonalDataErased:
		// Only the person goes. Organisation, district, days, status and (in AttendanceSheet)
		// check-ins stay: they do not identify anybody, and the counts funders read must not
		// change when somebody asks to be forgotten.
		tx.ErasePerson(w, e.RegistrationID)
	case domain.ReducedToEvidence:
		// The registration's own key is gone; what the hold keeps is the name, under the
		// evidence key (nil once that is erased too).
		var name string
		if e.Person != nil {
			name = e.Person.Name
		}
		tx.ReducePerson(w, e.RegistrationID, name)
	}
	return nil
}

// AttendanceSheet builds the door desk's and the report's counts: registrations by status and
// day, check-ins by day, session and organisation.
type AttendanceSheet struct{}

// Name is stable: changing it rebuilds the model from the start of the log.
func (AttendanceSheet) Name() string { return "attendance.v1" }

// Apply writes the rows that follow from e.
func (AttendanceSheet) Apply(_ context.Context, tx Tx, r domain.Recorded) error {
	w := r.Workshop
	switch e := r.Event.(type) {
	case domain.WorkshopScheduled:
		tx.PutAttendanceSheet(w, e.Days, e.Capacity)
	case domain.WorkshopChanged:
		tx.SetSheetCapacity(w, e.Capacity)
	case domain.SessionPlanned:
		tx.PutSheetSession(w, e.Session)
	case domain.SessionChanged:
		tx.PutSheetSession(w, e.Session)
	case domain.SessionCancelled:
		// As in the domain: nobody attends a session that does not take place.
		tx.DeleteSheetSession(w, e.SessionID)
		tx.DeleteSessionCheckIns(w, e.SessionID)
	case domain.ParticipantRegistered:
		tx.PutAttendee(w, e.RegistrationID, e.Organisation, e.Days)
		tx.SetAttendeeAnswers(w, e.RegistrationID, e.Answers)
	case domain.RegistrationConfirmed:
		tx.SetAttendeeDayStatus(w, e.RegistrationID, days(e.Days), domain.Confirmed)
	case domain.RegistrationWaitlisted:
		tx.SetAttendeeDayStatus(w, e.RegistrationID, days(e.Days), domain.Waitlisted)
	case domain.RegistrationCancelled:
		// The domain drops a cancelled registration's check-ins; so does the sheet.
		tx.SetAttendeeStatus(w, e.RegistrationID, domain.Cancelled)
		tx.DeleteCheckIns(w, e.RegistrationID)
	case domain.RegistrationChanged:
		tx.ChangeAttendee(w, e.RegistrationID, e.Organisation, e.Days)
		if e.Status != "" { // an event of before per-day waitlists: every day took its status
			tx.SetAttendeeDayStatus(w, e.RegistrationID, nil, e.Status)
		}
	case domain.ParticipantCheckedIn:
		tx.PutCheckIn(w, domain.CheckIn(e))
	case domain.CheckInAnnulled:
		tx.DeleteCheckIn(w, domain.CheckIn(e))
	}
	return nil
}

// days is the Days of a RegistrationConfirmed or RegistrationWaitlisted for the row operations:
// nil (every day of the registration) when empty.
func days(ds []domain.Day) []domain.Day {
	if len(ds) == 0 {
		return nil
	}
	return ds
}
