package domain_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

// Days of the workshops the tests schedule, in calendar order.
const (
	day1 domain.Day = "2026-11-16"
	day2 domain.Day = "2026-11-17"
	day3 domain.Day = "2026-11-18"
)

const workshopID domain.WorkshopID = "01JWORKSHOP"

// classes are the error classes; every domain error matches exactly one of them.
var classes = []error{domain.ErrNotFound, domain.ErrInvalid, domain.ErrConflict}

// command decides one command on a workshop; it is the "when" of a decision.
type command = domain.Decision

// decision is one given/when/then case: the workshop folded from given decides when, and the
// result is either the events in then (nil for "no events, no error") or an error.
type decision struct {
	name  string
	given []domain.Event
	when  command
	then  []domain.Event
	// err is the rule the error must match with errors.Is; class is the class it must match
	// (ErrInvalid when fields is set); fields are the sorted, distinct fields of a FieldErrors.
	err    error
	class  error
	fields []string
}

func runDecisions(t *testing.T, ds []decision) {
	t.Helper()
	for _, d := range ds {
		t.Run(d.name, d.run)
	}
}

func (d decision) run(t *testing.T) {
	w := domain.Workshop{}.Fold(d.given...)
	before := w.Clone()
	got, err := d.when(w)
	if !reflect.DeepEqual(w, before) {
		t.Errorf("the decision changed the workshop it decided on:\ngot  %+v\nwant %+v", w, before)
	}
	if d.err != nil || d.class != nil || d.fields != nil {
		if err == nil {
			t.Fatalf("got events %s and no error, want an error", show(got))
		}
		if len(got) != 0 {
			t.Errorf("got events %s with error %v, want no events", show(got), err)
		}
		checkError(t, err, d.err, d.class, d.fields)
		return
	}
	if err != nil {
		t.Fatalf("got error %v, want events %s", err, show(d.then))
	}
	if (len(got) != 0 || len(d.then) != 0) && !reflect.DeepEqual(got, d.then) {
		t.Errorf("got events\n%s\nwant\n%s", show(got), show(d.then))
	}
	w.Clone().Fold(got...) // the decided events must evolve the state without panicking
}

// checkError checks that err matches rule (if any), exactly one class and, for a FieldErrors,
// the fields.
func checkError(t *testing.T, err, rule, class error, fields []string) {
	t.Helper()
	if rule != nil && !errors.Is(err, rule) {
		t.Errorf("got error %q, want one matching %q", err, rule)
	}
	if fields != nil {
		class = domain.ErrInvalid
		var fe domain.FieldErrors
		if !errors.As(err, &fe) {
			t.Errorf("got error %q (%T), want FieldErrors on %v", err, err, fields)
		} else if got := fieldNames(fe); !slices.Equal(got, fields) {
			t.Errorf("got errors on fields %v (%q), want %v", got, err, fields)
		}
		for _, f := range fe {
			if f.Detail == "" {
				t.Errorf("got no detail for field %q, want a reason", f.Field)
			}
		}
	}
	if class == nil {
		t.Fatalf("test case names no class for error %q", err)
	}
	for _, c := range classes {
		if got, want := errors.Is(err, c), c == class; got != want {
			t.Errorf("got errors.Is(%q, %v) = %v, want %v", err, c, got, want)
		}
	}
}

func fieldNames(fe domain.FieldErrors) []string {
	var names []string
	for _, f := range fe {
		names = append(names, f.Field)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// show renders events by name and JSON so that failures show pointers' contents.
func show(events []domain.Event) string {
	if len(events) == 0 {
		return "(none)"
	}
	lines := make([]string, len(events))
	for i, e := range events {
		b, err := json.Marshal(e)
		if err != nil {
			b = []byte(err.Error())
		}
		lines[i] = fmt.Sprintf("  %s %s", e.Name(), b)
	}
	return strings.Join(lines, "\n")
}

// history flattens events and slices of events into one log, in order.
func history(parts ...any) []domain.Event {
	var log []domain.Event
	for _, p := range parts {
		switch p := p.(type) {
		case domain.Event:
			log = append(log, p)
		case []domain.Event:
			log = append(log, p...)
		default:
			panic(fmt.Sprintf("history: %T is not an event", p))
		}
	}
	return log
}

func scheduled(capacity int, days ...domain.Day) domain.Event {
	return domain.WorkshopScheduled{ID: workshopID, Title: "Sommerwerkstatt", Venue: "Rathaus",
		Days: days, Capacity: capacity}
}

// register is a valid registration command of person id; registered is the event it decides
// (days as the workshop would store them: sorted, all days when none are named).
func register(id string, days ...domain.Day) domain.RegisterParticipant {
	return domain.RegisterParticipant{ID: domain.RegistrationID(id),
		Person:   domain.Person{Name: "Person " + id, Email: id + "@example.org"},
		EmailKey: "key-" + id, Organisation: "Jugendring", Days: days, Consent: true,
		TokenHash: "token-" + id}
}

func registered(id string, days ...domain.Day) domain.ParticipantRegistered {
	return domain.ParticipantRegistered{RegistrationID: domain.RegistrationID(id),
		Person:   &domain.Person{Name: "Person " + id, Email: id + "@example.org"},
		EmailKey: "key-" + id, Organisation: "Jugendring", Days: days, TokenHash: "token-" + id}
}

func confirmed(id string, days ...domain.Day) []domain.Event {
	return []domain.Event{registered(id, days...), domain.RegistrationConfirmed{RegistrationID: domain.RegistrationID(id)}}
}

func waitlisted(id string, position int, days ...domain.Day) []domain.Event {
	return []domain.Event{registered(id, days...),
		domain.RegistrationWaitlisted{RegistrationID: domain.RegistrationID(id), Position: position}}
}

func promoted(id string) domain.Event {
	return domain.RegistrationConfirmed{RegistrationID: domain.RegistrationID(id), FromWaitlist: true}
}

// promotedOn is a promotion from the waitlists of days (as decided since per-day waitlists).
func promotedOn(id string, days ...domain.Day) domain.Event {
	return domain.RegistrationConfirmed{RegistrationID: domain.RegistrationID(id), FromWaitlist: true, Days: days}
}

// confirmedOn is a confirmation on days (none: every day of the registration).
func confirmedOn(id string, days ...domain.Day) domain.Event {
	return domain.RegistrationConfirmed{RegistrationID: domain.RegistrationID(id), Days: days}
}

// waitingOn waitlists id on days (none: every day of the registration) at positions; Position
// is the one of the first day of positions.
func waitingOn(id string, positions map[domain.Day]int, days ...domain.Day) domain.Event {
	first := slices.Sorted(maps.Keys(positions))[0]
	return domain.RegistrationWaitlisted{RegistrationID: domain.RegistrationID(id), Days: days,
		Position: positions[first], Positions: positions}
}

func cancelled(id string) domain.Event {
	return domain.RegistrationCancelled{RegistrationID: domain.RegistrationID(id)}
}

func session(id string, day domain.Day, starts, ends, room string) domain.Session {
	return domain.Session{ID: domain.SessionID(id), Title: "Session " + id, Kind: domain.Talk,
		Day: day, Starts: starts, Ends: ends, Room: room}
}

func planned(id string, day domain.Day, starts, ends, room string) domain.Event {
	return domain.SessionPlanned{Session: session(id, day, starts, ends, room)}
}

func checkedIn(id string, day domain.Day, sessionID string) domain.Event {
	return domain.ParticipantCheckedIn{RegistrationID: domain.RegistrationID(id), Day: day,
		SessionID: domain.SessionID(sessionID)}
}

func ptr[T any](v T) *T { return &v }
