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

func jetStream(t *testing.T, ns *server.Server) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	nc, err := embedded.Connect(ns, "test")
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

func TestListen(t *testing.T) {
	ns := start(t, embedded.Options{DataDir: t.TempDir(), Listen: "127.0.0.1:0"})
	defer stop(ns)
	addr, ok := ns.Addr().(*net.TCPAddr)
	if !ok || addr.Port == 0 {
		t.Fatalf("listener: got %v, want a TCP port", ns.Addr())
	}
	nc, err := nats.Connect("nats://" + addr.String())
	if err != nil {
		t.Fatalf("connect over TCP: %v", err)
	}
	defer nc.Close()
	if err := nc.Flush(); err != nil {
		t.Errorf("flush over TCP: %v", err)
	}
}

func TestStartRejects(t *testing.T) {
	for _, o := range []embedded.Options{
		{},
		{DataDir: t.TempDir(), Listen: "no-port"},
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
