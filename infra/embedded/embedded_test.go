package embedded_test

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/infra/embedded"
	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
)

func start(t *testing.T, o embedded.Options) *server.Server {
	t.Helper()
	ns, err := embedded.Start(o)
	if err != nil {
		t.Fatalf("Start(%+v): %v", o, err)
	}
	return ns
}

func stop(ns *server.Server) {
	ns.Shutdown()
	ns.WaitForShutdown()
}

func jetStream(t *testing.T, ns *server.Server, opts ...nats.Option) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	nc, err := embedded.Connect(ns, "test", opts...)
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatalf("jetstream.New: %v", err)
	}
	return nc, js
}

func TestDataSurvivesRestart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dir := t.TempDir()

	ns := start(t, embedded.Options{DataDir: dir})
	if got := ns.Name(); got != "werkstatt" {
		t.Errorf("server name: got %q, want %q", got, "werkstatt")
	}
	nc, js := jetStream(t, ns)
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "S", Subjects: []string{"s.>"}, Storage: jetstream.FileStorage}); err != nil {
		t.Fatalf("create stream: %v", err)
	}
	for i := range 3 {
		if _, err := js.Publish(ctx, "s.x", []byte("m"+strconv.Itoa(i))); err != nil {
			t.Fatalf("publish %d: %v", i, err)
		}
	}
	nc.Close()
	stop(ns)

	ns = start(t, embedded.Options{DataDir: dir})
	defer stop(ns)
	nc, js = jetStream(t, ns)
	defer nc.Close()
	s, err := js.Stream(ctx, "S")
	if err != nil {
		t.Fatalf("stream after restart: %v", err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatalf("stream info: %v", err)
	}
	if info.State.Msgs != 3 {
		t.Errorf("messages after restart: got %d, want 3", info.State.Msgs)
	}
	m, err := s.GetMsg(ctx, 3)
	if err != nil {
		t.Fatalf("get message 3: %v", err)
	}
	if string(m.Data) != "m2" {
		t.Errorf("message 3 after restart: got %q, want %q", m.Data, "m2")
	}
}

func TestInProcessOnlyByDefault(t *testing.T) {
	ns := start(t, embedded.Options{DataDir: t.TempDir()})
	defer stop(ns)
	if addr := ns.Addr(); addr != nil {
		t.Errorf("listening on %v, want no listener without Listen", addr)
	}
}

// TestListen: a client without the listener's credentials is refused, one with them connects,
// and the service's own in-process connection keeps working.
func TestListen(t *testing.T) {
	for _, c := range []struct {
		name  string
		o     embedded.Options
		right []nats.Option
		wrong []nats.Option
	}{
		{"user and password", embedded.Options{User: "ops", Password: "a-long-password-1"},
			[]nats.Option{nats.UserInfo("ops", "a-long-password-1")}, []nats.Option{nats.UserInfo("ops", "guess")}},
		{"token", embedded.Options{Token: "a-long-listen-token"},
			[]nats.Option{nats.Token("a-long-listen-token")}, []nats.Option{nats.Token("guess")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := c.o
			o.DataDir, o.Listen = t.TempDir(), "127.0.0.1:0"
			ns := start(t, o)
			defer stop(ns)
			addr, ok := ns.Addr().(*net.TCPAddr)
			if !ok || addr.Port == 0 {
				t.Fatalf("listener: got %v, want a TCP port", ns.Addr())
			}
			url := "nats://" + addr.String()
			for name, opts := range map[string][]nats.Option{"no credentials": nil, "wrong credentials": c.wrong} {
				if nc, err := nats.Connect(url, opts...); err == nil {
					nc.Close()
					t.Errorf("%s: connected, want the listener to refuse", name)
				}
			}
			nc, err := nats.Connect(url, c.right...)
			if err != nil {
				t.Fatalf("connect over TCP with credentials: %v", err)
			}
			defer nc.Close()
			if err := nc.Flush(); err != nil {
				t.Errorf("flush over TCP: %v", err)
			}
			in, err := embedded.Connect(ns, "service", o.ClientOptions()...)
			if err != nil {
				t.Fatalf("in-process connection with a listener: %v", err)
			}
			in.Close()
		})
	}
}

// TestListenTLS: with a certificate, the listener requires TLS; a client that trusts the CA
// connects, a plain one does not, and in-process connections need no TLS.
func TestListenTLS(t *testing.T) {
	files := natstest.NewTLSFiles(t)
	o := embedded.Options{DataDir: t.TempDir(), Listen: "127.0.0.1:0", Token: "a-long-listen-token",
		TLSCert: files.ServerCert, TLSKey: files.ServerKey}
	ns := start(t, o)
	defer stop(ns)
	url := "nats://" + ns.Addr().String()
	if nc, err := nats.Connect(url, nats.Token(o.Token)); err == nil {
		nc.Close()
		t.Error("a client without TLS connected, want the listener to require TLS")
	}
	nc, err := nats.Connect(url, nats.Token(o.Token), nats.RootCAs(files.CA))
	if err != nil {
		t.Fatalf("connect with TLS: %v", err)
	}
	if !nc.TLSRequired() {
		t.Error("the server does not announce TLS as required")
	}
	nc.Close()
	_, js := jetStream(t, ns, o.ClientOptions()...)
	if _, err := js.AccountInfo(context.Background()); err != nil {
		t.Errorf("JetStream over the in-process connection: %v", err)
	}
}

func TestStartRejects(t *testing.T) {
	for _, o := range []embedded.Options{
		{},
		{DataDir: t.TempDir(), Listen: "no-port", Token: "a-long-listen-token"},
		{DataDir: t.TempDir(), Listen: "127.0.0.1:0"}, // no credentials
		{DataDir: t.TempDir(), Listen: "127.0.0.1:0", User: "ops"},
		{DataDir: t.TempDir(), Listen: "127.0.0.1:0", User: "ops", Password: "p", Token: "t"},
		{DataDir: t.TempDir(), Token: "a-long-listen-token"}, // credentials without a listener
		{DataDir: t.TempDir(), Listen: "127.0.0.1:0", Token: "t", TLSCert: "cert.pem"},
	} {
		if ns, err := embedded.Start(o); err == nil {
			stop(ns)
			t.Errorf("Start(%+v): got no error, want one", o)
		}
	}
}

// noticeLog records the server's notices.
type noticeLog struct {
	mu      sync.Mutex
	notices []string
}

func (l *noticeLog) Noticef(format string, v ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.notices = append(l.notices, fmt.Sprintf(format, v...))
}
func (l *noticeLog) Warnf(format string, v ...any)  {}
func (l *noticeLog) Fatalf(format string, v ...any) {}
func (l *noticeLog) Errorf(format string, v ...any) {}
func (l *noticeLog) Debugf(format string, v ...any) {}
func (l *noticeLog) Tracef(format string, v ...any) {}

func TestLogger(t *testing.T) {
	log := &noticeLog{}
	ns := start(t, embedded.Options{DataDir: t.TempDir(), Logger: log})
	stop(ns)
	log.mu.Lock()
	defer log.mu.Unlock()
	if len(log.notices) == 0 {
		t.Errorf("notices: got none, want the server's start-up notices")
	}
}
