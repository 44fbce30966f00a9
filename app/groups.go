package app

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// The use cases of a network's working groups: its admins and organisers (and the instance's
// administrator) create, change and close groups and name their members; the network's members
// read them. A group's meetings are the network's workshops of the group's series, and its
// open tasks the open action items agreed in those meetings.

// GroupView is a working group as a member of its network sees it.
type GroupView struct {
	ID          domain.GroupID     `json:"id"`
	Name        string             `json:"name"`
	Description string             `json:"description"`
	Series      string             `json:"series"`
	Members     []GroupMemberView  `json:"members"`
	Meetings    []GroupMeetingView `json:"meetings"`
	OpenTasks   []GroupTaskView    `json:"open_tasks"`
	// Minutes are the minutes ("Protokoll") among the materials of the group's meetings.
	Minutes []GroupMinutesView `json:"minutes"`
}

// GroupMinutesView is a material of a meeting of the group whose title or file name says it
// is minutes ("Protokoll", "minutes").
type GroupMinutesView struct {
	Workshop domain.WorkshopID `json:"workshop"`
	Material domain.MaterialID `json:"material"`
	Title    string            `json:"title"`
	Name     string            `json:"name"`
}

// isMinutes reports whether a material titled title with file name name is minutes.
func isMinutes(title, name string) bool {
	s := strings.ToLower(title + " " + name)
	return strings.Contains(s, "protokoll") || strings.Contains(s, "minutes")
}

// GroupMemberView is a member of a group; Name is "" once the account was erased.
type GroupMemberView struct {
	ID           domain.AccountID `json:"id"`
	Name         string           `json:"name"`
	Organisation string           `json:"organisation,omitempty"`
}

// GroupMeetingView is a meeting of a group: a workshop of its series.
type GroupMeetingView struct {
	Workshop domain.WorkshopID `json:"workshop"`
	Title    string            `json:"title"`
	Days     []domain.Day      `json:"days"`
}

// GroupTaskView is an open action item agreed in a meeting of the group. Who names the
// organisation that prepares it, never a person.
type GroupTaskView struct {
	Workshop     domain.WorkshopID   `json:"workshop"`
	ID           domain.ActionItemID `json:"id"`
	What         string              `json:"what"`
	Organisation string              `json:"organisation,omitempty"`
	DueBy        domain.Day          `json:"due_by,omitempty"`
}

// groupsReader returns network id for a member of it (or the instance's administrator) and
// whether c manages its groups; a stranger learns nothing of the network (not found).
func (a *App) groupsReader(ctx context.Context, c Caller, id domain.NetworkID) (domain.Network, AnnouncementReader, string, error) {
	n, r, actor, err := a.announcementsAccess(ctx, c, id)
	if err == nil && !r.Member {
		err = domain.ErrNetworkNotFound
	}
	return n, r, actor, err
}

// GroupsAccess tells a page whether c manages the groups of network id (true) or reads them.
func (a *App) GroupsAccess(ctx context.Context, c Caller, id domain.NetworkID) (bool, error) {
	_, r, _, err := a.groupsReader(ctx, c, id)
	return r.Organiser, err
}

// groupManager returns the actor of c managing network id's groups: a member without an
// organising role is refused.
func (a *App) groupManager(ctx context.Context, c Caller, id domain.NetworkID) (string, error) {
	_, r, actor, err := a.groupsReader(ctx, c, id)
	if err == nil && !r.Organiser {
		err = ErrForbidden
	}
	return actor, err
}

// Groups lists the open working groups of network id, by name.
func (a *App) Groups(ctx context.Context, c Caller, id domain.NetworkID) ([]GroupView, error) {
	n, _, _, err := a.groupsReader(ctx, c, id)
	if err != nil {
		return nil, err
	}
	out := []GroupView{}
	for gid, g := range n.Groups {
		if g.Closed {
			continue
		}
		v, err := a.groupView(ctx, n, gid, g)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	slices.SortFunc(out, func(x, y GroupView) int { return cmp.Or(compareFold(x.Name, y.Name), cmp.Compare(x.ID, y.ID)) })
	return out, nil
}

// Group returns working group gid of network id.
func (a *App) Group(ctx context.Context, c Caller, id domain.NetworkID, gid domain.GroupID) (GroupView, error) {
	n, _, _, err := a.groupsReader(ctx, c, id)
	if err != nil {
		return GroupView{}, err
	}
	g, err := n.OpenGroup(gid)
	if err != nil {
		return GroupView{}, err
	}
	return a.groupView(ctx, n, gid, g)
}

func (a *App) groupView(ctx context.Context, n domain.Network, gid domain.GroupID, g domain.Group) (GroupView, error) {
	v := GroupView{ID: gid, Name: g.Name, Description: g.Description, Series: g.Series,
		Members: []GroupMemberView{}, Meetings: []GroupMeetingView{}, OpenTasks: []GroupTaskView{}, Minutes: []GroupMinutesView{}}
	if len(g.Members) > 0 {
		members, err := a.members(ctx, n.ID)
		if err != nil {
			return GroupView{}, err
		}
		for _, m := range members {
			if g.Members[m.ID] {
				v.Members = append(v.Members, GroupMemberView{ID: m.ID, Name: m.Name, Organisation: m.Organisation})
			}
		}
	}
	if g.Series == "" {
		return v, nil
	}
	meetings, err := a.GroupMeetings(ctx, n.ID, g.Series)
	if err != nil {
		return GroupView{}, err
	}
	ours := map[domain.WorkshopID]bool{}
	for _, w := range meetings {
		ours[w.ID] = true
		v.Meetings = append(v.Meetings, GroupMeetingView{Workshop: w.ID, Title: w.Title, Days: w.Days})
		ms, err := a.cfg.Reader.Materials(ctx, w.ID)
		if err != nil {
			return GroupView{}, err
		}
		for _, m := range ms {
			if cur := m.Current(); isMinutes(m.Title, cur.Name) {
				v.Minutes = append(v.Minutes, GroupMinutesView{Workshop: w.ID, Material: m.ID, Title: m.Title, Name: cur.Name})
			}
		}
	}
	items, err := a.cfg.Reader.ActionItems(ctx, projections.ActionItemFilter{Series: g.Series, OpenOnly: true})
	if err != nil {
		return GroupView{}, err
	}
	for _, it := range items {
		// Another network may name a series the same: only this network's meetings count.
		if ours[it.Workshop] {
			v.OpenTasks = append(v.OpenTasks, GroupTaskView{Workshop: it.Workshop, ID: it.ID, What: it.What, Organisation: it.Who.Organisation, DueBy: it.DueBy})
		}
	}
	return v, nil
}

// GroupMeetings returns the workshops of network id with series, in the read model's order
// (by first day).
func (a *App) GroupMeetings(ctx context.Context, id domain.NetworkID, series string) ([]projections.WorkshopView, error) {
	ws, err := a.cfg.Reader.Workshops(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(ws, func(w projections.WorkshopView) bool { return w.Network != id || w.Series != series || series == "" }), nil
}

// CreateGroup creates a working group in network id and returns it. With an idempotency key a
// repeat answers the same group.
func (a *App) CreateGroup(ctx context.Context, c Caller, op Op, id domain.NetworkID, t domain.GroupText) (GroupView, error) {
	actor, err := a.groupManager(ctx, c, id)
	if err != nil {
		return GroupView{}, err
	}
	op.Actor = actor
	gid := domain.GroupID(a.cfg.NewID())
	res, err := a.decideNetwork(ctx, id, op, func(n domain.Network) ([]domain.Event, error) { return n.CreateGroup(gid, t) })
	if err != nil {
		return GroupView{}, err
	}
	for _, e := range res.Events {
		if g, ok := e.(domain.GroupCreated); ok {
			gid = g.ID // a repeat answers the first creation
		}
	}
	return a.Group(ctx, c, id, gid)
}

// ChangeGroup gives group gid of network id a new name, description or series.
func (a *App) ChangeGroup(ctx context.Context, c Caller, op Op, id domain.NetworkID, gid domain.GroupID, t domain.GroupText) (GroupView, error) {
	if err := a.decideGroup(ctx, c, op, id, func(n domain.Network) ([]domain.Event, error) { return n.ChangeGroup(gid, t) }); err != nil {
		return GroupView{}, err
	}
	return a.Group(ctx, c, id, gid)
}

// CloseGroup ends group gid of network id.
func (a *App) CloseGroup(ctx context.Context, c Caller, op Op, id domain.NetworkID, gid domain.GroupID) error {
	return a.decideGroup(ctx, c, op, id, func(n domain.Network) ([]domain.Event, error) { return n.CloseGroup(gid) })
}

// AddGroupMember makes member mid of network id a member of group gid.
func (a *App) AddGroupMember(ctx context.Context, c Caller, op Op, id domain.NetworkID, gid domain.GroupID, mid domain.AccountID) error {
	return a.decideGroup(ctx, c, op, id, func(n domain.Network) ([]domain.Event, error) { return n.AddGroupMember(gid, mid) })
}

// RemoveGroupMember takes mid out of group gid of network id.
func (a *App) RemoveGroupMember(ctx context.Context, c Caller, op Op, id domain.NetworkID, gid domain.GroupID, mid domain.AccountID) error {
	return a.decideGroup(ctx, c, op, id, func(n domain.Network) ([]domain.Event, error) { return n.RemoveGroupMember(gid, mid) })
}

func (a *App) decideGroup(ctx context.Context, c Caller, op Op, id domain.NetworkID, d domain.NetworkDecision) error {
	actor, err := a.groupManager(ctx, c, id)
	if err != nil {
		return err
	}
	op.Actor = actor
	_, err = a.decideNetwork(ctx, id, op, d)
	return err
}

// GroupCandidates lists the members of network id that a group's managers may add, by name:
// only for those who manage its groups.
func (a *App) GroupCandidates(ctx context.Context, c Caller, id domain.NetworkID) ([]GroupMemberView, error) {
	if _, err := a.groupManager(ctx, c, id); err != nil {
		return nil, err
	}
	members, err := a.members(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]GroupMemberView, 0, len(members))
	for _, m := range members {
		if !m.Erased {
			out = append(out, GroupMemberView{ID: m.ID, Name: m.Name, Organisation: m.Organisation})
		}
	}
	return out, nil
}
