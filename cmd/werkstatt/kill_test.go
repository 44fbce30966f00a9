package main

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/internal/bench"
)

// TestHardKillDuringRegistrations kills the process (SIGKILL, no shutdown) in the middle of a
// burst of concurrent registrations. After a restart on the same data every acknowledged
// registration is there with the status it was given, none is duplicated, and no day is
// overbooked.
func TestHardKillDuringRegistrations(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a werkstatt process")
	}
	bin := filepath.Join(t.TempDir(), "werkstatt")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building werkstatt: %v\n%s", err, out)
	}
	dir := t.TempDir()
	p := startProcess(t, bin, dir)
	a := api{t, p.url}
	id := a.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{
		"title": "Burst", "venue": "Hall", "days": []string{"2037-11-16", "2037-11-17"}, "capacity": 25})["id"].(string)
	base := "/api/v1/workshops/" + id

	var (
		mu    sync.Mutex
		acked = map[string]string{} // registration id -> status given
		next  atomic.Int64
		wg    sync.WaitGroup
	)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n := next.Add(1)
				body := map[string]any{"name": fmt.Sprintf("P %d", n), "email": fmt.Sprintf("p%d@example.org", n),
					"organisation": "Org", "consent": true}
				if n%3 == 0 {
					body["days"] = []string{"2037-11-17"}
				}
				status, out, err := tryCall(p.url, "POST", base+"/registrations", body)
				if err != nil {
					return // the process is gone
				}
				if status == http.StatusCreated {
					mu.Lock()
					acked[out["id"].(string)] = out["status"].(string)
					mu.Unlock()
				}
			}
		}()
	}
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 120 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	p.cmd.Process.Kill()
	<-p.done
	wg.Wait()

	p = startProcess(t, bin, dir)
	a = api{t, p.url}
	list := a.must(200, "GET", base+"/registrations", organiser, nil)["registrations"].([]any)
	seen, emails := map[string]string{}, map[string]bool{}
	perDay := map[string]int{}
	for _, r := range list {
		r := r.(map[string]any)
		id, email := r["id"].(string), r["email"].(string)
		if emails[email] {
			t.Errorf("email %s registered twice", email)
		}
		emails[email] = true
		seen[id] = r["status"].(string)
		for d, st := range r["day_status"].(map[string]any) { // a seat is per day (issue #14)
			if st == "confirmed" {
				perDay[d]++
			}
		}
	}
	for id, status := range acked {
		if got, ok := seen[id]; !ok {
			t.Errorf("acknowledged registration %s is lost", id)
		} else if status == "confirmed" && got != "confirmed" {
			t.Errorf("registration %s was confirmed, now %s", id, got)
		}
	}
	for day, n := range perDay {
		if n > 25 {
			t.Errorf("%s: %d confirmed, capacity 25", day, n)
		}
	}
	t.Logf("%d acknowledged before the kill, %d stored", len(acked), len(seen))

	// SIGTERM shuts down gracefully: the process exits by itself, with status 0.
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.done:
		if err != nil {
			t.Errorf("after SIGTERM werkstatt exited with %v, want status 0", err)
		}
	case <-time.After(20 * time.Second):
		t.Error("werkstatt did not exit within 20s of SIGTERM")
	}
}

type process struct {
	cmd  *exec.Cmd
	url  string
	done chan error
}

// startProcess runs the built binary on dir with the further flags args.
func startProcess(t *testing.T, bin, dir string, args ...string) *process {
	t.Helper()
	out := &syncBuffer{}
	cmd := exec.Command(bin, append([]string{"--data-dir", dir, "--addr", "127.0.0.1:0", "--log-level", "error"}, args...)...)
	cmd.Env = append(os.Environ(), "WERKSTATT_ADMIN_TOKEN="+organiser)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	done := make(chan error, 1) // closed once the process is gone, for any number of readers
	go func() { err := <-waited; done <- err; close(done) }()
	t.Cleanup(func() { cmd.Process.Kill(); <-done })
	url := waitForURL(t, out, done)
	return &process{cmd: cmd, url: url, done: done}
}

// tryCall is api.call for goroutines: it reports transport errors instead of failing the test.
func tryCall(base, method, path string, body any) (int, map[string]any, error) {
	return bench.DoJSON(http.DefaultClient, base, method, path, organiser, body)
}
