package domain

import (
	"maps"
	"strings"
)

// Announcements are what a network's organisers tell its members and the public (a blog instead
// of e-mail circulars); members comment on them and organisers hide a comment. They are events
// of the network's own log: a network posts a few announcements a month, so its log stays short
// enough to be read whole (see NetworkLog), and the network's members and roles, which decide
// who may post, read and comment, are checked in the same decision that records the post.

// AnnouncementID names an announcement of a network; CommentID a comment on one.
type (
	AnnouncementID string
	CommentID      string
)

// Limits of announcements and comments, in characters.
const (
	maxAnnouncementTitle = 200
	maxAnnouncementBody  = 20000
	maxCommentText       = 2000
	// maxComments bounds the comments of one announcement, so that one thread cannot grow the
	// network's log without end.
	maxComments = 500
)

// Rules of announcements.
var (
	ErrAnnouncementNotFound = newRule("announcement-not-found", "announcement not found", ErrNotFound)
	ErrCommentNotFound      = newRule("comment-not-found", "comment not found", ErrNotFound)
	ErrTooManyComments      = newRule("too-many-comments", "the announcement has as many comments as it can hold", ErrConflict)
)

// Announcement is an announcement as the network's decisions need it: its text (who may see
// it), whether it stands, and its comments (true: hidden).
type Announcement struct {
	Text      AnnouncementText
	Withdrawn bool
	Comments  map[CommentID]bool
}

// AnnouncementText is the text of an announcement as organisers write it: Body is Markdown, Workshop
// names a workshop of the network ("" for none).
type AnnouncementText struct {
	Title      string     `json:"title"`
	Body       string     `json:"body"`
	Visibility Visibility `json:"visibility"`
	Workshop   WorkshopID `json:"workshop,omitempty"`
	// Material is the attachment: a material of one of the network's workshops, the zero
	// MaterialRef for none.
	Material MaterialRef `json:"material,omitzero"`
}

// MaterialRef names a workshop's material. An announcement's attachment is a link to one, not
// an upload of its own: the file is stored, checked (type, size, checksum), versioned, erased
// and served with the workshop's visibility once, by the materials (see material.go), and a
// replaced file reaches the announcement's readers too.
type MaterialRef struct {
	Workshop WorkshopID `json:"workshop"`
	ID       MaterialID `json:"id"`
}

// AnnouncementPosted records a new announcement. Its text is the network's, not personal data.
// Network names the network, so that the outbox, which sees the event alone, knows whose
// subscribers to mail ("" in announcements posted before the mails existed: no mail).
type AnnouncementPosted struct {
	ID      AnnouncementID `json:"id"`
	Network NetworkID      `json:"network,omitempty"`
	AnnouncementText
}

func (AnnouncementPosted) Name() string { return "network.announcement_posted.v1" }

var _ = register[AnnouncementPosted]()

// AnnouncementEdited records an announcement's new text.
type AnnouncementEdited struct {
	ID AnnouncementID `json:"id"`
	AnnouncementText
}

func (AnnouncementEdited) Name() string { return "network.announcement_edited.v1" }

var _ = register[AnnouncementEdited]()

// AnnouncementWithdrawn records that an announcement is no longer shown.
type AnnouncementWithdrawn struct {
	ID AnnouncementID `json:"id"`
}

func (AnnouncementWithdrawn) Name() string { return "network.announcement_withdrawn.v1" }

var _ = register[AnnouncementWithdrawn]()

// CommentAdded records a member's comment. Person holds the author's name and, in
// Answers["text"], the comment's text: both are sealed under the account's key, since free
// text may identify its author, so that erasing the account leaves a comment of an erased person.
type CommentAdded struct {
	Announcement AnnouncementID `json:"announcement"`
	ID           CommentID      `json:"id"`
	Account      AccountID      `json:"account"`
	Person       *Person        `json:"person"`
}

func (CommentAdded) Name() string { return "network.announcement_comment_added.v1" }

// DataSubject is the author's account.
func (e CommentAdded) DataSubject() string { return string(e.Account) }

// WithPerson returns the event carrying p.
func (e CommentAdded) WithPerson(p *Person) Event { e.Person = p; return e }

// Text returns the comment's text, "" once its author was erased.
func (e CommentAdded) Text() string {
	if e.Person == nil {
		return ""
	}
	return e.Person.Answers[commentTextKey]
}

// commentTextKey is where a comment's text sits in its sealed Person.
const commentTextKey = "text"

var _ = register[CommentAdded]()

// CommentHidden records that organisers hid a comment: it stays in the log, no longer shown.
type CommentHidden struct {
	Announcement AnnouncementID `json:"announcement"`
	ID           CommentID      `json:"id"`
}

func (CommentHidden) Name() string { return "network.announcement_comment_hidden.v1" }

var _ = register[CommentHidden]()

// evolveAnnouncements applies the events of announcements to n.
func (n Network) evolveAnnouncements(e Event) Network {
	change := func(id AnnouncementID, f func(*Announcement)) {
		n.Announcements = maps.Clone(n.Announcements)
		if n.Announcements == nil {
			n.Announcements = map[AnnouncementID]Announcement{}
		}
		a := n.Announcements[id]
		f(&a)
		n.Announcements[id] = a
	}
	switch e := e.(type) {
	case AnnouncementPosted:
		change(e.ID, func(a *Announcement) { a.Text = e.AnnouncementText })
	case AnnouncementEdited:
		change(e.ID, func(a *Announcement) { a.Text = e.AnnouncementText })
	case AnnouncementWithdrawn:
		change(e.ID, func(a *Announcement) { a.Withdrawn = true })
	case CommentAdded:
		change(e.Announcement, func(a *Announcement) {
			a.Comments = maps.Clone(a.Comments)
			if a.Comments == nil {
				a.Comments = map[CommentID]bool{}
			}
			a.Comments[e.ID] = false
		})
	case CommentHidden:
		change(e.Announcement, func(a *Announcement) {
			a.Comments = maps.Clone(a.Comments)
			a.Comments[e.ID] = true
		})
	}
	return n
}

// checkAnnouncement checks an announcement's text and returns it trimmed.
func checkAnnouncement(t AnnouncementText) (AnnouncementText, error) {
	var fe FieldErrors
	checkText(&fe, "title", t.Title, true, maxAnnouncementTitle)
	checkProse(&fe, "body", t.Body, true, maxAnnouncementBody)
	if !t.Visibility.Valid() {
		fe.add("visibility", CodeNotInList, "must be public or members")
	}
	checkID(&fe, "workshop", string(t.Workshop))
	if t.Material != (MaterialRef{}) {
		checkID(&fe, "material.workshop", string(t.Material.Workshop))
		checkID(&fe, "material.id", string(t.Material.ID))
		if t.Material.Workshop == "" || t.Material.ID == "" {
			fe.add("material", CodeRequired, "names a workshop and one of its materials")
		}
	}
	if err := fe.err(); err != nil {
		return t, err
	}
	t.Title, t.Body, t.Visibility = strings.TrimSpace(t.Title), strings.TrimSpace(t.Body), t.Visibility.Or()
	return t, nil
}

// standing returns announcement id unless it was never posted or was withdrawn.
func (n Network) standing(id AnnouncementID) (Announcement, error) {
	if !n.Exists() {
		return Announcement{}, ErrNetworkNotFound
	}
	a, ok := n.Announcements[id]
	if !ok || a.Withdrawn {
		return Announcement{}, ErrAnnouncementNotFound
	}
	return a, nil
}

// PostAnnouncement decides a new announcement id with text t.
func (n Network) PostAnnouncement(id AnnouncementID, t AnnouncementText) ([]Event, error) {
	if !n.Exists() {
		return nil, ErrNetworkNotFound
	}
	t, err := checkAnnouncement(t)
	if err != nil {
		return nil, err
	}
	if _, ok := n.Announcements[id]; ok || id == "" {
		return nil, ErrInvalid
	}
	return []Event{AnnouncementPosted{ID: id, Network: n.ID, AnnouncementText: t}}, nil
}

// EditAnnouncement decides announcement id's new text; the same text again changes nothing.
func (n Network) EditAnnouncement(id AnnouncementID, t AnnouncementText) ([]Event, error) {
	a, err := n.standing(id)
	if err != nil {
		return nil, err
	}
	t, err = checkAnnouncement(t)
	if err != nil {
		return nil, err
	}
	if t == a.Text {
		return nil, nil
	}
	return []Event{AnnouncementEdited{ID: id, AnnouncementText: t}}, nil
}

// WithdrawAnnouncement decides that announcement id is no longer shown.
func (n Network) WithdrawAnnouncement(id AnnouncementID) ([]Event, error) {
	if _, err := n.standing(id); err != nil {
		return nil, err
	}
	return []Event{AnnouncementWithdrawn{ID: id}}, nil
}

// AddComment decides member account's comment cid with text on announcement id; name is the
// author's name as the network knows it.
func (n Network) AddComment(id AnnouncementID, cid CommentID, account AccountID, name, text string) ([]Event, error) {
	a, err := n.standing(id)
	if err != nil {
		return nil, err
	}
	if _, ok := n.Members[account]; !ok {
		return nil, ErrMemberNotFound
	}
	var fe FieldErrors
	checkProse(&fe, "text", text, true, maxCommentText)
	if err := fe.err(); err != nil {
		return nil, err
	}
	if len(a.Comments) >= maxComments {
		return nil, ErrTooManyComments
	}
	if _, ok := a.Comments[cid]; ok || cid == "" {
		return nil, ErrInvalid
	}
	return []Event{CommentAdded{Announcement: id, ID: cid, Account: account,
		Person: &Person{Name: strings.TrimSpace(name), Answers: map[string]string{commentTextKey: strings.TrimSpace(text)}}}}, nil
}

// HideComment decides that comment cid of announcement id is hidden; hiding it again changes
// nothing.
func (n Network) HideComment(id AnnouncementID, cid CommentID) ([]Event, error) {
	a, err := n.standing(id)
	if err != nil {
		return nil, err
	}
	hidden, ok := a.Comments[cid]
	switch {
	case !ok:
		return nil, ErrCommentNotFound
	case hidden:
		return nil, nil
	}
	return []Event{CommentHidden{Announcement: id, ID: cid}}, nil
}
