package handlers_test

import (
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/handlers/handlerstest"
)

// TestQuietAnswersTakeTheFloor: asking for a lost link and for a password reset answers 202
// no sooner than the floor, whether the address is known (which appends an event) or not, so
// that the time to answer does not tell; the work is done before the answer. Only the lower
// bound is checked: an upper bound would measure the machine.
func TestQuietAnswersTakeTheFloor(t *testing.T) {
	const floor = 600 * time.Millisecond
	cfg, store := handlerstest.Wire(t, organiserToken)
	cfg.QuietAnswerFloor = floor
	s := &service{t: t, url: handlerstest.Serve(t, handlers.New(cfg)).URL, events: store}
	newNetworkWorld(s)
	w := s.schedule(10)
	s.register(w, person("Ada", "Verein"))
	link := "/api/v1/workshops/" + w.ID + "/registrations/link-requests"

	timed := func(what string, r request, status int) time.Duration {
		t.Helper()
		start := time.Now()
		if res := s.do(r); res.status != status {
			t.Fatalf("%s: got %d %s, want %d", what, res.status, res.body, status)
		}
		return time.Since(start)
	}
	for _, c := range []struct {
		what  string
		r     request
		known bool
	}{
		{"lost link, registered address", request{method: "POST", path: link, body: map[string]any{"email": "ada@example.org"}}, true},
		{"lost link, unknown address", request{method: "POST", path: link, body: map[string]any{"email": "niemand@example.org"}}, false},
		{"password reset, member's address", request{method: "POST", path: "/api/v1/password-resets", body: map[string]any{"email": "mia@example.org"}}, true},
		{"password reset, unknown address", request{method: "POST", path: "/api/v1/password-resets", body: map[string]any{"email": "niemand@example.org"}}, false},
	} {
		seq := s.lastSeq()
		if took := timed(c.what, c.r, 202); took < floor {
			t.Errorf("%s: answered after %v, want at least %v", c.what, took, floor)
		}
		// The work is done before the answer: the known address's event is in the log.
		if appended := s.lastSeq() != seq; appended != c.known {
			t.Errorf("%s: appended %v, want %v", c.what, appended, c.known)
		}
	}
	// A malformed address is refused (at once: it reveals nothing; only the status is checked).
	timed("malformed address", request{method: "POST", path: link, body: map[string]any{"email": "keine Adresse"}}, 422)
}
