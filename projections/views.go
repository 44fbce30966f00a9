package projections

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// Reader is what handlers and reports read. A missing workshop is domain.ErrWorkshopNotFound, a
// missing registration domain.ErrRegistrationNotFound. Returned values are copies: callers may
// keep and change them.
type Reader interface {
	// Workshops returns every workshop, ordered by first day, then title.
	Workshops(ctx context.Context) ([]WorkshopView, error)
	Workshop(ctx context.Context, id domain.WorkshopID) (WorkshopView, error)
	// Registrations returns the workshop's registrations, cancelled ones included, in
	// registration order.
	Registrations(ctx context.Context, id domain.WorkshopID) ([]RegistrationView, error)
	Registration(ctx context.Context, id domain.WorkshopID, rid domain.RegistrationID) (RegistrationView, error)
	Attendance(ctx context.Context, id domain.WorkshopID) (Attendance, error)
	// CheckIns returns who is checked in, for a day or a session, in no particular order: the
	// door desk shows it after a reload.
	CheckIns(ctx context.Context, id domain.WorkshopID) ([]domain.CheckIn, error)
	// SeriesFigures returns, for every workshop of series in the order of Workshops, the
	// figures a series report compares; an empty list for an unknown or empty series.
	SeriesFigures(ctx context.Context, series string) ([]WorkshopFigures, error)
	ThemeCafeReader
	FollowUpReader
	FeedbackReader
	MaterialReader
}

// DaySeats is the occupation of one day of a workshop.
type DaySeats struct {
	Day       domain.Day `json:"day"`
	Confirmed int        `json:"confirmed"`
	// Free is capacity minus confirmed, never below 0.
	Free int `json:"free"`
}

// WorkshopView is a workshop as its public page shows it.
type WorkshopView struct {
	ID       domain.WorkshopID `json:"id"`
	Title    string            `json:"title"`
	Series   string            `json:"series,omitempty"`
	Venue    string            `json:"venue"`
	Days     []domain.Day      `json:"days"`
	Capacity int               `json:"capacity"`
	// RegistrationCloses is the instant from which people may no longer register, zero for
	// none.
	RegistrationCloses time.Time `json:"registration_closes,omitzero"`
	// RegistrationQuestions are the organiser's own fields of the registration form, in
	// their order.
	RegistrationQuestions []domain.RegistrationQuestion `json:"registration_questions,omitempty"`
	// Funding names the project, funding reference, funder and logo; unset for none.
	Funding domain.Funding `json:"funding,omitzero"`
	// Summary is the organisers' summary ("Bilanz"), Markdown, "" for none; the documentation
	// page shows it, the workshop's own JSON leaves it out.
	Summary string `json:"-"`
	// Network owns the workshop; "" for a workshop of no network.
	Network domain.NetworkID `json:"network,omitempty"`
	// Visibility says who sees the workshop: "public" or "members".
	Visibility domain.Visibility `json:"visibility"`
	// Agenda holds the sessions that are not cancelled, ordered by day, starts, room, title.
	Agenda []domain.Session `json:"agenda"`
	// Seats has one entry per day of the workshop, in day order.
	Seats       []DaySeats `json:"seats"`
	ScheduledAt time.Time  `json:"scheduled_at"`
	// Revisions holds, per session of Agenda, the log sequence of its last plan or change (0
	// for sessions projected before revisions were kept). Calendars derive SEQUENCE from it.
	Revisions map[domain.SessionID]uint64 `json:"-"`
	// Revised is the log sequence of the last change of title, venue or capacity, 0 for none.
	Revised uint64 `json:"-"`
}

// RegistrationView is a registration as the organiser's list shows it.
type RegistrationView struct {
	ID       domain.RegistrationID `json:"id"`
	Workshop domain.WorkshopID     `json:"workshop"`
	Name     string                `json:"name"`
	Email    string                `json:"email"`
	Dietary  string                `json:"dietary,omitempty"`
	// PhotoConsent is true when the person agreed that photos showing them may be published;
	// personal data like Dietary, so false once erased.
	PhotoConsent bool `json:"photo_consent"`
	// Erased reports that the personal data could not be decrypted (the person was erased):
	// Name, Email and Dietary are empty.
	Erased       bool         `json:"erased"`
	Organisation string       `json:"organisation"`
	District     string       `json:"district,omitempty"`
	Days         []domain.Day `json:"days"`
	Overnight    bool         `json:"overnight"`
	// Status is the registration as a whole: cancelled; confirmed when confirmed on at least
	// one day; waitlisted when waiting on every day.
	Status domain.Status `json:"status"`
	// DayStatus is its status on each of its days, confirmed or waitlisted (empty when
	// cancelled).
	DayStatus map[domain.Day]domain.Status `json:"day_status"`
	// WaitlistPositions is its 1-based place on the waitlist of each day it waits for, first
	// come first.
	WaitlistPositions map[domain.Day]int `json:"waitlist_positions"`
	// Answers answers registration questions by question id: choice answers, yes/no ones as
	// "yes" or "no" (both kept after erasure) and text answers (gone with the person). It may
	// hold answers to questions the workshop no longer asks: readers show those it asks.
	Answers map[string]string `json:"answers,omitempty"`
	// WaitlistPosition is its place on the first day it waits for; 0 when it waits for none.
	WaitlistPosition int `json:"waitlist_position"`
	// Ordinal and WaitlistedSince order the waitlists (see NumberWaitlist); not serialised.
	Ordinal         uint64                `json:"-"`
	WaitlistedSince map[domain.Day]uint64 `json:"-"`
	// Lang is the language the person registered in (their mails'), "" for the default.
	Lang string `json:"lang,omitempty"`
	// TokenHash identifies the participant's personal token; it is never serialised.
	TokenHash    string    `json:"-"`
	RegisteredAt time.Time `json:"registered_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// MergeAnswers returns a registration's answers: those kept in clear and, unless the person
// was erased (p nil), the text answers sealed with them; nil for none.
func MergeAnswers(clear map[string]string, p *domain.Person) map[string]string {
	var out map[string]string
	add := func(m map[string]string) {
		for k, v := range m {
			if out == nil {
				out = map[string]string{}
			}
			out[k] = v
		}
	}
	add(clear)
	if p != nil {
		add(p.Answers)
	}
	return out
}

// ConfirmedOn reports whether the registration holds a seat on d. A view without DayStatus
// (made by hand) has its Status on each of its Days.
func (v RegistrationView) ConfirmedOn(d domain.Day) bool { return v.statusOn(d) == domain.Confirmed }

// WaitlistedOn reports whether the registration waits for a seat on d.
func (v RegistrationView) WaitlistedOn(d domain.Day) bool { return v.statusOn(d) == domain.Waitlisted }

func (v RegistrationView) statusOn(d domain.Day) domain.Status {
	switch {
	case v.Status == domain.Cancelled:
		return ""
	case v.DayStatus != nil:
		return v.DayStatus[d]
	case slices.Contains(v.Days, d):
		return v.Status
	}
	return ""
}

// ConfirmedDays returns the days on which the registration holds a seat, in day order.
func (v RegistrationView) ConfirmedDays() []domain.Day {
	var ds []domain.Day
	for _, d := range v.Days {
		if v.ConfirmedOn(d) {
			ds = append(ds, d)
		}
	}
	return ds
}

// DayAttendance counts registrations and presence on one day. CheckedIn counts distinct people
// present that day: checked in at the door or at any session of the day (a door desk at a
// session is as good a proof of presence as the one at the entrance).
type DayAttendance struct {
	Day        domain.Day `json:"day"`
	Confirmed  int        `json:"confirmed"`
	Waitlisted int        `json:"waitlisted"`
	CheckedIn  int        `json:"checked_in"`
}

// SessionAttendance counts the check-ins at one session of the agenda.
type SessionAttendance struct {
	ID        domain.SessionID `json:"id"`
	Title     string           `json:"title"`
	Day       domain.Day       `json:"day"`
	Starts    string           `json:"starts"`
	CheckedIn int              `json:"checked_in"`
}

// OrganisationAttendance counts the confirmed registrations of one organisation and how many of
// those people were checked in on any day (or at any session).
type OrganisationAttendance struct {
	Organisation string `json:"organisation"`
	Confirmed    int    `json:"confirmed"`
	CheckedIn    int    `json:"checked_in"`
}

// Attendance is the attendance report of a workshop. Registrations are counted by status. Days
// are in day order, Sessions (not cancelled) by day, starts, title; Organisations (those with a
// confirmed registration) by name.
type Attendance struct {
	Capacity      int                      `json:"capacity"`
	Confirmed     int                      `json:"confirmed"`
	Waitlisted    int                      `json:"waitlisted"`
	Cancelled     int                      `json:"cancelled"`
	Days          []DayAttendance          `json:"days"`
	Sessions      []SessionAttendance      `json:"sessions"`
	Organisations []OrganisationAttendance `json:"organisations"`
	// Answers counts the confirmed registrations and the people among them checked in by
	// their answer to each choice or yes/no registration question, ordered by question id and
	// answer; nil without any such answer. Reports order and label them by the workshop's
	// questions (see AnswersOf).
	Answers []AnswerAttendance `json:"answers,omitempty"`
}

// AnswerAttendance counts the confirmed registrations that gave one answer to one registration
// question, and how many of those people were checked in on any day (or at any session).
type AnswerAttendance struct {
	Question  string `json:"question"`
	Answer    string `json:"answer"`
	Confirmed int    `json:"confirmed"`
	CheckedIn int    `json:"checked_in"`
}

// WorkshopFigures are what a series report compares of one workshop, read without personal
// data and without building the workshop's attendance report or evaluation. Stores count them
// from the AttendanceSheet and Evaluation rows, so they agree with those reports. Its lists
// are never nil.
type WorkshopFigures struct {
	// Workshop is the workshop without Agenda and Seats.
	Workshop WorkshopView
	// Confirmed counts the confirmed registrations.
	Confirmed int
	// Present counts the confirmed people checked in on a day of the workshop, at the door
	// or at a session.
	Present int
	// Organisations are the distinct organisations of the confirmed people, trimmed, without
	// the empty one, sorted.
	Organisations []string
	// CheckedIn counts the distinct people with any check-in: the base of the workshop
	// questionnaire's response rate (see FeedbackEvaluation.CheckedIn).
	CheckedIn int
	// Questionnaire holds the versions of the workshop questionnaire, by version.
	Questionnaire []VersionFigures
}

// SortWorkshopFigures orders figures as Workshops orders workshops: by first day, then title.
func SortWorkshopFigures(fs []WorkshopFigures) {
	slices.SortFunc(fs, func(a, b WorkshopFigures) int {
		return cmp.Or(cmp.Compare(firstDay(a.Workshop.Days), firstDay(b.Workshop.Days)),
			cmp.Compare(a.Workshop.Title, b.Workshop.Title), cmp.Compare(a.Workshop.ID, b.Workshop.ID))
	})
}

// VersionFigures count the answers to one version of the workshop questionnaire: answers
// count for the version they name.
type VersionFigures struct {
	Version   int
	Responses int
	// Scales has one entry per scale question of the version, in its order.
	Scales []ScaleFigures
}

// ScaleFigures count the answers to one scale question: Answers the respondents who gave it a
// value, Sum their values. The mean is Sum / Answers, as Evaluate computes it.
type ScaleFigures struct {
	Question domain.Question
	Answers  int
	Sum      int
}
