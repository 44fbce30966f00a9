package webhooks_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	infrawebhooks "github.com/werkstatt/werkstatt/infra/webhooks"
	"github.com/werkstatt/werkstatt/webhooks"
)

func TestMain(m *testing.M) { natstest.Main(m) }

// TestProgress: a delivered message is remembered, a failed one not; each webhook keeps its last
// attempts, newest first, at most Kept, also when replicas record at once.
func TestProgress(t *testing.T) {
	ctx := context.Background()
	js := natstest.Embedded(t).JetStream(t)
	s, err := infrawebhooks.Open(ctx, js, "WHT_WEBHOOKS", 1)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2037, 11, 16, 9, 0, 0, 0, time.UTC)
	if err := s.Record(ctx, webhooks.Attempt{Webhook: "w1", MessageID: "msg_1_0_a", Type: "registration.confirmed", At: at, Attempt: 1, Status: 500, Error: "answered 500"}); err != nil {
		t.Fatal(err)
	}
	if done, err := s.Delivered(ctx, "msg_1_0_a"); err != nil || done {
		t.Errorf("after a failure: delivered %v, %v; want false", done, err)
	}
	if err := s.Record(ctx, webhooks.Attempt{Webhook: "w1", MessageID: "msg_1_0_a", Type: "registration.confirmed", At: at.Add(time.Minute), Attempt: 2, Status: 204, Delivered: true}); err != nil {
		t.Fatal(err)
	}
	if done, err := s.Delivered(ctx, "msg_1_0_a"); err != nil || !done {
		t.Errorf("after the delivery: delivered %v, %v; want true", done, err)
	}
	list, err := s.Attempts(ctx, "w1")
	if err != nil || len(list) != 2 || !list[0].Delivered || list[1].Status != 500 || list[0].Webhook != "w1" {
		t.Fatalf("attempts: %+v, %v", list, err)
	}
	if other, err := s.Attempts(ctx, "w2"); err != nil || len(other) != 0 {
		t.Errorf("another webhook's attempts: %+v, %v", other, err)
	}

	var wg sync.WaitGroup
	for i := range 30 {
		wg.Go(func() {
			if err := s.Record(ctx, webhooks.Attempt{Webhook: "w3", MessageID: fmt.Sprint("m", i), At: at.Add(time.Duration(i) * time.Second), Attempt: 1, Delivered: true}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	list, err = s.Attempts(ctx, "w3")
	if err != nil || len(list) != infrawebhooks.Kept {
		t.Fatalf("got %d attempts, %v; want the last %d", len(list), err, infrawebhooks.Kept)
	}
	for i := 1; i < len(list); i++ {
		if list[i].At.After(list[i-1].At) {
			t.Errorf("attempts not newest first: %v after %v", list[i].At, list[i-1].At)
		}
	}
}
