package handlers

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// The routes of a network's announcements. Reading needs no token (public announcements are
// for everybody; a member's token shows the members' ones too); writing is for the network's
// organisers and admins, commenting for its members. Who may do what is app's to decide.

func announcementPath(c echo.Context) (domain.NetworkID, domain.AnnouncementID, error) {
	id, err := networkID(c)
	if err != nil {
		return "", "", err
	}
	aid := c.Param("aid")
	if !domain.ValidID(aid) {
		return "", "", domain.ErrAnnouncementNotFound
	}
	return id, domain.AnnouncementID(aid), nil
}

// anyCaller returns who the request's token names; a request without a token (or with one
// that names nobody) reads as the public.
func (a *api) anyCaller(c echo.Context) (app.Caller, error) {
	caller, _, err := a.callerOf(c)
	return caller, err
}

// announcementBody is an announcement as organisers send it.
type announcementBody struct {
	Title      string            `json:"title"`
	Body       string            `json:"body"`
	Visibility domain.Visibility `json:"visibility"`
	Workshop   domain.WorkshopID `json:"workshop"`
	// Material attaches a material of one of the network's workshops.
	Material domain.MaterialRef `json:"material"`
}

func (b announcementBody) text() domain.AnnouncementText {
	return domain.AnnouncementText{Title: b.Title, Body: b.Body, Visibility: b.Visibility, Workshop: b.Workshop, Material: b.Material}
}

func (a *api) listAnnouncements(c echo.Context) error {
	id, err := networkID(c)
	if err != nil {
		return err
	}
	caller, err := a.anyCaller(c)
	if err != nil {
		return err
	}
	list, _, err := a.cmds.Announcements(c.Request().Context(), caller, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string][]app.AnnouncementView{"announcements": list})
}

func (a *api) showAnnouncement(c echo.Context) error {
	id, aid, err := announcementPath(c)
	if err != nil {
		return err
	}
	caller, err := a.anyCaller(c)
	if err != nil {
		return err
	}
	v, err := a.cmds.Announcement(c.Request().Context(), caller, id, aid)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (a *api) postAnnouncement(c echo.Context) error {
	id, err := networkID(c)
	if err != nil {
		return err
	}
	var b announcementBody
	if err := decode(c, &b); err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	v, err := a.cmds.PostAnnouncement(c.Request().Context(), callerOf(c), op, id, b.text())
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/networks/"+string(id)+"/announcements/"+string(v.ID))
	return c.JSON(http.StatusCreated, v)
}

func (a *api) editAnnouncement(c echo.Context) error {
	id, aid, err := announcementPath(c)
	if err != nil {
		return err
	}
	var b announcementBody
	if err := decode(c, &b); err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	v, err := a.cmds.EditAnnouncement(c.Request().Context(), callerOf(c), op, id, aid, b.text())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (a *api) withdrawAnnouncement(c echo.Context) error {
	id, aid, err := announcementPath(c)
	if err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	if err := a.cmds.WithdrawAnnouncement(c.Request().Context(), callerOf(c), op, id, aid); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (a *api) commentOnAnnouncement(c echo.Context) error {
	id, aid, err := announcementPath(c)
	if err != nil {
		return err
	}
	var b struct {
		Text string `json:"text"`
	}
	if err := decode(c, &b); err != nil {
		return err
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	v, err := a.cmds.CommentOnAnnouncement(c.Request().Context(), callerOf(c), op, id, aid, b.Text)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, v)
}

func (a *api) hideComment(c echo.Context) error {
	id, aid, err := announcementPath(c)
	if err != nil {
		return err
	}
	cid := c.Param("cid")
	if !domain.ValidID(cid) {
		return domain.ErrCommentNotFound
	}
	op, err := a.op(c, app.ActorOrganiser)
	if err != nil {
		return err
	}
	if err := a.cmds.HideComment(c.Request().Context(), callerOf(c), op, id, aid, domain.CommentID(cid)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// The Atom feed (RFC 4287) of a network's announcements.

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Updated   string      `xml:"updated"`
	Published string      `xml:"published"`
	Links     []atomLink  `xml:"link"`
	Content   atomContent `xml:"content"`
}

type atomContent struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

// feedEpoch is the date of every feed's tag: URI (RFC 4151): it must stay the same for as long
// as the feed exists, so it is not a date of the network's (which the log does not keep apart).
const feedEpoch = "2026"

// announcementsFeed answers GET /networks/{id}/announcements.atom: the announcements the
// caller sees, newest first. The ids are tag: URIs of the site's host, the network and the
// announcement, so that a reader knows an edited entry as the same one.
func (a *api) announcementsFeed(c echo.Context) error {
	id, err := networkID(c)
	if err != nil {
		return err
	}
	caller, err := a.anyCaller(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	list, r, err := a.cmds.Announcements(ctx, caller, id)
	if err != nil {
		return err
	}
	host := c.Request().Host
	base := c.Scheme() + "://" + host
	title := r.Network
	feed := atomFeed{
		ID:     "tag:" + host + "," + feedEpoch + ":networks/" + string(id) + "/announcements",
		Title:  title,
		Author: atomPerson{Name: title},
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: base + "/api/v1/networks/" + string(id) + "/announcements.atom"},
			{Rel: "alternate", Type: "text/html", Href: base + "/networks/" + string(id)}, // the announcements' page
		},
		Updated: time.Unix(0, 0).UTC().Format(time.RFC3339),
	}
	var latest time.Time
	for _, v := range list {
		if v.UpdatedAt.After(latest) {
			latest = v.UpdatedAt
		}
		feed.Entries = append(feed.Entries, atomEntry{
			ID:        "tag:" + host + "," + v.PostedAt.UTC().Format(time.DateOnly) + ":networks/" + string(id) + "/announcements/" + string(v.ID),
			Title:     v.Title,
			Updated:   v.UpdatedAt.UTC().Format(time.RFC3339),
			Published: v.PostedAt.UTC().Format(time.RFC3339),
			Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: base + "/networks/" + string(id) + "#a-" + string(v.ID)}},
			Content:   atomContent{Type: "html", Text: v.HTML},
		})
	}
	if !latest.IsZero() {
		feed.Updated = latest.UTC().Format(time.RFC3339)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	if err := enc.Encode(feed); err != nil {
		return err
	}
	if r.Member {
		// A members' feed is nobody's to cache but its reader's.
		c.Response().Header().Set(echo.HeaderCacheControl, "private, no-store")
	}
	return c.Blob(http.StatusOK, "application/atom+xml; charset=utf-8", b.Bytes())
}
