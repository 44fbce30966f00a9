package main

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"time"

	application "github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/infra/mailbox"
	"github.com/werkstatt/werkstatt/infra/smtp"
	"github.com/werkstatt/werkstatt/mails"
	"github.com/werkstatt/werkstatt/reports"
)

// mailsDurable names the outbox's durable consumer: every replica pulls from it, so that one
// event causes one mail.
const mailsDurable = "mails"

// mailRetries are the outbox's waits between attempts (nil: eventstore.DefaultRetries, a
// little over a day); tests shorten them.
var mailRetries []time.Duration

// mailsBucket names the key-value bucket of the kept and failed mails.
func (c config) mailsBucket() string { return c.Stream + "_MAILS" }

// sentMailsBucket names the key-value bucket of the mails the SMTP server accepted.
func (c config) sentMailsBucket() string { return c.Stream + "_MAILS_SENT" }

// publicURL is the base of the links in mails: --public-url, else the listen address.
func (c config) publicURL() string {
	if c.PublicURL != "" {
		return c.PublicURL
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return "http://" + c.Addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// listening sets the base of the links in mails to the address the service listens at, when
// --public-url names none (the port may have been chosen by the system).
func (a *app) listening(cfg config, addr net.Addr) {
	if cfg.PublicURL == "" {
		a.publicURL.Store(new("http://" + addr.String()))
	}
}

// openMail opens the kept mails and wires the mail outbox: through SMTP with --smtp-url, else
// into the kept mails. The outbox runs with start.
func (a *app) openMail(ctx context.Context, cfg config, opts eventstore.OutboxConfig) error {
	var err error
	if a.mailbox, err = mailbox.Open(ctx, a.js, cfg.mailsBucket(), cfg.Replicas, a.keyring); err != nil {
		return err
	}
	var (
		sender mails.Sender  = a.mailbox
		sent   mails.SentLog // the kept mails are kept by id: nothing to remember for them
	)
	if cfg.SMTPURL != "" {
		if sender, err = smtp.New(cfg.SMTPURL, cfg.MailFrom); err != nil {
			return fmt.Errorf("--smtp-url: %w", err)
		}
		if sent, err = mailbox.OpenSent(ctx, a.js, cfg.sentMailsBucket(), cfg.Replicas); err != nil {
			return err
		}
	}
	a.publicURL.Store(new(cfg.publicURL()))
	composer := mails.Composer{Reader: a.readModels, Pseudonyms: a.keyring, Networks: a.events, Attach: a.attachCalendar,
		Markdown: application.RenderMarkdown}
	if opts.Logger == nil {
		opts.Logger = a.log.With("component", "mails")
	}
	a.outbox, err = eventstore.NewOutbox(a.events, mailsDurable, func(ctx context.Context, d eventstore.Delivery) error {
		c := composer
		c.PublicURL = *a.publicURL.Load()
		h := mails.Handler{Composer: c, Consistency: a.runner, Sender: sender, Failures: a.mailbox, Sent: sent}
		return h.Handle(ctx, d.Seq, d.Events, d.Final)
	}, opts)
	return err
}

// attachCalendar gives the mail of a person who holds a seat (registration received or moved
// up) their calendar: the sessions of the days they are confirmed on. Its time stamp is the
// event's, so that a resend after a crash is the same message.
func (a *app) attachCalendar(ctx context.Context, m mails.Message) ([]mails.Attachment, error) {
	if m.Kind != mails.KindReceived && m.Kind != mails.KindMovedUp {
		return nil, nil
	}
	reg, err := a.readModels.Registration(ctx, m.Workshop, m.Registration)
	if err != nil {
		return nil, err
	}
	days := reg.ConfirmedDays()
	if len(days) == 0 {
		return nil, nil
	}
	ws, err := a.readModels.Workshop(ctx, m.Workshop)
	if err != nil {
		return nil, err
	}
	lang, ok := reports.ParseLang(m.Lang)
	if !ok {
		lang = reports.German
	}
	host := "werkstatt.invalid"
	if u, err := url.Parse(*a.publicURL.Load()); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	b, err := reports.PersonalICS(ws, days, nil, reports.CalendarOptions{Location: a.location, Host: host, Now: m.At, Lang: lang})
	if err != nil {
		return nil, err
	}
	return []mails.Attachment{{Name: reports.CalendarFileName(lang, reports.PersonalCalendar, ws.Title),
		ContentType: "text/calendar; charset=utf-8", Data: b}}, nil
}

// mailboxOrNil is the mailbox as the application takes it: a nil interface without one.
func (a *app) mailboxOrNil() application.Mailbox {
	if a.mailbox == nil {
		return nil
	}
	return a.mailbox
}
