package domain_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

// everyEvent holds one event of each type with every field set, so that a field lost in the
// JSON round trip shows.
var everyEvent = []domain.Event{
	domain.WorkshopScheduled{ID: workshopID, Title: "Sommerwerkstatt", Series: "Werkstatt 2026",
		Venue: "Rathaus", Days: []domain.Day{day1, day2}, Capacity: 20},
	domain.WorkshopChanged{Title: "Winterwerkstatt", Venue: "Bürgerhaus", Capacity: 30},
	domain.SessionPlanned{Session: domain.Session{ID: "s1", Title: "Eröffnung", Kind: domain.Keynote,
		Day: day1, Starts: "09:00", Ends: "09:30", Room: "Saal A", Speakers: []string{"Ada", "Grace"}}},
	domain.SessionChanged{Session: domain.Session{ID: "s1", Title: "Themencafé", Kind: domain.ThemeCafe,
		Day: day2, Starts: "10:00", Ends: "11:30", Room: "Foyer", Speakers: []string{"Grace"}}},
	domain.SessionCancelled{SessionID: "s1"},
	domain.ParticipantRegistered{RegistrationID: "r1",
		Person:   &domain.Person{Name: "Ada Lovelace", Email: "ada@example.org", Dietary: "vegan"},
		EmailKey: "k1", Organisation: "Jugendring", District: "Mitte", Days: []domain.Day{day2},
		Overnight: true, TokenHash: "9f86d081"},
	domain.RegistrationConfirmed{RegistrationID: "r1", FromWaitlist: true},
	domain.RegistrationWaitlisted{RegistrationID: "r1", Position: 3},
	domain.RegistrationCancelled{RegistrationID: "r1"},
	domain.ParticipantCheckedIn{RegistrationID: "r1", Day: day2, SessionID: "s1"},
	domain.CheckInAnnulled{RegistrationID: "r1", Day: day2, SessionID: "s1"},
}

func TestEventNames(t *testing.T) {
	valid := regexp.MustCompile(`^[a-z]+(\.[a-z_]+)+\.v[1-9][0-9]*$`)
	seen := map[string]string{}
	for _, e := range everyEvent {
		name, typ := e.Name(), reflect.TypeOf(e).Name()
		if other, ok := seen[name]; ok {
			t.Errorf("got name %q for %s and %s, want unique names", name, other, typ)
		}
		seen[name] = typ
		if !valid.MatchString(name) {
			t.Errorf("got name %q for %s, want lower-case words with a version such as \"thing.happened.v1\"", name, typ)
		}
	}
}

// TestEveryEventIsListed keeps everyEvent complete: every type of the package with a Name
// method must be in it, or its round trip goes untested.
func TestEveryEventIsListed(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatalf("reading the package directory: %v", err)
	}
	var declared []string
	for _, entry := range entries {
		if !strings.HasSuffix(entry.Name(), ".go") || strings.HasSuffix(entry.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), entry.Name(), nil, 0)
		if err != nil {
			t.Fatalf("parsing %s: %v", entry.Name(), err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Name.Name != "Name" || len(fn.Type.Params.List) != 0 {
				continue
			}
			if id, ok := fn.Recv.List[0].Type.(*ast.Ident); ok {
				declared = append(declared, id.Name)
			}
		}
	}
	var listed []string
	for _, e := range everyEvent {
		listed = append(listed, reflect.TypeOf(e).Name())
	}
	slices.Sort(declared)
	slices.Sort(listed)
	if !slices.Equal(declared, listed) {
		t.Errorf("got event types %v in the package, want them all in everyEvent %v", declared, listed)
	}
}

func TestEventRoundTrip(t *testing.T) {
	for _, e := range everyEvent {
		t.Run(e.Name(), func(t *testing.T) {
			b, err := json.Marshal(e)
			if err != nil {
				t.Fatalf("marshalling: %v", err)
			}
			p, ok := domain.NewEvent(e.Name())
			if !ok {
				t.Fatalf("got NewEvent(%q) = false, want a decodable event", e.Name())
			}
			if reflect.TypeOf(p).Kind() != reflect.Pointer {
				t.Fatalf("got NewEvent(%q) of type %T, want a pointer to unmarshal into", e.Name(), p)
			}
			if err := json.Unmarshal(b, p); err != nil {
				t.Fatalf("unmarshalling %s: %v", b, err)
			}
			if got := domain.Deref(p); !reflect.DeepEqual(got, e) {
				t.Errorf("got %#v after the round trip of %s, want %#v", got, b, e)
			}
		})
	}
}

func TestNewEventUnknownName(t *testing.T) {
	for _, name := range []string{"", "workshop.scheduled", "workshop.scheduled.v2", "WorkshopScheduled"} {
		if e, ok := domain.NewEvent(name); ok || e != nil {
			t.Errorf("got NewEvent(%q) = %v, %v, want nil, false", name, e, ok)
		}
	}
}

func TestDerefOfAValueIsTheValue(t *testing.T) {
	for _, e := range everyEvent {
		if got := domain.Deref(e); !reflect.DeepEqual(got, e) {
			t.Errorf("got Deref(%#v) = %#v, want it unchanged", e, got)
		}
	}
}

func TestPersonalEvents(t *testing.T) {
	for _, e := range everyEvent {
		p, ok := e.(domain.Personal)
		if _, registered := e.(domain.ParticipantRegistered); ok != registered {
			t.Errorf("got %s Personal = %v, want %v", e.Name(), ok, registered)
		}
		if ok && p.DataSubject() != "r1" {
			t.Errorf("got data subject %q of %s, want the registration id r1", p.DataSubject(), e.Name())
		}
	}
}
