package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The mails a workshop sends on its own schedule (a reminder before it, a feedback request
// after it) and the organiser's messages to its people. Each is decided here, once, with the
// registrations it goes to, so that the mails follow the log as it was at that point and a
// second replica or a second tick adds nothing.

// Limits of reminders and organiser messages.
const (
	// DefaultReminderDays is how many days before its first day a workshop reminds its people
	// when the organiser did not say.
	DefaultReminderDays = 2
	// MaxReminderDays is the longest time ahead a reminder may be sent.
	MaxReminderDays = 30
	// MaxMessageSubject and MaxMessageText bound an organiser's message.
	MaxMessageSubject = 200
	MaxMessageText    = 10000
	// ReminderHour is the hour (in the instance's time zone) at which reminders go out.
	ReminderHour = 9
	// FeedbackHour is the hour of the last day after which feedback is requested when that day
	// has no sessions.
	FeedbackHour = 18
	// FeedbackWindow is how long after its end a workshop still requests feedback: an instance
	// that starts long after a workshop (or one that just learned to send these mails) does not
	// mail people about a workshop they have forgotten.
	FeedbackWindow = 7 * 24 * time.Hour
)

// MessageGroup names the people of a workshop an organiser's message goes to.
type MessageGroup string

const (
	GroupConfirmed  MessageGroup = "confirmed"
	GroupWaitlisted MessageGroup = "waitlisted"
	GroupCheckedIn  MessageGroup = "checked_in"
)

// MessageGroups lists the groups in the order forms offer them.
var MessageGroups = []MessageGroup{GroupConfirmed, GroupWaitlisted, GroupCheckedIn}

// MessageID identifies an organiser's message within its workshop.
type MessageID string

// ReminderDaysSet records how many days before its first day the workshop reminds its
// confirmed people (0: no reminder).
type ReminderDaysSet struct {
	Days int `json:"days"`
}

func (ReminderDaysSet) Name() string { return "workshop.reminder_days_set.v1" }

var _ = register[ReminderDaysSet]()

// RemindersSent records that the workshop's reminder went out to Recipients: the confirmed
// registrations (not erased) at that point.
type RemindersSent struct {
	Recipients []RegistrationID `json:"recipients"`
}

func (RemindersSent) Name() string { return "workshop.reminders_sent.v1" }

var _ = register[RemindersSent]()

// FeedbackRequested records that the people checked in at the workshop (Recipients, not
// erased) were asked for their feedback.
type FeedbackRequested struct {
	Recipients []RegistrationID `json:"recipients"`
}

func (FeedbackRequested) Name() string { return "workshop.feedback_requested.v1" }

var _ = register[FeedbackRequested]()

// MessageSent records an organiser's message to the groups To; Recipients are the
// registrations in those groups at that point (each once, none erased). Subject and Text are
// the organiser's words, not a person's data.
type MessageSent struct {
	ID         MessageID        `json:"id"`
	To         []MessageGroup   `json:"to"`
	Subject    string           `json:"subject"`
	Text       string           `json:"text"`
	Recipients []RegistrationID `json:"recipients"`
}

func (MessageSent) Name() string { return "workshop.message_sent.v1" }

var _ = register[MessageSent]()

// Mailings is what a workshop's log says of its mails.
type Mailings struct {
	// ReminderDays is the organiser's choice; ReminderDaysSet tells whether there was one.
	ReminderDays    int
	ReminderDaysSet bool
	RemindersSent   bool
	FeedbackAsked   bool
	// Messages are the organiser's messages, oldest first.
	Messages []MessageSent
}

// Reminder is how many days before its first day the workshop reminds (0: never).
func (m Mailings) Reminder() int {
	if !m.ReminderDaysSet {
		return DefaultReminderDays
	}
	return m.ReminderDays
}

// evolveMailings folds the events of this file.
func (w Workshop) evolveMailings(e Event) Workshop {
	switch e := e.(type) {
	case ReminderDaysSet:
		w.Mailings.ReminderDays, w.Mailings.ReminderDaysSet = e.Days, true
	case RemindersSent:
		w.Mailings.RemindersSent = true
	case FeedbackRequested:
		w.Mailings.FeedbackAsked = true
	case MessageSent:
		// A new slice: a clone of the workshop shares the old one.
		w.Mailings.Messages = append(slices.Clip(w.Mailings.Messages), e)
	}
	return w
}

// checkReminderDays checks a number of reminder days.
func checkReminderDays(fe *FieldErrors, days int) {
	checkRange(fe, "reminder_days", days, 0, MaxReminderDays)
}

// ReminderDue is the instant from which the workshop's reminder goes out, in zone (nil is
// UTC): ReminderHour on the day reminder days before its first day. ok is false when it sends
// none.
func (w Workshop) ReminderDue(zone *time.Location) (due, starts time.Time, ok bool) {
	n := w.Mailings.Reminder()
	if n <= 0 || len(w.Days) == 0 {
		return time.Time{}, time.Time{}, false
	}
	if zone == nil {
		zone = time.UTC
	}
	first, err := time.ParseInLocation(time.DateOnly, string(slices.Min(w.Days)), zone)
	if err != nil {
		return time.Time{}, time.Time{}, false
	}
	due = time.Date(first.Year(), first.Month(), first.Day()-n, ReminderHour, 0, 0, 0, zone)
	return due, first, true
}

// FeedbackDue is the instant from which the workshop asks for feedback: the end of the last
// session of its last day, or FeedbackHour on that day when it has none.
func (w Workshop) FeedbackDue(zone *time.Location) (time.Time, bool) {
	if len(w.Days) == 0 {
		return time.Time{}, false
	}
	if zone == nil {
		zone = time.UTC
	}
	lastDay := slices.Max(w.Days)
	last, err := time.ParseInLocation(time.DateOnly, string(lastDay), zone)
	if err != nil {
		return time.Time{}, false
	}
	due := time.Date(last.Year(), last.Month(), last.Day(), FeedbackHour, 0, 0, 0, zone)
	end := ""
	for _, s := range w.Sessions {
		if s.Day == lastDay && s.Ends > end {
			end = s.Ends
		}
	}
	if t, err := time.ParseInLocation(time.DateOnly+" 15:04", string(lastDay)+" "+end, zone); err == nil {
		due = t
	}
	return due, true
}

// SendReminders decides the workshop's reminder at Now (in Zone, the instance's time zone).
type SendReminders struct {
	Now  time.Time
	Zone *time.Location
}

// SendReminders records the reminder when it is due: from ReminderDue until the first day
// begins, once. Anything else (not due, already sent, none wanted) decides nothing, so that
// the scheduler may ask as often as it likes.
func (w Workshop) SendReminders(c SendReminders) ([]Event, error) {
	if !w.Scheduled() {
		return nil, ErrWorkshopNotFound
	}
	due, starts, ok := w.ReminderDue(c.Zone)
	if !ok || w.Mailings.RemindersSent || c.Now.Before(due) || !c.Now.Before(starts) {
		return nil, nil
	}
	var to []RegistrationID
	for _, id := range w.registrationsInOrder() {
		if r := w.Registrations[id]; r.Status == Confirmed && !r.Erased {
			to = append(to, id)
		}
	}
	return []Event{RemindersSent{Recipients: to}}, nil
}

// RequestFeedback decides the workshop's feedback request at Now (in Zone).
type RequestFeedback struct {
	Now  time.Time
	Zone *time.Location
}

// RequestFeedback asks the people who were checked in for feedback once the workshop is over
// (FeedbackDue), within FeedbackWindow, once; anything else decides nothing.
func (w Workshop) RequestFeedback(c RequestFeedback) ([]Event, error) {
	if !w.Scheduled() {
		return nil, ErrWorkshopNotFound
	}
	due, ok := w.FeedbackDue(c.Zone)
	if !ok || w.Mailings.FeedbackAsked || c.Now.Before(due) || !c.Now.Before(due.Add(FeedbackWindow)) {
		return nil, nil
	}
	there := map[RegistrationID]bool{}
	for ci := range w.CheckIns {
		there[ci.RegistrationID] = true
	}
	var to []RegistrationID
	for _, id := range w.registrationsInOrder() {
		if r := w.Registrations[id]; there[id] && r.Status != Cancelled && !r.Erased {
			to = append(to, id)
		}
	}
	return []Event{FeedbackRequested{Recipients: to}}, nil
}

// SendMessage is an organiser's message to groups of the workshop's people.
type SendMessage struct {
	ID      MessageID
	To      []MessageGroup
	Subject string
	Text    string
}

// SendMessage decides an organiser's message; it goes to every registration that is in one of
// the groups now (once, however many groups it is in), erased people excepted.
func (w Workshop) SendMessage(c SendMessage) ([]Event, error) {
	if !w.Scheduled() {
		return nil, ErrWorkshopNotFound
	}
	var fe FieldErrors
	checkID(&fe, "id", string(c.ID))
	if c.ID == "" {
		fe.add("id", CodeRequired, "must not be empty")
	}
	if len(c.To) == 0 {
		fe.add("to", CodeTooFew, "must name at least one group")
	}
	seen := map[MessageGroup]bool{}
	for i, g := range c.To {
		field := fmt.Sprintf("to[%d]", i)
		switch {
		case !slices.Contains(MessageGroups, g):
			fe.add(field, CodeNotInList, `must be "confirmed", "waitlisted" or "checked_in"`)
		case seen[g]:
			fe.add(field, CodeNamedTwice, "names a group twice")
		}
		seen[g] = true
	}
	checkText(&fe, "subject", c.Subject, true, MaxMessageSubject)
	checkProse(&fe, "text", c.Text, true, MaxMessageText)
	if err := fe.err(); err != nil {
		return nil, err
	}
	there := map[RegistrationID]bool{}
	for ci := range w.CheckIns {
		there[ci.RegistrationID] = true
	}
	var to []RegistrationID
	for _, id := range w.registrationsInOrder() {
		r := w.Registrations[id]
		if r.Erased || r.Status == Cancelled {
			continue
		}
		if seen[GroupConfirmed] && r.Status == Confirmed ||
			seen[GroupWaitlisted] && slices.ContainsFunc(r.Days, r.WaitlistedOn) ||
			seen[GroupCheckedIn] && there[id] {
			to = append(to, id)
		}
	}
	groups := slices.Clone(c.To)
	return []Event{MessageSent{ID: c.ID, To: groups, Subject: strings.TrimSpace(c.Subject),
		Text: strings.TrimSpace(c.Text), Recipients: to}}, nil
}

// registrationsInOrder lists the registrations in the order they came.
func (w Workshop) registrationsInOrder() []RegistrationID {
	ids := make([]RegistrationID, 0, len(w.Registrations))
	for id := range w.Registrations {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b RegistrationID) int {
		if d := w.arrival[a] - w.arrival[b]; d != 0 {
			return d
		}
		return strings.Compare(string(a), string(b))
	})
	return ids
}
