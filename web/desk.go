package web

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

// registrationList is the organiser's table with its filters and counts by status.
type registrationList struct {
	W             projections.WorkshopView
	Rows          []projections.RegistrationView
	Total         int
	Counts        map[domain.Status]int
	Organisations []string
	Statuses      []domain.Status
	Q, Status     string
	Day           domain.Day
	Organisation  string
	// Catering is the totals per day for the kitchen and the rooms (issue 14).
	Catering reports.CateringReport
	// ByHand is the form that registers someone by hand (a phone registration): empty with
	// every day ticked, or as sent when it came back rejected. ByHandLink is the personal link
	// of the person just registered by hand (with ByHandName), to pass on.
	ByHand                 form
	ByHandLink, ByHandName string
	// FailedMails name the people whose mail could not be delivered after a day of retries.
	FailedMails []failedMail
	// AsOf is the "as of" picker: with a time, the list is as it stood then (read only).
	AsOf asOfForm
}

func (s *site) registrations(c echo.Context) error {
	w, err := s.workshopView(c)
	if err != nil {
		return err
	}
	r, asOf, status, err := s.readerAsOf(c, w)
	if err != nil {
		return err
	}
	l, err := s.listFrom(c, w, r, !asOf.At.IsZero())
	if err != nil {
		return err
	}
	l.AsOf = asOf
	return s.render(c, status, "registrations.html", "RegistrationsTitle", l)
}

// registerByHand registers someone by hand from the registrations list (app.RegisterByHand):
// the list comes back with the person's personal link, or with the form and its messages.
func (s *site) registerByHand(c echo.Context) error {
	w, err := s.workshopView(c)
	if err != nil {
		return err
	}
	f, err := submitted(c)
	if err != nil {
		return err
	}
	t := s.texts(c)
	var r app.Registered
	days := f.days("days")
	if len(days) == 0 { // the domain reads no days as "every day"; unticking every day meant none
		f.Errors, f.Message, err = map[string]string{"days": t.T("ErrDaysRequired")}, t.T("ErrForm"), domain.ErrInvalid
	} else {
		r, err = s.cmds.RegisterByHand(c.Request().Context(), w.ID,
			app.Op{Key: f.Key, Scope: "web register by hand " + string(w.ID), Body: f.body()},
			app.Registration{Name: f.V("name"), Email: f.V("email"), Organisation: f.V("organisation"),
				District: f.V("district"), Dietary: f.V("dietary"), Days: days,
				Overnight: f.V("overnight") == "yes", Consent: f.V("consent") == "yes",
				PhotoConsent: f.V("photo_consent") == "yes",
				Answers:      registrationAnswersOf(f, w.RegistrationQuestions)})
		if err != nil && !f.rejected(t, err) {
			return err
		}
	}
	l, lerr := s.registrationList(c, w)
	if lerr != nil {
		return lerr
	}
	if err != nil {
		l.ByHand = f
		return s.render(c, http.StatusUnprocessableEntity, "registrations.html", "RegistrationsTitle", l)
	}
	l.ByHandName = strings.TrimSpace(f.V("name"))
	l.ByHandLink = absoluteURL(c, personalPath(w.ID, r.ID)+"?token="+url.QueryEscape(r.Token))
	c.Response().Header().Set("Cache-Control", "no-store") // the page holds a personal token
	return s.render(c, http.StatusOK, "registrations.html", "RegistrationsTitle", l)
}

// registrationList loads the registrations list of w with the query's filters and an empty
// form to register someone by hand.
func (s *site) registrationList(c echo.Context, w projections.WorkshopView) (registrationList, error) {
	return s.listFrom(c, w, s.cfg.Reader, false)
}

// listFrom is registrationList reading r; past, the list of an earlier time, leaves out the
// mails that failed since.
func (s *site) listFrom(c echo.Context, w projections.WorkshopView, r projections.Reader, past bool) (registrationList, error) {
	all, err := r.Registrations(c.Request().Context(), w.ID)
	if err != nil {
		return registrationList{}, err
	}
	l := registrationList{W: w, Total: len(all), Counts: map[domain.Status]int{}, ByHand: newForm(s),
		Statuses: []domain.Status{domain.Confirmed, domain.Waitlisted, domain.Cancelled},
		Q:        strings.TrimSpace(c.QueryParam("q")), Status: c.QueryParam("status"),
		Day: domain.Day(c.QueryParam("day")), Organisation: c.QueryParam("organisation")}
	for _, r := range all {
		l.Counts[r.Status]++
		if !slices.Contains(l.Organisations, r.Organisation) {
			l.Organisations = append(l.Organisations, r.Organisation)
		}
		if l.matches(r) {
			l.Rows = append(l.Rows, r)
		}
	}
	slices.Sort(l.Organisations)
	l.Catering = reports.BuildCatering(w, all)
	if !past {
		if l.FailedMails, err = s.failedMails(c, w.ID, all); err != nil {
			return registrationList{}, err
		}
	}
	for _, d := range w.Days {
		l.ByHand.Values.Add("days", string(d)) // every day unless the organiser unticks some
	}
	return l, nil
}

func (l registrationList) matches(r projections.RegistrationView) bool {
	return (l.Status == "" || string(r.Status) == l.Status) &&
		(l.Day == "" || slices.Contains(r.Days, l.Day)) &&
		(l.Organisation == "" || r.Organisation == l.Organisation) &&
		(l.Q == "" || matchesSearch(r, l.Q))
}

// matchesSearch is the desk's search: a few letters of the name, organisation or email.
func matchesSearch(r projections.RegistrationView, q string) bool {
	q = strings.ToLower(q)
	return strings.Contains(strings.ToLower(r.Name), q) || strings.Contains(strings.ToLower(r.Organisation), q) ||
		strings.Contains(strings.ToLower(r.Email), q)
}

// desk is the check-in screen: who is expected on a day (or at a session of it), who is there.
type desk struct {
	W         projections.WorkshopView
	Day       domain.Day
	Session   domain.SessionID
	Sessions  []domain.Session // of Day
	Q         string
	People    []person
	Present   int
	Expected  int
	Done      string // a sentence about the last action, read out by screen readers
	Undo      *person
	UndoState bool
	// WalkIn is the form that registers and checks in a person without a registration on Day:
	// empty, or as sent when it came back rejected.
	WalkIn form
	// Status is the HTTP status of a full page: 422 when the walk-in form came back rejected.
	Status int
}

// person is one row of the check-in screen. Present is "yes", "no" or "" (unknown). Waitlisted
// is a person the search found on the waitlist for the day: not to check in, but to admit
// (confirm and check in at once) when the day has a free seat (CanAdmit).
type person struct {
	ID           domain.RegistrationID
	Name         string
	Organisation string
	Present      string
	Waitlisted   bool
	Position     int
	CanAdmit     bool
}

func (s *site) checkInScreen(c echo.Context) error {
	d, err := s.desk(c, c.QueryParam("day"), c.QueryParam("session"), c.QueryParam("q"))
	if err != nil {
		return err
	}
	return s.renderDesk(c, d)
}

func (s *site) renderDesk(c echo.Context, d desk) error {
	if c.Request().Header.Get("HX-Request") == "true" {
		block := "desk"
		if c.QueryParam("part") == "counts" {
			block = "counts"
		}
		return s.render(c, http.StatusOK, "check-in.html", "CheckInTitle", d, block) // htmx swaps only a 2xx answer
	}
	return s.render(c, cmp.Or(d.Status, http.StatusOK), "check-in.html", "CheckInTitle", d)
}

// desk loads the check-in screen. The day defaults to today when the workshop runs today, else
// to its first day; a session counts only if it takes place on the day.
func (s *site) desk(c echo.Context, day, session, q string) (desk, error) {
	ctx := c.Request().Context()
	w, err := s.workshopView(c)
	if err != nil {
		return desk{}, err
	}
	d := desk{W: w, Day: domain.Day(day), Q: strings.TrimSpace(q), WalkIn: newForm(s)}
	if !slices.Contains(w.Days, d.Day) {
		d.Day = s.cmds.Today()
		if !slices.Contains(w.Days, d.Day) && len(w.Days) > 0 {
			d.Day = w.Days[0]
		}
	}
	for _, se := range w.Agenda {
		if se.Day == d.Day {
			d.Sessions = append(d.Sessions, se)
			if string(se.ID) == session {
				d.Session = se.ID
			}
		}
	}
	regs, err := s.cfg.Reader.Registrations(ctx, w.ID)
	if err != nil {
		return desk{}, err
	}
	present, err := s.presence(ctx, w.ID, d.Day, d.Session)
	if err != nil {
		return desk{}, err
	}
	// The door has a seat while one is free, and on the day itself while fewer people have come
	// than there are seats (domain.Workshop.DoorSeat).
	free := false
	for _, st := range w.Seats {
		free = free || st.Day == d.Day && st.Free > 0
	}
	if !free && d.Day == s.cmds.Today() {
		came, err := s.presentCount(ctx, w.ID, d.Day, "")
		if err != nil {
			return desk{}, err
		}
		free = came < w.Capacity
	}
	for _, r := range regs {
		if r.WaitlistedOn(d.Day) && d.Q != "" && matchesSearch(r, d.Q) {
			// Found at the door but still waiting for the day: say so, so that nobody registers
			// them again, and offer to admit them while a seat is free.
			d.People = append(d.People, person{ID: r.ID, Name: r.Name, Organisation: r.Organisation, Waitlisted: true,
				Position: r.WaitlistPositions[d.Day], CanAdmit: free})
			continue
		}
		if !r.ConfirmedOn(d.Day) {
			continue
		}
		d.Expected++
		if d.Q != "" && !matchesSearch(r, d.Q) {
			continue
		}
		p := person{ID: r.ID, Name: r.Name, Organisation: r.Organisation, Present: "no"}
		if present[r.ID] {
			p.Present = "yes"
		}
		d.People = append(d.People, p)
	}
	slices.SortFunc(d.People, func(a, b person) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
	})
	d.Present, err = s.presentCount(ctx, w.ID, d.Day, d.Session)
	return d, err
}

// presence returns who is checked in on day (at session).
func (s *site) presence(ctx context.Context, id domain.WorkshopID, day domain.Day, session domain.SessionID) (map[domain.RegistrationID]bool, error) {
	all, err := s.cfg.Reader.CheckIns(ctx, id)
	if err != nil {
		return nil, err
	}
	present := map[domain.RegistrationID]bool{}
	for _, ci := range all {
		if ci.Day == day && ci.SessionID == session {
			present[ci.RegistrationID] = true
		}
	}
	return present, nil
}

// presentCount is the live count the screen shows, from the attendance report.
func (s *site) presentCount(ctx context.Context, id domain.WorkshopID, day domain.Day, session domain.SessionID) (int, error) {
	a, err := s.cfg.Reader.Attendance(ctx, id)
	if err != nil {
		return 0, err
	}
	if session != "" {
		for _, se := range a.Sessions {
			if se.ID == session {
				return se.CheckedIn, nil
			}
		}
		return 0, nil
	}
	for _, da := range a.Days {
		if da.Day == day {
			return da.CheckedIn, nil
		}
	}
	return 0, nil
}

// checkInPerson checks a person in, or with action=undo takes a mistaken check-in back.
func (s *site) checkInPerson(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	cmd := domain.CheckInParticipant{RegistrationID: domain.RegistrationID(c.FormValue("registration_id")),
		Day: domain.Day(c.FormValue("day")), SessionID: domain.SessionID(c.FormValue("session"))}
	undo := c.FormValue("action") == "undo"
	checkIn := s.cmds.CheckInParticipant
	if undo {
		checkIn = s.cmds.AnnulCheckIn
	}
	_, err = checkIn(c.Request().Context(), id, app.Op{Actor: actorOf(c)}, cmd)
	t := s.texts(c)
	d, derr := s.desk(c, string(cmd.Day), string(cmd.SessionID), c.FormValue("q"))
	if derr != nil {
		return derr
	}
	if err != nil {
		msg, ok := deskRefusal(t, err)
		if !ok {
			return err
		}
		d.Done = msg
		return s.renderDesk(c, d)
	}
	for i, p := range d.People {
		if p.ID != cmd.RegistrationID {
			continue
		}
		d.People[i].Present = map[bool]string{true: "no", false: "yes"}[undo]
		d.Undo, d.UndoState = &d.People[i], !undo
		d.Done = t.T(map[bool]string{true: "CheckInUndone", false: "CheckedIn"}[undo], "Name", p.Name)
	}
	return s.renderDesk(c, d)
}

// deskRefusal is what the check-in screen says to a refused check-in or admission; ok is false
// for an error that refuses nothing (an outage), which the caller returns as it is.
func deskRefusal(t texts, err error) (string, bool) {
	var fe domain.FieldErrors
	if errors.As(err, &fe) {
		return deskFieldErrors(t, fe), true
	}
	return t.ruleError(err)
}

// admit admits a person waiting for the screen's day at the door: confirmed on the day and
// checked in, in one step (see domain.Workshop.AdmitWaitlisted).
func (s *site) admit(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	cmd := domain.AdmitWaitlisted{RegistrationID: domain.RegistrationID(c.FormValue("registration_id")),
		Day: domain.Day(c.FormValue("day"))}
	_, err = s.cmds.AdmitWaitlisted(c.Request().Context(), id, app.Op{Actor: actorOf(c)}, cmd)
	t := s.texts(c)
	d, derr := s.desk(c, string(cmd.Day), c.FormValue("session"), c.FormValue("q"))
	if derr != nil {
		return derr
	}
	if err != nil {
		msg, ok := deskRefusal(t, err)
		if !ok {
			return err
		}
		d.Done = msg
		return s.renderDesk(c, d)
	}
	for _, p := range d.People {
		if p.ID == cmd.RegistrationID {
			d.Done = t.T("Admitted", "Name", p.Name)
		}
	}
	return s.renderDesk(c, d)
}

// walkIn registers a person who arrives without a registration for the screen's day and
// checks them in, in one step; a rejected form comes back with its messages next to its fields.
func (s *site) walkIn(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	f, err := submitted(c)
	if err != nil {
		return err
	}
	day := domain.Day(f.V("day"))
	_, err = s.cmds.RegisterWalkIn(c.Request().Context(), id,
		app.Op{Actor: actorOf(c), Key: f.Key, Scope: "web walk-in " + string(id), Body: f.body()},
		app.WalkIn{Name: f.V("name"), Organisation: f.V("organisation"), District: f.V("district"), Day: day})
	t := s.texts(c)
	d, derr := s.desk(c, string(day), f.V("session"), f.V("q"))
	if derr != nil {
		return derr
	}
	if err != nil {
		if !f.rejected(t, err) {
			return err
		}
		if errors.Is(err, domain.ErrDayFull) {
			f.Errors["day"] = f.Message
		}
		d.WalkIn, d.Status = f, http.StatusUnprocessableEntity
		return s.renderDesk(c, d)
	}
	d.Done = t.T("WalkedIn", "Name", strings.TrimSpace(f.V("name")))
	return s.renderDesk(c, d)
}

func (s *site) attendance(c echo.Context) error {
	w, err := s.workshopView(c)
	if err != nil {
		return err
	}
	r, asOf, status, err := s.readerAsOf(c, w)
	if err != nil {
		return err
	}
	a, err := r.Attendance(c.Request().Context(), w.ID)
	if err != nil {
		return err
	}
	return s.render(c, status, "attendance.html", "AttendanceTitle", map[string]any{"W": w, "A": a,
		"Q": projections.AnswersOf(w.RegistrationQuestions, a), "AsOf": asOf})
}

// deskFieldErrors says in one line what was wrong with a check-in's fields (the screen has no
// field of its own for the day or person it sent).
func deskFieldErrors(t texts, fe domain.FieldErrors) string {
	msgs := t.fieldErrors(fe)
	var out []string
	for _, f := range fe {
		if m, ok := msgs[f.Field]; ok {
			out = append(out, m)
			delete(msgs, f.Field)
		}
	}
	return strings.Join(out, " ")
}
