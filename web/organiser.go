package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

func (s *site) signInForm(c echo.Context) error {
	f := newForm(s)
	f.Values.Set("next", localPath(c.QueryParam("next")))
	return s.render(c, http.StatusOK, "sign-in.html", "SignInTitle", f)
}

// signIn trades the organiser token for a session kept on the server. The token is compared
// and forgotten; the cookie carries only the session's random id.
func (s *site) signIn(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	if !s.cmds.IsOrganiser(strings.TrimSpace(f.V("token"))) {
		f.Values.Del("token")
		f.Errors["token"] = s.texts(c).T("ErrBadToken")
		return s.render(c, http.StatusUnauthorized, "sign-in.html", "SignInTitle", f)
	}
	sess := session{Role: roleOrganiser, Organiser: s.organiserFingerprint(), Expires: s.cfg.Now().Add(sessionLength)}
	if err := s.startSession(c, sessionCookie, "/", sess); err != nil {
		return err
	}
	return seeOther(c, localPath(f.V("next")))
}

// signOut ends the session on the server: its cookie opens nothing anywhere any more.
func (s *site) signOut(c echo.Context) error {
	if err := s.endSession(c, sessionCookie, "/"); err != nil {
		return err
	}
	return seeOther(c, "/")
}

// organiserOp is the sender of an organiser's form: the form's key makes a double submit
// harmless.
func organiserOp(c echo.Context, f form, scope string) app.Op {
	return app.Op{Actor: actorOf(c), Key: f.Key, Scope: "web " + scope, Body: f.body()}
}

func (s *site) dashboard(c echo.Context) error {
	ctx := c.Request().Context()
	all, err := s.cfg.Reader.Workshops(ctx)
	if err != nil {
		return err
	}
	caller, _, err := s.pageCaller(c)
	if err != nil {
		return err
	}
	d := dashboard{Admin: caller.Admin, Roles: map[domain.WorkshopID]domain.Role{}}
	c.SetRequest(c.Request().WithContext(app.Remembering(ctx)))
	for _, w := range all {
		role := domain.RoleOrganiser
		if !caller.Admin {
			if role, err = s.strongestRole(c, caller, w); err != nil {
				return err
			}
		}
		if role != "" {
			d.Workshops = append(d.Workshops, w)
			d.Roles[w.ID] = role
		}
	}
	if caller.Admin {
		d.Series = seriesOf(d.Workshops)
	}
	return s.render(c, http.StatusOK, "dashboard.html", "DashboardTitle", d)
}

// strongestRole is the role in which caller acts on w: organiser (also for a network's admin),
// door or lead; "" for none.
func (s *site) strongestRole(c echo.Context, caller app.Caller, w projections.WorkshopView) (domain.Role, error) {
	for _, role := range []domain.Role{domain.RoleOrganiser, domain.RoleDoor, domain.RoleLead} {
		_, ok, err := s.cmds.WorkshopRole(c.Request().Context(), caller, w.Network, w.Series, role)
		if err != nil || ok {
			return role, err
		}
	}
	return "", nil
}

// dashboard is the overview of the workshops the signed-in person works on (every workshop for
// the administrator), with what their role there offers, and for the administrator each series
// once with its project-lead access.
type dashboard struct {
	Workshops []projections.WorkshopView
	Series    []string
	// Roles holds the caller's role per workshop: organiser (all pages), door (the check-in
	// screen only) or lead (the reports only).
	Roles map[domain.WorkshopID]domain.Role
	Admin bool
}

// Can reports whether the caller's role on workshop id opens pages of kind: "organise" (the
// workshop's own pages), "door" (the check-in screen) or "read" (the reports).
func (d dashboard) Can(id domain.WorkshopID, kind string) bool {
	switch r := d.Roles[id]; kind {
	case "organise":
		return r == domain.RoleOrganiser
	case "door":
		return r == domain.RoleOrganiser || r == domain.RoleDoor
	case "read":
		return r == domain.RoleOrganiser || r == domain.RoleLead
	}
	return false
}

// seriesOf returns the series of the workshops, each once, in the order they first appear.
func seriesOf(list []projections.WorkshopView) []string {
	var series []string
	for _, w := range list {
		if w.Series != "" && !slices.Contains(series, w.Series) {
			series = append(series, w.Series)
		}
	}
	return series
}

// newWorkshop is what the form for a new workshop shows: the form, and the networks the caller
// may schedule in.
type newWorkshop struct {
	Form form
	// Networks are those where the caller organises (every network for the instance's
	// administrator); none hides the choice, as on an instance without networks.
	Networks []app.NetworkView
	// NoNetwork offers "no network": the instance's administrator's choice, where the
	// application does not put the workshop into the one network there is anyway.
	NoNetwork bool
}

// newWorkshopData builds the form's page around f; with one network to choose, it is chosen.
func (s *site) newWorkshopData(c echo.Context, f form) (newWorkshop, error) {
	caller, _, err := s.pageCaller(c)
	if err != nil {
		return newWorkshop{}, err
	}
	all, err := s.cmds.Networks(c.Request().Context(), caller)
	if err != nil {
		return newWorkshop{}, err
	}
	p := newWorkshop{Form: f, NoNetwork: caller.Admin && len(all) > 1}
	for _, n := range all {
		if caller.Admin || slices.ContainsFunc(n.Roles, func(g domain.RoleGrant) bool {
			return g.Role == domain.RoleAdmin || g.Role == domain.RoleOrganiser
		}) {
			p.Networks = append(p.Networks, n)
		}
	}
	if len(p.Networks) == 1 && !f.Values.Has("network") {
		p.Form.Values.Set("network", string(p.Networks[0].ID))
	}
	return p, nil
}

func (s *site) newWorkshopForm(c echo.Context) error {
	f := newForm(s)
	f.Values.Set("reminder_days", strconv.Itoa(domain.DefaultReminderDays))
	p, err := s.newWorkshopData(c, f)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "workshop-new.html", "NewWorkshopTitle", p)
}

func (s *site) scheduleWorkshop(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	caller, _, err := s.pageCaller(c)
	if err != nil {
		return err
	}
	capacity, _ := strconv.Atoi(strings.TrimSpace(f.V("capacity"))) // not a number: 0, which the domain rejects
	closes, err := s.closesOf(f)
	var reminder *int
	if err == nil && strings.TrimSpace(f.V("reminder_days")) != "" { // empty: the default
		reminder, err = reminderDaysOf(f)
	}
	var scheduled domain.WorkshopScheduled
	if err == nil {
		// ScheduleFor, as the API does: the caller must organise in the network they name.
		scheduled, err = s.cmds.ScheduleFor(c.Request().Context(), caller, organiserOp(c, f, "schedule"), domain.ScheduleWorkshop{
			Title: f.V("title"), Series: f.V("series"), Venue: f.V("venue"), Days: f.days("days"), Capacity: capacity,
			RegistrationCloses: closes, Network: domain.NetworkID(strings.TrimSpace(f.V("network"))),
			Visibility: domain.Visibility(f.V("visibility")), ReminderDays: reminder})
	}
	if err != nil {
		if errors.Is(err, app.ErrForbidden) {
			f.Message = s.texts(c).T("ErrRoleForbidden")
		} else if !f.rejectedWorkshop(s.texts(c), err) {
			return err
		}
		p, perr := s.newWorkshopData(c, f)
		if perr != nil {
			return perr
		}
		return s.render(c, http.StatusUnprocessableEntity, "workshop-new.html", "NewWorkshopTitle", p)
	}
	return seeOther(c, "/organiser/workshops/"+string(scheduled.ID), "saved", "1")
}

// editing is what the workshop editor shows: the workshop with its agenda and the forms, one
// of which may come back with messages.
type editing struct {
	W        projections.WorkshopView
	Agenda   []agendaDay
	Kinds    []domain.Kind
	Change   form
	Plan     form
	Edit     form
	EditedID domain.SessionID // the session whose form Edit is
	Saved    bool
	// NetworkName names the workshop's network ("" for none).
	NetworkName string
}

// SessionForm is the edit form of session se: what was typed into it, with the messages, if it
// came back rejected, else se as it stands.
func (e editing) SessionForm(se domain.Session) form {
	if se.ID == e.EditedID && e.Edit.Values.Has("title") {
		return e.Edit
	}
	f := form{Values: url.Values{"title": {se.Title}, "kind": {string(se.Kind)}, "day": {string(se.Day)},
		"starts": {se.Starts}, "ends": {se.Ends}, "room": {se.Room}, "speakers": {strings.Join(se.Speakers, ", ")}}}
	if se.ID == e.EditedID {
		f.Message = e.Edit.Message // a rejected cancel sends no fields
	}
	return f
}

// EditLost reports whether the session of a rejected edit is no longer on the agenda (someone
// cancelled it meanwhile): its message then has no session to stand next to.
func (e editing) EditLost() bool {
	return e.EditedID != "" && !slices.ContainsFunc(e.W.Agenda, func(se domain.Session) bool { return se.ID == e.EditedID })
}

func (s *site) editor(c echo.Context) (editing, error) {
	w, err := s.workshopView(c)
	if err != nil {
		return editing{}, err
	}
	e := editing{W: w, Agenda: agendaByDay(w), Kinds: domain.Kinds, Change: newForm(s),
		Plan: newForm(s), Saved: c.QueryParam("saved") == "1"}
	e.Change.Values.Set("registration_closes", s.closesValue(w.RegistrationCloses))
	e.Change.Values.Set("title", w.Title)
	e.Change.Values.Set("venue", w.Venue)
	e.Change.Values.Set("capacity", strconv.Itoa(w.Capacity))
	e.Change.Values.Set("visibility", string(w.Visibility.Or()))
	// The reminder days live in the log, not the read models.
	m, _, err := s.cmds.Mailings(c.Request().Context(), w.ID)
	if err != nil {
		return editing{}, err
	}
	e.Change.Values.Set("reminder_days", strconv.Itoa(m.Reminder()))
	if w.Network != "" {
		e.NetworkName = string(w.Network) // the id, should the network not be readable
		caller, _, err := s.pageCaller(c)
		if err != nil {
			return editing{}, err
		}
		if n, err := s.cmds.Network(c.Request().Context(), caller, w.Network); err == nil {
			e.NetworkName = n.Name
		} else if !errors.Is(err, domain.ErrNotFound) {
			return editing{}, err
		}
	}
	if len(w.Days) > 0 {
		e.Plan.Values.Set("day", string(w.Days[0]))
	}
	return e, nil
}

func (s *site) editWorkshop(c echo.Context) error {
	return show(s, c, s.editor, "workshop-edit.html", "EditWorkshopTitle")
}

// showRejected renders the editor with f (the form that failed) in its place.
func (s *site) showRejected(c echo.Context, err error, place func(*editing, form)) error {
	return rerender(s, c, err, (*form).rejected, s.editor, place, "workshop-edit.html", "EditWorkshopTitle")
}

func (s *site) changeWorkshop(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	f, err := submitted(c)
	if err != nil {
		return err
	}
	title, venue := f.V("title"), f.V("venue")
	capacity, _ := strconv.Atoi(strings.TrimSpace(f.V("capacity")))
	closes, err := s.closesOf(f) // empty clears it
	cmd := domain.ChangeWorkshop{Title: &title, Venue: &venue, Capacity: &capacity, RegistrationCloses: &closes}
	if err == nil {
		if f.Values.Has("visibility") {
			v := domain.Visibility(f.V("visibility"))
			cmd.Visibility = &v
		}
		if f.Values.Has("reminder_days") {
			cmd.ReminderDays, err = reminderDaysOf(f)
		}
	}
	if err == nil {
		_, err = s.cmds.ChangeWorkshop(c.Request().Context(), id, app.Op{Actor: actorOf(c)}, cmd)
	}
	if err != nil {
		return rerender(s, c, err, (*form).rejectedWorkshop, s.editor, func(e *editing, f form) { e.Change = f },
			"workshop-edit.html", "EditWorkshopTitle")
	}
	return seeOther(c, "/organiser/workshops/"+string(id), "saved", "1")
}

// reminderDaysOf reads the reminder days of a workshop form: a whole number (the domain checks
// its range).
func reminderDaysOf(f form) (*int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(f.V("reminder_days")))
	if err != nil {
		return nil, domain.FieldErrors{{Field: "reminder_days", Code: domain.CodeOutOfRange,
			Detail: fmt.Sprintf("must be a whole number from 0 to %d", domain.MaxReminderDays)}}
	}
	return &n, nil
}

// closesLayout is how an <input type="datetime-local"> sends a time (without seconds).
const closesLayout = "2006-01-02T15:04"

// closesOf reads the registration closing time of a workshop form: a datetime-local in the
// instance's time zone (seconds allowed), zero when empty. A malformed one is a field error.
func (s *site) closesOf(f form) (time.Time, error) {
	v := strings.TrimSpace(f.V("registration_closes"))
	if v == "" {
		return time.Time{}, nil
	}
	loc := s.cmds.Config().Location
	for _, layout := range []string{closesLayout, "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, domain.FieldErrors{{Field: "registration_closes", Code: domain.CodeNotATime,
		Detail: "must be a date and time such as 2027-03-15T18:00"}}
}

// closesValue is t as a datetime-local field shows it, in the instance's time zone; "" for none.
func (s *site) closesValue(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(s.cmds.Config().Location).Format(closesLayout)
}

// rejectedWorkshop explains a rejected workshop form: as rejected does, but a malformed closing
// time asks for a date and time.
func (f *form) rejectedWorkshop(t texts, err error) bool {
	if !f.rejected(t, err) {
		return false
	}
	var fe domain.FieldErrors
	if errors.As(err, &fe) {
		for _, e := range fe {
			if e.Field == "registration_closes" && e.Code == domain.CodeNotATime {
				f.Errors[e.Field] = t.T("ErrRegistrationClosesFormat")
			}
		}
	}
	return true
}

// sessionOf reads a session's fields from a form; speakers are separated by commas.
func sessionOf(f form) domain.Session {
	var speakers []string
	for sp := range strings.SplitSeq(f.V("speakers"), ",") {
		if sp = strings.TrimSpace(sp); sp != "" {
			speakers = append(speakers, sp)
		}
	}
	return domain.Session{Title: f.V("title"), Kind: domain.Kind(f.V("kind")), Day: domain.Day(f.V("day")),
		Starts: f.V("starts"), Ends: f.V("ends"), Room: f.V("room"), Speakers: speakers}
}

func (s *site) planSession(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	f, err := submitted(c)
	if err != nil {
		return err
	}
	if _, err := s.cmds.PlanSession(c.Request().Context(), id, organiserOp(c, f, "plan "+string(id)), sessionOf(f)); err != nil {
		return s.showRejected(c, err, func(e *editing, f form) { e.Plan = f })
	}
	return seeOther(c, "/organiser/workshops/"+string(id), "saved", "1")
}

// changeSession changes a session to what its edit form says: title, kind, day, time, room and
// speakers.
func (s *site) changeSession(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	f, err := submitted(c)
	if err != nil {
		return err
	}
	changed := sessionOf(f)
	changed.ID = domain.SessionID(c.Param("sid"))
	_, err = s.cmds.ChangeSession(c.Request().Context(), id, app.Op{Actor: actorOf(c)}, changed.ID,
		func(domain.Session) (domain.Session, error) { return changed, nil })
	if err != nil {
		return s.showRejected(c, err, func(e *editing, f form) { e.Edit, e.EditedID = f, changed.ID })
	}
	return seeOther(c, "/organiser/workshops/"+string(id), "saved", "1")
}

func (s *site) cancelSession(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	sid := domain.SessionID(c.Param("sid"))
	_, err = s.cmds.CancelSession(c.Request().Context(), id, app.Op{Actor: actorOf(c)}, sid)
	if err != nil {
		return s.showRejected(c, err, func(e *editing, f form) { e.Edit, e.EditedID = f, sid })
	}
	return seeOther(c, "/organiser/workshops/"+string(id), "saved", "1")
}

// eraseRegistration erases the personal data of a registration and returns to the list, where
// the person then reads as erased.
func (s *site) eraseRegistration(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	rid := c.Param("rid")
	if !domain.ValidID(rid) {
		return domain.ErrRegistrationNotFound
	}
	err = s.cmds.Erase(c.Request().Context(), id, app.Op{Actor: actorOf(c)}, domain.RegistrationID(rid))
	if err != nil {
		return err
	}
	return seeOther(c, "/organiser/workshops/"+string(id)+"/registrations")
}
