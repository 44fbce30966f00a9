package grants_test

import (
	"context"
	"crypto/rand"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/infra/grants"
)

func TestMain(m *testing.M) { natstest.Main(m) }

var t0 = time.Date(2026, 11, 16, 8, 0, 0, 0, time.UTC)

// eachServer runs test against the embedded server and a nats-server process, with a bucket
// name no other test uses and two connections to the server (two replicas of the service).
func eachServer(t *testing.T, test func(t *testing.T, a, b jetstream.JetStream, bucket string)) {
	for _, srv := range natstest.Servers(t) {
		t.Run(srv.Name, func(t *testing.T) {
			test(t, srv.JetStream(t), srv.JetStream(t), "GRANTS_"+rand.Text()[:10])
		})
	}
}

func open(t *testing.T, js jetstream.JetStream, bucket string) *grants.Store {
	t.Helper()
	s, err := grants.Open(context.Background(), js, bucket, 1)
	if err != nil {
		t.Fatalf("open grants %s: %v", bucket, err)
	}
	return s
}

func issue(t *testing.T, s *grants.Store, series, label string, issued time.Time) domain.LeadGrant {
	t.Helper()
	g, err := s.Issue(context.Background(), domain.LeadGrant{Series: series, Label: label,
		IssuedAt: issued, ExpiresAt: issued.Add(180 * 24 * time.Hour)})
	if err != nil {
		t.Fatalf("issue a grant for %s: %v", label, err)
	}
	return g
}

func TestIssueGetRevoke(t *testing.T) {
	eachServer(t, func(t *testing.T, js, other jetstream.JetStream, bucket string) {
		ctx := context.Background()
		s := open(t, js, bucket)
		g := issue(t, s, "AMIF 2026", "Projektleitung AMIF, Frau Schulz", t0.Add(1500*time.Millisecond))
		if len(g.ID) != 26 || g.IssuedAt != t0.Add(time.Second) || g.Status(t0.Add(time.Hour)) != domain.GrantActive {
			t.Errorf("issued %+v: want a 26-character id, issued at %v to the second, active", g, t0.Add(time.Second))
		}
		got, err := s.Get(ctx, g.ID)
		if err != nil || got != g {
			t.Fatalf("Get: got %+v, %v; want %+v", got, err, g)
		}

		// A replica on another connection sees the grant and, at once, its revocation.
		replica := open(t, other, bucket)
		if got, err := replica.Get(ctx, g.ID); err != nil || !got.Holds(t0.Add(time.Hour)) {
			t.Fatalf("Get on the replica: got %+v, %v; want the active grant", got, err)
		}
		revoked, err := replica.Revoke(ctx, g.ID, t0.Add(2*time.Hour))
		if err != nil || revoked.RevokedAt != t0.Add(2*time.Hour) {
			t.Fatalf("Revoke on the replica: got %+v, %v; want revoked at %v", revoked, err, t0.Add(2*time.Hour))
		}
		if got, _ := s.Get(ctx, g.ID); got.Status(t0.Add(3*time.Hour)) != domain.GrantRevoked || got.Holds(t0.Add(3*time.Hour)) {
			t.Errorf("Get after the replica revoked: got %+v, want revoked", got)
		}
		again, err := s.Revoke(ctx, g.ID, t0.Add(5*time.Hour))
		if err != nil || again.RevokedAt != t0.Add(2*time.Hour) {
			t.Errorf("Revoke again: got %+v, %v; want no error and the first revocation's time kept", again, err)
		}
		history, err := s.History(ctx, g.ID)
		if err != nil || len(history) != 2 || !history[0].RevokedAt.IsZero() || history[1].RevokedAt.IsZero() {
			t.Errorf("History: got %+v, %v; want the issue and the one revocation", history, err)
		}

		for _, id := range []string{"NOSUCHGRANT", "bad.id", ""} {
			if _, err := s.Get(ctx, id); !errors.Is(err, grants.ErrNotFound) {
				t.Errorf("Get %q: got %v, want ErrNotFound", id, err)
			}
			if _, err := s.Revoke(ctx, id, t0); !errors.Is(err, grants.ErrNotFound) {
				t.Errorf("Revoke %q: got %v, want ErrNotFound", id, err)
			}
		}
	})
}

func TestList(t *testing.T) {
	eachServer(t, func(t *testing.T, js, other jetstream.JetStream, bucket string) {
		ctx := context.Background()
		s := open(t, js, bucket)
		if got, err := s.List(ctx, "AMIF 2026"); err != nil || len(got) != 0 {
			t.Fatalf("List of an empty bucket: got %+v, %v; want none", got, err)
		}
		first := issue(t, s, "AMIF 2026", "Frau Schulz", t0)
		issue(t, s, "Klima 2026", "Herr Roth", t0.Add(time.Minute))
		second := issue(t, open(t, other, bucket), "AMIF 2026", "Herr Demir", t0.Add(2*time.Minute))
		if _, err := s.Revoke(ctx, first.ID, t0.Add(time.Hour)); err != nil {
			t.Fatalf("Revoke: %v", err)
		}
		got, err := s.List(ctx, "AMIF 2026")
		if err != nil || len(got) != 2 || got[0].ID != second.ID || got[1].ID != first.ID {
			t.Fatalf("List of AMIF 2026: got %+v, %v; want Herr Demir's grant, then Frau Schulz's", got, err)
		}
		if got[1].RevokedAt.IsZero() {
			t.Errorf("List: got Frau Schulz's grant %+v, want it revoked", got[1])
		}
		if got, _ := s.List(ctx, "Andere Reihe"); len(got) != 0 {
			t.Errorf("List of a series without grants: got %+v, want none", got)
		}
	})
}

func TestIssueRefuses(t *testing.T) {
	js := natstest.Embedded(t).JetStream(t)
	ctx := context.Background()
	s := open(t, js, "GRANTS_REFUSE")
	g := issue(t, s, "AMIF 2026", "Frau Schulz", t0)
	if _, err := s.Issue(ctx, domain.LeadGrant{ID: g.ID, Series: "Andere", Label: "Mallory", IssuedAt: t0, ExpiresAt: t0.Add(time.Hour)}); !errors.Is(err, grants.ErrExists) {
		t.Errorf("Issue with a taken id: got %v, want ErrExists", err)
	}
	if got, _ := s.Get(ctx, g.ID); got != g {
		t.Errorf("Get after a refused Issue with its id: got %+v, want %+v unchanged", got, g)
	}
	for _, bad := range []domain.LeadGrant{
		{Series: "AMIF 2026", Label: " "},
		{Series: "", Label: "Frau Schulz"},
		{ID: "a.b", Series: "AMIF 2026", Label: "Frau Schulz"},
	} {
		if _, err := s.Issue(ctx, bad); err == nil || errors.Is(err, grants.ErrExists) {
			t.Errorf("Issue %+v: got %v, want a refusal", bad, err)
		}
	}
}

// TestConcurrentRevoke revokes one grant from two replicas at once: both succeed and agree on
// one revocation.
func TestConcurrentRevoke(t *testing.T) {
	srv := natstest.Embedded(t)
	stores := []*grants.Store{open(t, srv.JetStream(t), "GRANTS_RACE"), open(t, srv.JetStream(t), "GRANTS_RACE")}
	g := issue(t, stores[0], "AMIF 2026", "Frau Schulz", t0)
	const n = 6
	got := make([]domain.LeadGrant, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			got[i], errs[i] = stores[i%2].Revoke(context.Background(), g.ID, t0.Add(time.Duration(i+1)*time.Hour))
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || got[i].RevokedAt != got[0].RevokedAt || got[i].RevokedAt.IsZero() {
			t.Errorf("Revoke %d: got %+v, %v; want every revocation to report the one that won (%v)", i, got[i], errs[i], got[0].RevokedAt)
		}
	}
	if h, _ := stores[0].History(context.Background(), g.ID); len(h) != 2 {
		t.Errorf("History after concurrent revocations: got %d revisions, want 2", len(h))
	}
}
