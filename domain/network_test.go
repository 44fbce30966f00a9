package domain_test

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// foldNetwork folds events into a network.
func foldNetwork(events ...domain.Event) domain.Network {
	var n domain.Network
	for _, e := range events {
		n = n.Evolve(e)
	}
	return n
}

var (
	created  = domain.NetworkCreated{ID: "forum", Title: "Forum Integration"}
	annaJoin = domain.MemberAdded{Account: "anna", Organisation: "Landratsamt",
		Roles: []domain.RoleGrant{{Role: domain.RoleAdmin}}, Person: &domain.Person{Name: "Anna Schmidt", Email: "anna@example.org"}}
	benJoin = domain.MemberAdded{Account: "ben", Roles: []domain.RoleGrant{{Role: domain.RoleOrganiser, Series: []string{"Ideenwerkstatt"}}},
		Person: &domain.Person{Name: "Ben Ali", Email: "ben@example.org"}}
)

func TestNetworkDecisions(t *testing.T) {
	organiser := []domain.RoleGrant{{Role: domain.RoleOrganiser}}
	tests := []networkCase{
		{name: "create", decide: func(n domain.Network) ([]domain.Event, error) { return n.Create("forum", " Forum Integration ") },
			then: []domain.Event{created}},
		{name: "create twice", given: []domain.Event{created},
			decide: func(n domain.Network) ([]domain.Event, error) { return n.Create("forum", "Forum") }, err: domain.ErrNetworkExists},
		{name: "create without a name", decide: func(n domain.Network) ([]domain.Event, error) { return n.Create("forum", " ") },
			fields: []string{"name"}},
		{name: "rename", given: []domain.Event{created},
			decide: func(n domain.Network) ([]domain.Event, error) { return n.Rename(" Forum Integration Thüringen ") },
			then:   []domain.Event{domain.NetworkRenamed{Title: "Forum Integration Thüringen"}}},
		{name: "the same name changes nothing", given: []domain.Event{created},
			decide: func(n domain.Network) ([]domain.Event, error) { return n.Rename("Forum Integration") }},
		{name: "rename to nothing", given: []domain.Event{created},
			decide: func(n domain.Network) ([]domain.Event, error) { return n.Rename("") }, fields: []string{"name"}},
		{name: "add a member", given: []domain.Event{created},
			decide: func(n domain.Network) ([]domain.Event, error) {
				return n.AddMember(domain.AddMember{Account: "anna", Name: " Anna Schmidt", Email: "anna@example.org",
					Organisation: "Landratsamt", Roles: []domain.RoleGrant{{Role: domain.RoleAdmin}}})
			}, then: []domain.Event{annaJoin}},
		{name: "roles come sorted, series trimmed and unique", given: []domain.Event{created},
			decide: func(n domain.Network) ([]domain.Event, error) {
				return n.AddMember(domain.AddMember{Account: "ben", Name: "Ben", Email: "ben@example.org", Roles: []domain.RoleGrant{
					{Role: domain.RoleMember}, {Role: domain.RoleLead, Series: []string{" B", "A", "B"}}}})
			}, then: []domain.Event{domain.MemberAdded{Account: "ben", Roles: []domain.RoleGrant{
				{Role: domain.RoleLead, Series: []string{"A", "B"}}, {Role: domain.RoleMember}},
				Person: &domain.Person{Name: "Ben", Email: "ben@example.org"}}}},
		{name: "add to an unknown network",
			decide: func(n domain.Network) ([]domain.Event, error) {
				return n.AddMember(domain.AddMember{Account: "anna", Name: "Anna", Email: "anna@example.org", Roles: organiser})
			}, err: domain.ErrNetworkNotFound},
		{name: "add twice", given: []domain.Event{created, annaJoin},
			decide: func(n domain.Network) ([]domain.Event, error) {
				return n.AddMember(domain.AddMember{Account: "anna", Name: "Anna", Email: "anna@example.org", Roles: organiser})
			}, err: domain.ErrMemberExists},
		{name: "bad member", given: []domain.Event{created},
			decide: func(n domain.Network) ([]domain.Event, error) {
				return n.AddMember(domain.AddMember{Account: "x", Name: "", Email: "no mail", Roles: []domain.RoleGrant{
					{Role: "boss"}, {Role: domain.RoleDoor, Series: []string{"A"}}, {Role: domain.RoleLead}}})
			}, fields: []string{"name", "email", "roles[0].role", "roles[1].series", "roles[2].series"}},
		{name: "no roles", given: []domain.Event{created},
			decide: func(n domain.Network) ([]domain.Event, error) {
				return n.AddMember(domain.AddMember{Account: "x", Name: "X", Email: "x@example.org"})
			}, fields: []string{"roles"}},
		{name: "a role twice", given: []domain.Event{created},
			decide: func(n domain.Network) ([]domain.Event, error) {
				return n.AddMember(domain.AddMember{Account: "x", Name: "X", Email: "x@example.org", Roles: append(organiser, organiser...)})
			}, fields: []string{"roles[1].role"}},
		{name: "change roles", given: []domain.Event{created, annaJoin, benJoin},
			decide: func(n domain.Network) ([]domain.Event, error) { return n.ChangeRoles("ben", organiser) },
			then:   []domain.Event{domain.MemberRolesChanged{Account: "ben", Roles: organiser}}},
		{name: "the same roles change nothing", given: []domain.Event{created, annaJoin, benJoin},
			decide: func(n domain.Network) ([]domain.Event, error) { return n.ChangeRoles("ben", benJoin.Roles) }},
		{name: "the last admin keeps the role", given: []domain.Event{created, annaJoin},
			decide: func(n domain.Network) ([]domain.Event, error) { return n.ChangeRoles("anna", organiser) }, err: domain.ErrLastAdmin},
		{name: "an admin may step down when another is left",
			given:  []domain.Event{created, annaJoin, benJoin, domain.MemberRolesChanged{Account: "ben", Roles: []domain.RoleGrant{{Role: domain.RoleAdmin}}}},
			decide: func(n domain.Network) ([]domain.Event, error) { return n.ChangeRoles("anna", organiser) },
			then:   []domain.Event{domain.MemberRolesChanged{Account: "anna", Roles: organiser}}},
		{name: "change roles of a stranger", given: []domain.Event{created},
			decide: func(n domain.Network) ([]domain.Event, error) { return n.ChangeRoles("ben", organiser) }, err: domain.ErrMemberNotFound},
		{name: "remove", given: []domain.Event{created, annaJoin, benJoin},
			decide: func(n domain.Network) ([]domain.Event, error) { return n.RemoveMember("ben") },
			then:   []domain.Event{domain.MemberRemoved{Account: "ben"}}},
		{name: "remove the last admin", given: []domain.Event{created, annaJoin, benJoin},
			decide: func(n domain.Network) ([]domain.Event, error) { return n.RemoveMember("anna") }, err: domain.ErrLastAdmin},
		{name: "remove a stranger", given: []domain.Event{created, annaJoin},
			decide: func(n domain.Network) ([]domain.Event, error) { return n.RemoveMember("ben") }, err: domain.ErrMemberNotFound},
	}
	runNetworkCases(t, tests)
}

func TestMemberHolds(t *testing.T) {
	n := foldNetwork(created, annaJoin, benJoin,
		domain.MemberAdded{Account: "lea", Roles: []domain.RoleGrant{{Role: domain.RoleLead, Series: []string{"AMIF"}}, {Role: domain.RoleDoor}}})
	tests := []struct {
		account domain.AccountID
		role    domain.Role
		series  string
		want    bool
	}{
		{"anna", domain.RoleOrganiser, "anything", true}, // an admin holds every role
		{"ben", domain.RoleOrganiser, "Ideenwerkstatt", true},
		{"ben", domain.RoleOrganiser, "Netzwerktreffen", false},
		{"ben", domain.RoleDoor, "Ideenwerkstatt", false},
		{"lea", domain.RoleLead, "AMIF", true},
		{"lea", domain.RoleLead, "Ideenwerkstatt", false},
		{"lea", domain.RoleDoor, "Ideenwerkstatt", true},
		{"lea", domain.RoleOrganiser, "AMIF", false},
		{"nobody", domain.RoleMember, "", false},
	}
	for _, tt := range tests {
		if got := n.Members[tt.account].Holds(tt.role, tt.series); got != tt.want {
			t.Errorf("%s holds %s for %q: got %v, want %v", tt.account, tt.role, tt.series, got, tt.want)
		}
	}
	if n.Members["anna"].Account != "anna" || len(foldNetwork(created, annaJoin, domain.MemberRemoved{Account: "anna"}).Members) != 0 {
		t.Error("members are not folded as added and removed")
	}
}

func TestScheduleMembersOnly(t *testing.T) {
	base := domain.ScheduleWorkshop{ID: "w1", Title: "Ideenwerkstatt", Venue: "Rathaus", Days: []domain.Day{"2026-03-12"}, Capacity: 30}
	members := base
	members.Network, members.Visibility = "forum", domain.MembersOnly
	events, err := domain.Workshop{}.Schedule(members)
	if err != nil {
		t.Fatal(err)
	}
	w := domain.Workshop{}.Evolve(events[0])
	if w.Network != "forum" || w.Visibility != domain.MembersOnly {
		t.Errorf("got network %q, visibility %q, want forum, members", w.Network, w.Visibility)
	}
	reg := domain.RegisterParticipant{ID: "r1", Person: domain.Person{Name: "Mia", Email: "mia@example.org"}, EmailKey: "k",
		Organisation: "Jobcenter", Consent: true}
	if _, err := w.Register(reg); !errors.Is(err, domain.ErrWorkshopNotFound) {
		t.Errorf("the public registers for a members-only workshop: got %v, want not found", err)
	}
	reg.Member = true
	if _, err := w.Register(reg); err != nil {
		t.Errorf("a member registers: got %v", err)
	}
	reg.Member, reg.ByOrganiser = false, true
	if _, err := w.Register(reg); err != nil {
		t.Errorf("an organiser registers a person by hand: got %v", err)
	}
	orphan := base
	orphan.Visibility = domain.MembersOnly
	var fe domain.FieldErrors
	if _, err := (domain.Workshop{}).Schedule(orphan); !errors.As(err, &fe) || fe[0].Field != "visibility" {
		t.Errorf("got %v, want a field error on visibility: a workshop of no network has no members", err)
	}
	public := domain.Public
	change, err := w.Change(domain.ChangeWorkshop{Visibility: &public})
	if err != nil || !reflect.DeepEqual(change, []domain.Event{domain.WorkshopVisibilitySet{Visibility: domain.Public}}) {
		t.Errorf("got %v, %v, want the visibility set to public", change, err)
	}
	if w.Evolve(change[0]).Visibility != domain.Public {
		t.Error("the visibility did not change")
	}
}

func TestIssuePasswordLink(t *testing.T) {
	n := domain.Network{}.Evolve(domain.NetworkCreated{ID: "forum", Title: "Forum"}).
		Evolve(domain.MemberAdded{Account: "acc1", Roles: []domain.RoleGrant{{Role: domain.RoleMember}}})
	at := time.Date(2026, 11, 17, 9, 0, 0, 0, time.FixedZone("CET", 3600))
	got, err := n.IssuePasswordLink("acc1", "l1", domain.LinkForInvitation, "fr", at)
	want := domain.PasswordLinkIssued{Network: "forum", Account: "acc1", LinkID: "l1", Purpose: domain.LinkForInvitation, ExpiresAt: at.UTC()}
	if err != nil || len(got) != 1 || got[0] != want {
		t.Fatalf("issuing a link: got %v, %v, want %v", got, err, want)
	}
	n = n.Evolve(got[0])
	first, err := n.IssuePasswordLink("acc1", "l2", domain.LinkForReset, "de", at)
	if err != nil || len(first) != 1 {
		t.Fatalf("a reset: got %v, %v, want one event", first, err)
	}
	n = n.Evolve(first[0])
	if again, err := n.IssuePasswordLink("acc1", "l3", domain.LinkForReset, "de", at.Add(domain.ResetInterval-time.Second)); err != nil || len(again) != 0 {
		t.Errorf("a reset again within the interval: got %v, %v, want nothing decided", again, err)
	}
	if later, err := n.IssuePasswordLink("acc1", "l4", domain.LinkForReset, "de", at.Add(domain.ResetInterval)); err != nil || len(later) != 1 {
		t.Errorf("a reset after the interval: got %v, %v, want one event", later, err)
	}
	if inv, err := n.IssuePasswordLink("acc1", "l5", domain.LinkForInvitation, "de", at); err != nil || len(inv) != 1 {
		t.Errorf("an invitation right after a reset: got %v, %v, want one event", inv, err)
	}
	for name, c := range map[string]struct {
		n       domain.Network
		account domain.AccountID
		purpose string
		want    error
	}{
		"no network":  {domain.Network{}, "acc1", domain.LinkForReset, domain.ErrNetworkNotFound},
		"no member":   {n, "acc2", domain.LinkForReset, domain.ErrMemberNotFound},
		"odd purpose": {n, "acc1", "other", domain.ErrInvalid},
	} {
		if _, err := c.n.IssuePasswordLink(c.account, "l1", c.purpose, "de", at); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", name, err, c.want)
		}
	}
}

// networkCase is one row of a table of a network's decisions: given these events, deciding
// gives these events, or the rule err, or field errors on these fields.
type networkCase struct {
	name   string
	given  []domain.Event
	decide domain.NetworkDecision
	then   []domain.Event
	err    error    // the rule, or nil
	fields []string // the fields of a FieldErrors
}

func runNetworkCases(t *testing.T, tests []networkCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.decide(foldNetwork(tt.given...))
			var fe domain.FieldErrors
			switch {
			case tt.fields != nil:
				if !errors.As(err, &fe) {
					t.Fatalf("got %v, want field errors on %v", err, tt.fields)
				}
				var fields []string
				for _, f := range fe {
					fields = append(fields, f.Field)
				}
				if !slices.Equal(fields, tt.fields) {
					t.Errorf("got field errors on %v, want %v", fields, tt.fields)
				}
			case tt.err != nil:
				if !errors.Is(err, tt.err) {
					t.Errorf("got %v, want %v", err, tt.err)
				}
			case err != nil:
				t.Fatalf("got %v, want %v", err, tt.then)
			case !reflect.DeepEqual(got, tt.then):
				t.Errorf("got %#v, want %#v", got, tt.then)
			}
		})
	}
}
