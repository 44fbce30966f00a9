package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	smtpd "github.com/emersion/go-smtp"

	"github.com/werkstatt/werkstatt/infra/smtp"
	"github.com/werkstatt/werkstatt/mails"
)

// maxMails bounds the mails a run sends each way: the outbox sends one commit's mails at a
// time, a connection per mail, so that 5,000 would take minutes.
const maxMails = 500

// benchFrom is the sender of the bench's mails.
const benchFrom = "Werkstatt bench <bench@example.org>"

// mailSink is an in-process SMTP server that accepts every mail and counts the mails and
// their bytes.
type mailSink struct {
	srv  *smtpd.Server
	addr string

	mu      sync.Mutex
	n       int
	bytes   int64
	want    int
	reached chan struct{}
	gate    chan struct{} // while open, a mail's DATA waits for it to close; nil: none waits
}

func startMailSink() (*mailSink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &mailSink{addr: ln.Addr().String()}
	s.srv = smtpd.NewServer(smtpd.BackendFunc(func(*smtpd.Conn) (smtpd.Session, error) { return sinkSession{s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout, s.srv.WriteTimeout = 30*time.Second, 30*time.Second
	go s.srv.Serve(ln)
	return s, nil
}

func (s *mailSink) url() string { return "smtp://" + s.addr }

func (s *mailSink) close() { _ = s.srv.Close() }

// expect starts counting afresh and returns a channel closed once n mails arrived.
func (s *mailSink) expect(n int) <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n, s.bytes, s.want, s.reached = 0, 0, n, make(chan struct{})
	return s.reached
}

// hold makes every mail wait in its DATA command until release.
func (s *mailSink) hold() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gate = make(chan struct{})
}

// release lets the held mails through.
func (s *mailSink) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gate != nil {
		close(s.gate)
		s.gate = nil
	}
}

// counted returns the mails and bytes since expect.
func (s *mailSink) counted() (int, int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n, s.bytes
}

type sinkSession struct{ s *mailSink }

func (sinkSession) Reset()                                { /* nothing kept between mails */ }
func (sinkSession) Logout() error                         { return nil }
func (sinkSession) Mail(string, *smtpd.MailOptions) error { return nil }
func (sinkSession) Rcpt(string, *smtpd.RcptOptions) error { return nil }
func (x sinkSession) Data(r io.Reader) error {
	n, err := io.Copy(io.Discard, r)
	if err != nil {
		return err
	}
	s := x.s
	s.mu.Lock()
	gate := s.gate
	s.mu.Unlock()
	if gate != nil {
		<-gate
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	s.bytes += n
	if s.n == s.want {
		close(s.reached)
	}
	return nil
}

// MeasureRawSMTP sends n mails with the plain text text one after the other through
// infra/smtp's Sender (a connection per mail, as the outbox sends) to the server at url and
// returns the mails per second the server accepted.
func MeasureRawSMTP(ctx context.Context, url string, n int, text string) (float64, error) {
	sender, err := smtp.New(url, benchFrom)
	if err != nil {
		return 0, err
	}
	m := mails.Message{To: "raw@example.org", ToName: "Raw Baseline", Subject: "Werkstatt bench", Text: text, At: time.Now()}
	start := time.Now()
	for i := range n {
		m.ID = fmt.Sprintf("raw.%d@bench.invalid", i)
		if err := sender.Send(ctx, m); err != nil {
			return 0, err
		}
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// benchMail registers people on a workshop of the instance at base, whose outbox sends through
// the in-process SMTP server (Env.Mail), and times the outbox from the end of the
// registrations until every registration's mail was accepted. The baseline is the same server's rate for mails of the same size sent straight
// through infra/smtp's Sender.
func benchMail(ctx context.Context, env Env, base string, size Sizes, w io.Writer) error {
	sink, err := startMailSink()
	if err != nil {
		return err
	}
	defer sink.close()
	if err := env.Mail(ctx, sink.url()); err != nil {
		return err
	}
	n := min(size.N, maxMails)
	status, out, err := DoJSON(http.DefaultClient, base, "POST", "/api/v1/workshops", organiserBench, map[string]any{
		"title": "Bench mails", "venue": "Loopback", "days": []string{"2030-02-04"}, "capacity": n / 2})
	if err != nil || status != 201 {
		return fmt.Errorf("creating the mail bench workshop: %d %v %v", status, out, err)
	}
	path := "/api/v1/workshops/" + out["id"].(string) + "/registrations"
	// The registrations come first, while the server holds the first mail, so that the figure
	// is the outbox's working through a backlog of n mails, not the rate of registrations.
	reached := sink.expect(n)
	sink.hold()
	defer sink.release()
	res := Load(n, size.Clients, func(c *http.Client, i int) bool {
		status, _, err := DoJSON(c, base, "POST", path, "", map[string]any{
			"name": fmt.Sprint("Person ", i), "email": fmt.Sprintf("m%d@example.org", i), "organisation": "Bench e.V.", "consent": true})
		return err == nil && status == 201
	})
	if res.Errors > 0 {
		return fmt.Errorf("%d of %d registrations failed", res.Errors, res.Requests)
	}
	start := time.Now()
	sink.release()
	select {
	case <-reached:
	case <-time.After(time.Duration(n)*time.Second/10 + time.Minute):
		got, _ := sink.counted()
		return fmt.Errorf("the outbox sent %d of %d mails", got, n)
	case <-ctx.Done():
		return ctx.Err()
	}
	ours := float64(n) / time.Since(start).Seconds()
	_, outboxBytes := sink.counted()
	avg := int(outboxBytes) / n

	// A mail of the same size: measure the envelope of an empty one, then fill its text.
	sink.expect(1)
	if _, err := MeasureRawSMTP(ctx, sink.url(), 1, "-"); err != nil {
		return err
	}
	_, bare := sink.counted()
	text := filler(avg - int(bare))
	sink.expect(n)
	raw, err := MeasureRawSMTP(ctx, sink.url(), n, text)
	if err != nil {
		return err
	}
	_, rawBytes := sink.counted()
	row(w, fmt.Sprintf("mails/s through the outbox, %d mails", n), ours, raw, "mails/s", "mails/s (SMTP server, raw send)")
	fmt.Fprintf(w, "  mail size through the outbox / raw\t%.1f KB\t%.1f KB\t\t\n", float64(outboxBytes)/float64(n)/1000, float64(rawBytes)/float64(n)/1000)
	return nil
}

// filler is about n bytes of plain text in short lines.
func filler(n int) string {
	const line = "Werkstatt bench: a line of text as long as a line of a mail is.\n"
	if n <= 0 {
		return "-"
	}
	return strings.Repeat(line, n/len(line)+1)[:n]
}
