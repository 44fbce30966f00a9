package sessions_test

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/infra/sessions"
)

func TestMain(m *testing.M) { natstest.Main(m) }

// TestSessionsAcrossReplicas starts a session through one connection (replica) and looks it up
// and ends it through another: the end holds for both at once. The bucket's TTL drops an idle
// session, and the bucket holds no session id in the clear.
func TestSessionsAcrossReplicas(t *testing.T) {
	for _, srv := range natstest.Servers(t) {
		t.Run(srv.Name, func(t *testing.T) {
			ctx := context.Background()
			bucket := "SESSIONS_" + rand.Text()[:10]
			a, err := sessions.Open(ctx, srv.JetStream(t), bucket, time.Hour, 1)
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			b, err := sessions.Open(ctx, srv.JetStream(t), bucket, time.Hour, 1)
			if err != nil {
				t.Fatalf("open on the second connection: %v", err)
			}
			id := rand.Text()
			if err := a.Start(ctx, id, []byte(`{"role":"organiser"}`)); err != nil {
				t.Fatalf("start: %v", err)
			}
			if err := a.Start(ctx, id, []byte(`{}`)); err == nil {
				t.Errorf("starting a session id twice: got nil, want an error")
			}
			if data, ok, err := b.Lookup(ctx, id); err != nil || !ok || string(data) != `{"role":"organiser"}` {
				t.Fatalf("lookup on the other replica: got %s, %v, %v; want the session", data, ok, err)
			}
			kv, err := srv.JetStream(t).KeyValue(ctx, bucket)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := kv.Get(ctx, id); err == nil {
				t.Errorf("the bucket holds the session id in the clear")
			}
			if err := b.End(ctx, id); err != nil {
				t.Fatalf("end: %v", err)
			}
			for name, s := range map[string]*sessions.Store{"a": a, "b": b} {
				if _, ok, err := s.Lookup(ctx, id); ok || err != nil {
					t.Errorf("replica %s after the end: got found=%v, %v; want no session", name, ok, err)
				}
			}
			if err := a.End(ctx, id); err != nil {
				t.Errorf("ending an ended session: %v", err)
			}
			if _, ok, err := a.Lookup(ctx, "never-started"); ok || err != nil {
				t.Errorf("an unknown id: got found=%v, %v", ok, err)
			}

			short, err := sessions.Open(ctx, srv.JetStream(t), bucket+"_TTL", time.Second, 1)
			if err != nil {
				t.Fatalf("open with a short TTL: %v", err)
			}
			if err := short.Start(ctx, id, []byte(`{}`)); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(10 * time.Second)
			for {
				_, ok, err := short.Lookup(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if !ok {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the session outlived the bucket's TTL of 1s by 9s")
				}
				time.Sleep(200 * time.Millisecond)
			}
		})
	}
}
