package app

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// The use cases of a network's announcements: its organisers and admins (and the instance's
// administrator) post, edit and withdraw them and hide comments; its members comment; public
// announcements are read by everybody, members' ones by the network's members.

// AnnouncementView is an announcement as a reader sees it. HTML is Body rendered safely.
type AnnouncementView struct {
	ID         domain.AnnouncementID `json:"id"`
	Title      string                `json:"title"`
	Body       string                `json:"body"`
	HTML       string                `json:"html"`
	Visibility domain.Visibility     `json:"visibility"`
	Workshop   domain.WorkshopID     `json:"workshop,omitempty"`
	// Material is the attachment, nil for none; Download is where its file is fetched (by
	// the workshop's visibility).
	Material  *AttachedMaterial `json:"material,omitempty"`
	PostedAt  time.Time         `json:"posted_at"`
	UpdatedAt time.Time         `json:"updated_at"`
	Comments  []CommentView     `json:"comments"`
}

// CommentView is a comment as a reader sees it. Author and Text are "" and Erased is true once
// the author's account was erased; Hidden comments are shown to the organisers only.
type CommentView struct {
	ID     domain.CommentID `json:"id"`
	Author string           `json:"author"`
	Text   string           `json:"text"`
	At     time.Time        `json:"at"`
	Erased bool             `json:"erased,omitempty"`
	Hidden bool             `json:"hidden,omitempty"`
}

// AnnouncementReader is what a caller may do with a network's announcements.
type AnnouncementReader struct {
	// Network is the network's name: its announcements are signed with it, for every reader.
	Network string
	// Member: the caller sees members' announcements and comments.
	Member bool
	// Organiser: the caller posts, edits, withdraws and hides comments.
	Organiser bool
	// Subscribed: the caller, a member, gets the announcements by mail (see digest.go).
	Subscribed bool
}

// announcementsAccess returns what c may do with the announcements of network id; a network
// that does not exist is not found.
func (a *App) announcementsAccess(ctx context.Context, c Caller, id domain.NetworkID) (domain.Network, AnnouncementReader, string, error) {
	if a.cfg.Networks == nil {
		return domain.Network{}, AnnouncementReader{}, "", ErrNoNetworks
	}
	n, m, ok, err := a.membership(ctx, c, id)
	switch {
	case err != nil:
		return n, AnnouncementReader{}, "", err
	case !n.Exists():
		return n, AnnouncementReader{}, "", domain.ErrNetworkNotFound
	case c.Admin:
		return n, AnnouncementReader{Network: n.Name, Member: true, Organiser: true}, ActorOrganiser, nil
	case !ok:
		return n, AnnouncementReader{Network: n.Name}, "", nil
	}
	switch {
	case hasRole(m, domain.RoleAdmin):
		return n, AnnouncementReader{Network: n.Name, Member: true, Organiser: true}, ActorAccount(c.Account, domain.RoleAdmin), nil
	case hasRole(m, domain.RoleOrganiser):
		return n, AnnouncementReader{Network: n.Name, Member: true, Organiser: true}, ActorAccount(c.Account, domain.RoleOrganiser), nil
	}
	return n, AnnouncementReader{Network: n.Name, Member: true}, ActorAccount(c.Account, domain.RoleMember), nil
}

// AnnouncementsAccess tells a page what c may do with network id's announcements, and whether
// c gets them by mail.
func (a *App) AnnouncementsAccess(ctx context.Context, c Caller, id domain.NetworkID) (AnnouncementReader, error) {
	n, r, _, err := a.announcementsAccess(ctx, c, id)
	r.Subscribed = r.Member && c.Account != "" && n.Digest[c.Account]
	return r, err
}

// announcer returns the actor of an organiser of network id's announcements: a member without
// the role is refused, anybody else learns nothing (not found).
func (a *App) announcer(ctx context.Context, c Caller, id domain.NetworkID) (string, error) {
	_, r, actor, err := a.announcementsAccess(ctx, c, id)
	switch {
	case err != nil:
		return "", err
	case !r.Member:
		return "", domain.ErrNetworkNotFound
	case !r.Organiser:
		return "", ErrForbidden
	}
	return actor, nil
}

// AttachedMaterial is an announcement's attachment.
type AttachedMaterial struct {
	domain.MaterialRef
	Download string `json:"download"`
}

// checkAnnouncedMaterial checks that an announcement's attachment is a material of a workshop
// of network id.
func (a *App) checkAnnouncedMaterial(ctx context.Context, id domain.NetworkID, m domain.MaterialRef) error {
	if m == (domain.MaterialRef{}) {
		return nil
	}
	unknown := domain.FieldErrors{{Field: "material", Code: domain.CodeUnknownID, Detail: "names no material of a workshop of the network"}}
	if !domain.ValidID(string(m.Workshop)) || !domain.ValidID(string(m.ID)) {
		return unknown // no id of ours: it could name nothing
	}
	v, err := a.cfg.Reader.Workshop(ctx, m.Workshop)
	if errors.Is(err, domain.ErrNotFound) || (err == nil && v.Network != id) {
		return unknown
	}
	if err != nil {
		return err
	}
	if _, err := a.cfg.Reader.Material(ctx, m.Workshop, m.ID); errors.Is(err, domain.ErrNotFound) {
		return unknown
	} else if err != nil {
		return err
	}
	return nil
}

// checkAnnouncedWorkshop checks that an announcement's workshop is one of network id.
func (a *App) checkAnnouncedWorkshop(ctx context.Context, id domain.NetworkID, w domain.WorkshopID) error {
	if w == "" || !domain.ValidID(string(w)) {
		return nil // none, or the domain's field error
	}
	v, err := a.cfg.Reader.Workshop(ctx, w)
	if errors.Is(err, domain.ErrNotFound) || (err == nil && v.Network != id) {
		return domain.FieldErrors{{Field: "workshop", Code: domain.CodeUnknownID, Detail: "names no workshop of the network"}}
	}
	return err
}

// PostAnnouncement posts an announcement to network id and returns it.
func (a *App) PostAnnouncement(ctx context.Context, c Caller, op Op, id domain.NetworkID, t domain.AnnouncementText) (AnnouncementView, error) {
	actor, err := a.announcer(ctx, c, id)
	if err != nil {
		return AnnouncementView{}, err
	}
	if err := a.checkAnnouncedWorkshop(ctx, id, t.Workshop); err != nil {
		return AnnouncementView{}, err
	}
	if err := a.checkAnnouncedMaterial(ctx, id, t.Material); err != nil {
		return AnnouncementView{}, err
	}
	op.Actor = actor
	aid := domain.AnnouncementID(a.cfg.NewID())
	res, err := a.decideNetwork(ctx, id, op, func(n domain.Network) ([]domain.Event, error) { return n.PostAnnouncement(aid, t) })
	if err != nil {
		return AnnouncementView{}, err
	}
	for _, e := range res.Events {
		if p, ok := e.(domain.AnnouncementPosted); ok {
			aid = p.ID // a repeat answers the first post
		}
	}
	return a.Announcement(ctx, c, id, aid)
}

// EditAnnouncement gives announcement aid of network id a new text.
func (a *App) EditAnnouncement(ctx context.Context, c Caller, op Op, id domain.NetworkID, aid domain.AnnouncementID, t domain.AnnouncementText) (AnnouncementView, error) {
	actor, err := a.announcer(ctx, c, id)
	if err != nil {
		return AnnouncementView{}, err
	}
	if err := a.checkAnnouncedWorkshop(ctx, id, t.Workshop); err != nil {
		return AnnouncementView{}, err
	}
	if err := a.checkAnnouncedMaterial(ctx, id, t.Material); err != nil {
		return AnnouncementView{}, err
	}
	op.Actor = actor
	if _, err := a.decideNetwork(ctx, id, op, func(n domain.Network) ([]domain.Event, error) { return n.EditAnnouncement(aid, t) }); err != nil {
		return AnnouncementView{}, err
	}
	return a.Announcement(ctx, c, id, aid)
}

// WithdrawAnnouncement withdraws announcement aid of network id.
func (a *App) WithdrawAnnouncement(ctx context.Context, c Caller, op Op, id domain.NetworkID, aid domain.AnnouncementID) error {
	actor, err := a.announcer(ctx, c, id)
	if err != nil {
		return err
	}
	op.Actor = actor
	_, err = a.decideNetwork(ctx, id, op, func(n domain.Network) ([]domain.Event, error) { return n.WithdrawAnnouncement(aid) })
	return err
}

// CommentOnAnnouncement adds member c's comment to announcement aid of network id, under the
// name the network knows them by. Only people with an account comment: a comment has an author.
func (a *App) CommentOnAnnouncement(ctx context.Context, c Caller, op Op, id domain.NetworkID, aid domain.AnnouncementID, text string) (CommentView, error) {
	n, r, actor, err := a.announcementsAccess(ctx, c, id)
	switch {
	case err != nil:
		return CommentView{}, err
	case !r.Member:
		return CommentView{}, domain.ErrNetworkNotFound
	case c.Account == "":
		return CommentView{}, ErrForbidden // the instance's administrator has no name to comment under
	}
	if an, ok := n.Announcements[aid]; !ok || an.Withdrawn {
		return CommentView{}, domain.ErrAnnouncementNotFound
	}
	members, err := a.members(ctx, id)
	if err != nil {
		return CommentView{}, err
	}
	name := ""
	for _, m := range members {
		if m.ID == c.Account {
			name = m.Name
		}
	}
	op.Actor = actor
	cid := domain.CommentID(a.cfg.NewID())
	res, err := a.decideNetwork(ctx, id, op, func(n domain.Network) ([]domain.Event, error) {
		return n.AddComment(aid, cid, c.Account, name, text)
	})
	if err != nil {
		return CommentView{}, err
	}
	for _, e := range res.Events {
		if added, ok := e.(domain.CommentAdded); ok {
			return CommentView{ID: added.ID, Author: name, Text: added.Text(), At: a.cfg.Now()}, nil
		}
	}
	return CommentView{ID: cid}, nil
}

// HideComment hides comment cid of announcement aid of network id.
func (a *App) HideComment(ctx context.Context, c Caller, op Op, id domain.NetworkID, aid domain.AnnouncementID, cid domain.CommentID) error {
	actor, err := a.announcer(ctx, c, id)
	if err != nil {
		return err
	}
	op.Actor = actor
	_, err = a.decideNetwork(ctx, id, op, func(n domain.Network) ([]domain.Event, error) { return n.HideComment(aid, cid) })
	return err
}

// Announcements lists the announcements of network id that c sees, newest first: public ones
// for everybody, members' ones for members too.
func (a *App) Announcements(ctx context.Context, c Caller, id domain.NetworkID) ([]AnnouncementView, AnnouncementReader, error) {
	n, r, _, err := a.announcementsAccess(ctx, c, id)
	if err != nil {
		return nil, r, err
	}
	r.Subscribed = r.Member && c.Account != "" && n.Digest[c.Account]
	all, err := a.announcements(ctx, id, r)
	return all, r, err
}

// Announcement returns announcement aid of network id as c sees it; one c may not see is not
// found.
func (a *App) Announcement(ctx context.Context, c Caller, id domain.NetworkID, aid domain.AnnouncementID) (AnnouncementView, error) {
	all, _, err := a.Announcements(ctx, c, id)
	if err != nil {
		return AnnouncementView{}, err
	}
	for _, v := range all {
		if v.ID == aid {
			return v, nil
		}
	}
	return AnnouncementView{}, domain.ErrAnnouncementNotFound
}

// announcements folds the network's log into the announcements r may see.
func (a *App) announcements(ctx context.Context, id domain.NetworkID, r AnnouncementReader) ([]AnnouncementView, error) {
	log, err := a.cfg.Networks.NetworkLog(ctx, id)
	if err != nil {
		return nil, err
	}
	byID := map[domain.AnnouncementID]*AnnouncementView{}
	var order []domain.AnnouncementID
	set := func(v *AnnouncementView, t domain.AnnouncementText) {
		v.Title, v.Body, v.Visibility, v.Workshop = t.Title, t.Body, t.Visibility.Or(), t.Workshop
		v.Material = nil
		if t.Material != (domain.MaterialRef{}) {
			v.Material = &AttachedMaterial{MaterialRef: t.Material,
				Download: "/w/" + url.PathEscape(string(t.Material.Workshop)) + "/materials/" + url.PathEscape(string(t.Material.ID))}
		}
	}
	for _, rec := range log {
		switch e := rec.Event.(type) {
		case domain.AnnouncementPosted:
			v := &AnnouncementView{ID: e.ID, PostedAt: rec.At, UpdatedAt: rec.At, Comments: []CommentView{}}
			set(v, e.AnnouncementText)
			byID[e.ID] = v
			order = append(order, e.ID)
		case domain.AnnouncementEdited:
			if v := byID[e.ID]; v != nil {
				set(v, e.AnnouncementText)
				v.UpdatedAt = rec.At
			}
		case domain.AnnouncementWithdrawn:
			delete(byID, e.ID)
		case domain.CommentAdded:
			if v := byID[e.Announcement]; v != nil {
				cv := CommentView{ID: e.ID, At: rec.At, Erased: e.Person == nil}
				if e.Person != nil {
					cv.Author, cv.Text = e.Person.Name, e.Text()
				}
				v.Comments = append(v.Comments, cv)
			}
		case domain.CommentHidden:
			if v := byID[e.Announcement]; v != nil {
				for i := range v.Comments {
					if v.Comments[i].ID == e.ID {
						v.Comments[i].Hidden = true
					}
				}
			}
		}
	}
	out := []AnnouncementView{}
	for _, aid := range slices.Backward(order) {
		v := byID[aid]
		if v == nil || (v.Visibility != domain.Public && !r.Member) {
			continue
		}
		if !r.Member {
			v.Comments = []CommentView{} // comments are the members' conversation
		}
		if !r.Organiser {
			v.Comments = slices.DeleteFunc(v.Comments, func(c CommentView) bool { return c.Hidden })
		}
		v.HTML = RenderMarkdown(v.Body)
		out = append(out, *v)
	}
	return out, nil
}
