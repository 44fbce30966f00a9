package web_test

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/handlers/handlerstest"
	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/infra/keys"
	"github.com/werkstatt/werkstatt/infra/mailbox"
	"github.com/werkstatt/werkstatt/infra/smtp"
	"github.com/werkstatt/werkstatt/mails"
)

// startMailService is startService with the mail outbox running: into the kept mails, or
// through an SMTP server at smtpURL that gives up after two quick retries.
func startMailService(t *testing.T, smtpURL string) *service {
	t.Helper()
	cfg, store, js := handlerstest.WireJetStream(t, organiserToken)
	cfg.Now = func() time.Time { return now }
	keyring := cfg.Eraser.(*keys.Keyring)
	box, err := mailbox.Open(context.Background(), js, "TEST_MAILS", 1, keyring)
	if err != nil {
		t.Fatal(err)
	}
	var sender mails.Sender = box
	if smtpURL != "" {
		if sender, err = smtp.New(smtpURL, "werkstatt@example.org"); err != nil {
			t.Fatal(err)
		}
	}
	h := mails.Handler{Composer: mails.Composer{Reader: cfg.Reader, Pseudonyms: keyring,
		PublicURL: "https://werkstatt.example.org"}, Consistency: cfg.Consistency, Sender: sender, Failures: box}
	outbox, err := eventstore.NewOutbox(store, "mails", func(ctx context.Context, d eventstore.Delivery) error {
		return h.Handle(ctx, d.Seq, d.Events, d.Final)
	}, eventstore.OutboxConfig{Retries: []time.Duration{50 * time.Millisecond, 50 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = outbox.Run(ctx) }()
	<-outbox.Running()
	t.Cleanup(func() { cancel(); <-done; _ = outbox.Close() })
	cfg.Mailbox = box
	s := &service{t: t, cfg: cfg, js: js}
	s.url = s.replica()
	return s
}

// eventually retries get until the page contains want.
func eventually(t *testing.T, b *browser, path string, want string) page {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		p := b.get(path)
		if strings.Contains(p.body, want) || time.Now().After(deadline) {
			return p
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestOutboxKeepsMails(t *testing.T) {
	s := startMailService(t, "")
	id, _ := s.workshop("Kommunale Wärmeplanung", 1)
	b := s.signIn(t)
	empty := b.get("/organiser/outbox").wantStatus(t, "the empty outbox", http.StatusOK)
	empty.mustContain(t, "the empty outbox", "Postausgang", "Keine gespeicherten Mails.", "Alle Mails wurden zugestellt.")
	b.get("/organiser").mustContain(t, "the dashboard links the outbox", `href="/organiser/outbox"`)

	// Clara registers on the English form: her mail is kept, in English, with her link.
	p := s.browser()
	p.get("/?lang=en")
	form := p.get("/w/" + id + "/register")
	p.post("/w/"+id+"/register", url.Values{"_csrf": {form.csrf(t)}, "name": {"Clara Wendt"},
		"email": {"clara@example.org"}, "organisation": {"Stadt Kassel"}, "days": {"2026-11-16", "2026-11-17"}, "consent": {"yes"}}).
		wantStatus(t, "Clara registers", http.StatusSeeOther)
	box := eventually(t, b, "/organiser/outbox", "Registration confirmed: Kommunale Wärmeplanung")
	box.mustContain(t, "the outbox with Clara's mail", "Registration confirmed: Kommunale Wärmeplanung",
		"clara@example.org", "Hello Clara Wendt", "https://werkstatt.example.org/w/"+id+"/r/",
		"Privacy notice: https://werkstatt.example.org/privacy?lang=en") // the footer links the notice
	// Ben registers through the API (German by default) and waits.
	ben := s.register(id, "Ben Okafor", "Landkreis Fulda")
	eventually(t, b, "/organiser/outbox", "Auf der Warteliste").mustContain(t, "Ben's kept mail", "Platz 1 der Warteliste")
	b.get("/organiser/outbox?lang=en").mustContain(t, "the outbox in English", "Outbox", "Kept mails")

	// Once Ben is erased, his mail is shown as deleted, its text is gone.
	p2 := b.get("/organiser/workshops/" + id + "/registrations/" + ben)
	b.post("/organiser/workshops/"+id+"/registrations/"+ben+"/erase", url.Values{"_csrf": {p2.csrf(t)}})
	after := b.get("/organiser/outbox?lang=de")
	after.mustContain(t, "the outbox after Ben's erasure", "gelöscht", "Clara Wendt")
	if strings.Contains(after.body, "Ben Okafor") {
		t.Errorf("the outbox still shows Ben's mail after his erasure")
	}
}

func TestFailedMailsAreShown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there: every delivery fails
	s := startMailService(t, "smtp://"+addr)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	s.register(id, "Ben Okafor", "Landkreis Fulda")
	b := s.signIn(t)
	list := eventually(t, b, "/organiser/workshops/"+id+"/registrations", "Mail an Ben Okafor konnte nicht zugestellt werden.")
	list.mustContain(t, "the registration list names the failed mail", "Mail an Ben Okafor konnte nicht zugestellt werden.")
	b.get("/organiser/outbox").mustContain(t, "the outbox lists the failed mail", "Nicht zugestellt", "ben.okafor@example.org",
		"Anmeldung bestätigt: Kommunale Wärmeplanung")
}
