package web

import (
	"html/template"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// The page of a network's announcements, /networks/{id}: public announcements for everybody,
// members' ones and the comments for its members (signed in), the forms to post, edit and
// withdraw for its organisers and admins, a comment form for members and a hide button for
// organisers. Its head links the Atom feed. Every form asks the application, as the API does.

const announcementsBase = "/networks"

// announcementsURL is the announcements page of network id.
func announcementsURL(id domain.NetworkID) string {
	return announcementsBase + "/" + url.PathEscape(string(id))
}

func (s *site) announcementRoutes() []route {
	const n = announcementsBase + "/:id"
	const a = n + "/announcements/:aid"
	get, post := http.MethodGet, http.MethodPost
	signedIn := s.anyoneSignedIn
	return []route{
		{get, n, s.announcementsPage, false},
		{post, n + "/announcements", signedIn(s.postAnnouncement), false},
		{post, a, signedIn(s.editAnnouncement), false},
		{post, a + "/withdraw", signedIn(s.withdrawAnnouncement), false},
		{post, a + "/comments", signedIn(s.commentOnAnnouncement), false},
		{post, a + "/comments/:cid/hide", signedIn(s.hideComment), false},
		{post, n + "/digest", signedIn(s.digestSubscription), false},
	}
}

// announcementsPage is what the page shows.
type announcementsPage struct {
	ID     domain.NetworkID
	Path   string
	Feed   string
	List   []app.AnnouncementView
	Access app.AnnouncementReader
	// Post is the form of a new announcement; Edit the edit form of announcement Edited that
	// came back with messages; Comment the comment form of announcement Commented.
	Post                 form
	Edit, Comment        form
	Edited, Commented    domain.AnnouncementID
	Notice               string
	CommentKey, EditKeys string
	// Subscriber: the caller is a member with an account, who may get the announcements by
	// mail (Access.Subscribed: they do).
	Subscriber bool
	// Groups are the network's open working groups, for its members.
	Groups []networkGroup
}

// networkGroup is a working group as the network's page lists it: its name, how many members
// it has and its next meeting (nil for none).
type networkGroup struct {
	ID      domain.GroupID
	Name    string
	Members int
	Next    *app.GroupMeetingView
}

// networkGroups lists groups with their next meeting: the first whose last day is today or later.
func networkGroups(groups []app.GroupView, today domain.Day) []networkGroup {
	out := make([]networkGroup, 0, len(groups))
	for _, g := range groups {
		ng := networkGroup{ID: g.ID, Name: g.Name, Members: len(g.Members)}
		for i, m := range g.Meetings {
			if len(m.Days) > 0 && m.Days[len(m.Days)-1] >= today && (ng.Next == nil || m.Days[0] < ng.Next.Days[0]) {
				ng.Next = &g.Meetings[i]
			}
		}
		out = append(out, ng)
	}
	return out
}

// AtomFeed is the feed the page's head links (see page.Feed).
func (p announcementsPage) AtomFeed() string { return p.Feed }

// HTML is an announcement's body as app rendered it: Markdown without raw HTML and with only
// http(s) and mailto links (app.RenderMarkdown), safe to put into the page as it is.
func (announcementsPage) HTML(v app.AnnouncementView) template.HTML {
	return template.HTML(v.HTML) // #nosec G203 -- rendered by app.RenderMarkdown's policy
}

// EditForm is the edit form of announcement v: what was typed if it came back, else its text.
func (p announcementsPage) EditForm(v app.AnnouncementView) form {
	if v.ID == p.Edited && p.Edit.Values != nil {
		return p.Edit
	}
	f := form{Values: url.Values{}, Errors: map[string]string{}, Key: p.EditKeys + "-" + string(v.ID)}
	f.Values.Set("title", v.Title)
	f.Values.Set("body", v.Body)
	f.Values.Set("visibility", string(v.Visibility))
	f.Values.Set("workshop", string(v.Workshop))
	if v.Material != nil {
		f.Values.Set("material", string(v.Material.ID))
	}
	return f
}

// CommentForm is the comment form of announcement v.
func (p announcementsPage) CommentForm(v app.AnnouncementView) form {
	if v.ID == p.Commented && p.Comment.Values != nil {
		return p.Comment
	}
	return form{Values: url.Values{}, Errors: map[string]string{}, Key: p.CommentKey + "-" + string(v.ID)}
}

func (s *site) announcementsData(c echo.Context) (announcementsPage, error) {
	id, err := networkID(c)
	if err != nil {
		return announcementsPage{}, err
	}
	caller, _, err := s.pageCaller(c)
	if err != nil {
		return announcementsPage{}, err
	}
	list, access, err := s.cmds.Announcements(c.Request().Context(), caller, id)
	if err != nil {
		return announcementsPage{}, err
	}
	p := announcementsPage{ID: id, Path: announcementsURL(id), Feed: "/api/v1/networks/" + url.PathEscape(string(id)) + "/announcements.atom",
		List: list, Access: access, Post: newForm(s), CommentKey: s.cfg.NewID(), EditKeys: s.cfg.NewID(),
		Subscriber: access.Member && caller.Account != ""}
	if access.Member {
		groups, err := s.cmds.Groups(c.Request().Context(), caller, id)
		if err != nil {
			return announcementsPage{}, err
		}
		today := domain.Day(s.cfg.Now().In(s.cmds.Config().Location).Format(time.DateOnly))
		p.Groups = networkGroups(groups, today)
	}
	switch c.QueryParam("done") {
	case "posted", "edited", "withdrawn", "commented", "hidden", "subscribed", "unsubscribed":
		p.Notice = "Announcement_" + c.QueryParam("done")
	}
	if caller.Account != "" || caller.Admin {
		c.Response().Header().Set("Cache-Control", "no-store")
	}
	return p, nil
}

func (s *site) announcementsPage(c echo.Context) error {
	return show(s, c, s.announcementsData, "announcements.html", "AnnouncementsTitle")
}

// announcementText reads an announcement's form.
// The form names the attachment by its id only: a material of the workshop the announcement
// names.
func announcementText(f form) domain.AnnouncementText {
	t := domain.AnnouncementText{Title: f.V("title"), Body: f.V("body"), Visibility: domain.Visibility(f.V("visibility")),
		Workshop: domain.WorkshopID(f.V("workshop"))}
	if m := f.V("material"); m != "" {
		t.Material = domain.MaterialRef{Workshop: t.Workshop, ID: domain.MaterialID(m)}
	}
	return t
}

// announcementForm is the route's network and announcement, the caller and the posted form,
// read after the caller is known to be allowed (an organiser's form, or else a member's with
// their own account): a refusal never depends on what was sent.
func (s *site) announcementForm(c echo.Context, organisers bool) (domain.NetworkID, domain.AnnouncementID, app.Caller, form, error) {
	id, err := networkID(c)
	if err != nil {
		return "", "", app.Caller{}, form{}, err
	}
	aid := c.Param("aid")
	if aid != "" && !domain.ValidID(aid) {
		return "", "", app.Caller{}, form{}, domain.ErrAnnouncementNotFound
	}
	caller, err := s.caller(c)
	if err != nil {
		return "", "", app.Caller{}, form{}, err
	}
	access, err := s.cmds.AnnouncementsAccess(c.Request().Context(), caller, id)
	switch {
	case err != nil:
		return "", "", app.Caller{}, form{}, err
	case !access.Member:
		return "", "", app.Caller{}, form{}, domain.ErrNetworkNotFound
	case organisers && !access.Organiser, !organisers && caller.Account == "":
		return "", "", app.Caller{}, form{}, app.ErrForbidden
	}
	f, err := submitted(c)
	return id, domain.AnnouncementID(aid), caller, f, err
}

func (s *site) postAnnouncement(c echo.Context) error {
	id, _, caller, f, err := s.announcementForm(c, true)
	if err != nil {
		return err
	}
	if _, err := s.cmds.PostAnnouncement(c.Request().Context(), caller, callerOp(f, "post announcement"), id, announcementText(f)); err != nil {
		return rerender(s, c, err, (*form).rejectedNetwork, s.announcementsData,
			func(p *announcementsPage, f form) { p.Post = f }, "announcements.html", "AnnouncementsTitle")
	}
	return seeOther(c, announcementsURL(id), "done", "posted")
}

func (s *site) editAnnouncement(c echo.Context) error {
	id, aid, caller, f, err := s.announcementForm(c, true)
	if err != nil {
		return err
	}
	if _, err := s.cmds.EditAnnouncement(c.Request().Context(), caller, callerOp(f, "edit announcement"), id, aid, announcementText(f)); err != nil {
		return rerender(s, c, err, (*form).rejectedNetwork, s.announcementsData,
			func(p *announcementsPage, f form) { p.Edit, p.Edited = f, aid }, "announcements.html", "AnnouncementsTitle")
	}
	return seeOther(c, announcementsURL(id)+"?done=edited#a-"+url.PathEscape(string(aid)))
}

func (s *site) withdrawAnnouncement(c echo.Context) error {
	id, aid, caller, f, err := s.announcementForm(c, true)
	if err != nil {
		return err
	}
	if err := s.cmds.WithdrawAnnouncement(c.Request().Context(), caller, callerOp(f, "withdraw announcement"), id, aid); err != nil {
		return err
	}
	return seeOther(c, announcementsURL(id), "done", "withdrawn")
}

func (s *site) commentOnAnnouncement(c echo.Context) error {
	id, aid, caller, f, err := s.announcementForm(c, false)
	if err != nil {
		return err
	}
	if _, err := s.cmds.CommentOnAnnouncement(c.Request().Context(), caller, callerOp(f, "comment"), id, aid, f.V("text")); err != nil {
		return rerender(s, c, err, (*form).rejectedNetwork, s.announcementsData,
			func(p *announcementsPage, f form) { p.Comment, p.Commented = f, aid }, "announcements.html", "AnnouncementsTitle")
	}
	return seeOther(c, announcementsURL(id)+"?done=commented#a-"+url.PathEscape(string(aid)))
}

func (s *site) hideComment(c echo.Context) error {
	id, aid, caller, f, err := s.announcementForm(c, true)
	if err != nil {
		return err
	}
	cid := c.Param("cid")
	if !domain.ValidID(cid) {
		return domain.ErrCommentNotFound
	}
	if err := s.cmds.HideComment(c.Request().Context(), caller, callerOp(f, "hide comment"), id, aid, domain.CommentID(cid)); err != nil {
		return err
	}
	return seeOther(c, announcementsURL(id)+"?done=hidden#a-"+url.PathEscape(string(aid)))
}
