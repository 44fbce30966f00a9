package mails

import (
	"errors"
	"fmt"
	htmltemplate "html/template"
	"slices"
	"strings"
	texttemplate "text/template"
	"text/template/parse"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// A network's organisers may word the subject and the main text (the paragraph(s) between the
// greeting and the fixed parts) of some mails themselves, per language. The fixed parts (the
// personal link and its hint, the days, the venue, the calendar, the signature) stay, so that
// no wording loses the link. A wording is a text/template that uses only the placeholders of
// its kind: {{.Name}} and {{if .Position}}...{{else}}...{{end}}, nothing else.

// Adjustable is a kind of mail whose subject and text an organiser may word.
type Adjustable struct {
	Kind Kind
	// Placeholders are the fields its subject and text may use, as in {{.Name}}.
	Placeholders []string
	// subject and text are the built-in wording in a language's words, as templates of the
	// placeholders.
	subject, text func(words) string
}

// Placeholders of the mails.
const (
	PlaceholderName     = "Name"
	PlaceholderWorkshop = "Workshop"
	PlaceholderVenue    = "Venue"
	PlaceholderDays     = "Days"
	PlaceholderPosition = "Position"
	PlaceholderNetwork  = "Network"
	PlaceholderExpires  = "Expires"
	PlaceholderSession  = "Session"
)

// workshopPlaceholders are those of every mail about a registration.
var workshopPlaceholders = []string{PlaceholderName, PlaceholderWorkshop, PlaceholderVenue, PlaceholderDays, PlaceholderNetwork}

// adjustable is every kind of mail an organiser may word, in the order the pages list them. A
// new kind is one entry here.
var adjustable = []Adjustable{
	{Kind: KindReceived, Placeholders: append(slices.Clone(workshopPlaceholders), PlaceholderPosition),
		subject: func(w words) string {
			return "{{if .Position}}" + w.SubjectWaitlisted + "{{.Workshop}}{{else}}" + w.SubjectReceived + "{{.Workshop}}{{end}}"
		},
		text: func(w words) string { return "{{if .Position}}" + w.Waitlisted + "{{else}}" + w.Confirmed + "{{end}}" }},
	{Kind: KindMovedUp, Placeholders: workshopPlaceholders,
		subject: func(w words) string { return w.SubjectMovedUp + "{{.Workshop}}" },
		text:    func(w words) string { return w.MovedUp }},
	{Kind: KindCancelled, Placeholders: workshopPlaceholders,
		subject: func(w words) string { return w.SubjectCancelled + "{{.Workshop}}" },
		text:    func(w words) string { return w.Cancelled }},
	{Kind: KindLink, Placeholders: workshopPlaceholders,
		subject: func(w words) string { return w.SubjectLink + "{{.Workshop}}" },
		text:    func(w words) string { return w.LinkAgain }},
	{Kind: KindReminder, Placeholders: workshopPlaceholders,
		subject: func(w words) string { return w.SubjectReminder + "{{.Workshop}}" },
		text:    func(w words) string { return w.Reminder }},
	{Kind: KindFeedbackRequest, Placeholders: workshopPlaceholders,
		subject: func(w words) string { return w.SubjectFeedback + "{{.Workshop}}" },
		text:    func(w words) string { return w.FeedbackAsk }},
	{Kind: KindCafeRoute, Placeholders: append(slices.Clone(workshopPlaceholders), PlaceholderSession),
		subject: func(w words) string { return w.SubjectCafeRoute + "{{.Session}}" },
		text:    func(w words) string { return w.CafeRoute }},
	{Kind: KindInvitation, Placeholders: []string{PlaceholderName, PlaceholderNetwork, PlaceholderExpires},
		subject: func(w words) string { return w.SubjectInvitation + "{{.Network}}" },
		text:    func(w words) string { return w.Invitation }},
	{Kind: KindPasswordReset, Placeholders: []string{PlaceholderName, PlaceholderNetwork, PlaceholderExpires},
		subject: func(w words) string { return w.SubjectReset },
		text:    func(w words) string { return w.Reset }},
	{Kind: KindAnnouncement, Placeholders: []string{PlaceholderName, PlaceholderNetwork, PlaceholderAnnouncement},
		subject: func(words) string { return "{{.Network}}: {{.Announcement}}" },
		text:    func(w words) string { return w.AnnouncementIntro }},
}

// Adjustables returns every kind of mail an organiser may word.
func Adjustables() []Adjustable { return slices.Clone(adjustable) }

// FindAdjustable returns the adjustable kind named kind.
func FindAdjustable(kind string) (Adjustable, bool) {
	i := slices.IndexFunc(adjustable, func(a Adjustable) bool { return string(a.Kind) == kind })
	if i < 0 {
		return Adjustable{}, false
	}
	return adjustable[i], true
}

// Languages are the languages mails are written in.
func Languages() []string { return slices.Clone(domain.Languages) }

// BuiltIn is the built-in wording of the kind in lang.
func (a Adjustable) BuiltIn(lang string) domain.MailTemplate {
	w := catalogue[language(lang)]
	return domain.MailTemplate{Subject: a.subject(w), Text: a.text(w)}
}

// CheckTemplate checks that t words mails of kind: its subject and text are templates that use
// the kind's placeholders only (a field error with CodeNotATemplate on "subject" or "text"
// else) and fill with sample data. Lengths and characters are the network's rules
// (domain.Network.SetMailTemplate).
func CheckTemplate(kind Kind, t domain.MailTemplate) error {
	a, ok := FindAdjustable(string(kind))
	if !ok {
		return domain.ErrMailTemplateNotFound
	}
	var fe domain.FieldErrors
	for _, f := range []struct{ field, text string }{{"subject", t.Subject}, {"text", t.Text}} {
		if _, err := a.parse(f.field, f.text); err != nil {
			fe = append(fe, domain.FieldError{Field: f.field, Code: domain.CodeNotATemplate, Detail: err.Error()})
		}
	}
	if len(fe) > 0 {
		return fe
	}
	return nil
}

// parse parses s as a wording of a's mails and executes it with sample data, both with a
// position and without.
func (a Adjustable) parse(name, s string) (*texttemplate.Template, error) {
	t, err := texttemplate.New(name).Option("missingkey=error").Parse(s)
	if err != nil {
		return nil, fmt.Errorf("is no template: %s", strings.TrimPrefix(err.Error(), "template: "))
	}
	if err := a.allowed(t.Root); err != nil {
		return nil, err
	}
	for _, position := range []int{0, 3} {
		d := sample(a.Kind, domain.DefaultLanguage)
		d.Position = position
		if err := t.Execute(&strings.Builder{}, a.fields(d)); err != nil {
			return nil, fmt.Errorf("does not fill: %s", strings.TrimPrefix(err.Error(), "template: "))
		}
	}
	return t, nil
}

// allowed walks a parsed wording: text, placeholders and {{if}} over a placeholder, nothing else
// (no functions, no variables, no range, no nested templates).
func (a Adjustable) allowed(n parse.Node) error {
	switch n := n.(type) {
	case nil:
		return nil
	case *parse.ListNode:
		if n == nil {
			return nil
		}
		for _, c := range n.Nodes {
			if err := a.allowed(c); err != nil {
				return err
			}
		}
		return nil
	case *parse.TextNode, *parse.CommentNode:
		return nil
	case *parse.ActionNode:
		return a.placeholder(n.Pipe)
	case *parse.IfNode:
		if err := a.placeholder(n.Pipe); err != nil {
			return err
		}
		if err := a.allowed(n.List); err != nil {
			return err
		}
		if n.ElseList != nil {
			return a.allowed(n.ElseList)
		}
		return nil
	}
	return fmt.Errorf("%s is not allowed: use only %s and {{if ...}}{{else}}{{end}}", n, a.placeholderList())
}

// placeholder accepts a pipeline that is one of a's placeholders and nothing more.
func (a Adjustable) placeholder(p *parse.PipeNode) error {
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return fmt.Errorf("{{%s}} is not allowed: use only %s", p, a.placeholderList())
	}
	f, ok := p.Cmds[0].Args[0].(*parse.FieldNode)
	if !ok || len(f.Ident) != 1 || !slices.Contains(a.Placeholders, f.Ident[0]) {
		return fmt.Errorf("{{%s}} is no placeholder of this mail: use only %s", p, a.placeholderList())
	}
	return nil
}

func (a Adjustable) placeholderList() string {
	var names []string
	for _, p := range a.Placeholders {
		names = append(names, "{{."+p+"}}")
	}
	return strings.Join(names, ", ")
}

// fields are the placeholders' values of a mail: those of a's placeholders only, so that a
// wording cannot reach anything else (missingkey=error refuses the rest).
func (a Adjustable) fields(d data) map[string]any {
	all := map[string]any{
		PlaceholderName: d.Name, PlaceholderWorkshop: d.Workshop, PlaceholderVenue: d.Venue,
		PlaceholderDays: strings.Join(d.Days, ", "), PlaceholderPosition: d.Position,
		PlaceholderNetwork: d.Network, PlaceholderExpires: d.Expires, PlaceholderSession: d.Session,
		PlaceholderAnnouncement: d.Announcement,
	}
	out := make(map[string]any, len(a.Placeholders))
	for _, p := range a.Placeholders {
		out[p] = all[p]
	}
	return out
}

// customise fills d's subject and main text from the network's wording of kind when there is
// one: false when there is none, or when it does not fill (a placeholder dropped since it was
// set) or fills to nothing (an {{if}} without else), so that the mail goes out with the
// built-in wording.
func (d *data) customise(kind Kind) (subject string, ok bool) {
	if d.Custom == nil {
		return "", false
	}
	a, found := FindAdjustable(string(kind))
	if !found {
		return "", false
	}
	fill := func(name, s string) (string, error) {
		t, err := a.parse(name, s)
		if err != nil {
			return "", err
		}
		var b strings.Builder
		err = t.Execute(&b, a.fields(*d))
		return b.String(), err
	}
	subject, err := fill("subject", d.Custom.Subject)
	if err != nil || strings.TrimSpace(subject) == "" {
		return "", false
	}
	text, err := fill("text", d.Custom.Text)
	if err != nil || strings.TrimSpace(text) == "" {
		return "", false
	}
	d.lead = text
	return subject, true
}

// LeadHTML is Lead for the HTML part: escaped, with its line breaks kept.
func (d data) LeadHTML() htmltemplate.HTML {
	s := htmltemplate.HTMLEscapeString(d.Lead())
	return htmltemplate.HTML(strings.ReplaceAll(s, "\n", "<br>\n"))
}

// sampleExpiry is when the sample's link to set a password stops holding.
var sampleExpiry = time.Date(2026, 11, 23, 17, 0, 0, 0, time.UTC)

// sample is the data a wording is tried and previewed with.
func sample(kind Kind, lang string) data {
	lang = language(lang)
	d := data{T: catalogue[lang], Kind: kind, Name: "Alex Beispiel", Workshop: "Ideenwerkstatt 2026", Venue: "Rathaus, Saal 2",
		Days: dates(lang, []domain.Day{"2026-11-16", "2026-11-17"}), Network: "Forum Integration",
		Link: "https://werkstatt.example.org/w/beispiel/r/beispiel?token=beispiel", Expires: expiry(lang, sampleExpiry)}
	if lang == "en" {
		d.Name, d.Workshop, d.Venue = "Alex Example", "Ideas workshop 2026", "Town hall, room 2"
	}
	switch kind {
	case KindInvitation, KindPasswordReset:
		d.Link = "https://werkstatt.example.org/set-password/beispiel"
	case KindAnnouncement:
		d.Announcement, d.Lines = "Treffen im März", []string{"Wir treffen uns im Rathaus."}
		d.Link, d.Unsubscribe = "https://werkstatt.example.org/networks/beispiel", "https://werkstatt.example.org/unsubscribe/beispiel"
		if lang == "en" {
			d.Announcement, d.Lines = "Meeting in March", []string{"We meet at the town hall."}
		}
	case KindCafeRoute:
		d.Session = "Themencafé"
		d.Route = []Stop{{Round: 1, Time: "10:00", Topic: "Sprache"}, {Round: 2, Time: "10:30", Topic: "Arbeit"}}
		if lang == "en" {
			d.Session, d.Route[0].Topic, d.Route[1].Topic = "Theme café", "Language", "Work"
		}
	}
	return d
}

// Preview renders a mail of kind in lang worded by t with sample data and the name of network
// ("": a sample name): what a person would get. A wording that is no template of the kind's
// placeholders is refused as CheckTemplate does.
func Preview(kind Kind, lang, network string, t domain.MailTemplate) (Message, error) {
	if err := CheckTemplate(kind, t); err != nil {
		return Message{}, err
	}
	if !slices.Contains(domain.Languages, lang) {
		return Message{}, domain.ErrMailTemplateNotFound
	}
	d := sample(kind, lang)
	if network != "" {
		d.Network = network
	}
	d.Custom = &t
	m, err := render(lang, kind, "", "alex@example.org", d.Name, d)
	if err != nil {
		return Message{}, err
	}
	if m == nil {
		return Message{}, errors.New("mails: nothing rendered")
	}
	return *m, nil
}
