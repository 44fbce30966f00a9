package handlers_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/infra/embedded"
	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/infra/keys"
	"github.com/werkstatt/werkstatt/projections"
)

const organiserToken = "organiser-token-for-tests"

// service is the whole API over real parts: an embedded NATS server in a temp dir, the event
// store, the keyring, in-memory read models fed by the projection runner, and an HTTP server.
type service struct {
	t      *testing.T
	url    string
	events *eventstore.Store
}

func startService(t *testing.T) *service {
	t.Helper()
	js := startNATS(t)
	ctx := context.Background()
	master := make([]byte, 32)
	_, _ = rand.Read(master)
	keyring, err := keys.Open(ctx, js, "TEST_KEYS", master, 1)
	if err != nil {
		t.Fatalf("keyring: %v", err)
	}
	store, err := eventstore.Open(ctx, js, eventstore.Config{}, keyring)
	if err != nil {
		t.Fatalf("event store: %v", err)
	}
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	readModels := projections.NewMemory()
	sub := eventstore.NewSubscriber(js, eventstore.Config{}, projections.StartSeq(readModels), watermill.NopLogger{})
	t.Cleanup(func() { _ = sub.Close() })
	runner, err := projections.NewRunner(readModels, sub, store, logger)
	if err != nil {
		t.Fatalf("runner: %v", err)
	}
	run(t, runner)
	srv := httptest.NewServer(handlers.New(handlers.Config{Workshops: store, Reader: readModels,
		Consistency: runner, Pseudonyms: keyring, OrganiserTokenHash: sha256.Sum256([]byte(organiserToken)),
		Logger: logger}))
	t.Cleanup(srv.Close)
	return &service{t: t, url: srv.URL, events: store}
}

// startNATS starts an embedded NATS server in a temp dir, stopped when the test ends.
func startNATS(t *testing.T) jetstream.JetStream {
	t.Helper()
	ns, err := embedded.Start(embedded.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatalf("embedded NATS: %v", err)
	}
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	nc, err := embedded.Connect(ns, "handlers-test")
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatalf("jetstream: %v", err)
	}
	return js
}

// run runs the projections until the test ends.
func run(t *testing.T, runner *projections.Runner) {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runner.Run(ctx) }()
	select {
	case <-runner.Running():
	case err := <-done:
		t.Fatalf("runner: %v", err)
	}
	t.Cleanup(func() { stop(); <-done })
}

// request is one HTTP call of a test.
type request struct {
	method, path string
	token        string // sent as Bearer
	body         any    // a string is sent as is, anything else as JSON
	header       map[string]string
}

// response is what came back.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (s *service) do(r request) response {
	s.t.Helper()
	var body io.Reader
	switch b := r.body.(type) {
	case nil:
	case string:
		body = bytes.NewBufferString(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			s.t.Fatalf("marshal %v: %v", b, err)
		}
		body = bytes.NewReader(j)
	}
	req, err := http.NewRequest(r.method, s.url+r.path, body)
	if err != nil {
		s.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatalf("%s %s: read body: %v", r.method, r.path, err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// must does r, checks the status and decodes the body into out (if not nil).
func (s *service) must(r request, status int, out any) response {
	s.t.Helper()
	res := s.do(r)
	if res.status != status {
		s.t.Fatalf("%s %s: got %d %s, want %d", r.method, r.path, res.status, res.body, status)
	}
	if out != nil {
		if err := json.Unmarshal(res.body, out); err != nil {
			s.t.Fatalf("%s %s: decode %s: %v", r.method, r.path, res.body, err)
		}
	}
	return res
}

// lastSeq is the stream's last sequence: a rejected command must not move it.
func (s *service) lastSeq() uint64 {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	seq, err := s.events.LastSeq(ctx)
	if err != nil {
		s.t.Fatalf("last sequence: %v", err)
	}
	return seq
}
