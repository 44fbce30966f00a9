package domain

import (
	"maps"
	"slices"
	"strings"
)

// Working groups of a network (the Wartburgkreis network works in groups on language, work,
// counselling and housing): each has a name, a description, members among the network's
// members, and its own meeting series: the workshops of the network with the group's series
// are its meetings. Groups are events of the network's log, like announcements: a network has
// a handful of them, and who may manage them follows from the network's roles.

// GroupID names a working group of a network.
type GroupID string

// Limits of working groups.
const (
	maxGroupDescription = 5000
	// maxGroups bounds a network's groups, open or closed, so that its log stays short.
	maxGroups = 200
)

// Rules of working groups.
var (
	ErrGroupNotFound = newRule("group-not-found", "working group not found", ErrNotFound)
	ErrTooManyGroups = newRule("too-many-groups", "the network has as many working groups as it can hold", ErrConflict)
)

// GroupText is what organisers say of a group: Series names the meeting series of its meetings
// ("" for none yet).
type GroupText struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Series      string `json:"series"`
}

// Group is a working group as the network's decisions need it.
type Group struct {
	GroupText
	Members map[AccountID]bool
	Closed  bool
}

// GroupCreated records a new working group. Its text is the network's, not personal data.
type GroupCreated struct {
	ID GroupID `json:"id"`
	GroupText
}

func (GroupCreated) Name() string { return "network.group_created.v1" }

var _ = register[GroupCreated]()

// GroupChanged records a group's new name, description or series.
type GroupChanged struct {
	ID GroupID `json:"id"`
	GroupText
}

func (GroupChanged) Name() string { return "network.group_changed.v1" }

var _ = register[GroupChanged]()

// GroupMemberAdded records that a member of the network joins a group.
type GroupMemberAdded struct {
	Group   GroupID   `json:"group"`
	Account AccountID `json:"account"`
}

func (GroupMemberAdded) Name() string { return "network.group_member_added.v1" }

var _ = register[GroupMemberAdded]()

// GroupMemberRemoved records that a member leaves a group.
type GroupMemberRemoved struct {
	Group   GroupID   `json:"group"`
	Account AccountID `json:"account"`
}

func (GroupMemberRemoved) Name() string { return "network.group_member_removed.v1" }

var _ = register[GroupMemberRemoved]()

// GroupClosed records that a group ended its work: it is no longer shown.
type GroupClosed struct {
	ID GroupID `json:"id"`
}

func (GroupClosed) Name() string { return "network.group_closed.v1" }

var _ = register[GroupClosed]()

// evolveGroups applies the events of working groups to n; a member leaving the network leaves
// its groups too.
func (n Network) evolveGroups(e Event) Network {
	change := func(id GroupID, f func(*Group)) {
		n.Groups = maps.Clone(n.Groups)
		if n.Groups == nil {
			n.Groups = map[GroupID]Group{}
		}
		g := n.Groups[id]
		f(&g)
		n.Groups[id] = g
	}
	switch e := e.(type) {
	case GroupCreated:
		change(e.ID, func(g *Group) { g.GroupText = e.GroupText })
	case GroupChanged:
		change(e.ID, func(g *Group) { g.GroupText = e.GroupText })
	case GroupClosed:
		change(e.ID, func(g *Group) { g.Closed = true })
	case GroupMemberAdded:
		change(e.Group, func(g *Group) {
			g.Members = maps.Clone(g.Members)
			if g.Members == nil {
				g.Members = map[AccountID]bool{}
			}
			g.Members[e.Account] = true
		})
	case GroupMemberRemoved:
		change(e.Group, func(g *Group) {
			g.Members = maps.Clone(g.Members)
			delete(g.Members, e.Account)
		})
	case MemberRemoved:
		for id, g := range n.Groups {
			if g.Members[e.Account] {
				change(id, func(g *Group) {
					g.Members = maps.Clone(g.Members)
					delete(g.Members, e.Account)
				})
			}
		}
	}
	return n
}

// checkGroup checks a group's text and returns it trimmed.
func checkGroup(t GroupText) (GroupText, error) {
	var fe FieldErrors
	checkText(&fe, "name", t.Name, true, maxTitle)
	checkProse(&fe, "description", t.Description, false, maxGroupDescription)
	checkText(&fe, "series", t.Series, false, maxTitle)
	if err := fe.err(); err != nil {
		return t, err
	}
	return GroupText{Name: strings.TrimSpace(t.Name), Description: strings.TrimSpace(t.Description), Series: strings.TrimSpace(t.Series)}, nil
}

// OpenGroup returns group id unless it was never created or was closed.
func (n Network) OpenGroup(id GroupID) (Group, error) {
	if !n.Exists() {
		return Group{}, ErrNetworkNotFound
	}
	g, ok := n.Groups[id]
	if !ok || g.Closed {
		return Group{}, ErrGroupNotFound
	}
	return g, nil
}

// CreateGroup decides a new working group id with text t.
func (n Network) CreateGroup(id GroupID, t GroupText) ([]Event, error) {
	if !n.Exists() {
		return nil, ErrNetworkNotFound
	}
	t, err := checkGroup(t)
	if err != nil {
		return nil, err
	}
	if _, ok := n.Groups[id]; ok || id == "" {
		return nil, ErrInvalid
	}
	if len(n.Groups) >= maxGroups {
		return nil, ErrTooManyGroups
	}
	return []Event{GroupCreated{ID: id, GroupText: t}}, nil
}

// ChangeGroup decides group id's new text; the same text again changes nothing.
func (n Network) ChangeGroup(id GroupID, t GroupText) ([]Event, error) {
	g, err := n.OpenGroup(id)
	if err != nil {
		return nil, err
	}
	if t, err = checkGroup(t); err != nil {
		return nil, err
	}
	if t == g.GroupText {
		return nil, nil
	}
	return []Event{GroupChanged{ID: id, GroupText: t}}, nil
}

// CloseGroup decides that group id ends its work.
func (n Network) CloseGroup(id GroupID) ([]Event, error) {
	if _, err := n.OpenGroup(id); err != nil {
		return nil, err
	}
	return []Event{GroupClosed{ID: id}}, nil
}

// AddGroupMember decides that member account of the network joins group id; a member already
// in the group changes nothing.
func (n Network) AddGroupMember(id GroupID, account AccountID) ([]Event, error) {
	g, err := n.OpenGroup(id)
	if err != nil {
		return nil, err
	}
	if _, ok := n.Members[account]; !ok {
		return nil, ErrMemberNotFound
	}
	if g.Members[account] {
		return nil, nil
	}
	return []Event{GroupMemberAdded{Group: id, Account: account}}, nil
}

// RemoveGroupMember decides that account leaves group id; somebody not in it is not found.
func (n Network) RemoveGroupMember(id GroupID, account AccountID) ([]Event, error) {
	g, err := n.OpenGroup(id)
	if err != nil {
		return nil, err
	}
	if !g.Members[account] {
		return nil, ErrMemberNotFound
	}
	return []Event{GroupMemberRemoved{Group: id, Account: account}}, nil
}

// GroupMembers returns the accounts of group g, sorted.
func (g Group) GroupMembers() []AccountID {
	return slices.Sorted(maps.Keys(g.Members))
}
