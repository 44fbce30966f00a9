package natstest

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Own is a nats-server process of the test's own, which the test stops and starts again on the
// same port and data folder: an outage of the event log, as an operator would see it.
type Own struct {
	URL  string
	t    testing.TB
	bin  string
	dir  string
	port int

	mu  sync.Mutex
	cmd *exec.Cmd
}

// OwnProcess starts a nats-server process with JetStream for the test alone; it is killed when
// the test ends. Like Process it skips the test when nats-server cannot be built, or fails it
// when CI=true.
func OwnProcess(t testing.TB) *Own {
	t.Helper()
	Process(t) // builds the binary once, or skips (fails under CI=true) when it cannot
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	o := &Own{URL: "nats://127.0.0.1:" + strconv.Itoa(port), t: t, bin: shared.bin, dir: t.TempDir(), port: port}
	o.Start()
	t.Cleanup(o.Stop)
	return o
}

// Start starts the server (again) and waits until it answers JetStream requests.
func (o *Own) Start() {
	o.t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.cmd != nil {
		return
	}
	cmd := exec.Command(o.bin, "-js", "-sd", filepath.Join(o.dir, "data"), "-a", "127.0.0.1", "-p", strconv.Itoa(o.port))
	if err := cmd.Start(); err != nil {
		o.t.Fatalf("start nats-server: %v", err)
	}
	o.cmd = cmd
	if err := waitForJetStream(o.URL, 20*time.Second); err != nil {
		o.t.Fatal(err)
	}
}

// Stop kills the server, as a crash or a lost machine would, and waits until it is gone.
func (o *Own) Stop() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.cmd == nil {
		return
	}
	_ = o.cmd.Process.Kill()
	_ = o.cmd.Wait()
	o.cmd = nil
}

func (o *Own) String() string { return fmt.Sprintf("nats-server at %s", o.URL) }
