package natsconn_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/infra/natsconn"
)

func TestMain(m *testing.M) { natstest.Main(m) }

// TestServerGone: once the server is gone the connection is not Up, and what a JetStream call
// returns is classified as domain.ErrUnavailable; a missing key is not.
func TestServerGone(t *testing.T) {
	ns := natstest.OwnProcess(t)
	nc, err := nats.Connect(ns.URL, nats.MaxReconnects(-1))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc, jetstream.WithDefaultTimeout(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	kv, err := js.CreateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: "GONE"})
	if err != nil {
		t.Fatal(err)
	}
	if err := natsconn.Up(nc); err != nil {
		t.Errorf("Up while connected: %v", err)
	}
	_, err = kv.Get(ctx, "missing")
	if err := natsconn.Classify(err); !errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("a missing key: got %v, want ErrKeyNotFound only", err)
	}
	if err := natsconn.Classify(errors.New("keys: sealed value does not authenticate")); errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("an error of the data: got %v, want it unchanged", err)
	}

	_, getErr := kv.Get(ctx, "missing") // before the server goes, to compare
	ns.Stop()
	start := time.Now()
	_, err = kv.Get(ctx, "k")
	if err := natsconn.Classify(fmt.Errorf("keys: read key of k: %w", err)); !errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("Get after the server went: got %v, want ErrUnavailable (before: %v)", err, getErr)
	}
	if took := time.Since(start); took > 1500*time.Millisecond {
		t.Errorf("Get after the server went took %s", took)
	}
	deadline := time.Now().Add(5 * time.Second)
	for natsconn.Up(nc) == nil && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if err := natsconn.Up(nc); !errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("Up after the server went: got %v, want ErrUnavailable", err)
	}
}

// TestIncompleteBatch: an atomic batch that reached a new stream leader in part was stored not
// at all, so it is an outage to retry (503), not an internal error; other API errors stay.
func TestIncompleteBatch(t *testing.T) {
	for _, c := range []struct {
		err         error
		incomplete  bool
		unavailable bool
	}{
		{&jetstream.APIError{Code: 400, ErrorCode: 10176, Description: "atomic publish batch is incomplete"}, true, true},
		{&jetstream.APIError{Code: 400, ErrorCode: 10175, Description: "atomic publish sequence is missing"}, true, true},
		{fmt.Errorf("append: %w", &jetstream.APIError{Code: 400, ErrorCode: 10176}), true, true},
		{&jetstream.APIError{Code: 400, ErrorCode: 10071, Description: "wrong last sequence"}, false, false},
		{errors.New("other"), false, false},
	} {
		if got := natsconn.IncompleteBatch(c.err); got != c.incomplete {
			t.Errorf("IncompleteBatch(%v) = %v, want %v", c.err, got, c.incomplete)
		}
		if got := errors.Is(natsconn.Classify(c.err), domain.ErrUnavailable); got != c.unavailable {
			t.Errorf("Classify(%v) unavailable = %v, want %v", c.err, got, c.unavailable)
		}
	}
}
