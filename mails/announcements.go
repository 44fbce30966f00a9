package mails

import (
	"context"
	htmltemplate "html/template"
	"net/url"
	"strings"
	texttemplate "text/template"

	"github.com/werkstatt/werkstatt/domain"
)

// The mails of a network's announcements: one mail per announcement, at once, to every member
// who subscribed (domain.DigestSubscribed). One mail per announcement rather than a daily
// digest: a network posts a few announcements a month, so there is nothing to bundle, and the
// mail follows its event through the outbox like every other mail, with no schedule to decide
// and no second event to keep. Each mail carries a one-click unsubscribe link (RFC 8058).

// KindAnnouncement: a network posted an announcement; a subscribed member gets it.
const KindAnnouncement Kind = "announcement"

// PlaceholderAnnouncement is an announcement's title.
const PlaceholderAnnouncement = "Announcement"

// Headers of the mails of announcements (RFC 2369, RFC 8058).
const (
	HeaderListUnsubscribe     = "List-Unsubscribe"
	HeaderListUnsubscribePost = "List-Unsubscribe-Post"
	// OneClick is the body a mail client POSTs to the unsubscribe link.
	OneClick = "List-Unsubscribe=One-Click"
)

// UnsubscribePath is the path of the unsubscribe links under the public URL.
const UnsubscribePath = "/unsubscribe/"

// subscriber is a member who gets announcement e by mail.
type subscriber struct {
	account domain.AccountID
	person  *domain.Person
	lang    string // the language they subscribed in
}

// announcement composes the mails of announcement e, posted in the commit r: to the members
// subscribed when it was posted who still are subscribed members now (an unsubscribe or a
// removal before the mail went out counts), with an address, not erased. Nothing once the
// announcement was withdrawn.
func (c Composer) announcement(ctx context.Context, r domain.Recorded, e domain.AnnouncementPosted) ([]Message, error) {
	if e.Network == "" || c.Networks == nil || c.Pseudonyms == nil {
		return nil, nil
	}
	log, err := c.Networks.NetworkLog(ctx, e.Network)
	if err != nil {
		return nil, err
	}
	var then, now domain.Network
	people := map[domain.AccountID]*domain.Person{}
	for _, rec := range log {
		if rec.Seq <= r.Seq {
			then = then.Evolve(rec.Event)
		}
		now = now.Evolve(rec.Event)
		if m, ok := rec.Event.(domain.MemberAdded); ok {
			people[m.Account] = m.Person
		}
	}
	if a, ok := now.Announcements[e.ID]; !ok || a.Withdrawn {
		return nil, nil
	}
	var to []subscriber
	for _, acc := range then.DigestRecipients() {
		p := people[acc]
		if !now.Digest[acc] || p == nil || strings.TrimSpace(p.Email) == "" {
			continue
		}
		if _, ok := now.Members[acc]; ok {
			to = append(to, subscriber{acc, p, now.DigestLanguage(acc)})
		}
	}
	base := strings.TrimRight(c.PublicURL, "/")
	var out []Message
	for _, s := range to {
		lang := language(s.lang)
		token := domain.DigestToken(e.Network, s.account,
			c.Pseudonyms.Pseudonym(domain.DigestUnsubscribePurpose, domain.DigestUnsubscribeValue(e.Network, s.account)))
		// The unsubscribe page speaks the mail's language: German is the pages' default.
		unsubscribe := base + UnsubscribePath + url.PathEscape(token)
		if lang != domain.DefaultLanguage {
			unsubscribe += "?lang=" + url.QueryEscape(lang)
		}
		d := data{T: catalogue[lang], Name: s.person.Name, Announcement: e.Title,
			Lines:       strings.Split(strings.ReplaceAll(e.Body, "\r\n", "\n"), "\n"),
			Link:        announcementLink(base, e, lang),
			Unsubscribe: unsubscribe}
		if c.Markdown != nil {
			d.BodyHTML = htmltemplate.HTML(c.Markdown(e.Body)) // #nosec G203 -- the wired renderer's safe policy (app.RenderMarkdown)
		}
		if err := c.worded(ctx, e.Network, KindAnnouncement, lang, &d); err != nil {
			return nil, err
		}
		m, err := render(lang, KindAnnouncement, "", s.person.Email, s.person.Name, d)
		if err != nil {
			return nil, err
		}
		m.Account, m.Secret = s.account, token
		m.Headers = map[string]string{HeaderListUnsubscribe: "<" + unsubscribe + ">", HeaderListUnsubscribePost: OneClick}
		out = append(out, *m)
	}
	return out, nil
}

// announcementLink is the announcement on the network's page, in lang.
func announcementLink(base string, e domain.AnnouncementPosted, lang string) string {
	link := base + "/networks/" + url.PathEscape(string(e.Network))
	if lang != domain.DefaultLanguage {
		link += "?lang=" + url.QueryEscape(lang)
	}
	return link + "#a-" + url.PathEscape(string(e.ID))
}

const announcementText = `{{.T.Hello}} {{.Name}},

{{.Lead}}

{{.Announcement}}

{{range .Lines}}{{.}}
{{end}}
{{.T.ReadOnline}}: {{.Link}}

{{.T.Regards}}
{{.T.Sign}}

--
{{if .Privacy}}{{.T.PrivacyNotice}}: {{.Privacy}}
{{end}}{{.T.UnsubscribeHint}}
{{.Unsubscribe}}
`

const announcementHTML = `<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family: sans-serif; line-height: 1.5">
<p>{{.D.T.Hello}} {{.D.Name}},</p>
<p>{{.D.LeadHTML}}</p>
<h1 style="font-size: 1.25em">{{.D.Announcement}}</h1>
{{if .D.BodyHTML}}{{.D.BodyHTML}}{{else}}<p>{{range $i, $l := .D.Lines}}{{if $i}}<br>
{{end}}{{$l}}{{end}}</p>{{end}}
<p><a href="{{.D.Link}}">{{.D.T.ReadOnline}}</a></p>
<p>{{.D.T.Regards}}<br>{{.D.T.Sign}}</p>
<hr>
{{if .D.Privacy}}<p style="font-size: 0.875em"><a href="{{.D.Privacy}}">{{.D.T.PrivacyNotice}}</a></p>
{{end}}<p style="font-size: 0.875em">{{.D.T.UnsubscribeHint}} <a href="{{.D.Unsubscribe}}">{{.D.T.Unsubscribe}}</a></p>
</body></html>
`

var (
	announcementTextTemplate = texttemplate.Must(texttemplate.New("announcement-text").Parse(announcementText))
	announcementHTMLTemplate = htmltemplate.Must(htmltemplate.New("announcement-html").Parse(announcementHTML))
)
