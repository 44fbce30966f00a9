package handlers_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/werkstatt/werkstatt/domain"
)

type announcementOut struct {
	ID, Title, Body, HTML, Visibility, Workshop string
	Comments                                    []struct {
		ID, Author, Text string
		Erased, Hidden   bool
	}
}

type announcementsOut struct {
	Announcements []announcementOut
}

// TestAnnouncements: a network's organisers and admins post, edit and withdraw announcements;
// everybody reads the public ones, members the members' ones too; members comment, organisers
// hide a comment; every other role is refused; hostile Markdown comes out harmless; the log
// names who acted.
func TestAnnouncements(t *testing.T) {
	s := startService(t)
	n := newNetworkWorld(s)
	base := "/api/v1/networks/" + n.forum + "/announcements"
	post := func(token string, body map[string]any, status int) announcementOut {
		t.Helper()
		var out announcementOut
		if status != 201 {
			s.must(request{method: "POST", path: base, token: token, body: body}, status, nil)
			return out
		}
		res := s.must(request{method: "POST", path: base, token: token, body: body}, 201, &out)
		if loc := res.header.Get("Location"); loc != base+"/"+out.ID {
			t.Errorf("Location: got %q, want %s", loc, base+"/"+out.ID)
		}
		return out
	}
	list := func(token string) []announcementOut {
		t.Helper()
		var out announcementsOut
		s.must(request{method: "GET", path: base, token: token}, 200, &out)
		return out.Announcements
	}

	pub := post(n.anna.Token, map[string]any{"title": "Netzwerktreffen im März", "body": "Wir treffen uns **im Rathaus**."}, 201)
	if pub.Visibility != "public" || !strings.Contains(pub.HTML, "<strong>im Rathaus</strong>") {
		t.Errorf("posted: got %+v, want it public with the body rendered", pub)
	}
	mem := post(n.olaf.Token, map[string]any{"title": "Protokoll", "body": "Nur für Mitglieder", "visibility": "members"}, 201)
	post(org, map[string]any{"title": "Vom Orga-Team der Instanz", "body": "Hallo", "visibility": "members"}, 201)

	// Who may not post: members without an organising role (403), outsiders (404, the network
	// is none of theirs), nobody (401).
	body := map[string]any{"title": "T", "body": "B"}
	for _, who := range []member{n.mia, n.dora, n.lea} {
		post(who.Token, body, 403)
	}
	post(n.max.Token, body, 404)
	post("", body, 401)
	post("wst_made-up", body, 401)

	// Validation at the boundary.
	for _, bad := range []map[string]any{
		{"title": "", "body": "B"},
		{"title": strings.Repeat("x", 201), "body": "B"},
		{"title": "T", "body": strings.Repeat("x", 20001)},
		{"title": "T", "body": "a\u0000b"},
		{"title": "T\u0007", "body": "B"},
		{"title": "T", "body": "B", "visibility": "everyone"},
		{"title": "T", "body": "B", "workshop": "no-such-workshop"},
	} {
		post(n.anna.Token, bad, 422)
	}
	post(n.anna.Token, map[string]any{"title": "T", "body": "B", "color": "red"}, 400)

	// Who reads what.
	if got := list(""); len(got) != 1 || got[0].ID != pub.ID {
		t.Errorf("anonymous: got %+v, want only the public one", got)
	}
	if got := list(n.max.Token); len(got) != 1 {
		t.Errorf("an outsider: got %d announcements, want only the public one", len(got))
	}
	if got := list(n.mia.Token); len(got) != 3 || got[1].ID != mem.ID || got[2].ID != pub.ID {
		t.Errorf("a member: got %+v, want all three, newest first", got)
	}
	if got := list(org); len(got) != 3 {
		t.Errorf("the instance's administrator: got %d, want 3", len(got))
	}
	for _, token := range []string{"", n.max.Token} {
		s.must(request{method: "GET", path: base + "/" + mem.ID, token: token}, 404, nil)
	}
	s.must(request{method: "GET", path: base + "/" + mem.ID, token: n.mia.Token}, 200, nil)
	s.must(request{method: "GET", path: base + "/" + pub.ID}, 200, nil)

	// Unknown ids.
	s.must(request{method: "GET", path: "/api/v1/networks/no-such-network/announcements"}, 404, nil)
	s.must(request{method: "GET", path: "/api/v1/networks/no-such-network/announcements.atom"}, 404, nil)
	s.must(request{method: "GET", path: base + "/no-such-announcement", token: n.mia.Token}, 404, nil)
	s.must(request{method: "PUT", path: base + "/no-such-announcement", token: n.anna.Token, body: body}, 404, nil)
	s.must(request{method: "DELETE", path: base + "/no-such-announcement", token: n.anna.Token}, 404, nil)
	s.must(request{method: "POST", path: base + "/no-such-announcement/comments", token: n.mia.Token, body: map[string]any{"text": "Hallo"}}, 404, nil)
	s.must(request{method: "PUT", path: base + "/" + pub.ID + "/comments/no-such-comment/hidden", token: n.anna.Token}, 404, nil)

	// Comments: members write them, organisers hide them.
	comment := func(token string, text string, status int) string {
		t.Helper()
		var c struct{ ID, Author string }
		if status != 201 {
			s.must(request{method: "POST", path: base + "/" + mem.ID + "/comments", token: token, body: map[string]any{"text": text}}, status, nil)
			return ""
		}
		s.must(request{method: "POST", path: base + "/" + mem.ID + "/comments", token: token, body: map[string]any{"text": text}}, 201, &c)
		if c.Author != "mia" && c.Author != "anna" {
			t.Errorf("comment: got author %q, want the member's name", c.Author)
		}
		return c.ID
	}
	spam := comment(n.mia.Token, "Kauft Sachen!", 201)
	kept := comment(n.mia.Token, "Ich komme <script>alert(1)</script>.", 201)
	comment(n.max.Token, "Hallo", 404)
	comment("", "Hallo", 401)
	comment(org, "Hallo", 403) // the administrator has no name to comment under
	comment(n.mia.Token, " ", 422)
	comment(n.mia.Token, strings.Repeat("x", 2001), 422)
	hide := base + "/" + mem.ID + "/comments/" + spam + "/hidden"
	s.must(request{method: "PUT", path: hide, token: n.mia.Token}, 403, nil)
	s.must(request{method: "PUT", path: hide, token: n.max.Token}, 404, nil)
	s.must(request{method: "PUT", path: hide, token: n.anna.Token}, 204, nil)
	s.must(request{method: "PUT", path: hide, token: n.olaf.Token}, 204, nil) // again: nothing changes
	var seen announcementOut
	s.must(request{method: "GET", path: base + "/" + mem.ID, token: n.mia.Token}, 200, &seen)
	if len(seen.Comments) != 1 || seen.Comments[0].ID != kept || seen.Comments[0].Author != "mia" {
		t.Errorf("a member's view: got comments %+v, want only the one not hidden", seen.Comments)
	}
	s.must(request{method: "GET", path: base + "/" + mem.ID, token: n.anna.Token}, 200, &seen)
	if len(seen.Comments) != 2 || !seen.Comments[0].Hidden {
		t.Errorf("an organiser's view: got comments %+v, want both, the first hidden", seen.Comments)
	}
	s.must(request{method: "GET", path: base + "/" + pub.ID}, 200, &seen)
	if len(seen.Comments) != 0 {
		t.Errorf("the public's view: got comments %+v, want none (the members' conversation)", seen.Comments)
	}

	// Edit and withdraw.
	var edited announcementOut
	s.must(request{method: "PUT", path: base + "/" + pub.ID, token: n.mia.Token, body: body}, 403, nil)
	s.must(request{method: "PUT", path: base + "/" + pub.ID, token: n.max.Token, body: body}, 404, nil)
	s.must(request{method: "PUT", path: base + "/" + pub.ID, token: n.otto.Token,
		body: map[string]any{"title": "Netzwerktreffen im April", "body": "Verschoben.", "visibility": "public"}}, 200, &edited)
	if edited.Title != "Netzwerktreffen im April" || edited.ID != pub.ID {
		t.Errorf("edited: got %+v", edited)
	}
	s.must(request{method: "DELETE", path: base + "/" + mem.ID, token: n.mia.Token}, 403, nil)
	s.must(request{method: "DELETE", path: base + "/" + mem.ID, token: n.anna.Token}, 204, nil)
	s.must(request{method: "DELETE", path: base + "/" + mem.ID, token: n.anna.Token}, 404, nil)
	s.must(request{method: "GET", path: base + "/" + mem.ID, token: n.anna.Token}, 404, nil)
	if got := list(n.mia.Token); len(got) != 2 {
		t.Errorf("after withdrawing: got %d announcements, want 2", len(got))
	}

	// The log names who acted.
	log, err := s.events.NetworkLog(context.Background(), domain.NetworkID(n.forum))
	if err != nil {
		t.Fatal(err)
	}
	actors := map[string]string{}
	for _, r := range log {
		actors[r.Event.Name()] = r.Actor
	}
	for name, want := range map[string]string{
		"network.announcement_edited.v1":         "account:" + n.otto.ID + ":organiser",
		"network.announcement_withdrawn.v1":      "account:" + n.anna.ID + ":admin",
		"network.announcement_comment_added.v1":  "account:" + n.mia.ID + ":member",
		"network.announcement_comment_hidden.v1": "account:" + n.anna.ID + ":admin",
	} {
		if actors[name] != want {
			t.Errorf("%s: got actor %q, want %q", name, actors[name], want)
		}
	}
}

// TestAnnouncementsHostileMarkdown: raw HTML, script links and images with handlers come out as
// harmless HTML.
func TestAnnouncementsHostileMarkdown(t *testing.T) {
	s := startService(t)
	n := newNetworkWorld(s)
	base := "/api/v1/networks/" + n.forum + "/announcements"
	hostile := strings.Join([]string{
		"<script>alert(1)</script>",
		"<img src=x onerror=alert(1)>",
		"[a](javascript:alert(1)) [b](JaVaScRiPt:alert(2)) [c](&#106;avascript:alert(3)) [d](data:text/html;base64,PHNjcmlwdD4=)",
		"[e](vbscript:msgbox) <javascript:alert(4)> [f](java\tscript:alert(5))",
		"![g](javascript:alert(6)) ![h\" onerror=\"alert(7)](https://example.org/x.png \"t\\\" onerror=\\\"alert(8)\")",
		"[ok](https://example.org/a?b=1&c=2) <https://example.org/auto> [mail](mailto:orga@example.org) [here](/w/abc)",
		"<a href=\"javascript:alert(9)\">x</a> <iframe src=\"https://evil.example\"></iframe>",
	}, "\n\n")
	var a announcementOut
	s.must(request{method: "POST", path: base, token: n.anna.Token, body: map[string]any{"title": "<b>Titel</b>", "body": hostile}}, 201, &a)
	checkSafeHTML(t, a.HTML)
	for _, good := range []string{
		`<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow noopener">ok</a>`,
		`<a href="https://example.org/auto" rel="nofollow noopener">https://example.org/auto</a>`,
		`<a href="mailto:orga@example.org" rel="nofollow noopener">mail</a>`,
		`<a href="/w/abc" rel="nofollow noopener">here</a>`,
		`<a href="https://example.org/x.png"`, // an image becomes a link to it
	} {
		if !strings.Contains(a.HTML, good) {
			t.Errorf("the rendered body lacks %s:\n%s", good, a.HTML)
		}
	}
	if strings.Count(a.HTML, "<a ") != strings.Count(a.HTML, `rel="nofollow noopener"`) {
		t.Errorf("a link without rel=\"nofollow noopener\":\n%s", a.HTML)
	}
	if a.Title != "<b>Titel</b>" {
		t.Errorf("title: got %q, want it as written (it is text, escaped where shown)", a.Title)
	}
}

// checkSafeHTML fails unless s holds only the elements Markdown makes, no event handler or
// style attribute, and links only to http(s), mailto or this site.
func checkSafeHTML(t *testing.T, s string) {
	t.Helper()
	allowed := map[string]bool{"p": true, "a": true, "strong": true, "em": true, "code": true, "pre": true, "ul": true, "ol": true,
		"li": true, "blockquote": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "hr": true, "br": true}
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if !allowed[tok.Data] {
				t.Errorf("element <%s> in %s", tok.Data, s)
			}
			for _, attr := range tok.Attr {
				switch attr.Key {
				case "title", "rel", "class":
				case "href":
					u, err := url.Parse(attr.Val)
					if err != nil || !(u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "mailto" || (u.Scheme == "" && u.Host == "")) {
						t.Errorf("link to %q in %s", attr.Val, s)
					}
				default:
					t.Errorf("attribute %s=%q on <%s> in %s", attr.Key, attr.Val, tok.Data, s)
				}
			}
		}
	}
}

// atom is what RFC 4287 requires of a feed and its entries, decoded strictly.
type atom struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  []struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Content struct {
			Type string `xml:"type,attr"`
			Text string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

func parseAtom(t *testing.T, b []byte) atom {
	t.Helper()
	var f atom
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	if err := d.Decode(&f); err != nil {
		t.Fatalf("the feed is no XML: %v\n%s", err, b)
	}
	rfc3339 := func(what, s string) {
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			t.Errorf("%s: %q is no RFC 3339 date", what, s)
		}
	}
	if f.ID == "" || !strings.HasPrefix(f.ID, "tag:") || f.Title == "" || len(f.Author) == 0 || f.Author[0].Name == "" {
		t.Errorf("the feed lacks id, title or author: %+v", f)
	}
	rfc3339("feed updated", f.Updated)
	self := false
	for _, l := range f.Links {
		self = self || (l.Rel == "self" && strings.HasSuffix(l.Href, ".atom"))
	}
	if !self {
		t.Errorf("the feed has no self link: %+v", f.Links)
	}
	for _, e := range f.Entries {
		if !strings.HasPrefix(e.ID, "tag:") || e.Title == "" || e.Content.Type != "html" {
			t.Errorf("entry: got id %q, title %q, content type %q; want a tag: id, a title and html", e.ID, e.Title, e.Content.Type)
		}
		rfc3339("entry updated", e.Updated)
	}
	return f
}

// TestAnnouncementsFeed: the Atom feed holds the public announcements for everybody and the
// members' ones with a member's token; entry ids stay when an announcement is edited.
func TestAnnouncementsFeed(t *testing.T) {
	s := startService(t)
	n := newNetworkWorld(s)
	base := "/api/v1/networks/" + n.forum + "/announcements"
	var pub, mem announcementOut
	s.must(request{method: "POST", path: base, token: n.anna.Token, body: map[string]any{"title": "Öffentlich", "body": "Hallo <script>x</script> & **alle**"}}, 201, &pub)
	s.must(request{method: "POST", path: base, token: n.anna.Token, body: map[string]any{"title": "Intern", "body": "Nur wir", "visibility": "members"}}, 201, &mem)

	res := s.must(request{method: "GET", path: base + ".atom"}, 200, nil)
	if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
		t.Errorf("Content-Type: got %q", ct)
	}
	public := parseAtom(t, res.body)
	if len(public.Entries) != 1 || public.Entries[0].Title != "Öffentlich" {
		t.Fatalf("the public feed: got %+v, want the public announcement only", public.Entries)
	}
	content := public.Entries[0].Content.Text
	if !strings.Contains(content, "<strong>alle</strong>") {
		t.Errorf("the entry's content: got %q, want the rendered Markdown", content)
	}
	checkSafeHTML(t, content)
	members := parseAtom(t, s.must(request{method: "GET", path: base + ".atom", token: n.mia.Token}, 200, nil).body)
	if len(members.Entries) != 2 || members.Title != "Forum Integration" {
		t.Errorf("the members' feed: got %q with %d entries, want the network's name and 2", members.Title, len(members.Entries))
	}
	if got := parseAtom(t, s.must(request{method: "GET", path: base + ".atom", token: n.max.Token}, 200, nil).body); len(got.Entries) != 1 {
		t.Errorf("an outsider's feed: got %d entries, want 1", len(got.Entries))
	}
	s.must(request{method: "PUT", path: base + "/" + pub.ID, token: n.anna.Token, body: map[string]any{"title": "Öffentlich, neu", "body": "Neu"}}, 200, nil)
	again := parseAtom(t, s.must(request{method: "GET", path: base + ".atom"}, 200, nil).body)
	if again.ID != public.ID || again.Entries[0].ID != public.Entries[0].ID || again.Entries[0].Title != "Öffentlich, neu" {
		t.Errorf("after an edit: got feed %s entry %s %q, want the same ids %s %s with the new title",
			again.ID, again.Entries[0].ID, again.Entries[0].Title, public.ID, public.Entries[0].ID)
	}
}

// TestAnnouncementCommentErased: erasing a commenter's account erases their name and text from
// the comment; the comment stays as one of an erased person.
func TestAnnouncementCommentErased(t *testing.T) {
	s := startService(t)
	n := newNetworkWorld(s)
	base := "/api/v1/networks/" + n.forum + "/announcements"
	var a announcementOut
	s.must(request{method: "POST", path: base, token: n.anna.Token, body: map[string]any{"title": "T", "body": "B"}}, 201, &a)
	s.must(request{method: "POST", path: base + "/" + a.ID + "/comments", token: n.mia.Token, body: map[string]any{"text": "Ich bin Mia aus Gotha"}}, 201, nil)
	s.must(request{method: "POST", path: base + "/" + a.ID + "/comments", token: n.anna.Token, body: map[string]any{"text": "Danke"}}, 201, nil)
	s.must(request{method: "DELETE", path: "/api/v1/accounts/" + n.mia.ID, token: org}, 204, nil)
	res := s.must(request{method: "GET", path: base + "/" + a.ID, token: n.anna.Token}, 200, &a)
	if len(a.Comments) != 2 || !a.Comments[0].Erased || a.Comments[0].Author != "" || a.Comments[0].Text != "" ||
		a.Comments[1].Author != "anna" || a.Comments[1].Text != "Danke" {
		t.Errorf("after erasing mia: got %+v, want her comment erased and anna's kept", a.Comments)
	}
	if bytes.Contains(res.body, []byte("Gotha")) || bytes.Contains(res.body, []byte("mia")) {
		t.Errorf("the answer still holds mia's comment: %s", res.body)
	}
}

// TestAnnouncementWorkshopLink: an announcement links a workshop of its own network only, as
// either read model knows the workshops.
func TestAnnouncementWorkshopLink(t *testing.T) {
	eachReadModel(t, func(t *testing.T, s *service) {
		n := newNetworkWorld(s)
		var own, other struct{ ID string }
		s.must(request{method: "POST", path: "/api/v1/workshops", token: n.olaf.Token, body: map[string]any{"title": "Ideenwerkstatt März",
			"series": "Ideenwerkstatt", "venue": "Eisenach", "days": []string{day1}, "capacity": 20}}, 201, &own)
		s.must(request{method: "POST", path: "/api/v1/workshops", token: n.max.Token, body: map[string]any{"title": "Treffen",
			"venue": "Eisenach", "days": []string{day1}, "capacity": 20}}, 201, &other)
		base := "/api/v1/networks/" + n.forum + "/announcements"
		var a announcementOut
		s.must(request{method: "POST", path: base, token: n.anna.Token, body: map[string]any{"title": "Anmeldung offen", "body": "Jetzt anmelden",
			"workshop": own.ID}}, 201, &a)
		if a.Workshop != own.ID {
			t.Errorf("got workshop %q, want %s", a.Workshop, own.ID)
		}
		seq := s.lastSeq()
		s.must(request{method: "POST", path: base, token: n.anna.Token, body: map[string]any{"title": "T", "body": "B", "workshop": other.ID}}, 422, nil)
		s.must(request{method: "PUT", path: base + "/" + a.ID, token: n.anna.Token, body: map[string]any{"title": "T", "body": "B", "workshop": other.ID}}, 422, nil)
		if s.lastSeq() != seq {
			t.Errorf("a refused announcement appended to the log")
		}
	})
}
