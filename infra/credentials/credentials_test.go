package credentials_test

import (
	"context"
	"crypto/rand"
	"errors"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/credentials"
	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
)

func TestMain(m *testing.M) { natstest.Main(m) }

var t0 = time.Date(2026, 11, 16, 8, 0, 0, 0, time.UTC)

// clock is a settable time for the stores of one test.
type clock struct{ now atomic.Int64 }

func newClock() *clock               { c := &clock{}; c.set(t0); return c }
func (c *clock) set(t time.Time)     { c.now.Store(t.UnixNano()) }
func (c *clock) Now() time.Time      { return time.Unix(0, c.now.Load()).UTC() }
func (c *clock) add(d time.Duration) { c.set(c.Now().Add(d)) }

// eachServer runs test against the embedded server and a nats-server process, with a bucket
// name no other test uses and two stores on two connections (two replicas of the service).
func eachServer(t *testing.T, test func(t *testing.T, a, b *credentials.Store, c *clock)) {
	for _, srv := range natstest.Servers(t) {
		t.Run(srv.Name, func(t *testing.T) {
			bucket, c := "CREDENTIALS_"+rand.Text()[:10], newClock()
			test(t, open(t, srv.JetStream(t), bucket, c), open(t, srv.JetStream(t), bucket, c), c)
		})
	}
}

func open(t *testing.T, js jetstream.JetStream, bucket string, c *clock) *credentials.Store {
	t.Helper()
	s, err := credentials.Open(context.Background(), js, bucket, 1, credentials.Clock(c.Now))
	if err != nil {
		t.Fatalf("open credentials %s: %v", bucket, err)
	}
	return s
}

const (
	anna  = domain.AccountID("account-of-anna")
	bernd = domain.AccountID("account-of-bernd")
)

func check(t *testing.T, s *credentials.Store, a domain.AccountID, password string, want bool) {
	t.Helper()
	got, err := s.CheckPassword(context.Background(), a, password)
	if err != nil || got != want {
		t.Errorf("CheckPassword(%s, %q): got %v, %v; want %v", a, password, got, err, want)
	}
}

func TestPasswords(t *testing.T) {
	eachServer(t, func(t *testing.T, s, replica *credentials.Store, _ *clock) {
		ctx := context.Background()
		check(t, s, anna, "Kaffeetasse7", false) // no password yet
		if err := s.SetPassword(ctx, anna, "Kaffeetasse7"); err != nil {
			t.Fatalf("SetPassword: %v", err)
		}
		check(t, s, anna, "Kaffeetasse7", true)
		check(t, replica, anna, "Kaffeetasse7", true)
		check(t, s, anna, "kaffeetasse7", false)
		check(t, s, anna, "Kaffeetasse7 ", false)
		check(t, s, bernd, "Kaffeetasse7", false)
		check(t, s, "", "Kaffeetasse7", false)

		// A new password replaces the old one on every replica.
		if err := replica.SetPassword(ctx, anna, "Teekanne-und-Zucker"); err != nil {
			t.Fatalf("SetPassword again: %v", err)
		}
		check(t, s, anna, "Kaffeetasse7", false)
		check(t, s, anna, "Teekanne-und-Zucker", true)
		if has, err := s.HasPassword(ctx, anna); err != nil || !has {
			t.Errorf("HasPassword: got %v, %v; want true", has, err)
		}

		if err := s.RemovePassword(ctx, anna); err != nil {
			t.Fatalf("RemovePassword: %v", err)
		}
		check(t, replica, anna, "Teekanne-und-Zucker", false)
		if has, _ := s.HasPassword(ctx, anna); has {
			t.Errorf("HasPassword after RemovePassword: got true, want false")
		}
		if err := s.RemovePassword(ctx, anna); err != nil {
			t.Errorf("RemovePassword of an account without one: got %v, want nil", err)
		}
	})
}

// TestPasswordTiming checks that an account without a password takes the work of a hash too:
// the answer's time must not tell which accounts have one.
func TestPasswordTiming(t *testing.T) {
	srv := natstest.Embedded(t)
	s := open(t, srv.JetStream(t), "CREDENTIALS_TIMING", newClock())
	ctx := context.Background()
	if err := s.SetPassword(ctx, anna, "Kaffeetasse7"); err != nil {
		t.Fatal(err)
	}
	spend := func(a domain.AccountID) time.Duration {
		best := time.Hour
		for range 3 {
			start := time.Now()
			if _, err := s.CheckPassword(ctx, a, "wrong password!"); err != nil {
				t.Fatal(err)
			}
			best = min(best, time.Since(start))
		}
		return best
	}
	with, without := spend(anna), spend(bernd)
	if without < with/2 {
		t.Errorf("CheckPassword took %v for an account without a password and %v for one with: want about the same", without, with)
	}
}

func TestSetLinks(t *testing.T) {
	eachServer(t, func(t *testing.T, s, replica *credentials.Store, c *clock) {
		ctx := context.Background()
		token, err := s.IssueSetLink(ctx, anna, "anna@example.org", 72*time.Hour)
		if err != nil {
			t.Fatalf("IssueSetLink: %v", err)
		}
		if len(token) < 22 || strings.ContainsAny(token, "/+=") {
			t.Errorf("link token %q: want at least 128 bits in URL-safe characters", token)
		}
		l, err := replica.Link(ctx, token)
		if err != nil || l.Account != anna || l.Email != "anna@example.org" || !l.ExpiresAt.Equal(t0.Add(72*time.Hour)) {
			t.Fatalf("Link on the replica: got %+v, %v; want Anna's link until %v", l, err, t0.Add(72*time.Hour))
		}
		got, err := replica.RedeemSetLink(ctx, token, "Kaffeetasse7")
		if err != nil || got != anna {
			t.Fatalf("RedeemSetLink: got %q, %v; want %q", got, err, anna)
		}
		check(t, s, anna, "Kaffeetasse7", true)
		if _, err := s.RedeemSetLink(ctx, token, "Anderes-Passwort"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("RedeemSetLink a second time: got %v, want ErrNotFound", err)
		}
		if _, err := s.Link(ctx, token); !errors.Is(err, credentials.ErrLinkNotFound) {
			t.Errorf("Link after redeeming it: got %v, want ErrLinkNotFound", err)
		}
		check(t, s, anna, "Kaffeetasse7", true)

		expiring, err := s.IssueSetLink(ctx, bernd, "bernd@example.org", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		c.add(time.Hour)
		if _, err := s.RedeemSetLink(ctx, expiring, "Kaffeetasse7"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("RedeemSetLink of an expired link: got %v, want ErrNotFound", err)
		}
		check(t, s, bernd, "Kaffeetasse7", false)
		for _, unknown := range []string{"", "nosuchlink", strings.Repeat("x", 5000), token + "x"} {
			if _, err := s.RedeemSetLink(ctx, unknown, "Kaffeetasse7"); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("RedeemSetLink(%.20q): got %v, want ErrNotFound", unknown, err)
			}
		}
		for _, ttl := range []time.Duration{0, -time.Hour, 31 * 24 * time.Hour} {
			if _, err := s.IssueSetLink(ctx, anna, "anna@example.org", ttl); err == nil {
				t.Errorf("IssueSetLink with a lifetime of %v: got no error", ttl)
			}
		}
	})
}

// TestSetLinkForToken issues a link for a token the caller derived: it sets the password once,
// and the same token cannot be issued twice.
func TestSetLinkForToken(t *testing.T) {
	eachServer(t, func(t *testing.T, s, replica *credentials.Store, c *clock) {
		ctx := context.Background()
		token := "derived-token-of-anna-0123456789abcdefghijk"
		if err := s.IssueSetLinkFor(ctx, anna, "anna@example.org", token, 7*24*time.Hour); err != nil {
			t.Fatalf("IssueSetLinkFor: %v", err)
		}
		if err := s.IssueSetLinkFor(ctx, anna, "anna@example.org", token, time.Hour); err == nil {
			t.Errorf("IssueSetLinkFor the same token again: got no error")
		}
		if got, err := replica.RedeemSetLink(ctx, token, "Kaffeetasse7"); err != nil || got != anna {
			t.Fatalf("RedeemSetLink: got %q, %v; want %q", got, err, anna)
		}
		check(t, s, anna, "Kaffeetasse7", true)
		if _, err := s.RedeemSetLink(ctx, token, "Anderes-Passwort"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("RedeemSetLink a second time: got %v, want ErrNotFound", err)
		}
		for _, bad := range []string{"", "short", strings.Repeat("x", 65)} {
			if err := s.IssueSetLinkFor(ctx, anna, "anna@example.org", bad, time.Hour); err == nil {
				t.Errorf("IssueSetLinkFor(%.20q): got no error", bad)
			}
		}
	})
}

// TestConcurrentRedeem redeems one link from two replicas at once, each with its own
// password: exactly one succeeds, and its password is the one that holds.
func TestConcurrentRedeem(t *testing.T) {
	srv := natstest.Embedded(t)
	c := newClock()
	stores := []*credentials.Store{open(t, srv.JetStream(t), "CREDENTIALS_RACE", c), open(t, srv.JetStream(t), "CREDENTIALS_RACE", c)}
	ctx := context.Background()
	for round := range 3 {
		token, err := stores[0].IssueSetLink(ctx, anna, "anna@example.org", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		const n = 6
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				_, errs[i] = stores[i%2].RedeemSetLink(ctx, token, "Passwort-Nummer-"+string(rune('A'+i)))
			})
		}
		wg.Wait()
		winner := -1
		for i, err := range errs {
			switch {
			case err == nil && winner >= 0:
				t.Errorf("round %d: redemptions %d and %d both succeeded, want exactly one", round, winner, i)
			case err == nil:
				winner = i
			case !errors.Is(err, domain.ErrNotFound):
				t.Errorf("round %d: redemption %d: got %v, want ErrNotFound for a losing one", round, i, err)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: no redemption succeeded: %v", round, errs)
		}
		check(t, stores[0], anna, "Passwort-Nummer-"+string(rune('A'+winner)), true)
	}
}

var tokenShape = regexp.MustCompile(`^wst_[A-Za-z0-9_-]{43}$`)

func TestTokens(t *testing.T) {
	eachServer(t, func(t *testing.T, s, replica *credentials.Store, c *clock) {
		ctx := context.Background()
		id, token, err := s.IssueToken(ctx, anna, "forum-integration", "Skript für die Anmeldeliste")
		if err != nil {
			t.Fatalf("IssueToken: %v", err)
		}
		if !tokenShape.MatchString(token) || id == "" {
			t.Fatalf("IssueToken: got id %q, token %q; want an id and wst_ with 32 bytes in base64url", id, token)
		}
		c.add(time.Minute)
		id2, token2, err := replica.IssueToken(ctx, anna, "netzwerk-wartburgkreis", "Export")
		if err != nil || token2 == token || id2 == id {
			t.Fatalf("IssueToken a second one: got %q, %v; want another token", id2, err)
		}
		if _, _, err := s.IssueToken(ctx, bernd, "forum-integration", "Bernds Skript"); err != nil {
			t.Fatal(err)
		}

		info, ok, err := replica.Token(ctx, token)
		want := domain.TokenInfo{ID: id, Account: anna, Network: "forum-integration", Label: "Skript für die Anmeldeliste", IssuedAt: t0}
		if err != nil || !ok || info != want {
			t.Fatalf("Token: got %+v, %v, %v; want %+v", info, ok, err, want)
		}
		for _, bad := range []string{"", "wst_", token[:len(token)-1], token + "A", strings.Replace(token, "wst_", "wsx_", 1), "wst_" + strings.Repeat("A", 43)} {
			if _, ok, err := s.Token(ctx, bad); ok || err != nil {
				t.Errorf("Token(%q): got %v, %v; want false, nil", bad, ok, err)
			}
		}

		list, err := s.Tokens(ctx, anna)
		if err != nil || len(list) != 2 || list[0].ID != id2 || list[1].ID != id {
			t.Fatalf("Tokens of Anna: got %+v, %v; want the export token, then the script's", list, err)
		}

		if err := s.RevokeToken(ctx, bernd, id); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("RevokeToken of Anna's token by Bernd: got %v, want ErrNotFound", err)
		}
		if _, ok, _ := s.Token(ctx, token); !ok {
			t.Errorf("Token after Bernd's refused revocation: got false, want it to hold")
		}
		c.add(time.Hour)
		if err := s.RevokeToken(ctx, anna, id); err != nil {
			t.Fatalf("RevokeToken: %v", err)
		}
		if _, ok, err := replica.Token(ctx, token); ok || err != nil {
			t.Errorf("Token on the replica after revoking it: got %v, %v; want false", ok, err)
		}
		if err := replica.RevokeToken(ctx, anna, id); err != nil {
			t.Errorf("RevokeToken again: got %v, want nil", err)
		}
		list, _ = s.Tokens(ctx, anna)
		if len(list) != 2 || !list[1].RevokedAt.Equal(t0.Add(time.Minute+time.Hour)) || list[0].Revoked() {
			t.Errorf("Tokens after revoking one: got %+v, want the script's revoked at %v, the export's holding", list, t0.Add(time.Minute+time.Hour))
		}
		if _, _, err := s.IssueToken(ctx, anna, "", "x"); err == nil {
			t.Errorf("IssueToken without a network: got no error")
		}
	})
}

func TestErase(t *testing.T) {
	srv := natstest.Embedded(t)
	s := open(t, srv.JetStream(t), "CREDENTIALS_ERASE", newClock())
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.SetPassword(ctx, anna, "Kaffeetasse7"))
	must(s.SetPassword(ctx, bernd, "Kaffeetasse8"))
	link, err := s.IssueSetLink(ctx, anna, "anna@example.org", time.Hour)
	must(err)
	_, token, err := s.IssueToken(ctx, anna, "forum-integration", "Skript")
	must(err)
	_, berndToken, err := s.IssueToken(ctx, bernd, "forum-integration", "Skript")
	must(err)

	must(s.Erase(ctx, anna))
	check(t, s, anna, "Kaffeetasse7", false)
	if _, err := s.Link(ctx, link); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("Link after erasing the account: got %v, want ErrNotFound", err)
	}
	if _, ok, _ := s.Token(ctx, token); ok {
		t.Errorf("Token after erasing the account: got true, want false")
	}
	if list, _ := s.Tokens(ctx, anna); len(list) != 0 {
		t.Errorf("Tokens after erasing the account: got %+v, want none", list)
	}
	check(t, s, bernd, "Kaffeetasse8", true)
	if _, ok, _ := s.Token(ctx, berndToken); !ok {
		t.Errorf("Bernd's token after erasing Anna: got false, want it to hold")
	}
}

// TestUnavailable checks that a store whose connection is gone fails at once with an error
// matching domain.ErrUnavailable.
func TestUnavailable(t *testing.T) {
	srv := natstest.Embedded(t)
	nc := srv.Connect(t)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	s := open(t, js, "CREDENTIALS_OUTAGE", newClock())
	nc.Close()
	ctx := context.Background()
	for name, err := range map[string]error{
		"SetPassword":   s.SetPassword(ctx, anna, "Kaffeetasse7"),
		"CheckPassword": func() error { _, err := s.CheckPassword(ctx, anna, "Kaffeetasse7"); return err }(),
		"IssueSetLink":  func() error { _, err := s.IssueSetLink(ctx, anna, "a@example.org", time.Hour); return err }(),
		"IssueToken":    func() error { _, _, err := s.IssueToken(ctx, anna, "n", "l"); return err }(),
		"Token":         func() error { _, _, err := s.Token(ctx, "wst_"+strings.Repeat("A", 43)); return err }(),
		"Tokens":        func() error { _, err := s.Tokens(ctx, anna); return err }(),
	} {
		if !errors.Is(err, domain.ErrUnavailable) {
			t.Errorf("%s without a connection: got %v, want ErrUnavailable", name, err)
		}
	}
}

func TestEndSessions(t *testing.T) {
	eachServer(t, func(t *testing.T, s, replica *credentials.Store, c *clock) {
		ctx := context.Background()
		ended := func(a domain.AccountID, want time.Time) {
			t.Helper()
			got, err := replica.SessionsEndedAt(ctx, a)
			if err != nil || !got.Equal(want) {
				t.Errorf("SessionsEndedAt(%s): got %v, %v; want %v", a, got, err, want)
			}
		}
		ended(anna, time.Time{})
		if err := s.EndSessions(ctx, anna); err != nil {
			t.Fatal(err)
		}
		ended(anna, t0)
		ended(bernd, time.Time{})

		// Setting a password through a link ends the sessions signed in with the old one.
		c.add(time.Hour)
		link, err := s.IssueSetLink(ctx, bernd, "bernd@example.org", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.RedeemSetLink(ctx, link, "Kaffeetasse8"); err != nil {
			t.Fatal(err)
		}
		ended(bernd, t0.Add(time.Hour))

		c.add(time.Hour)
		if err := s.Erase(ctx, anna); err != nil {
			t.Fatal(err)
		}
		ended(anna, t0.Add(2*time.Hour))
	})
}
