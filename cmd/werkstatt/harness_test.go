package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/infra/postgres/postgrestest"
)

const organiser = "test-organiser-token"

// instance is a werkstatt service started in-process by run, as main would.
type instance struct {
	url    string
	cancel context.CancelFunc
	done   chan error
	out    *syncBuffer
	log    *syncBuffer // the JSON log (stderr)
}

// startInstance runs `werkstatt serve args...` in-process and waits until it prints its URL.
func startInstance(t *testing.T, env map[string]string, args ...string) *instance {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	in := &instance{cancel: cancel, done: make(chan error, 1), out: &syncBuffer{}, log: &syncBuffer{}}
	getenv := func(k string) string {
		if k == "WERKSTATT_ADMIN_TOKEN" {
			return organiser
		}
		return env[k]
	}
	args = append([]string{"serve", "--addr", "127.0.0.1:0", "--log-level", "warn"}, args...)
	go func() { in.done <- run(ctx, args, getenv, in.out, in.log) }()
	in.url = waitForURL(t, in.out, in.done)
	t.Cleanup(func() { in.stop(t) })
	return in
}

var runningAt = regexp.MustCompile(`running at (http://\S+)`)

func waitForURL(t *testing.T, out *syncBuffer, done chan error) string {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		if m := runningAt.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		select {
		case err := <-done:
			t.Fatalf("werkstatt stopped before serving: %v\n%s", err, out)
		case <-deadline:
			t.Fatalf("werkstatt did not start within 30s:\n%s", out)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// stop shuts the instance down as SIGTERM would and checks it stopped cleanly.
func (in *instance) stop(t *testing.T) {
	t.Helper()
	if in.cancel == nil {
		return
	}
	in.cancel()
	in.cancel = nil
	select {
	case err := <-in.done:
		if err != nil {
			t.Errorf("werkstatt stopped with %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Error("werkstatt did not shut down within 30s")
	}
}

// api is a JSON client for one instance.
type api struct {
	t    *testing.T
	base string
}

// call sends body (nil for none) as JSON with the bearer token (empty for none) and returns the
// status and the decoded answer (nil for an empty body).
func (a api) call(method, path, token string, body any, headers ...string) (int, map[string]any) {
	a.t.Helper()
	status, raw, ctype := a.raw(method, path, token, body, headers...)
	if len(raw) == 0 {
		return status, nil
	}
	if status >= 400 && ctype != "application/problem+json" {
		a.t.Errorf("%s %s: %d with Content-Type %q, want application/problem+json", method, path, status, ctype)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		a.t.Fatalf("%s %s: %d, body is not a JSON object: %s", method, path, status, raw)
	}
	return status, out
}

func (a api) raw(method, path, token string, body any, headers ...string) (int, []byte, string) {
	a.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			a.t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.base+path, r)
	if err != nil {
		a.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	return resp.StatusCode, raw, resp.Header.Get("Content-Type")
}

// rawBody sends body as it is, with Content-Type ctype.
func (a api) rawBody(method, path, token, ctype string, body []byte) (int, []byte) {
	a.t.Helper()
	req, err := http.NewRequest(method, a.base+path, bytes.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw
}

// must calls and fails the test unless the answer has status want.
func (a api) must(want int, method, path, token string, body any, headers ...string) map[string]any {
	a.t.Helper()
	got, out := a.call(method, path, token, body, headers...)
	if got != want {
		a.t.Fatalf("%s %s: status %d, want %d: %v", method, path, got, want, out)
	}
	return out
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testDatabase creates a fresh PostgreSQL database for one test and drops it afterwards.
func testDatabase(t *testing.T) string { return postgrestest.Database(t) }

// natsServer returns the URL of a separate nats-server process of the go.mod version and a
// stream name of the test's own, so that tests sharing the process never collide.
func natsServer(t *testing.T) (url, stream string) {
	t.Helper()
	return natstest.Process(t).URL, fmt.Sprintf("TEST_%d", time.Now().UnixNano())
}

func TestMain(m *testing.M) { natstest.Main(m) }
