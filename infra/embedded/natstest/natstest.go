// Package natstest starts real NATS servers for tests: the embedded server Werkstatt runs
// in-process, and a separate nats-server process of the version in go.mod (built by the test),
// so that one contract suite runs against both.
package natstest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/infra/embedded"
)

// Server is a NATS server with JetStream that a test may use.
type Server struct {
	Name string         // "embedded" or "process"
	URL  string         // client URL; for the embedded server only valid with its connection options
	ns   *server.Server // the embedded server, nil for a process
}

// Connect returns a connection to s, closed when the test ends.
func (s *Server) Connect(t testing.TB) *nats.Conn {
	t.Helper()
	var nc *nats.Conn
	var err error
	if s.ns != nil {
		nc, err = embedded.Connect(s.ns, t.Name())
	} else {
		nc, err = nats.Connect(s.URL, nats.Name(t.Name()))
	}
	if err != nil {
		t.Fatalf("connect to %s nats: %v", s.Name, err)
	}
	t.Cleanup(nc.Close)
	return nc
}

// JetStream returns a JetStream context on a new connection to s.
func (s *Server) JetStream(t testing.TB) jetstream.JetStream {
	t.Helper()
	js, err := jetstream.New(s.Connect(t))
	if err != nil {
		t.Fatalf("jetstream on %s nats: %v", s.Name, err)
	}
	return js
}

// Embedded starts the embedded server on a temporary data directory; it stops when the test ends.
func Embedded(t testing.TB) *Server {
	t.Helper()
	ns, err := embedded.Start(embedded.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatalf("start embedded nats: %v", err)
	}
	t.Cleanup(func() {
		ns.Shutdown()
		ns.WaitForShutdown()
	})
	return &Server{Name: "embedded", URL: ns.ClientURL(), ns: ns}
}

var shared struct {
	once sync.Once
	dir  string
	bin  string
	cmd  *exec.Cmd
	srv  *Server
	err  error
}

// Main runs a package's tests and stops the nats-server process that Process started, if any.
// Call it from TestMain: func TestMain(m *testing.M) { natstest.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	if shared.cmd != nil {
		shared.cmd.Process.Kill()
		shared.cmd.Wait()
	}
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// Process returns a nats-server process shared by the package's tests (see Main): built
// from the module's nats-server version on first use and started with JetStream on a free
// loopback port. Tests share it, so they use their own stream and bucket names. When it cannot
// be built or started the test is skipped, or fails under CI=true.
func Process(t testing.TB) *Server {
	t.Helper()
	shared.once.Do(func() { shared.srv, shared.err = startProcess() })
	if shared.err != nil {
		Unavailable(t, "nats-server process: %v", shared.err)
	}
	return shared.srv
}

// Servers returns the embedded server and the shared process: run contract tests on both.
func Servers(t testing.TB) []*Server {
	t.Helper()
	return []*Server{Embedded(t), Process(t)}
}

// Unavailable skips the test because a service is missing, or fails it when CI=true.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

func startProcess() (*Server, error) {
	dir, err := os.MkdirTemp("", "werkstatt-natstest-")
	if err != nil {
		return nil, err
	}
	shared.dir = dir
	bin, err := buildServer(dir)
	if err != nil {
		return nil, err
	}
	shared.bin = bin
	cmd, url, err := launch(bin, filepath.Join(dir, "data"), nil)
	shared.cmd = cmd
	if err != nil {
		return nil, err
	}
	return &Server{Name: "process", URL: url}, nil
}

// launch starts bin with JetStream on a free loopback port, with args added, and waits until
// it answers JetStream requests of a client with opts.
func launch(bin, dataDir string, opts []nats.Option, args ...string) (*exec.Cmd, string, error) {
	port, err := freePort()
	if err != nil {
		return nil, "", err
	}
	args = append([]string{"-js", "-sd", dataDir, "-a", "127.0.0.1", "-p", strconv.Itoa(port)}, args...)
	cmd := exec.Command(bin, args...)
	if err := cmd.Start(); err != nil {
		return nil, "", fmt.Errorf("start nats-server: %w", err)
	}
	url := "nats://127.0.0.1:" + strconv.Itoa(port)
	return cmd, url, waitForJetStream(url, 10*time.Second, opts...)
}

// StartProcess starts a nats-server process of its own for the test, with args added to the
// command line (TLS, users, ...), and stops it when the test ends. opts are what a client
// needs to reach it, used to wait until it is ready.
func StartProcess(t testing.TB, opts []nats.Option, args ...string) *Server {
	t.Helper()
	Process(t) // builds the binary once
	cmd, url, err := launch(shared.bin, t.TempDir(), opts, args...)
	if cmd != nil {
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	}
	if err != nil {
		t.Fatalf("nats-server %v: %v", args, err)
	}
	return &Server{Name: "process", URL: url}
}

// buildServer builds nats-server of the module's version into dir.
func buildServer(dir string) (string, error) {
	bin := filepath.Join(dir, "nats-server")
	build := exec.Command("go", "build", "-o", bin, "github.com/nats-io/nats-server/v2")
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build nats-server: %v: %s", err, out)
	}
	return bin, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitForJetStream waits until the server at url answers JetStream requests.
func waitForJetStream(url string, timeout time.Duration, opts ...nats.Option) error {
	deadline := time.Now().Add(timeout)
	for {
		err := probe(url, opts...)
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("nats-server at %s not ready after %s: %w", url, timeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func probe(url string, opts ...nats.Option) error {
	nc, err := nats.Connect(url, append([]nats.Option{nats.Timeout(time.Second)}, opts...)...)
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err = js.AccountInfo(ctx)
	return err
}
