package domain_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

func TestGroupDecisions(t *testing.T) {
	text := domain.GroupText{Name: "AG Sprache", Description: "Sprachkurse im Landkreis", Series: "ag-sprache"}
	opened := domain.GroupCreated{ID: "g1", GroupText: text}
	annaIn := domain.GroupMemberAdded{Group: "g1", Account: "anna"}
	closed := domain.GroupClosed{ID: "g1"}
	decide := func(f func(n domain.Network) ([]domain.Event, error)) domain.NetworkDecision { return f }
	tests := []networkCase{
		{name: "create, trimmed", given: []domain.Event{created},
			decide: decide(func(n domain.Network) ([]domain.Event, error) {
				return n.CreateGroup("g1", domain.GroupText{Name: " AG Sprache ", Description: "Sprachkurse im Landkreis\n", Series: " ag-sprache"})
			}), then: []domain.Event{opened}},
		{name: "create in no network", decide: decide(func(n domain.Network) ([]domain.Event, error) { return n.CreateGroup("g1", text) }),
			err: domain.ErrNetworkNotFound},
		{name: "create without a name, with control characters", given: []domain.Event{created},
			decide: decide(func(n domain.Network) ([]domain.Event, error) {
				return n.CreateGroup("g1", domain.GroupText{Name: " ", Description: "a\x00b", Series: strings.Repeat("x", 201)})
			}), fields: []string{"name", "description", "series"}},
		{name: "create an id twice", given: []domain.Event{created, opened},
			decide: decide(func(n domain.Network) ([]domain.Event, error) { return n.CreateGroup("g1", text) }), err: domain.ErrInvalid},
		{name: "change", given: []domain.Event{created, opened},
			decide: decide(func(n domain.Network) ([]domain.Event, error) {
				return n.ChangeGroup("g1", domain.GroupText{Name: "AG Sprache und Arbeit", Series: "ag-sprache"})
			}), then: []domain.Event{domain.GroupChanged{ID: "g1", GroupText: domain.GroupText{Name: "AG Sprache und Arbeit", Series: "ag-sprache"}}}},
		{name: "the same text changes nothing", given: []domain.Event{created, opened},
			decide: decide(func(n domain.Network) ([]domain.Event, error) { return n.ChangeGroup("g1", text) })},
		{name: "change an unknown group", given: []domain.Event{created},
			decide: decide(func(n domain.Network) ([]domain.Event, error) { return n.ChangeGroup("g9", text) }), err: domain.ErrGroupNotFound},
		{name: "close", given: []domain.Event{created, opened},
			decide: decide(func(n domain.Network) ([]domain.Event, error) { return n.CloseGroup("g1") }), then: []domain.Event{closed}},
		{name: "a closed group is gone", given: []domain.Event{created, opened, closed},
			decide: decide(func(n domain.Network) ([]domain.Event, error) { return n.CloseGroup("g1") }), err: domain.ErrGroupNotFound},
		{name: "add a member", given: []domain.Event{created, annaJoin, opened},
			decide: decide(func(n domain.Network) ([]domain.Event, error) { return n.AddGroupMember("g1", "anna") }), then: []domain.Event{annaIn}},
		{name: "add a member again changes nothing", given: []domain.Event{created, annaJoin, opened, annaIn},
			decide: decide(func(n domain.Network) ([]domain.Event, error) { return n.AddGroupMember("g1", "anna") })},
		{name: "a stranger joins no group", given: []domain.Event{created, opened},
			decide: decide(func(n domain.Network) ([]domain.Event, error) { return n.AddGroupMember("g1", "anna") }), err: domain.ErrMemberNotFound},
		{name: "remove a member", given: []domain.Event{created, annaJoin, opened, annaIn},
			decide: decide(func(n domain.Network) ([]domain.Event, error) { return n.RemoveGroupMember("g1", "anna") }),
			then:   []domain.Event{domain.GroupMemberRemoved{Group: "g1", Account: "anna"}}},
		{name: "remove somebody not in the group", given: []domain.Event{created, annaJoin, opened},
			decide: decide(func(n domain.Network) ([]domain.Event, error) { return n.RemoveGroupMember("g1", "anna") }), err: domain.ErrMemberNotFound},
		{name: "leaving the network leaves its groups", given: []domain.Event{created, annaJoin, benJoin, opened, annaIn, domain.MemberRemoved{Account: "anna"}},
			decide: decide(func(n domain.Network) ([]domain.Event, error) { return n.RemoveGroupMember("g1", "anna") }), err: domain.ErrMemberNotFound},
		{name: "join a closed group", given: []domain.Event{created, annaJoin, opened, closed},
			decide: decide(func(n domain.Network) ([]domain.Event, error) { return n.AddGroupMember("g1", "anna") }), err: domain.ErrGroupNotFound},
	}
	runNetworkCases(t, tests)
}

// TestGroupEvolveSharesNothing checks that folding into a clone leaves the original alone.
func TestGroupEvolveSharesNothing(t *testing.T) {
	n := foldNetwork(created, annaJoin, domain.GroupCreated{ID: "g1", GroupText: domain.GroupText{Name: "AG"}},
		domain.GroupMemberAdded{Group: "g1", Account: "anna"})
	before := n.Clone()
	n.Clone().Evolve(domain.MemberRemoved{Account: "anna"})
	n.Clone().Evolve(domain.GroupClosed{ID: "g1"})
	if !reflect.DeepEqual(n, before) {
		t.Errorf("evolving a clone changed the original")
	}
	if got := n.Groups["g1"].GroupMembers(); !reflect.DeepEqual(got, []domain.AccountID{"anna"}) {
		t.Errorf("members %v", got)
	}
}
