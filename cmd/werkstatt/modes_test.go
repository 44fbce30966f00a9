package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// TestNATSListen: with --nats-listen, ordinary NATS clients reach the embedded server and see
// the event stream.
func TestNATSListen(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	in := startInstance(t, nil, "--data-dir", t.TempDir(), "--nats-listen", addr)
	api{t, in.url}.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{
		"title": "T", "venue": "V", "days": []string{"2026-11-16"}, "capacity": 5})
	nc, err := nats.Connect("nats://" + addr)
	if err != nil {
		t.Fatalf("a NATS client cannot connect to --nats-listen %s: %v", addr, err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	s, err := js.Stream(context.Background(), "WERKSTATT")
	if err != nil {
		t.Fatalf("stream WERKSTATT through --nats-listen: %v", err)
	}
	if info, _ := s.Info(context.Background()); info.State.Msgs != 1 {
		t.Errorf("stream holds %d messages, want 1 (the workshop)", info.State.Msgs)
	}
}

// TestRebuildWhileServing runs `werkstatt rebuild` beside a serving instance that keeps its
// read models in PostgreSQL: reads go on during the rebuild and answer the same afterwards.
func TestRebuildWhileServing(t *testing.T) {
	db, dir := testDatabase(t), t.TempDir()
	natsURL, stream := natsServer(t)
	args := []string{"--data-dir", dir, "--nats-url", natsURL, "--stream", stream, "--database-url", db}
	in := startInstance(t, nil, args...)
	a := api{t, in.url}
	id := a.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{
		"title": "T", "venue": "V", "days": []string{"2026-11-16"}, "capacity": 3})["id"].(string)
	for i := range 5 {
		a.must(201, "POST", "/api/v1/workshops/"+id+"/registrations", "", map[string]any{
			"name": fmt.Sprint("P", i), "email": fmt.Sprintf("p%d@example.org", i), "organisation": "O", "consent": true})
	}
	before := a.must(200, "GET", "/api/v1/workshops/"+id+"/attendance", organiser, nil)

	done, rebuilt := make(chan struct{}), make(chan struct{})
	go func() { // a reader that must never fail while the generations switch
		defer close(done)
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			status, _, err := doJSON(http.DefaultClient, in.url, "GET", "/api/v1/workshops/"+id+"/attendance", organiser, nil)
			if err != nil || status != 200 {
				t.Errorf("read during rebuild: %d %v", status, err)
			}
			select {
			case <-rebuilt:
				return
			default:
			}
		}
	}()
	var out strings.Builder
	getenv := func(k string) string { return map[string]string{"WERKSTATT_ADMIN_TOKEN": organiser}[k] }
	err := run(context.Background(), append([]string{"rebuild", "--log-level", "warn"}, args...), getenv, &out, io.Discard)
	close(rebuilt)
	<-done
	if err != nil {
		t.Fatalf("werkstatt rebuild: %v", err)
	}
	if !strings.Contains(out.String(), "Rebuilt the read models") {
		t.Errorf("rebuild printed %q", out.String())
	}
	after := a.must(200, "GET", "/api/v1/workshops/"+id+"/attendance", organiser, nil)
	if !reflect.DeepEqual(after, before) {
		t.Errorf("after the rebuild attendance is %v, want %v", after, before)
	}
	// The service writes into the new generation.
	a.must(201, "POST", "/api/v1/workshops/"+id+"/registrations", "", map[string]any{
		"name": "Late", "email": "late@example.org", "organisation": "O", "consent": true})
	if got := a.must(200, "GET", "/api/v1/workshops/"+id+"/attendance", organiser, nil)["waitlisted"]; got != 3.0 {
		t.Errorf("after a registration following the rebuild: waitlisted %v, want 3", got)
	}
}
