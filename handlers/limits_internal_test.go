package handlers

import (
	"strconv"
	"testing"
	"time"
)

// TestLimitsForgetIdleAddresses: the limiters' memory stays bounded: passed windows and idle
// budgets are swept, and no more than maxTracked addresses are held at once.
func TestLimitsForgetIdleAddresses(t *testing.T) {
	now := time.Date(2026, 11, 16, 8, 0, 0, 0, time.UTC)
	l := NewLimits(LimitsConfig{PublicWritesPerMinute: 5, Now: func() time.Time { return now }})
	for i := range 100 {
		addr := "192.0.2." + strconv.Itoa(i)
		l.failures.fail(addr)
		l.writes.spend(addr)
	}
	now = now.Add(FailedAuthenticationWindow)
	l.failures.fail("198.51.100.1")
	l.writes.spend("198.51.100.1")
	if n, m := len(l.failures.entries), len(l.writes.entries); n != 1 || m != 1 {
		t.Errorf("after the window: got %d lock-out and %d budget entries, want 1 each", n, m)
	}
	for i := range maxTracked + 10 {
		l.writes.spend("10." + strconv.Itoa(i>>16) + "." + strconv.Itoa(i>>8&255) + "." + strconv.Itoa(i&255))
	}
	if n := len(l.writes.entries); n != maxTracked {
		t.Errorf("got %d budget entries, want at most %d", n, maxTracked)
	}
}

func TestClientKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.1":            "192.0.2.1",
		"::ffff:192.0.2.1":     "192.0.2.1",
		"2001:db8:1:2:aaaa::1": "2001:db8:1:2::/64",
		"2001:db8:1:2:bbbb::2": "2001:db8:1:2::/64",
		"fe80::1%eth0":         "fe80::/64",
		"":                     "",
		"not an address":       "not an address",
	} {
		if got := clientKey(in); got != want {
			t.Errorf("clientKey(%q): got %q, want %q", in, got, want)
		}
	}
}
