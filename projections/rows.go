package projections

import (
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// Tx is the row operations of one store transaction. Every operation is a blind write: it reads
// nothing back, so that a SQL store can queue a whole batch and send it in one round trip. And
// every operation sets rows to a state rather than changing them by a delta, so that a batch
// applied twice (or a half-applied batch applied again) ends with the same rows. Operations on
// rows that do not exist do nothing.
type Tx interface {
	WorkshopRows
	RegistrationRows
	AttendanceRows
	ThemeCafeRows
	FollowUpRows
	FeedbackRows
	MaterialRows
}

// WorkshopRow is a workshop of the WorkshopDetails model.
type WorkshopRow struct {
	ID          domain.WorkshopID
	Title       string
	Series      string
	Venue       string
	Days        []domain.Day
	Capacity    int
	ScheduledAt time.Time
	// RegistrationCloses is zero for none.
	RegistrationCloses time.Time
	// RegistrationQuestions are the workshop's registration questions, nil for none.
	RegistrationQuestions []domain.RegistrationQuestion
	// Funding is unset for none.
	Funding domain.Funding
	// Summary is the organisers' summary ("Bilanz"), Markdown; "" for none.
	Summary string
	// Network owns the workshop, "" for none; Visibility is "" for public.
	Network    domain.NetworkID
	Visibility domain.Visibility
}

// WorkshopRows are the rows of WorkshopDetails: workshops, their agenda and, to count seats,
// who holds a seat on which days.
type WorkshopRows interface {
	PutWorkshop(w WorkshopRow)
	ChangeWorkshop(id domain.WorkshopID, title, venue string, capacity int)
	// SetRegistrationCloses sets the workshop's registration closing time, zero for none.
	SetRegistrationCloses(id domain.WorkshopID, closes time.Time)
	// SetRegistrationQuestions sets the workshop's registration questions.
	SetRegistrationQuestions(id domain.WorkshopID, qs []domain.RegistrationQuestion)
	// SetVisibility sets who sees the workshop.
	SetVisibility(id domain.WorkshopID, v domain.Visibility)
	// SetFunding sets the workshop's funding details, unset for none.
	SetFunding(id domain.WorkshopID, f domain.Funding)
	// SetSummary sets the organisers' summary ("Bilanz"), "" for none.
	SetSummary(id domain.WorkshopID, text string)
	PutSession(w domain.WorkshopID, s domain.Session)
	DeleteSession(w domain.WorkshopID, id domain.SessionID)
	// ReviseSession records seq, the log sequence of the session's last plan or change, as its
	// revision (calendars derive their SEQUENCE from it). It follows PutSession.
	ReviseSession(w domain.WorkshopID, id domain.SessionID, seq uint64)
	// ReviseWorkshop records seq, the log sequence of the workshop's last change of title,
	// venue or capacity, as its revision.
	ReviseWorkshop(id domain.WorkshopID, seq uint64)
	// PutSeatHolder records the days a registration asks for, not yet seated.
	PutSeatHolder(w domain.WorkshopID, r domain.RegistrationID, days []domain.Day)
	// SetSeated seats the registration on days, or gives up its seats there; nil days are all
	// the days it asks for.
	SetSeated(w domain.WorkshopID, r domain.RegistrationID, days []domain.Day, seated bool)
	// ChangeSeatHolder sets the days a registration asks for; it stays seated on those of its
	// seated days that remain.
	ChangeSeatHolder(w domain.WorkshopID, r domain.RegistrationID, days []domain.Day)
}

// RegistrationRow is a registration of the Registrations model. Ordinal orders the list (the
// sequence of the registration); Person nil means erased.
type RegistrationRow struct {
	Workshop     domain.WorkshopID
	ID           domain.RegistrationID
	Ordinal      uint64
	Person       *domain.Person
	Organisation string
	District     string
	Days         []domain.Day
	Overnight    bool
	TokenHash    string
	RegisteredAt time.Time
	// Answers are the answers kept in clear (choice, yes/no); text answers are in Person.
	Answers map[string]string
	// Lang is the language the person registered in, "" for the default.
	Lang string
}

// RegistrationRows are the rows of Registrations.
type RegistrationRows interface {
	// PutRegistrationList records that the workshop exists, with no registrations yet.
	PutRegistrationList(w domain.WorkshopID)
	// PutRegistration records a registration without a status; its UpdatedAt is RegisteredAt.
	PutRegistration(r RegistrationRow)
	// SetRegistrationStatus sets the registration's status as a whole; Cancelled also clears its
	// days' statuses.
	SetRegistrationStatus(w domain.WorkshopID, r domain.RegistrationID, s domain.Status, at time.Time)
	// SetRegistrationDayStatus sets the status (Confirmed or Waitlisted) of the registration on
	// days (nil: all its days) and then its status as a whole (see domain.Registration.Status).
	// since orders a day's waitlist: the sequence of the event that waitlisted it, 0 for its
	// Ordinal.
	SetRegistrationDayStatus(w domain.WorkshopID, r domain.RegistrationID, days []domain.Day, s domain.Status, since uint64, at time.Time)
	// ChangeRegistration sets a registration's days and overnight stay and, unless dietary is
	// nil, its dietary needs (of a person not erased). Removed days lose their status.
	ChangeRegistration(w domain.WorkshopID, r domain.RegistrationID, days []domain.Day, overnight bool, dietary *string, photoConsent *bool, at time.Time)
	// ErasePerson forgets the registration's name, email and dietary needs: the read model
	// must not keep a copy of what the log no longer reveals.
	ErasePerson(w domain.WorkshopID, r domain.RegistrationID)
	// ReducePerson keeps of the registration's person only name (what an evidence hold keeps,
	// "" when it could not be read) and forgets email, dietary needs and text answers.
	ReducePerson(w domain.WorkshopID, r domain.RegistrationID, name string)
	// SetTokenHash replaces the hash of the registration's personal token.
	SetTokenHash(w domain.WorkshopID, r domain.RegistrationID, hash string)
}

// AttendanceRows are the rows of AttendanceSheet: the workshop's days and capacity, its agenda,
// the attendees with their status, and the check-ins.
type AttendanceRows interface {
	PutAttendanceSheet(w domain.WorkshopID, days []domain.Day, capacity int)
	SetSheetCapacity(w domain.WorkshopID, capacity int)
	// PutSheetSession keeps the session's ID, Title, Day and Starts.
	PutSheetSession(w domain.WorkshopID, s domain.Session)
	DeleteSheetSession(w domain.WorkshopID, id domain.SessionID)
	PutAttendee(w domain.WorkshopID, r domain.RegistrationID, organisation string, days []domain.Day)
	// ChangeAttendee sets an attendee's organisation and days; removed days lose their status.
	ChangeAttendee(w domain.WorkshopID, r domain.RegistrationID, organisation string, days []domain.Day)
	// SetAttendeeStatus sets the attendee's status as a whole; Cancelled also clears its days'
	// statuses.
	SetAttendeeStatus(w domain.WorkshopID, r domain.RegistrationID, s domain.Status)
	// SetAttendeeAnswers sets the registration's choice and yes/no answers, which
	// PutAttendee keeps.
	SetAttendeeAnswers(w domain.WorkshopID, r domain.RegistrationID, answers map[string]string)
	// SetAttendeeDayStatus sets the status (Confirmed or Waitlisted) of the attendee on days
	// (nil: all its days) and then its status as a whole.
	SetAttendeeDayStatus(w domain.WorkshopID, r domain.RegistrationID, days []domain.Day, s domain.Status)
	PutCheckIn(w domain.WorkshopID, c domain.CheckIn)
	DeleteCheckIn(w domain.WorkshopID, c domain.CheckIn)
	// DeleteCheckIns removes every check-in of a registration.
	DeleteCheckIns(w domain.WorkshopID, r domain.RegistrationID)
	// DeleteSessionCheckIns removes every check-in at a session.
	DeleteSessionCheckIns(w domain.WorkshopID, s domain.SessionID)
}
