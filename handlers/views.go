package handlers

import (
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// The API's JSON shapes. They are declared here, not taken from the read models, because
// openapi.json promises them to clients and because a read model holds what a client must
// never see (a token's hash).

type workshopJSON struct {
	ID       domain.WorkshopID `json:"id"`
	Title    string            `json:"title"`
	Series   string            `json:"series"`
	Venue    string            `json:"venue"`
	Days     []domain.Day      `json:"days"`
	Capacity int               `json:"capacity"`
	// RegistrationCloses is the instant from which registration is closed, omitted when none.
	RegistrationCloses time.Time `json:"registration_closes,omitzero"`
	// RegistrationOpen reports whether the workshop takes registrations now: before its
	// closing time, not after its last day (in the instance's time zone).
	RegistrationOpen bool          `json:"registration_open"`
	Agenda           []sessionJSON `json:"agenda"` // ordered by day, start, room, title
	Seats            []seatsJSON   `json:"seats"`  // one per day, in day order
	// Network owns the workshop, omitted for none; Visibility is "public" or "members".
	Network    domain.NetworkID  `json:"network,omitempty"`
	Visibility domain.Visibility `json:"visibility"`
}

type sessionJSON struct {
	ID       domain.SessionID `json:"id"`
	Title    string           `json:"title"`
	Kind     domain.Kind      `json:"kind"`
	Day      domain.Day       `json:"day"`
	Starts   string           `json:"starts"`
	Ends     string           `json:"ends"`
	Room     string           `json:"room"`
	Speakers []string         `json:"speakers"`
}

type seatsJSON struct {
	Day       domain.Day `json:"day"`
	Confirmed int        `json:"confirmed"`
	Free      int        `json:"free"`
}

type registrationJSON struct {
	ID     domain.RegistrationID `json:"id"`
	Status domain.Status         `json:"status"`
	// DayStatus is confirmed or waitlisted per day; WaitlistPositions the place on each day
	// waited for; WaitlistPosition the one of the first of those days.
	DayStatus         map[domain.Day]domain.Status `json:"day_status"`
	WaitlistPositions map[domain.Day]int           `json:"waitlist_positions"`
	WaitlistPosition  int                          `json:"waitlist_position,omitempty"`
	Name              string                       `json:"name"`
	Email             string                       `json:"email"`
	Organisation      string                       `json:"organisation"`
	District          string                       `json:"district"`
	Days              []domain.Day                 `json:"days"`
	Dietary           string                       `json:"dietary"`
	Overnight         bool                         `json:"overnight"`
	PhotoConsent      bool                         `json:"photo_consent"`
	RegisteredAt      time.Time                    `json:"registered_at"`
	// Erased is true when the person's data was erased; name, email and dietary are then empty.
	Erased bool `json:"erased,omitempty"`
	// Answers answers the workshop's registration questions by id: choice answers, yes/no
	// ones as "yes" or "no" (kept after erasure), text answers (erased with the person).
	Answers map[string]string `json:"answers"`
}

// registeredJSON answers a registration: the only time the token is ever shown.
type registeredJSON struct {
	ID                domain.RegistrationID        `json:"id"`
	Status            domain.Status                `json:"status"`
	DayStatus         map[domain.Day]domain.Status `json:"day_status"`
	WaitlistPositions map[domain.Day]int           `json:"waitlist_positions"`
	WaitlistPosition  int                          `json:"waitlist_position,omitempty"`
	Token             string                       `json:"token"`
}

type checkInJSON struct {
	RegistrationID domain.RegistrationID `json:"registration_id"`
	Day            domain.Day            `json:"day"`
	SessionID      domain.SessionID      `json:"session_id,omitempty"`
}

type attendanceJSON struct {
	Capacity      int                `json:"capacity"`
	Confirmed     int                `json:"confirmed"`
	Waitlisted    int                `json:"waitlisted"`
	Cancelled     int                `json:"cancelled"`
	Days          []dayAttendance    `json:"days"`
	Sessions      []sessionPresence  `json:"sessions"`
	Organisations []organisationSeen `json:"organisations"`
}

type dayAttendance struct {
	Day        domain.Day `json:"day"`
	Confirmed  int        `json:"confirmed"`
	Waitlisted int        `json:"waitlisted"`
	CheckedIn  int        `json:"checked_in"`
}

type sessionPresence struct {
	ID        domain.SessionID `json:"id"`
	Title     string           `json:"title"`
	Day       domain.Day       `json:"day"`
	Starts    string           `json:"starts"`
	CheckedIn int              `json:"checked_in"`
}

type organisationSeen struct {
	Organisation string `json:"organisation"`
	Confirmed    int    `json:"confirmed"`
	CheckedIn    int    `json:"checked_in"`
}

func sessionOf(s domain.Session) sessionJSON {
	return sessionJSON{ID: s.ID, Title: s.Title, Kind: s.Kind, Day: s.Day, Starts: s.Starts, Ends: s.Ends,
		Room: s.Room, Speakers: nonNil(s.Speakers)}
}

// workshopOfView is the workshop as GET answers it, from the read model.
func workshopOfView(v projections.WorkshopView, open bool) workshopJSON {
	w := workshopJSON{ID: v.ID, Title: v.Title, Series: v.Series, Venue: v.Venue, Days: nonNil(v.Days),
		Capacity: v.Capacity, RegistrationCloses: v.RegistrationCloses,
		RegistrationOpen: open, Agenda: make([]sessionJSON, 0, len(v.Agenda)), Seats: make([]seatsJSON, 0, len(v.Seats)),
		Network: v.Network, Visibility: v.Visibility.Or()}
	for _, s := range v.Agenda {
		w.Agenda = append(w.Agenda, sessionOf(s))
	}
	for _, s := range v.Seats {
		w.Seats = append(w.Seats, seatsJSON{Day: s.Day, Confirmed: s.Confirmed, Free: s.Free})
	}
	return w
}

func registrationOf(v projections.RegistrationView, qs []domain.RegistrationQuestion) registrationJSON {
	return registrationJSON{ID: v.ID, Status: v.Status, WaitlistPosition: v.WaitlistPosition,
		DayStatus: nonNilMap(v.DayStatus), WaitlistPositions: nonNilMap(v.WaitlistPositions), Name: v.Name,
		Email: v.Email, Organisation: v.Organisation, District: v.District, Days: nonNil(v.Days),
		Dietary: v.Dietary, Overnight: v.Overnight, PhotoConsent: v.PhotoConsent, RegisteredAt: v.RegisteredAt.UTC(), Erased: v.Erased,
		Answers: shownAnswers(qs, v.Answers)}
}

// nonNilMap is m, or an empty map for nil: JSON answers {} rather than null.
func nonNilMap[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return map[K]V{}
	}
	return m
}

func attendanceOf(v projections.Attendance) attendanceJSON {
	a := attendanceJSON{Capacity: v.Capacity, Confirmed: v.Confirmed, Waitlisted: v.Waitlisted, Cancelled: v.Cancelled,
		Days: make([]dayAttendance, 0, len(v.Days)), Sessions: make([]sessionPresence, 0, len(v.Sessions)),
		Organisations: make([]organisationSeen, 0, len(v.Organisations))}
	for _, d := range v.Days {
		a.Days = append(a.Days, dayAttendance{Day: d.Day, Confirmed: d.Confirmed, Waitlisted: d.Waitlisted, CheckedIn: d.CheckedIn})
	}
	for _, s := range v.Sessions {
		a.Sessions = append(a.Sessions, sessionPresence{ID: s.ID, Title: s.Title, Day: s.Day, Starts: s.Starts, CheckedIn: s.CheckedIn})
	}
	for _, o := range v.Organisations {
		a.Organisations = append(a.Organisations, organisationSeen{Organisation: o.Organisation, Confirmed: o.Confirmed, CheckedIn: o.CheckedIn})
	}
	return a
}

// nonNil makes an absent list an empty JSON array, never null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
