package main

import (
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestHardKillWhileMailing kills the process (SIGKILL) while at least 50 registrations are in
// flight and the outbox is mailing. After a restart on the same data every acknowledged
// registration gets its mail (confirmation or waitlist). A resend after the crash is the same
// message (the Message-ID derives from the event), so no registration gets two different
// Message-IDs; the outbox remembers what the server accepted, so at most the one mail it was
// sending at the kill (accepted, not yet remembered) goes out twice.
func TestHardKillWhileMailing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a werkstatt process")
	}
	bin := filepath.Join(t.TempDir(), "werkstatt")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building werkstatt: %v\n%s", err, out)
	}
	smtp := startMailServer(t)
	dir := t.TempDir()
	// A mail in flight at the kill is sent again once its ack wait ran out: a short one keeps
	// the test short.
	args := []string{"--smtp-url", smtp.url(), "--mail-from", "werkstatt@example.org", "--mail-ack-wait", "2s"}
	p := startProcess(t, bin, dir, args...)
	a := api{t, p.url}
	const title = "Postlauf"
	id := a.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{
		"title": title, "venue": "Hall", "days": []string{"2037-11-16"}, "capacity": 40})["id"].(string)
	base := "/api/v1/workshops/" + id

	const clients = 64 // each keeps one registration in flight until the process is gone
	var (
		mu       sync.Mutex
		acked    = map[string]bool{} // email -> acknowledged (201)
		inFlight int
		next     int
		wg       sync.WaitGroup
	)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				next++
				n := next
				inFlight++
				mu.Unlock()
				email := fmt.Sprintf("p%d@example.org", n)
				status, _, err := tryCall(p.url, "POST", base+"/registrations", map[string]any{
					"name": fmt.Sprintf("P %d", n), "email": email, "organisation": "Org", "consent": true})
				mu.Lock()
				inFlight--
				if err == nil && status == http.StatusCreated {
					acked[email] = true
				}
				mu.Unlock()
				if err != nil {
					return // the process is gone
				}
			}
		}()
	}
	var before, flying int
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(2 * time.Millisecond) {
		mu.Lock()
		n, f := len(acked), inFlight
		mu.Unlock()
		if n >= 100 && f >= 50 && len(smtp.mails()) > 0 {
			before, flying = len(smtp.mails()), f
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 20s: %d registrations acknowledged, %d in flight, %d mails", n, f, len(smtp.mails()))
		}
	}
	p.cmd.Process.Kill()
	<-p.done
	killedAt, killed := len(smtp.mails()), time.Now() // the mails accepted before the process died
	wg.Wait()
	t.Logf("killed with %d registrations in flight, %d acknowledged, %d mails accepted (%d when the kill was sent)",
		flying, len(acked), killedAt, before)

	p = startProcess(t, bin, dir, args...)
	missing := func() []string {
		got := map[string]bool{}
		for _, m := range smtp.mails() {
			got[m.To] = true
		}
		var out []string
		for email := range acked {
			if !got[email] {
				out = append(out, email)
			}
		}
		return out
	}
	for deadline := time.Now().Add(25 * time.Second); len(missing()) > 0 && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
	}
	if m := missing(); len(m) > 0 {
		t.Fatalf("%d of %d acknowledged registrations got no mail after the restart, e.g. %s", len(m), len(acked), m[0])
	}
	time.Sleep(3 * time.Second) // a late resend of a mail in flight at the kill would arrive meanwhile

	// JetStream writes a consumer's acknowledgements to disk up to ten times a second, not each
	// one, so the commits of the last moments before the kill come again after the restart; the
	// outbox's record of sent mails skips them. Only the mail being sent at the kill (accepted
	// by the server, not yet recorded) may come again, once.
	const window = 2 * time.Second     // JetStream's write interval, with room for a busy machine
	ids := map[string]map[string]int{} // recipient -> Message-ID -> times received
	first := map[string]int{}          // Message-ID -> index of its first arrival
	repeats, oldest := 0, time.Duration(0)
	all := smtp.mails()
	for i, m := range all {
		if !strings.Contains(m.Subject, title) {
			t.Errorf("mail to %s: subject %q", m.To, m.Subject)
		}
		if ids[m.To] == nil {
			ids[m.To] = map[string]int{}
		}
		ids[m.To][m.MessageID]++
		f, seen := first[m.MessageID]
		if !seen {
			first[m.MessageID] = i
			continue
		}
		repeats++
		age := killed.Sub(all[f].At)
		oldest = max(oldest, age)
		switch {
		case i < killedAt:
			t.Errorf("Message-ID %s arrived twice before the kill", m.MessageID)
		case age > window:
			t.Errorf("Message-ID %s came again after the restart, but it was accepted %v before the kill", m.MessageID, age)
		}
	}
	for to, byID := range ids {
		if len(byID) > 1 {
			t.Errorf("%s got %d different Message-IDs for one registration: %v", to, len(byID), byID)
		}
		for id, n := range byID {
			if n > 2 {
				t.Errorf("%s got Message-ID %s %d times, want at most twice (once before the kill, once after)", to, id, n)
			}
		}
	}
	if repeats > 1 {
		t.Errorf("%d mails were sent twice, want at most the one in flight at the kill", repeats)
	}
	t.Logf("%d mails for %d acknowledged registrations, %d sent twice, accepted at most %v before the kill",
		len(all), len(acked), repeats, oldest.Round(time.Millisecond))
}
