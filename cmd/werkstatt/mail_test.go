package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	smtpd "github.com/emersion/go-smtp"
)

// mailServer is an in-process SMTP server that keeps what it receives; it can be taken down
// and brought up again on the same address.
type mailServer struct {
	t    *testing.T
	addr string

	mu   sync.Mutex
	got  []received
	srv  *smtpd.Server
	done chan struct{}
}

// received is one mail as the server got it, its text part decoded.
type received struct {
	To, Subject, MessageID, Text string
	HTML                         bool
	Calendar                     string    // the attached calendar, decoded; "" for none
	At                           time.Time // when the server accepted it
	Header                       mail.Header
}

func startMailServer(t *testing.T) *mailServer {
	t.Helper()
	m := &mailServer{t: t, addr: "127.0.0.1:0"}
	m.up()
	t.Cleanup(m.down)
	return m
}

// up starts serving (again) on the server's address.
func (m *mailServer) up() {
	m.t.Helper()
	ln, err := net.Listen("tcp", m.addr)
	if err != nil {
		m.t.Fatalf("smtp listen: %v", err)
	}
	m.addr = ln.Addr().String()
	s := smtpd.NewServer(m)
	s.Domain = "localhost"
	s.AllowInsecureAuth = true
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	done := make(chan struct{})
	m.mu.Lock()
	m.srv, m.done = s, done
	m.mu.Unlock()
	go func() { defer close(done); _ = s.Serve(ln) }()
}

// down stops the server: connections are refused until up.
func (m *mailServer) down() {
	m.mu.Lock()
	s, done := m.srv, m.done
	m.srv = nil
	m.mu.Unlock()
	if s != nil {
		_ = s.Close()
		<-done
	}
}

func (m *mailServer) url() string { return "smtp://" + m.addr }

func (m *mailServer) NewSession(*smtpd.Conn) (smtpd.Session, error) { return &mailSession{m: m}, nil }

type mailSession struct {
	m  *mailServer
	to []string
}

func (s *mailSession) Reset()                                { s.to = nil }
func (s *mailSession) Logout() error                         { return nil }
func (s *mailSession) Mail(string, *smtpd.MailOptions) error { return nil }
func (s *mailSession) Rcpt(to string, _ *smtpd.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *mailSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	dec := new(mime.WordDecoder)
	subject, _ := dec.DecodeHeader(msg.Header.Get("Subject"))
	got := received{To: strings.Join(s.to, ","), Subject: subject, MessageID: msg.Header.Get("Message-Id"), At: time.Now(), Header: msg.Header}
	got.Text, got.HTML = textPart(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body, &got.Calendar)
	s.m.mu.Lock()
	s.m.got = append(s.m.got, got)
	s.m.mu.Unlock()
	return nil
}

// textPart returns the decoded text/plain part and whether an HTML part came with it; an
// attached calendar goes to calendar.
func textPart(ctype, encoding string, body io.Reader, calendar *string) (string, bool) {
	mt, params, _ := mime.ParseMediaType(ctype)
	if strings.HasPrefix(mt, "multipart/") {
		var text string
		var html bool
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				return text, html
			}
			if strings.HasPrefix(p.Header.Get("Content-Type"), "text/calendar") {
				var r io.Reader = p
				if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "base64") {
					r = base64.NewDecoder(base64.StdEncoding, p)
				} else if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
					r = quotedprintable.NewReader(p)
				}
				b, _ := io.ReadAll(r)
				*calendar = string(b)
				continue
			}
			t, h := textPart(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p, calendar)
			if t != "" && text == "" {
				text = t
			}
			html = html || h || strings.HasPrefix(p.Header.Get("Content-Type"), "text/html")
		}
	}
	if mt != "text/plain" {
		return "", mt == "text/html"
	}
	if strings.EqualFold(encoding, "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	b, _ := io.ReadAll(body)
	return string(b), false
}

// mails returns what arrived so far.
func (m *mailServer) mails() []received {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]received(nil), m.got...)
}

// waitFor waits until a mail to addr whose subject contains subject arrived and returns it.
func (m *mailServer) waitFor(addr, subject string) received {
	m.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		for _, r := range m.mails() {
			if r.To == addr && strings.Contains(r.Subject, subject) {
				return r
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	m.t.Fatalf("no mail %q to %s arrived; got %d mails", subject, addr, len(m.mails()))
	return received{}
}

// to returns the mails to addr.
func (m *mailServer) to(addr string) []received {
	var out []received
	for _, r := range m.mails() {
		if r.To == addr {
			out = append(out, r)
		}
	}
	return out
}

// shortRetries makes the outbox retry within a second, for the length of the test.
func shortRetries(t *testing.T) {
	mailRetries = []time.Duration{200 * time.Millisecond, 300 * time.Millisecond, 500 * time.Millisecond,
		time.Second, time.Second, time.Second, time.Second, time.Second}
	t.Cleanup(func() { mailRetries = nil })
}

var linkPattern = regexp.MustCompile(`http://\S+/w/\S+/r/\S+\?token=\S+`)

func TestMailsThroughSMTP(t *testing.T) {
	shortRetries(t)
	smtp := startMailServer(t)
	in := startInstance(t, nil, "--data-dir", t.TempDir(), "--smtp-url", smtp.url(), "--mail-from", "Werkstatt <werkstatt@example.org>")
	a := api{t, in.url}
	w := a.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{"title": "Mailwerkstatt",
		"venue": "Rathaus", "days": []string{"2037-11-16", "2037-11-17"}, "capacity": 1})
	base := "/api/v1/workshops/" + w["id"].(string)
	register := func(name, lang string) map[string]any {
		body := map[string]any{"name": name, "email": strings.ToLower(name) + "@example.org", "organisation": "Caritas", "consent": true}
		if lang != "" {
			body["lang"] = lang
		}
		return a.must(201, "POST", base+"/registrations", "", body)
	}

	// Ann registers in English: her confirmation carries the personal link, which opens her page.
	ann := register("Ann", "en")
	got := smtp.waitFor("ann@example.org", "Registration confirmed: Mailwerkstatt")
	link := linkPattern.FindString(got.Text)
	if link == "" || !got.HTML || !strings.Contains(got.Text, "Hello Ann") {
		t.Fatalf("Ann's confirmation: want an English text with the personal link and an HTML part, got %+v", got)
	}
	if !strings.Contains(got.Calendar, "BEGIN:VCALENDAR") || !strings.Contains(got.Calendar, "DTSTART;VALUE=DATE:20371116") {
		t.Errorf("Ann's confirmation: want her calendar attached, got %q", got.Calendar)
	}
	if !strings.Contains(link, "token="+ann["token"].(string)) {
		t.Errorf("the link %s does not carry the token the registration answered (%s)", link, ann["token"])
	}
	res, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(page), "Ann") {
		t.Errorf("the link from the mail answers %d: %s", res.StatusCode, page)
	}

	// Ann lost her link: she asks for it again and gets the same link; asking for an address
	// that holds no registration answers alike and mails nothing.
	a.must(http.StatusAccepted, "POST", base+"/registrations/link-requests", "", map[string]any{"email": "nobody@example.org"})
	a.must(http.StatusAccepted, "POST", base+"/registrations/link-requests", "", map[string]any{"email": "Ann@example.org "})
	again := smtp.waitFor("ann@example.org", "Your personal link: Mailwerkstatt")
	if got := linkPattern.FindString(again.Text); got != link {
		t.Errorf("the link asked for again: %q, want the link of the confirmation %q", got, link)
	}
	a.must(422, "POST", base+"/registrations/link-requests", "", map[string]any{"email": "no address"})

	// Ben waits (German, the default); when Ann cancels, he moves up and is told.
	ben := register("Ben", "")
	waiting := smtp.waitFor("ben@example.org", "Auf der Warteliste: Mailwerkstatt")
	if !strings.Contains(waiting.Text, "Platz 1 der Warteliste") || linkPattern.FindString(waiting.Text) == "" || waiting.Calendar != "" {
		t.Errorf("Ben's waitlist mail: %q, calendar %q; want the place and the link, no calendar", waiting.Text, waiting.Calendar)
	}
	a.must(http.StatusNoContent, "DELETE", base+"/registrations/"+ann["id"].(string), ann["token"].(string), nil)
	smtp.waitFor("ann@example.org", "Cancellation confirmed")
	moved := smtp.waitFor("ben@example.org", "Sie haben einen Platz: Mailwerkstatt")
	if !strings.Contains(moved.Text, "nachgerückt") || !strings.Contains(moved.Text, "token="+ben["token"].(string)) {
		t.Errorf("Ben's moved-up mail: %q", moved.Text)
	}

	// The mail server is down for a while: the mail arrives once it is back.
	smtp.down()
	register("Cleo", "en")
	time.Sleep(700 * time.Millisecond)
	smtp.up()
	smtp.waitFor("cleo@example.org", "On the waitlist: Mailwerkstatt")

	// An erased person gets nothing more: Dan registers, then erases his data.
	dan := register("Dan", "")
	smtp.waitFor("dan@example.org", "Warteliste")
	a.must(http.StatusNoContent, "DELETE", base+"/registrations/"+dan["id"].(string)+"/personal-data", dan["token"].(string), nil)
	// Eve's mail, decided after Dan's erasure, shows the outbox went past it.
	register("Eve", "")
	smtp.waitFor("eve@example.org", "Warteliste")
	time.Sleep(300 * time.Millisecond)
	if n := len(smtp.to("dan@example.org")); n != 1 {
		t.Errorf("Dan got %d mails, want only his registration's before he was erased: %+v", n, smtp.to("dan@example.org"))
	}
	ids := map[string]bool{}
	for _, m := range smtp.mails() {
		if ids[m.MessageID] {
			t.Errorf("Message-ID %s twice", m.MessageID)
		}
		ids[m.MessageID] = true
	}
}

// TestMailsOnceWithTwoInstances runs two instances on one stream: each mail arrives once.
func TestMailsOnceWithTwoInstances(t *testing.T) {
	shortRetries(t)
	smtp := startMailServer(t)
	url, stream := natsServer(t)
	args := []string{"--nats-url", url, "--stream", stream, "--smtp-url", smtp.url(), "--mail-from", "werkstatt@example.org"}
	env := map[string]string{"WERKSTATT_MASTER_KEY": "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA="} // replicas share it
	one := startInstance(t, env, append([]string{"--data-dir", t.TempDir()}, args...)...)
	two := startInstance(t, env, append([]string{"--data-dir", t.TempDir()}, args...)...)
	a, b := api{t, one.url}, api{t, two.url}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("logs:\n%s\n%s", one.log, two.log)
		}
	})
	w := a.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{"title": "Doppelt",
		"venue": "Rathaus", "days": []string{"2037-11-16"}, "capacity": 20})
	base := "/api/v1/workshops/" + w["id"].(string)
	const n = 12
	for i := range n {
		c := []api{a, b}[i%2]
		c.must(201, "POST", base+"/registrations", "", map[string]any{"name": fmt.Sprintf("P%d", i),
			"email": fmt.Sprintf("p%d@example.org", i), "organisation": "X", "consent": true})
	}
	for i := range n {
		smtp.waitFor(fmt.Sprintf("p%d@example.org", i), "Anmeldung bestätigt")
	}
	time.Sleep(time.Second) // a duplicate would arrive meanwhile
	if got := len(smtp.mails()); got != n {
		t.Errorf("%d mails arrived, want %d (one per registration): %+v", got, n, smtp.mails())
	}
}
