// Package smtp sends mails through an SMTP server with github.com/wneessen/go-mail:
// smtp://user:pass@host:port uses STARTTLS when the server offers it, smtps:// implicit TLS.
package smtp

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/werkstatt/werkstatt/mails"
)

// Sender sends mails; it is a mails.Sender. One connection per mail: the outbox sends a few
// mails a minute, and a fresh connection recovers from a server that was away.
type Sender struct {
	host string
	from string
	opts []gomail.Option
}

// timeout bounds connecting and each SMTP command.
const timeout = 30 * time.Second

// New returns a Sender to the server at rawURL, sending from from ("Name <addr>" or addr).
func New(rawURL, from string) (*Sender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("smtp url: %w", err)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("smtp url %q names no host", u.Redacted())
	}
	if from == "" {
		return nil, fmt.Errorf("a sender address (--mail-from) is needed with an SMTP server")
	}
	opts := []gomail.Option{gomail.WithTimeout(timeout)}
	port := 0
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
			return nil, fmt.Errorf("smtp url %q: bad port", u.Redacted())
		}
	}
	switch u.Scheme {
	case "smtp":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
		if port == 0 {
			port = 587
		}
	case "smtps":
		opts = append(opts, gomail.WithSSL())
		if port == 0 {
			port = 465
		}
	default:
		return nil, fmt.Errorf("smtp url %q: the scheme must be smtp or smtps", u.Redacted())
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil && u.User.Username() != "" {
		pass, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	probe := gomail.NewMsg()
	if err := probe.From(from); err != nil {
		return nil, fmt.Errorf("--mail-from %q: %w", from, err)
	}
	return &Sender{host: u.Hostname(), from: from, opts: opts}, nil
}

// Send hands m to the server and returns once the server accepted it.
func (s *Sender) Send(ctx context.Context, m mails.Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return err
	}
	if err := msg.AddToFormat(m.ToName, m.To); err != nil {
		return fmt.Errorf("smtp: recipient of %s: %w", m.ID, err)
	}
	msg.SetMessageIDWithValue(m.ID)
	msg.SetDateWithValue(m.At)
	msg.Subject(m.Subject)
	// Further fields (List-Unsubscribe, RFC 2369/8058) in a stable order; a name or value that
	// could break the header is refused rather than sent.
	for _, k := range slices.Sorted(maps.Keys(m.Headers)) {
		v := m.Headers[k]
		if k == "" || strings.ContainsAny(k, ": \t\r\n") || strings.ContainsAny(v, "\r\n") {
			return fmt.Errorf("smtp: header %q of %s", k, m.ID)
		}
		msg.SetGenHeader(gomail.Header(k), v)
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Attachments {
		if err := msg.AttachReader(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return err
		}
	}
	c, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return err
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("smtp: send %s: %w", m.ID, err)
	}
	return nil
}
