package handlers_test

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/handlers/handlerstest"
)

// clock is a test's settable time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// startLimitedService is startService with limits: writesPerMinute public writes (0: none),
// the given trusted proxies, and the limits' clock.
func startLimitedService(t *testing.T, writesPerMinute int, trusted string) (*service, *clock) {
	t.Helper()
	cfg, store := handlerstest.Wire(t, organiserToken)
	clk := &clock{t: time.Date(2026, 11, 16, 8, 0, 0, 0, time.UTC)}
	cfg.Limits = handlers.NewLimits(handlers.LimitsConfig{PublicWritesPerMinute: writesPerMinute, Now: clk.now})
	proxies, err := handlers.ParseTrustedProxies(trusted)
	if err != nil {
		t.Fatal(err)
	}
	cfg.TrustedProxies = proxies
	srv := handlerstest.Serve(t, handlers.New(cfg))
	return &service{t: t, url: srv.URL, events: store}, clk
}

// mustTooMany checks a 429 problem with a Retry-After of at most max seconds.
func mustTooMany(t *testing.T, res response, doing string, max int) {
	t.Helper()
	if res.status != 429 || res.header.Get("Content-Type") != "application/problem+json" ||
		!strings.Contains(string(res.body), "urn:werkstatt:problem:too-many-requests") {
		t.Fatalf("%s: got %d %s %s, want 429 problem+json of type too-many-requests", doing, res.status,
			res.header.Get("Content-Type"), res.body)
	}
	secs, err := strconv.Atoi(res.header.Get("Retry-After"))
	if err != nil || secs < 1 || secs > max {
		t.Errorf("%s: got Retry-After %q, want 1 to %d seconds", doing, res.header.Get("Retry-After"), max)
	}
}

// TestFailedAuthenticationsLockOut: ten wrong tokens from one address answer 401; the eleventh
// attempt and then the right token answer 429 with Retry-After, until ten minutes after the
// first failure (issue 10, defect 4).
func TestFailedAuthenticationsLockOut(t *testing.T) {
	s, clk := startLimitedService(t, 0, "")
	w := s.schedule(5)
	path := "/api/v1/workshops/" + w.ID + "/registrations"
	for i := range handlers.MaxFailedAuthentications {
		s.must(request{method: "GET", path: path, token: "guess-" + strconv.Itoa(i)}, 401, nil)
	}
	clk.advance(time.Minute)
	mustTooMany(t, s.do(request{method: "GET", path: path, token: "guess-10"}), "the 11th wrong token", 540)
	mustTooMany(t, s.do(request{method: "GET", path: path, token: organiserToken}), "the right token after 10 wrong ones", 540)
	// A participant's token counts as an attempt too; a request without a token is no attempt.
	mustTooMany(t, s.do(request{method: "GET", path: "/api/v1/workshops/" + w.ID + "/topics", token: "guess-p"}),
		"a participant's route with a token", 540)
	s.must(request{method: "GET", path: "/api/v1/workshops/" + w.ID}, 200, nil)

	clk.advance(9 * time.Minute)
	s.must(request{method: "GET", path: path, token: organiserToken}, 200, nil)
	s.must(request{method: "GET", path: path, token: "guess-again"}, 401, nil)
}

// TestForwardedForNeedsTrustedProxies: without trusted proxies X-Forwarded-For is ignored, so
// changing it does not escape a lock-out; with the test's loopback as a trusted proxy, the
// right-most address not in a trusted range is the client, locked out on its own.
func TestForwardedForNeedsTrustedProxies(t *testing.T) {
	lockOut := func(s *service, path string, xff func(i int) string) {
		t.Helper()
		for i := range handlers.MaxFailedAuthentications {
			s.must(request{method: "GET", path: path, token: "guess", header: map[string]string{"X-Forwarded-For": xff(i)}}, 401, nil)
		}
	}
	t.Run("ignored without trusted proxies", func(t *testing.T) {
		s, _ := startLimitedService(t, 0, "")
		path := "/api/v1/workshops/" + s.schedule(5).ID + "/registrations"
		lockOut(s, path, func(i int) string { return "203.0.113." + strconv.Itoa(i+1) })
		mustTooMany(t, s.do(request{method: "GET", path: path, token: organiserToken,
			header: map[string]string{"X-Forwarded-For": "198.51.100.1"}}), "another forwarded address", 600)
	})
	t.Run("honoured with trusted proxies", func(t *testing.T) {
		s, _ := startLimitedService(t, 0, "127.0.0.0/8, 10.0.0.0/8")
		path := "/api/v1/workshops/" + s.schedule(5).ID + "/registrations"
		// The client forged its own first entry; the proxy 10.0.0.2 appended what it saw.
		lockOut(s, path, func(i int) string { return "192.0.2." + strconv.Itoa(i) + ", 203.0.113.7, 10.0.0.2" })
		mustTooMany(t, s.do(request{method: "GET", path: path, token: organiserToken,
			header: map[string]string{"X-Forwarded-For": "203.0.113.7"}}), "the locked-out client", 600)
		s.must(request{method: "GET", path: path, token: organiserToken,
			header: map[string]string{"X-Forwarded-For": "198.51.100.1"}}, 200, nil)
		s.must(request{method: "GET", path: path, token: organiserToken}, 200, nil) // the proxy itself
	})
}

// TestPublicWriteBudget: with a budget of 3 writes a minute an address gets 429 on its 4th
// registration, organiser writes are not counted, and the budget refills over the minute.
func TestPublicWriteBudget(t *testing.T) {
	s, clk := startLimitedService(t, 3, "")
	w := s.schedule(50)
	path := "/api/v1/workshops/" + w.ID + "/registrations"
	for i := range 3 {
		s.register(w, person("P"+strconv.Itoa(i), "Verein"))
	}
	before := s.lastSeq()
	mustTooMany(t, s.do(request{method: "POST", path: path, body: person("Q", "Verein")}), "the 4th registration", 20)
	if after := s.lastSeq(); after != before {
		t.Errorf("a refused registration moved the stream from %d to %d", before, after)
	}
	s.must(request{method: "POST", path: "/api/v1/workshops/" + w.ID + "/topics/voting/open", token: org}, 200, nil)
	clk.advance(20 * time.Second)
	s.register(w, person("R", "Verein"))
	mustTooMany(t, s.do(request{method: "POST", path: path, body: person("S", "Verein")}), "the 5th registration", 20)
}

// TestPublicWriteBudgetOff: 0 turns the budget off.
func TestPublicWriteBudgetOff(t *testing.T) {
	s, _ := startLimitedService(t, 0, "")
	w := s.schedule(50)
	for i := range 12 {
		s.register(w, person("P"+strconv.Itoa(i), "Verein"))
	}
}

func TestParseTrustedProxies(t *testing.T) {
	got, err := handlers.ParseTrustedProxies(" 10.0.0.0/8,192.0.2.1 , 2001:db8::/32,,")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.0.0.0/8", "192.0.2.1/32", "2001:db8::/32"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("got %v, want %v", got[i], want[i])
		}
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.example", "10.0.0"} {
		if _, err := handlers.ParseTrustedProxies(bad); err == nil {
			t.Errorf("ParseTrustedProxies(%q): got no error", bad)
		}
	}
}
