package eventstore_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/infra/keys"
)

// TestOutboxAcrossNodeDeath: on a three-node cluster (stream, keys and the outbox's consumer
// replicated three times) the node that leads the outbox's consumer dies. The commits appended
// before and after, while the cluster elects and the clients reconnect, all reach the handler
// with their personal data opened.
func TestOutboxAcrossNodeDeath(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a NATS cluster")
	}
	cluster := natstest.StartCluster(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	master := make([]byte, 32)
	rand.Read(master)
	cfg := eventstore.Config{Stream: "OUTBOX_CLUSTER", Subjects: "outbox.events", Replicas: 3}
	open := func() *eventstore.Store {
		js := cluster.JetStream(t)
		k, err := keys.Open(ctx, js, "OUTBOX_CLUSTER_KEYS", master, 3)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { k.Close() })
		s, err := eventstore.Open(ctx, js, cfg, k)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	writer, reader := open(), open()
	schedule(t, writer, "W1", 100)

	var mu sync.Mutex
	names := map[uint64]string{} // seq -> the registered person's name, opened
	runOutbox(t, reader, "mails", func(_ context.Context, d eventstore.Delivery) error {
		mu.Lock()
		defer mu.Unlock()
		for _, r := range d.Events {
			if p, ok := r.Event.(domain.ParticipantRegistered); ok && p.Person != nil {
				names[d.Seq] = p.Person.Name
			}
		}
		return nil
	}, eventstore.OutboxConfig{AckWait: 5 * time.Second, Retries: []time.Duration{time.Second, time.Second, time.Second}})

	want := map[uint64]string{}
	registerUntilDone := func(i int) {
		name := fmt.Sprintf("Person %d", i)
		for {
			// Each attempt within 5 s, as a request without a deadline gets from nats.go: a
			// request the dead node took is never answered. The same command id: a retry of
			// an append that did land changes nothing.
			actx, cancel := context.WithTimeout(ctx, 5*time.Second)
			r, err := register(actx, writer, "W1", registration(domain.RegistrationID(fmt.Sprintf("R%d", i)), name), fmt.Sprintf("reg-%d", i))
			cancel()
			if err == nil {
				want[r.Seq] = name
				return
			}
			if ctx.Err() != nil {
				t.Fatalf("registering %s: %v", name, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	for i := range 5 {
		registerUntilDone(i)
	}
	info, err := writer.Stream().Consumer(ctx, "mails")
	if err != nil {
		t.Fatal(err)
	}
	ci, err := info.Info(ctx)
	if err != nil || ci.Cluster == nil || ci.Cluster.Leader == "" {
		t.Fatalf("the outbox consumer's leader: %+v, %v", ci, err)
	}
	cluster.Kill(ci.Cluster.Leader)
	killed := time.Now()
	t.Logf("killed %s, the outbox consumer's leader", ci.Cluster.Leader)
	for i := 5; i < 10; i++ {
		registerUntilDone(i)
	}
	t.Logf("appended again %s after the node's death", time.Since(killed).Round(time.Millisecond))
	for {
		mu.Lock()
		missing := 0
		for seq, name := range want {
			if names[seq] != name {
				missing++
			}
		}
		mu.Unlock()
		if missing == 0 {
			t.Logf("every commit handled %s after the node's death", time.Since(killed).Round(time.Millisecond))
			return
		}
		// Two missed heartbeats of 2 s, or an acknowledgement lost with the node (AckWait 5 s),
		// and the commits come again; nats.go's defaults took 31-36 s.
		if time.Since(killed) > 25*time.Second {
			t.Fatalf("25 s after the node's death %d of %d commits were not handled", missing, len(want))
		}
		time.Sleep(100 * time.Millisecond)
	}
}
