package domain

import (
	"fmt"
	"slices"
	"strings"
)

// PlanSession adds an item to the agenda.
type PlanSession struct {
	Session Session
}

// Plan decides a new session.
func (w Workshop) Plan(c PlanSession) ([]Event, error) {
	if !w.Scheduled() {
		return nil, ErrWorkshopNotFound
	}
	// Planning under a taken id would silently replace that session (SessionPlanned overwrites).
	if _, ok := w.Sessions[c.Session.ID]; ok {
		return nil, fmt.Errorf("%w: session id %s is taken", ErrConflict, c.Session.ID)
	}
	s, err := w.checkSession(c.Session)
	if err != nil {
		return nil, err
	}
	return []Event{SessionPlanned{Session: s}}, nil
}

// ChangeSession replaces an agenda item's fields with those of Session (same ID).
type ChangeSession struct {
	Session Session
}

// ChangeSession decides a change of an agenda item.
func (w Workshop) ChangeSession(c ChangeSession) ([]Event, error) {
	if !w.Scheduled() {
		return nil, ErrWorkshopNotFound
	}
	old, ok := w.Sessions[c.Session.ID]
	if !ok {
		return nil, ErrSessionNotFound
	}
	s, err := w.checkSession(c.Session)
	if err != nil {
		return nil, err
	}
	if sessionEqual(old, s) {
		return nil, nil
	}
	return []Event{SessionChanged{Session: s}}, nil
}

// CancelSession takes an item off the agenda.
func (w Workshop) CancelSession(id SessionID) ([]Event, error) {
	if !w.Scheduled() {
		return nil, ErrWorkshopNotFound
	}
	if _, ok := w.Sessions[id]; !ok {
		return nil, ErrSessionNotFound
	}
	return []Event{SessionCancelled{SessionID: id}}, nil
}

// checkSession validates s against the workshop and the rest of its agenda and returns it
// normalised.
func (w Workshop) checkSession(s Session) (Session, error) {
	var fe FieldErrors
	checkID(&fe, "id", string(s.ID))
	s.Title, s.Room = strings.TrimSpace(s.Title), strings.TrimSpace(s.Room)
	checkText(&fe, "title", s.Title, true, maxTitle)
	checkText(&fe, "room", s.Room, false, maxTitle)
	if !slices.Contains(Kinds, s.Kind) {
		fe.add("kind", CodeNotInList, "must be one of keynote, talk, discussion, theme_cafe, break, other")
	}
	if !w.HasDay(s.Day) {
		fe.add("day", CodeNotADay, fmt.Sprintf("%q is not a day of this workshop", s.Day))
	}
	okStart, okEnd := validClock(s.Starts), validClock(s.Ends)
	if !okStart {
		fe.add("starts", CodeNotATime, "must be a time of day as HH:MM")
	}
	if !okEnd {
		fe.add("ends", CodeNotATime, "must be a time of day as HH:MM")
	}
	if okStart && okEnd && s.Ends <= s.Starts {
		fe.add("ends", CodeEndsBeforeStarts, "must be after starts")
	}
	if len(s.Speakers) > maxSpeakers {
		fe.add("speakers", CodeTooMany, fmt.Sprintf("must list at most %d speakers", maxSpeakers))
	}
	speakers := s.Speakers[:0:0]
	for _, sp := range s.Speakers {
		if sp = strings.TrimSpace(sp); sp != "" {
			checkText(&fe, "speakers", sp, true, maxTitle)
			speakers = append(speakers, sp)
		}
	}
	s.Speakers = speakers
	if err := fe.err(); err != nil {
		return Session{}, err
	}
	for _, o := range w.Sessions {
		if o.ID != s.ID && s.overlaps(o) {
			return Session{}, &Violation{ErrRoomOccupied, fmt.Sprintf("%q in %s, %s-%s", o.Title, o.Room, o.Starts, o.Ends)}
		}
	}
	return s, nil
}

func sessionEqual(a, b Session) bool {
	return a.Title == b.Title && a.Kind == b.Kind && a.Day == b.Day && a.Starts == b.Starts &&
		a.Ends == b.Ends && a.Room == b.Room && slices.Equal(a.Speakers, b.Speakers)
}
