package mails

import (
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"github.com/werkstatt/werkstatt/domain"
)

// words are a language's texts of the mails.
type words struct {
	Hello, Regards, Sign                          string
	SubjectReceived, SubjectWaitlisted            string
	SubjectMovedUp, SubjectCancelled, SubjectLink string
	Confirmed, Waitlisted, MovedUp, MovedUpOnDays string
	Cancelled, Days, Venue, Link, LinkHint        string
	LinkAgain                                     string
	Partly, PartlyConfirmed, PartlyWaitlisted     string
	// The mails about an account: an invitation and a reset of its password.
	SubjectInvitation, SubjectReset  string
	Invitation, Reset, ResetNotAsked string
	SetPassword, SetPasswordHint     string
	// The reminder before a workshop, the feedback request after it, an organiser's message
	// and a theme café's route.
	SubjectReminder, Reminder, Agenda         string
	SubjectFeedback, FeedbackAsk, FeedbackURL string
	MessageIntro                              string
	SubjectCafeRoute, CafeRoute, Round        string
	NoSeat, CafeLink                          string
	// The mail of an announcement and its one-click unsubscribe link.
	AnnouncementIntro, ReadOnline, UnsubscribeHint, Unsubscribe string
	// The footer's link to the privacy notice of a workshop's mails.
	PrivacyNotice string
	// The link to a person's export of their data, which they asked for.
	SubjectDataExport, DataExport, DataExportLink, DataExportHint, DataExportNotAsked string
}

// catalogue holds the mails' words by language (domain.Languages).
var catalogue = map[string]words{
	"de": {
		Hello:              "Hallo",
		Regards:            "Viele Grüße",
		Sign:               "Ihr Orga-Team",
		SubjectReceived:    "Anmeldung bestätigt: ",
		SubjectWaitlisted:  "Auf der Warteliste: ",
		SubjectMovedUp:     "Sie haben einen Platz: ",
		SubjectCancelled:   "Stornierung bestätigt: ",
		SubjectLink:        "Ihr persönlicher Link: ",
		LinkAgain:          "Sie haben Ihren persönlichen Link zu Ihrer Anmeldung angefordert: Hier ist er. Haben Sie ihn nicht angefordert, können Sie diese E-Mail übergehen.",
		Confirmed:          "Ihre Anmeldung ist eingegangen und bestätigt. Wir freuen uns auf Sie!",
		Waitlisted:         "Ihre Anmeldung ist eingegangen. Der Workshop ist voll: Sie stehen auf Platz {{.Position}} der Warteliste. Wird ein Platz frei, rücken Sie nach und bekommen Bescheid.",
		MovedUp:            "Ein Platz ist frei geworden: Sie sind von der Warteliste nachgerückt und jetzt fest angemeldet.",
		MovedUpOnDays:      "Ein Platz ist frei geworden: Sie sind von der Warteliste nachgerückt und jetzt fest angemeldet für:",
		Cancelled:          "Ihre Anmeldung ist storniert. Ihr Platz geht an die nächste Person auf der Warteliste.",
		Partly:             "Ihre Anmeldung ist eingegangen. Nicht an jedem Tag ist noch ein Platz frei:",
		PartlyConfirmed:    "Fest angemeldet für",
		PartlyWaitlisted:   "Auf der Warteliste (Platz {{.Position}}) für",
		Days:               "Tage",
		Venue:              "Ort",
		Link:               "Ihr persönlicher Link",
		LinkHint:           "Über diesen Link ändern oder stornieren Sie Ihre Anmeldung und geben Rückmeldung. Bitte geben Sie ihn nicht weiter.",
		SubjectInvitation:  "Einladung ins Netzwerk ",
		SubjectReset:       "Neues Passwort für Ihr Konto bei Werkstatt",
		Invitation:         "Sie sind Mitglied im Netzwerk „{{.Network}}“ und haben dafür ein Konto bei Werkstatt. Legen Sie über den Link unten Ihr Passwort fest; danach loggen Sie sich mit Ihrer E-Mail-Adresse und diesem Passwort ein.",
		Reset:              "Sie haben ein neues Passwort für Ihr Konto angefordert. Legen Sie es über den Link unten fest.",
		ResetNotAsked:      "Haben Sie kein neues Passwort angefordert, können Sie diese E-Mail übergehen: Ihr bisheriges Passwort gilt weiter.",
		SetPassword:        "Passwort festlegen",
		SetPasswordHint:    "Der Link gilt einmal und bis {{.Expires}}. Bitte geben Sie ihn nicht weiter.",
		SubjectReminder:    "Bald geht es los: ",
		Reminder:           "Bald ist es so weit: Wir erinnern Sie an den Workshop „{{.Workshop}}“, für den Sie angemeldet sind. Können Sie doch nicht kommen, stornieren Sie bitte über Ihren persönlichen Link, damit Ihr Platz an die Warteliste geht.",
		Agenda:             "Programm",
		SubjectFeedback:    "Ihre Rückmeldung: ",
		FeedbackAsk:        "Danke, dass Sie beim Workshop „{{.Workshop}}“ dabei waren! Wie war es für Sie? Ihre Rückmeldung hilft uns, die nächsten Workshops besser zu machen.",
		FeedbackURL:        "Rückmeldung geben",
		MessageIntro:       "Eine Nachricht des Orga-Teams zum Workshop „{{.Workshop}}“:",
		SubjectCafeRoute:   "Ihre Tische im Themencafé: ",
		CafeRoute:          "Der Plan für das Themencafé „{{.Session}}“ steht. In diesen Runden sitzen Sie an diesen Tischen:",
		Round:              "Runde",
		NoSeat:             "kein Tisch",
		CafeLink:           "Ihr Plan im Themencafé",
		AnnouncementIntro:  "Das Netzwerk „{{.Network}}“ hat eine neue Ankündigung veröffentlicht:",
		ReadOnline:         "Die Ankündigung im Netzwerk lesen",
		UnsubscribeHint:    "Sie bekommen diese E-Mail, weil Sie die Ankündigungen des Netzwerks per E-Mail bestellt haben. Mit einem Klick abbestellen:",
		Unsubscribe:        "Ankündigungen per E-Mail abbestellen",
		PrivacyNotice:      "Datenschutzhinweis",
		SubjectDataExport:  "Ihre bei Werkstatt gespeicherten Daten",
		DataExport:         "Sie haben eine Auskunft über Ihre bei Werkstatt gespeicherten Daten angefordert. Über den Link unten sehen Sie alles, was zu Ihrer E-Mail-Adresse gespeichert ist, und laden es als JSON oder PDF herunter.",
		DataExportLink:     "Meine Daten ansehen",
		DataExportHint:     "Der Link gilt bis {{.Expires}}. Bitte geben Sie ihn nicht weiter: Er zeigt Ihre Daten ohne weitere Prüfung.",
		DataExportNotAsked: "Haben Sie keine Auskunft angefordert, können Sie diese E-Mail übergehen.",
	},
	"en": {
		Hello:              "Hello",
		Regards:            "Kind regards",
		Sign:               "The organisers",
		SubjectReceived:    "Registration confirmed: ",
		SubjectWaitlisted:  "On the waitlist: ",
		SubjectMovedUp:     "You have a seat: ",
		SubjectCancelled:   "Cancellation confirmed: ",
		SubjectLink:        "Your personal link: ",
		LinkAgain:          "You asked for the personal link to your registration: here it is. If you did not ask for it, you can ignore this email.",
		Confirmed:          "We have received and confirmed your registration. We look forward to seeing you!",
		Waitlisted:         "We have received your registration. The workshop is full: you are number {{.Position}} on the waitlist. When a seat becomes free, you move up and we let you know.",
		MovedUp:            "A seat has become free: you have moved up from the waitlist and are now registered.",
		MovedUpOnDays:      "A seat has become free: you have moved up from the waitlist and are now registered for:",
		Cancelled:          "We have received your cancellation. Your seat goes to the next person on the waitlist.",
		Partly:             "We have received your registration. Not every day has a free seat:",
		PartlyConfirmed:    "Registered for",
		PartlyWaitlisted:   "On the waitlist (number {{.Position}}) for",
		Days:               "Days",
		Venue:              "Venue",
		Link:               "Your personal link",
		LinkHint:           "Use this link to change your registration, cancel it or give feedback. Please do not pass it on.",
		SubjectInvitation:  "Invitation to the network ",
		SubjectReset:       "A new password for your Werkstatt account",
		Invitation:         "You are a member of the network “{{.Network}}” and have a Werkstatt account for it. Set your password with the link below; then sign in with your email address and this password.",
		Reset:              "You asked for a new password for your account. Set it with the link below.",
		ResetNotAsked:      "If you did not ask for a new password, you can ignore this email: your password stays as it is.",
		SetPassword:        "Set your password",
		SetPasswordHint:    "The link works once, until {{.Expires}}. Please do not pass it on.",
		SubjectReminder:    "Coming up soon: ",
		Reminder:           "It will soon be time: this is a reminder of the workshop “{{.Workshop}}” you are registered for. If you cannot come after all, please cancel with your personal link so that your seat goes to the waitlist.",
		Agenda:             "Agenda",
		SubjectFeedback:    "Your feedback: ",
		FeedbackAsk:        "Thank you for taking part in the workshop “{{.Workshop}}”! How was it for you? Your feedback helps us make the next workshops better.",
		FeedbackURL:        "Give feedback",
		MessageIntro:       "A message from the organisers of the workshop “{{.Workshop}}”:",
		SubjectCafeRoute:   "Your tables at the theme café: ",
		CafeRoute:          "The plan for the theme café “{{.Session}}” is ready. These are your tables, round by round:",
		Round:              "Round",
		NoSeat:             "no table",
		CafeLink:           "Your plan at the theme café",
		AnnouncementIntro:  "The network “{{.Network}}” published a new announcement:",
		ReadOnline:         "Read the announcement in the network",
		UnsubscribeHint:    "You get this email because you asked for the network's announcements by email. Unsubscribe with one click:",
		Unsubscribe:        "Unsubscribe from the announcements by email",
		PrivacyNotice:      "Privacy notice",
		SubjectDataExport:  "Your data stored in Werkstatt",
		DataExport:         "You asked for a copy of your data stored in Werkstatt. The link below shows everything stored under your email address and lets you download it as JSON or PDF.",
		DataExportLink:     "See my data",
		DataExportHint:     "The link works until {{.Expires}}. Please do not pass it on: it shows your data without further checks.",
		DataExportNotAsked: "If you did not ask for your data, you can ignore this email.",
	},
}

// data is what a template sees.
type data struct {
	T        words
	Kind     Kind
	Name     string
	Workshop string
	Venue    string
	Days     []string
	Position int // waitlisted at; 0 when confirmed
	// ConfirmedDays and WaitlistDays are set when a registration got seats on some days and
	// waits for others (per-day waitlists).
	ConfirmedDays, WaitlistDays []string
	// PartDays is set for a moved-up mail that names the days of the promotion.
	PartDays bool
	Link     string
	// Network and Expires are set for the mails about an account; Network also names the
	// network of a workshop's mails.
	Network, Expires string
	// Custom is the network's wording of the mail, nil for the built-in one; lead is its main
	// text, filled (see customise).
	Custom *domain.MailTemplate
	lead   string
	// Agenda is the address of the workshop's page (a reminder); Feedback the person's
	// feedback page (a feedback request).
	Agenda, Feedback string
	// Subject and Lines are an organiser's message, its text line by line.
	Subject string
	Lines   []string
	// Session and Route are a theme café's title and the person's tables in it.
	Session string
	Route   []Stop
	// Announcement is an announcement's title (its text in Lines, as HTML in BodyHTML);
	// Unsubscribe the mail's one-click unsubscribe link.
	Announcement string
	BodyHTML     htmltemplate.HTML
	Unsubscribe  string
	// Privacy is the link to the privacy notice of the workshop's network (or the instance's),
	// in the footer of a workshop's mails; "" for none.
	Privacy string
}

// Lead is the first paragraph of the mail, filled.
func (d data) Lead() string {
	if d.lead != "" {
		return d.lead
	}
	var s string
	switch {
	case d.Kind == KindReceived && len(d.ConfirmedDays) > 0:
		s = d.T.Partly
	case d.Kind == KindReceived && d.Position > 0:
		s = d.T.Waitlisted
	case d.Kind == KindReceived:
		s = d.T.Confirmed
	case d.Kind == KindMovedUp && d.PartDays:
		s = d.T.MovedUpOnDays
	case d.Kind == KindMovedUp:
		s = d.T.MovedUp
	case d.Kind == KindLink:
		s = d.T.LinkAgain
	case d.Kind == KindInvitation:
		s = d.T.Invitation
	case d.Kind == KindPasswordReset:
		s = d.T.Reset
	case d.Kind == KindReminder:
		s = d.T.Reminder
	case d.Kind == KindFeedbackRequest:
		s = d.T.FeedbackAsk
	case d.Kind == KindMessage:
		s = d.T.MessageIntro
	case d.Kind == KindCafeRoute:
		s = d.T.CafeRoute
	case d.Kind == KindAnnouncement:
		s = d.T.AnnouncementIntro
	case d.Kind == KindDataExport:
		s = d.T.DataExport
	default:
		s = d.T.Cancelled
	}
	return d.fill(s)
}

// fill fills a text with d.
func (d data) fill(s string) string {
	var b strings.Builder
	_ = texttemplate.Must(texttemplate.New("").Parse(s)).Execute(&b, d)
	return b.String()
}

// DataExportHint is the line under the link to a person's export, filled.
func (d data) DataExportHint() string { return d.fill(d.T.DataExportHint) }

// SetPasswordHint is the line under a link to set a password, filled.
func (d data) SetPasswordHint() string { return d.fill(d.T.SetPasswordHint) }

// PartlyWaitlisted is the waitlist line of a partly confirmed registration, filled.
func (d data) PartlyWaitlisted() string { return d.fill(d.T.PartlyWaitlisted) }

const textBody = `{{.T.Hello}} {{.Name}},

{{.Lead}}
{{if .ConfirmedDays}}
{{.T.PartlyConfirmed}}: {{range $i, $d := .ConfirmedDays}}{{if $i}}, {{end}}{{$d}}{{end}}
{{.PartlyWaitlisted}}: {{range $i, $d := .WaitlistDays}}{{if $i}}, {{end}}{{$d}}{{end}}
{{end}}
{{.Workshop}}
{{.T.Venue}}: {{.Venue}}
{{.T.Days}}: {{range $i, $d := .Days}}{{if $i}}, {{end}}{{$d}}{{end}}
{{if .Link}}
{{.T.Link}}:
{{.Link}}
{{.T.LinkHint}}
{{end}}
{{template "footer" .}}`

// textFooter and htmlFooter end every mail of a workshop or an account the same way: greeting,
// signature and the link to the privacy notice (parsed into each template as "footer").
const textFooter = `{{define "footer"}}{{.T.Regards}}
{{.T.Sign}}
{{if .Privacy}}
{{.T.PrivacyNotice}}: {{.Privacy}}
{{end}}{{end}}`

const htmlFooter = `{{define "footer"}}<p>{{.T.Regards}}<br>{{.T.Sign}}</p>
{{if .Privacy}}<p style="font-size: 0.875em"><a href="{{.Privacy}}">{{.T.PrivacyNotice}}</a></p>{{end}}{{end}}`

const htmlBody = `<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family: sans-serif; line-height: 1.5">
<p>{{.D.T.Hello}} {{.D.Name}},</p>
<p>{{.D.LeadHTML}}</p>
{{if .D.ConfirmedDays}}<ul><li>{{.D.T.PartlyConfirmed}}: {{range $i, $d := .D.ConfirmedDays}}{{if $i}}, {{end}}{{$d}}{{end}}</li>
<li>{{.D.PartlyWaitlisted}}: {{range $i, $d := .D.WaitlistDays}}{{if $i}}, {{end}}{{$d}}{{end}}</li></ul>{{end}}
<p><strong>{{.D.Workshop}}</strong><br>
{{.D.T.Venue}}: {{.D.Venue}}<br>
{{.D.T.Days}}: {{range $i, $d := .D.Days}}{{if $i}}, {{end}}{{$d}}{{end}}</p>
{{if .D.Link}}<p><a href="{{.D.Link}}">{{.D.T.Link}}</a><br>{{.D.T.LinkHint}}</p>{{end}}
{{template "footer" .D}}
</body></html>
`

// accountText and accountHTML are the mails about an account: no workshop, a link to set the
// password.
const accountText = `{{.T.Hello}} {{.Name}},

{{.Lead}}

{{.T.SetPassword}}:
{{.Link}}
{{.SetPasswordHint}}
{{if eq .Kind "password-reset"}}
{{.T.ResetNotAsked}}
{{end}}
{{template "footer" .}}`

const accountHTML = `<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family: sans-serif; line-height: 1.5">
<p>{{.D.T.Hello}} {{.D.Name}},</p>
<p>{{.D.LeadHTML}}</p>
<p><a href="{{.D.Link}}">{{.D.T.SetPassword}}</a><br>{{.D.SetPasswordHint}}</p>
{{if eq .D.Kind "password-reset"}}<p>{{.D.T.ResetNotAsked}}</p>{{end}}
{{template "footer" .D}}
</body></html>
`

// dataExportText and dataExportHTML are the mail with the link to a person's export.
const dataExportText = `{{.T.Hello}} {{.Name}},

{{.Lead}}

{{.T.DataExportLink}}:
{{.Link}}
{{.DataExportHint}}

{{.T.DataExportNotAsked}}

{{template "footer" .}}`

const dataExportHTML = `<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family: sans-serif; line-height: 1.5">
<p>{{.D.T.Hello}} {{.D.Name}},</p>
<p>{{.D.LeadHTML}}</p>
<p><a href="{{.D.Link}}">{{.D.T.DataExportLink}}</a><br>{{.D.DataExportHint}}</p>
<p>{{.D.T.DataExportNotAsked}}</p>
{{template "footer" .D}}
</body></html>
`

var (
	dataExportTextTemplate = texttemplate.Must(texttemplate.New("data-export-text").Parse(dataExportText + textFooter))
	dataExportHTMLTemplate = htmltemplate.Must(htmltemplate.New("data-export-html").Parse(dataExportHTML + htmlFooter))
)

// scheduledText and scheduledHTML are the mails to many people of a workshop: a reminder, a
// feedback request, an organiser's message (their words as data, never as a template) and a
// theme café's route.
const scheduledText = `{{.T.Hello}} {{.Name}},

{{.Lead}}
{{if eq .Kind "message"}}
{{range .Lines}}{{.}}
{{end}}{{end}}{{if .Route}}
{{range .Route}}{{$.T.Round}} {{.Round}}{{if .Time}} ({{.Time}}){{end}}: {{if .Topic}}{{.Topic}}{{else}}{{$.T.NoSeat}}{{end}}
{{end}}{{end}}
{{.Workshop}}
{{.T.Venue}}: {{.Venue}}
{{if .Days}}{{.T.Days}}: {{range $i, $d := .Days}}{{if $i}}, {{end}}{{$d}}{{end}}
{{end}}{{if .Agenda}}{{.T.Agenda}}: {{.Agenda}}
{{end}}{{if .Feedback}}
{{.T.FeedbackURL}}:
{{.Feedback}}
{{end}}{{if .Link}}
{{if eq .Kind "cafe-route"}}{{.T.CafeLink}}{{else}}{{.T.Link}}{{end}}:
{{.Link}}
{{.T.LinkHint}}
{{end}}
{{template "footer" .}}`

const scheduledHTML = `<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family: sans-serif; line-height: 1.5">
<p>{{.D.T.Hello}} {{.D.Name}},</p>
<p>{{.D.LeadHTML}}</p>
{{if eq .D.Kind "message"}}<p>{{range $i, $l := .D.Lines}}{{if $i}}<br>
{{end}}{{$l}}{{end}}</p>{{end}}
{{if .D.Route}}<table>{{range .D.Route}}<tr><th scope="row" style="text-align: left">{{$.D.T.Round}} {{.Round}}</th><td>{{.Time}}</td><td>{{if .Topic}}{{.Topic}}{{else}}{{$.D.T.NoSeat}}{{end}}</td></tr>
{{end}}</table>{{end}}
<p><strong>{{.D.Workshop}}</strong><br>
{{.D.T.Venue}}: {{.D.Venue}}{{if .D.Days}}<br>
{{.D.T.Days}}: {{range $i, $d := .D.Days}}{{if $i}}, {{end}}{{$d}}{{end}}{{end}}{{if .D.Agenda}}<br>
<a href="{{.D.Agenda}}">{{.D.T.Agenda}}</a>{{end}}</p>
{{if .D.Feedback}}<p><a href="{{.D.Feedback}}">{{.D.T.FeedbackURL}}</a></p>{{end}}
{{if .D.Link}}<p><a href="{{.D.Link}}">{{if eq .D.Kind "cafe-route"}}{{.D.T.CafeLink}}{{else}}{{.D.T.Link}}{{end}}</a><br>{{.D.T.LinkHint}}</p>{{end}}
{{template "footer" .D}}
</body></html>
`

var (
	scheduledTextTemplate = texttemplate.Must(texttemplate.New("scheduled-text").Parse(scheduledText + textFooter))
	scheduledHTMLTemplate = htmltemplate.Must(htmltemplate.New("scheduled-html").Parse(scheduledHTML + htmlFooter))
)

var (
	textTemplate        = texttemplate.Must(texttemplate.New("text").Parse(textBody + textFooter))
	htmlTemplate        = htmltemplate.Must(htmltemplate.New("html").Parse(htmlBody + htmlFooter))
	accountTextTemplate = texttemplate.Must(texttemplate.New("account-text").Parse(accountText + textFooter))
	accountHTMLTemplate = htmltemplate.Must(htmltemplate.New("account-html").Parse(accountHTML + htmlFooter))
)

// render fills the templates of kind in lang.
func render(lang string, kind Kind, rid domain.RegistrationID, to, name string, d data) (*Message, error) {
	d.Kind = kind
	subject := d.Workshop
	switch {
	case kind == KindReceived && d.Position > 0 && len(d.ConfirmedDays) == 0:
		subject = d.T.SubjectWaitlisted + subject
	case kind == KindReceived:
		subject = d.T.SubjectReceived + subject
	case kind == KindMovedUp:
		subject = d.T.SubjectMovedUp + subject
	case kind == KindLink:
		subject = d.T.SubjectLink + subject
	case kind == KindInvitation:
		subject = d.T.SubjectInvitation + d.Network
	case kind == KindPasswordReset:
		subject = d.T.SubjectReset
	case kind == KindReminder:
		subject = d.T.SubjectReminder + subject
	case kind == KindFeedbackRequest:
		subject = d.T.SubjectFeedback + subject
	case kind == KindMessage:
		subject += ": " + d.Subject
	case kind == KindCafeRoute:
		subject = d.T.SubjectCafeRoute + d.Session
	case kind == KindAnnouncement:
		subject = d.Network + ": " + d.Announcement
	case kind == KindDataExport:
		subject = d.T.SubjectDataExport
	default:
		subject = d.T.SubjectCancelled + subject
	}
	if custom, ok := d.customise(kind); ok {
		subject = custom
	}
	subject = strings.Join(strings.Fields(subject), " ") // no line breaks in a header
	tt, ht := textTemplate, htmlTemplate
	switch kind {
	case KindInvitation, KindPasswordReset:
		tt, ht = accountTextTemplate, accountHTMLTemplate
	case KindReminder, KindFeedbackRequest, KindMessage, KindCafeRoute:
		tt, ht = scheduledTextTemplate, scheduledHTMLTemplate
	case KindAnnouncement:
		tt, ht = announcementTextTemplate, announcementHTMLTemplate
	case KindDataExport:
		tt, ht = dataExportTextTemplate, dataExportHTMLTemplate
	}
	var text, html strings.Builder
	if err := tt.Execute(&text, d); err != nil {
		return nil, err
	}
	if err := ht.Execute(&html, struct {
		Lang, Subject string
		D             data
	}{lang, subject, d}); err != nil {
		return nil, err
	}
	return &Message{Kind: kind, Registration: rid, Lang: lang, To: strings.TrimSpace(to), ToName: name,
		Subject: subject, Text: text.String(), HTML: html.String()}, nil
}
