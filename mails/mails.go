// Package mails composes the mails Werkstatt sends: pure functions from the events of one
// commit and the read models to messages (plain text and HTML, German or English by the
// person's language), without I/O. The outbox (Handler) hands them to a Sender (SMTP, or a
// store that keeps them for the organiser's outbox page when no SMTP server is configured).
package mails

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// Kind names what a mail is about.
type Kind string

const (
	// KindReceived: a registration was received (confirmed, or waitlisted with the position).
	KindReceived Kind = "received"
	// KindMovedUp: a waitlisted person got a seat.
	KindMovedUp Kind = "moved-up"
	// KindCancelled: a cancellation is confirmed.
	KindCancelled Kind = "cancelled"
	// KindLink: the personal link, asked for again.
	KindLink Kind = "link"
	// KindInvitation: a member was invited to set the password of their account.
	KindInvitation Kind = "invitation"
	// KindPasswordReset: a person asked to reset the password of their account.
	KindPasswordReset Kind = "password-reset"
	// KindReminder: the workshop is coming up (domain.RemindersSent).
	KindReminder Kind = "reminder"
	// KindFeedbackRequest: the workshop is over; a person who was there is asked for feedback.
	KindFeedbackRequest Kind = "feedback-request"
	// KindMessage: a message from the organiser (domain.MessageSent).
	KindMessage Kind = "message"
	// KindCafeRoute: a theme café's plan is published; the person's tables round by round.
	KindCafeRoute Kind = "cafe-route"
	// KindAnnouncement: see announcements.go.
	// KindDataExport: the link to a person's export of their data, which they asked for.
	KindDataExport Kind = "data-export"
)

// Attachment is a file sent with a mail (the agenda as .ics, once wired).
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Data        []byte `json:"data"`
}

// Message is one mail to one person.
type Message struct {
	// ID is the Message-ID without angle brackets, derived from the event that caused the
	// mail (stream sequence, index of the event in its commit, kind), so that a resend after a
	// crash is the same message.
	ID           string                `json:"id"`
	Kind         Kind                  `json:"kind"`
	Workshop     domain.WorkshopID     `json:"workshop"`
	Registration domain.RegistrationID `json:"registration"`
	// Account is the recipient's account of a mail about it (an invitation, a reset): ""
	// for a registration's mail.
	Account domain.AccountID `json:"account,omitempty"`
	Lang    string           `json:"lang"`
	To      string           `json:"to"`
	ToName  string           `json:"to_name"`
	Subject string           `json:"subject"`
	Text    string           `json:"text"`
	HTML    string           `json:"html"`
	// Attachments are added by Attach hooks (see Composer.Attach); none by default.
	Attachments []Attachment `json:"attachments,omitempty"`
	// At is when the event that caused the mail was recorded.
	At time.Time `json:"at"`
	// Headers are further header fields (List-Unsubscribe of an announcement's mail).
	Headers map[string]string `json:"headers,omitempty"`
	// Secret is the credential a mail about an account carries (the token of its link to set
	// the password): a kept copy holds it redacted (Redacted), so that nobody who reads the
	// kept mails can take the account over. Never stored.
	Secret string `json:"-"`
}

// Redacted returns m with its Secret replaced in subject and bodies.
func (m Message) Redacted() Message {
	if m.Secret == "" {
		return m
	}
	const gone = "[…]"
	m.Subject = strings.ReplaceAll(m.Subject, m.Secret, gone)
	m.Text = strings.ReplaceAll(m.Text, m.Secret, gone)
	m.HTML = strings.ReplaceAll(m.HTML, m.Secret, gone)
	if m.Headers != nil {
		h := make(map[string]string, len(m.Headers))
		for k, v := range m.Headers {
			h[k] = strings.ReplaceAll(v, m.Secret, gone)
		}
		m.Headers = h
	}
	m.Secret = ""
	return m
}

// Reader is what composing needs from the read models (projections.Reader has it).
type Reader interface {
	Workshop(ctx context.Context, id domain.WorkshopID) (projections.WorkshopView, error)
	Registration(ctx context.Context, id domain.WorkshopID, rid domain.RegistrationID) (projections.RegistrationView, error)
	// ThemeCafe reads a café for the mails of its published plan.
	ThemeCafe(ctx context.Context, w domain.WorkshopID, s domain.SessionID) (projections.ThemeCafeView, error)
}

// Pseudonyms derives the personal token of a registration (*keys.Keyring implements it).
type Pseudonyms interface {
	Pseudonym(purpose, value string) string
}

// NetworkLogs reads a network: its state (kept up to date incrementally, cheap) and its log with
// personal data opened, nil once erased (*eventstore.Store implements it).
type NetworkLogs interface {
	LoadNetwork(ctx context.Context, id domain.NetworkID) (domain.Network, uint64, error)
	NetworkLog(ctx context.Context, id domain.NetworkID) ([]domain.Recorded, error)
}

// Composer turns commits into messages.
type Composer struct {
	Reader     Reader
	Pseudonyms Pseudonyms
	// Networks reads the members' names and addresses for the mails about accounts; without
	// it no such mail is composed.
	Networks NetworkLogs
	// PublicURL is the base of every link, e.g. https://werkstatt.example.org.
	PublicURL string
	// Attach, when set, returns attachments for a message (the lead wires the agenda .ics of
	// a confirmed person here). An error makes the commit be tried again.
	Attach func(ctx context.Context, m Message) ([]Attachment, error)
	// Markdown renders an announcement's body as safe HTML (app.RenderMarkdown); without it
	// the HTML part shows the text as it was written.
	Markdown func(string) string

	// networks are the networks read while composing one commit's mails, each folded once.
	networks map[domain.NetworkID]domain.Network
}

// Compose returns the messages that the events of one commit (all with the same Seq) cause.
// An erased person gets none; a workshop or registration the read models do not hold (yet)
// is an error, so that the commit is tried again.
func (c Composer) Compose(ctx context.Context, events []domain.Recorded) ([]Message, error) {
	c.networks = map[domain.NetworkID]domain.Network{}
	registered := map[domain.RegistrationID]domain.ParticipantRegistered{}
	walkIns := map[domain.RegistrationID]bool{}
	for _, r := range events {
		switch e := r.Event.(type) {
		case domain.ParticipantRegistered:
			registered[e.RegistrationID] = e
		case domain.ParticipantCheckedIn:
			walkIns[e.RegistrationID] = true // registered or admitted and checked in at once: at the door
		}
	}
	// A registration's outcome may come as a confirmation, a waitlisting, or both (seats on
	// some days, the waitlist on others): one mail tells it, at its first event.
	outcomes := map[domain.RegistrationID]*outcome{}
	for _, r := range events {
		var rid domain.RegistrationID
		switch e := r.Event.(type) {
		case domain.RegistrationConfirmed:
			rid = e.RegistrationID
			if e.FromWaitlist {
				continue
			}
		case domain.RegistrationWaitlisted:
			rid = e.RegistrationID
		default:
			continue
		}
		if _, ok := registered[rid]; !ok || walkIns[rid] {
			continue
		}
		o := outcomes[rid]
		if o == nil {
			o = &outcome{}
			outcomes[rid] = o
		}
		switch e := r.Event.(type) {
		case domain.RegistrationWaitlisted:
			o.waitlisted, o.waitDays, o.position = true, e.Days, e.Position
			for _, p := range e.Positions {
				if o.position == 0 || p < o.position {
					o.position = p
				}
			}
			o.position = max(o.position, 1)
		case domain.RegistrationConfirmed:
			o.confirmed, o.confDays = true, e.Days
		}
	}
	var out []Message
	for i, r := range events {
		var (
			m   *Message
			err error
		)
		switch e := r.Event.(type) {
		case domain.RegistrationConfirmed:
			if e.FromWaitlist && !walkIns[e.RegistrationID] {
				m, err = c.movedUp(ctx, r, e)
			} else if o := outcomes[e.RegistrationID]; o != nil && !o.mailed {
				o.mailed = true
				m, err = c.received(ctx, r, registered[e.RegistrationID], o)
			}
		case domain.RegistrationWaitlisted:
			if o := outcomes[e.RegistrationID]; o != nil && !o.mailed {
				o.mailed = true
				m, err = c.received(ctx, r, registered[e.RegistrationID], o)
			}
		case domain.RegistrationCancelled:
			m, err = c.cancelled(ctx, r, e.RegistrationID)
		case domain.LinkRequested:
			m, err = c.lostLink(ctx, r, e.RegistrationID)
		case domain.PasswordLinkIssued:
			m, err = c.passwordLink(ctx, e)
		case domain.DataExportRequested:
			m, err = c.dataExportLink(ctx, r, e)
		case domain.AccountDataExportRequested:
			m, err = c.accountDataExportLink(ctx, e)
		case domain.AnnouncementPosted:
			// One mail per subscribed member, each with its own Message-ID.
			fan, err := c.announcement(ctx, r, e)
			if err != nil {
				return nil, err
			}
			for _, m := range fan {
				m.ID = MessageID(r.Seq, i, m.Kind, c.PublicURL, domain.RegistrationID(m.Account))
				m.At = r.At
				out = append(out, m)
			}
			continue
		case domain.RemindersSent, domain.FeedbackRequested, domain.MessageSent, domain.RotationPublished:
			// One mail per person: each gets its own Message-ID, with the registration in it.
			fan, err := c.fanOut(ctx, r)
			if err != nil {
				return nil, err
			}
			for _, m := range fan {
				m.ID = MessageID(r.Seq, i, m.Kind, c.PublicURL, m.Registration)
				m.Workshop, m.At = r.Workshop, r.At
				out = append(out, m)
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		if m == nil {
			continue
		}
		m.ID = MessageID(r.Seq, i, m.Kind, c.PublicURL)
		m.Workshop, m.At = r.Workshop, r.At
		if c.Attach != nil {
			if m.Attachments, err = c.Attach(ctx, *m); err != nil {
				return nil, err
			}
		}
		out = append(out, *m)
	}
	return out, nil
}

// MessageID derives a mail's Message-ID from the event that caused it. An event that mails
// several people (a reminder, an organiser's message) names the person too: one id per
// person and cause. The mails of one person per event keep the shorter form they always had.
func MessageID(seq uint64, index int, kind Kind, publicURL string, person ...domain.RegistrationID) string {
	host := "werkstatt.invalid"
	if u, err := url.Parse(publicURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	if len(person) > 0 && person[0] != "" {
		return fmt.Sprintf("%d.%d.%s.%s@%s", seq, index, kind, person[0], host)
	}
	return fmt.Sprintf("%d.%d.%s@%s", seq, index, kind, host)
}

// outcome is what a registration got in its commit.
type outcome struct {
	confirmed, waitlisted bool
	confDays, waitDays    []domain.Day // the days named by per-day events; nil: every day
	position              int
	mailed                bool
}

// received is the mail of a new registration: confirmed, waitlisted with the position, or
// (per-day waitlists) confirmed on some days and waitlisted on others.
func (c Composer) received(ctx context.Context, r domain.Recorded, p domain.ParticipantRegistered, o *outcome) (*Message, error) {
	if p.Person == nil || strings.TrimSpace(p.Person.Email) == "" {
		return nil, nil // erased, or no address
	}
	w, err := c.Reader.Workshop(ctx, r.Workshop)
	if err != nil {
		return nil, err
	}
	lang := language(p.Lang)
	d := data{T: catalogue[lang], Name: p.Person.Name, Workshop: w.Title, Venue: w.Venue,
		Days: dates(lang, p.Days), Link: c.link(r.Workshop, p.RegistrationID, p.TokenHash, lang)}
	if o.waitlisted {
		d.Position = o.position
	}
	if o.confirmed && o.waitlisted {
		d.ConfirmedDays, d.WaitlistDays = dates(lang, o.confDays), dates(lang, o.waitDays)
	}
	if err := c.worded(ctx, w.Network, KindReceived, lang, &d); err != nil {
		return nil, err
	}
	return render(lang, KindReceived, p.RegistrationID, p.Person.Email, p.Person.Name, d)
}

// movedUp is the mail of a waitlisted person who got a seat: on the days the event names, when
// it names them (per-day waitlists), else on every day they asked for.
func (c Composer) movedUp(ctx context.Context, r domain.Recorded, e domain.RegistrationConfirmed) (*Message, error) {
	v, lang, w, err := c.person(ctx, r.Workshop, e.RegistrationID)
	if err != nil || v == nil {
		return nil, err
	}
	days := e.Days
	part := len(days) > 0
	if !part {
		days = v.Days
	}
	d := data{T: catalogue[lang], Name: v.Name, Workshop: w.Title, Venue: w.Venue, PartDays: part,
		Days: dates(lang, days), Link: c.link(r.Workshop, v.ID, v.TokenHash, lang)}
	if err := c.worded(ctx, w.Network, KindMovedUp, lang, &d); err != nil {
		return nil, err
	}
	return render(lang, KindMovedUp, v.ID, v.Email, v.Name, d)
}

// cancelled confirms a cancellation.
func (c Composer) cancelled(ctx context.Context, r domain.Recorded, rid domain.RegistrationID) (*Message, error) {
	v, lang, w, err := c.person(ctx, r.Workshop, rid)
	if err != nil || v == nil {
		return nil, err
	}
	d := data{T: catalogue[lang], Name: v.Name, Workshop: w.Title, Venue: w.Venue, Days: dates(lang, v.Days)}
	if err := c.worded(ctx, w.Network, KindCancelled, lang, &d); err != nil {
		return nil, err
	}
	return render(lang, KindCancelled, v.ID, v.Email, v.Name, d)
}

// lostLink mails the personal link to a person who asked for it again. Without a derived
// token (the read model's hash is another) there is nothing to send.
func (c Composer) lostLink(ctx context.Context, r domain.Recorded, rid domain.RegistrationID) (*Message, error) {
	v, lang, w, err := c.person(ctx, r.Workshop, rid)
	if err != nil || v == nil {
		return nil, err
	}
	link := c.link(r.Workshop, v.ID, v.TokenHash, lang)
	if link == "" {
		return nil, nil
	}
	d := data{T: catalogue[lang], Name: v.Name, Workshop: w.Title, Venue: w.Venue, Days: dates(lang, v.Days), Link: link}
	if err := c.worded(ctx, w.Network, KindLink, lang, &d); err != nil {
		return nil, err
	}
	return render(lang, KindLink, v.ID, v.Email, v.Name, d)
}

// dataExportLink mails the link to the export of a person's data, which they asked for with
// the address of this registration. The token is derived again from the event (the log holds
// no credential); an erased person gets none.
func (c Composer) dataExportLink(ctx context.Context, r domain.Recorded, e domain.DataExportRequested) (*Message, error) {
	if c.Pseudonyms == nil {
		return nil, nil
	}
	v, lang, w, err := c.person(ctx, r.Workshop, e.RegistrationID)
	if err != nil || v == nil {
		return nil, err
	}
	if e.Lang != "" {
		lang = language(e.Lang)
	}
	token := domain.DataExportToken(c.Pseudonyms.Pseudonym, r.Workshop, e)
	link := strings.TrimRight(c.PublicURL, "/") + "/my-data/" + url.PathEscape(token)
	if lang != domain.DefaultLanguage {
		link += "?lang=" + lang
	}
	d := data{T: catalogue[lang], Name: v.Name, Link: link, Expires: expiry(lang, e.ExpiresAt), Privacy: c.privacy(w.Network, lang)}
	m, err := render(lang, KindDataExport, v.ID, v.Email, v.Name, d)
	if m != nil {
		m.Secret = token
	}
	return m, err
}

// accountDataExportLink mails the link to the export of a person's data, which they asked for
// with the address of their account in the event's network (no registration holds it). Name and
// address are the member's (sealed in the network's log); an erased or removed account gets
// none.
func (c Composer) accountDataExportLink(ctx context.Context, e domain.AccountDataExportRequested) (*Message, error) {
	if c.Networks == nil || c.Pseudonyms == nil {
		return nil, nil
	}
	person, _, err := c.member(ctx, e.Network, e.Account)
	if err != nil || person == nil || strings.TrimSpace(person.Email) == "" {
		return nil, err
	}
	lang := language(e.Lang)
	token := domain.AccountDataExportToken(c.Pseudonyms.Pseudonym, e)
	link := strings.TrimRight(c.PublicURL, "/") + "/my-data/" + url.PathEscape(token)
	if lang != domain.DefaultLanguage {
		link += "?lang=" + lang
	}
	d := data{T: catalogue[lang], Name: person.Name, Link: link, Expires: expiry(lang, e.ExpiresAt), Privacy: c.privacy(e.Network, lang)}
	m, err := render(lang, KindDataExport, "", person.Email, person.Name, d)
	if m != nil {
		m.Account, m.Secret = e.Account, token
	}
	return m, err
}

// member returns the sealed person of account in network's log (nil when it left or was
// erased) and the network as its log has it now.
func (c Composer) member(ctx context.Context, network domain.NetworkID, account domain.AccountID) (*domain.Person, domain.Network, error) {
	log, err := c.Networks.NetworkLog(ctx, network)
	if err != nil {
		return nil, domain.Network{}, err
	}
	var (
		person *domain.Person
		n      domain.Network
	)
	for _, r := range log {
		n = n.Evolve(r.Event)
		switch m := r.Event.(type) {
		case domain.MemberAdded:
			if m.Account == account {
				person = m.Person
			}
		case domain.MemberRemoved:
			if m.Account == account {
				person = nil
			}
		}
	}
	return person, n, nil
}

// passwordLink mails a one-time link to set a password: an invitation or a reset. The name
// and address are the member's (sealed in the network's log); an erased account gets none,
// and neither does one that left every network it was added to in that log.
func (c Composer) passwordLink(ctx context.Context, e domain.PasswordLinkIssued) (*Message, error) {
	if c.Networks == nil || c.Pseudonyms == nil {
		return nil, nil
	}
	person, n, err := c.member(ctx, e.Network, e.Account)
	if err != nil {
		return nil, err
	}
	if person == nil || strings.TrimSpace(person.Email) == "" {
		return nil, nil
	}
	lang := language(e.Lang)
	token := c.Pseudonyms.Pseudonym(domain.PasswordLinkPurpose, domain.PasswordLinkValue(e.Account, e.LinkID))
	link := strings.TrimRight(c.PublicURL, "/") + "/set-password/" + url.PathEscape(token)
	if lang != domain.DefaultLanguage {
		link += "?lang=" + lang
	}
	kind := KindInvitation
	if e.Purpose == domain.LinkForReset {
		kind = KindPasswordReset
	}
	d := data{T: catalogue[lang], Name: person.Name, Network: n.Name, Link: link, Expires: expiry(lang, e.ExpiresAt),
		Privacy: c.privacy(e.Network, lang)}
	if t, ok := n.MailTemplates[domain.MailTemplateKey{Kind: string(kind), Lang: lang}]; ok {
		d.Custom = &t
	}
	m, err := render(lang, kind, "", person.Email, person.Name, d)
	if m != nil {
		m.Account, m.Secret = e.Account, token
	}
	return m, err
}

// PrivacyPath is the path of the privacy notice of network id, the instance's for "".
func PrivacyPath(id domain.NetworkID) string {
	if id == "" {
		return "/privacy"
	}
	return "/networks/" + url.PathEscape(string(id)) + "/privacy"
}

// privacy is the link to the privacy notice of network id in lang; "" without a public URL.
func (c Composer) privacy(id domain.NetworkID, lang string) string {
	if c.PublicURL == "" {
		return ""
	}
	link := strings.TrimRight(c.PublicURL, "/") + PrivacyPath(id)
	if lang != domain.DefaultLanguage {
		link += "?lang=" + lang
	}
	return link
}

// worded gives d the wording network's organisers chose for kind in lang, if any, the
// network's name and the link to its privacy notice. The network's log is read once per commit.
func (c Composer) worded(ctx context.Context, id domain.NetworkID, kind Kind, lang string, d *data) error {
	d.Privacy = c.privacy(id, lang)
	if id == "" || c.Networks == nil {
		return nil
	}
	n, ok := c.networks[id]
	if !ok {
		// The network's state, not its log: every registration's mail asks, and the state is
		// brought up to date incrementally instead of reading and opening the whole log.
		var err error
		if n, _, err = c.Networks.LoadNetwork(ctx, id); err != nil {
			return err
		}
		if c.networks != nil {
			c.networks[id] = n
		}
	}
	d.Network = n.Name
	if t, ok := n.MailTemplates[domain.MailTemplateKey{Kind: string(kind), Lang: lang}]; ok {
		d.Custom = &t
	}
	return nil
}

// expiry formats when a link stops holding, in German time as the pages show it.
func expiry(lang string, at time.Time) string {
	if loc, err := time.LoadLocation("Europe/Berlin"); err == nil {
		at = at.In(loc)
	}
	if lang == "en" {
		return at.Format("2 Jan 2006, 15:04")
	}
	return at.Format("02.01.2006, 15:04") + " Uhr"
}

// person reads a registration, its language and its workshop; nil when the person was erased
// or left no address.
func (c Composer) person(ctx context.Context, id domain.WorkshopID, rid domain.RegistrationID) (*projections.RegistrationView, string, projections.WorkshopView, error) {
	v, err := c.Reader.Registration(ctx, id, rid)
	if err != nil {
		return nil, "", projections.WorkshopView{}, err
	}
	if v.Erased || strings.TrimSpace(v.Email) == "" {
		return nil, "", projections.WorkshopView{}, nil
	}
	w, err := c.Reader.Workshop(ctx, id)
	if err != nil {
		return nil, "", projections.WorkshopView{}, err
	}
	return &v, language(v.Lang), w, nil
}

// link is the personal link of a registration, "" when its token is not a derived one (older
// registrations hold random tokens, which nobody but their owner knows).
func (c Composer) link(w domain.WorkshopID, rid domain.RegistrationID, hash, lang string) string {
	return c.linkTo(w, rid, hash, lang, "")
}

// linkTo is link to the page at path under the personal page (e.g. "/feedback"), "" as link.
func (c Composer) linkTo(w domain.WorkshopID, rid domain.RegistrationID, hash, lang, path string) string {
	if c.Pseudonyms == nil || hash == "" {
		return ""
	}
	token := c.Pseudonyms.Pseudonym(domain.PersonalLinkPurpose, domain.PersonalLinkValue(w, rid))
	sum := sha256.Sum256([]byte(token))
	if hex.EncodeToString(sum[:]) != hash {
		return ""
	}
	link := strings.TrimRight(c.PublicURL, "/") + "/w/" + url.PathEscape(string(w)) + "/r/" +
		url.PathEscape(string(rid)) + path + "?token=" + url.QueryEscape(token)
	if lang != domain.DefaultLanguage {
		link += "&lang=" + lang
	}
	return link
}

// language is lang if mails speak it, else the default.
func language(lang string) string {
	if _, ok := catalogue[lang]; ok {
		return lang
	}
	return domain.DefaultLanguage
}

// dates formats days as the pages do: "Mo., 16.11.2026" or "Mon 16 Nov 2026".
func dates(lang string, days []domain.Day) []string {
	out := make([]string, 0, len(days))
	for _, d := range days {
		t, err := time.Parse(time.DateOnly, string(d))
		switch {
		case err != nil:
			out = append(out, string(d))
		case lang == "en":
			out = append(out, t.Format("Mon 2 Jan 2006"))
		default:
			out = append(out, germanWeekdays[t.Weekday()]+", "+t.Format("02.01.2006"))
		}
	}
	return out
}

var germanWeekdays = []string{"So.", "Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa."}

// ErrNoSender is returned when a mail is to be sent but nothing sends mails.
var ErrNoSender = errors.New("mails: no sender configured")
