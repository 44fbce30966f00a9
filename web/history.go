package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// The workshop's history for organisers: every decision of its log, newest first, with when
// and who decided it and a sentence per event (app.History).

func (s *site) historyRoutes() []route {
	return []route{{http.MethodGet, "/organiser/workshops/:id/history", s.history, true}}
}

// decision is one commit of the history: its time, who acted and what happened.
type decision struct {
	Seq  uint64
	When string
	Who  string
	What []string
}

func (s *site) history(c echo.Context) error {
	w, err := s.workshopView(c)
	if err != nil {
		return err
	}
	entries, err := s.cmds.History(c.Request().Context(), w.ID)
	if err != nil {
		return err
	}
	t := s.texts(c)
	n := newNarrator(t, entries)
	var out []decision
	for _, e := range entries {
		if len(out) == 0 || out[len(out)-1].Seq != e.Seq {
			out = append(out, decision{Seq: e.Seq, When: t.Moment(e.At), Who: who(t, e)})
		}
		d := &out[len(out)-1]
		d.What = append(d.What, n.tell(e))
	}
	slices.Reverse(out) // the latest first: what an organiser looks for
	return s.render(c, http.StatusOK, "history.html", "HistoryTitle", map[string]any{"W": w, "Decisions": out})
}

// Moment formats an instant in the instance's time zone: "12.03.2027, 10:14" or
// "12 Mar 2027, 10:14".
func (t texts) Moment(at time.Time) string {
	if t.zone != nil {
		at = at.In(t.zone)
	}
	return t.Time(at)
}

// who names the actor of e with the role they acted in: "Anna Schmidt (Teilnehmende)".
func who(t texts, e app.HistoryEntry) string {
	role := t.T("ActorRole_" + e.Actor.Role)
	switch {
	case e.Name != nil:
		return t.T("HistoryWhoNamed", "Name", *e.Name, "Role", role)
	case e.Actor.Kind == app.KindParticipant || e.Actor.Kind == app.KindAccount:
		return t.T("HistoryWhoErased", "Role", role)
	}
	return role
}

// narrator tells the events of one history in sentences; it follows the workshop through them
// so that a change can say what it changed (the capacity from 20 to 40) and a registration's
// later events can name the person.
type narrator struct {
	t        texts
	people   map[domain.RegistrationID]*string
	sessions map[domain.SessionID]string
	workshop domain.WorkshopChanged // title, venue and capacity so far
}

func newNarrator(t texts, entries []app.HistoryEntry) *narrator {
	n := &narrator{t: t, people: map[domain.RegistrationID]*string{}, sessions: map[domain.SessionID]string{}}
	for _, e := range entries {
		if r, ok := e.Event.(domain.ParticipantRegistered); ok && r.Person != nil {
			name := r.Person.Name
			n.people[r.RegistrationID] = &name
		}
		// Under an evidence hold the registration's own key is gone; the name it keeps is here.
		if r, ok := e.Event.(domain.ReducedToEvidence); ok && r.Person != nil && n.people[r.RegistrationID] == nil {
			name := r.Person.Name
			n.people[r.RegistrationID] = &name
		}
	}
	return n
}

// person is the name of registration id, or says that it was erased.
func (n *narrator) person(id domain.RegistrationID) string {
	if p := n.people[id]; p != nil {
		return *p
	}
	return n.t.T("HistoryErasedPerson")
}

func (n *narrator) tell(e app.HistoryEntry) string {
	t := n.t
	switch ev := e.Event.(type) {
	case domain.WorkshopScheduled:
		n.workshop = domain.WorkshopChanged{Title: ev.Title, Venue: ev.Venue, Capacity: ev.Capacity}
		return t.T("History_scheduled", "Title", ev.Title, "Capacity", ev.Capacity)
	case domain.WorkshopChanged:
		return n.changed(ev)
	case domain.ReminderDaysSet:
		return t.T("History_reminder_days", "Days", ev.Days)
	case domain.RemindersSent:
		return t.T("History_reminders_sent", "People", len(ev.Recipients))
	case domain.FeedbackRequested:
		return t.T("History_feedback_requested", "People", len(ev.Recipients))
	case domain.MessageSent:
		return t.T("History_message_sent", "Subject", ev.Subject, "People", len(ev.Recipients))
	case domain.RegistrationClosesSet:
		if ev.Closes.IsZero() {
			return t.T("History_closes_removed")
		}
		return t.T("History_closes_set", "Closes", t.Closes(ev.Closes))
	case domain.SessionPlanned:
		n.sessions[ev.Session.ID] = ev.Session.Title
		return t.T("History_session_planned", "Title", ev.Session.Title, "Day", t.Date(ev.Session.Day))
	case domain.SessionChanged:
		n.sessions[ev.Session.ID] = ev.Session.Title
		return t.T("History_session_changed", "Title", ev.Session.Title)
	case domain.SessionCancelled:
		return t.T("History_session_cancelled", "Title", n.sessions[ev.SessionID])
	case domain.ParticipantRegistered:
		return t.T("History_registered", "Name", n.person(ev.RegistrationID), "Organisation", ev.Organisation)
	case domain.RegistrationConfirmed:
		if ev.FromWaitlist {
			return t.T("History_moved_up", "Name", n.person(ev.RegistrationID), "Days", n.days(ev.Days))
		}
		return t.T("History_confirmed", "Name", n.person(ev.RegistrationID), "Days", n.days(ev.Days))
	case domain.RegistrationWaitlisted:
		return t.T("History_waitlisted", "Name", n.person(ev.RegistrationID), "Position", ev.Position)
	case domain.RegistrationCancelled:
		return t.T("History_cancelled", "Name", n.person(ev.RegistrationID))
	case domain.RegistrationChanged:
		return t.T("History_registration_changed", "Name", n.person(ev.RegistrationID))
	case domain.ParticipantCheckedIn:
		return t.T("History_checked_in", "Name", n.person(ev.RegistrationID), "Day", t.Date(ev.Day))
	case domain.CheckInAnnulled:
		return t.T("History_check_in_annulled", "Name", n.person(ev.RegistrationID), "Day", t.Date(ev.Day))
	case domain.PersonalDataErased:
		if ev.Reason == domain.ErasureRetention {
			return t.T("History_erased_retention", "Date", t.Time(e.At))
		}
		return t.T("History_erased")
	case domain.ReducedToEvidence:
		return t.T("History_reduced_to_evidence", "Date", t.Time(e.At), "Until", t.Date(ev.Until))
	case domain.RetentionRan:
		return t.T("History_retention_ran", "Erased", ev.Erased, "Reduced", ev.Reduced)
	case domain.RetentionSet:
		if ev.EvidenceHoldUntil != "" {
			return t.T("History_retention_set_hold", "Months", ev.Months, "Until", t.Date(ev.EvidenceHoldUntil))
		}
		return t.T("History_retention_set", "Months", ev.Months)
	case domain.PersonalDataExported:
		if ev.Channel == domain.ExportByMailLink {
			return t.T("History_exported_mail_link", "Name", n.person(ev.RegistrationID))
		}
		return t.T("History_exported_admin", "Name", n.person(ev.RegistrationID))
	case domain.DataExportRequested:
		return t.T("History_export_requested", "Name", n.person(ev.RegistrationID))
	}
	return t.T("History_other", "Type", e.Type)
}

// changed tells what a change of the workshop changed.
func (n *narrator) changed(ev domain.WorkshopChanged) string {
	t, was := n.t, n.workshop
	n.workshop = ev
	var parts []string
	switch {
	case ev.Capacity > was.Capacity:
		parts = append(parts, t.T("History_capacity_raised", "From", was.Capacity, "To", ev.Capacity))
	case ev.Capacity < was.Capacity:
		parts = append(parts, t.T("History_capacity_lowered", "From", was.Capacity, "To", ev.Capacity))
	}
	if ev.Title != was.Title {
		parts = append(parts, t.T("History_title_changed", "Title", ev.Title))
	}
	if ev.Venue != was.Venue {
		parts = append(parts, t.T("History_venue_changed", "Venue", ev.Venue))
	}
	if len(parts) == 0 {
		return t.T("History_workshop_changed")
	}
	return strings.Join(parts, "; ")
}

// days lists days in the page's form; none means every day of the registration.
func (n *narrator) days(days []domain.Day) string {
	if len(days) == 0 {
		return n.t.T("HistoryAllDays")
	}
	out := make([]string, len(days))
	for i, d := range days {
		out[i] = n.t.Date(d)
	}
	return strings.Join(out, ", ")
}

// asOfForm is the registration list's "as of" picker: the value as typed, the instant it
// names and what was wrong with it.
type asOfForm struct {
	Value string
	At    time.Time // zero: the list as it is
	Error string
}

// asOfInput is the form of an <input type="datetime-local">.
const asOfInput = "2006-01-02T15:04"

// readerAsOf returns the read models the registration list reads: as of the query's as_of (a
// date and time in the instance's time zone, or an RFC 3339 time) or as they are. A bad or
// future time, or one before the workshop existed, leaves the list as it is and says why, with
// the page's status.
func (s *site) readerAsOf(c echo.Context, w projections.WorkshopView) (projections.Reader, asOfForm, int, error) {
	f := asOfForm{Value: strings.TrimSpace(c.QueryParam("as_of"))}
	if f.Value == "" {
		return s.cfg.Reader, f, http.StatusOK, nil
	}
	t := s.texts(c)
	at, err := time.ParseInLocation(asOfInput, f.Value, s.cmds.Config().Location)
	if err != nil {
		if at, err = time.Parse(time.RFC3339, f.Value); err != nil {
			f.Error = t.T("ErrAsOf")
			return s.cfg.Reader, f, http.StatusBadRequest, nil
		}
	}
	r, err := s.cmds.AsOf(c.Request().Context(), w.ID, at)
	switch {
	case err == nil:
		f.At = at
		return r, f, http.StatusOK, nil
	case errors.Is(err, app.ErrAsOfInFuture):
		f.Error = t.T("ErrAsOfFuture")
		return s.cfg.Reader, f, http.StatusBadRequest, nil
	case errors.Is(err, domain.ErrWorkshopNotFound):
		f.Error = t.T("ErrAsOfBeforeWorkshop")
		return s.cfg.Reader, f, http.StatusNotFound, nil
	}
	return nil, f, 0, err
}
