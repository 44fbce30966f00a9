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

	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/internal/bench"
)

// TestNATSListen: with --nats-listen, NATS clients that present the listener's token reach
// the embedded server and see the event stream; clients without it are refused.
func TestNATSListen(t *testing.T) {
	addr := freeAddr(t)
	const token = "a-long-listen-token"
	in := startInstance(t, map[string]string{"WERKSTATT_NATS_LISTEN_TOKEN": token}, "--data-dir", t.TempDir(), "--nats-listen", addr)
	api{t, in.url}.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{
		"title": "T", "venue": "V", "days": []string{"2037-11-16"}, "capacity": 5})
	for name, url := range map[string]string{"no credentials": "nats://" + addr, "a wrong token": "nats://guess@" + addr} {
		if nc, err := nats.Connect(url); err == nil {
			nc.Close()
			t.Errorf("%s: a NATS client connected to --nats-listen, want it refused", name)
		}
	}
	nc, err := nats.Connect("nats://"+addr, nats.Token(token))
	if err != nil {
		t.Fatalf("a NATS client with the token cannot connect to --nats-listen %s: %v", addr, err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	s, err := js.Stream(context.Background(), "WERKSTATT")
	if err != nil {
		t.Fatalf("stream WERKSTATT through --nats-listen: %v", err)
	}
	if info, _ := s.Info(context.Background()); info.State.Msgs != 2 {
		t.Errorf("stream holds %d messages, want 2 (the first network and the workshop)", info.State.Msgs)
	}
}

// TestNATSListenWithoutCredentials: the service refuses to open a listener anybody could use.
func TestNATSListenWithoutCredentials(t *testing.T) {
	err := run(context.Background(), []string{"serve", "--data-dir", t.TempDir(), "--nats-listen", freeAddr(t)},
		envOf(map[string]string{"WERKSTATT_ADMIN_TOKEN": organiser}), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--nats-listen-token") {
		t.Errorf("serve with --nats-listen and no credentials: got %v, want a refusal naming the credentials flags", err)
	}
}

// TestNATSListenTLS: with a certificate the listener requires TLS, a client that trusts the
// test CA gets through, and the service itself (in-process) keeps working.
func TestNATSListenTLS(t *testing.T) {
	files := natstest.NewTLSFiles(t)
	addr := freeAddr(t)
	const user, password = "ops", "a-long-listen-password"
	in := startInstance(t, map[string]string{"WERKSTATT_NATS_LISTEN_PASSWORD": password}, "--data-dir", t.TempDir(),
		"--nats-listen", addr, "--nats-listen-user", user,
		"--nats-listen-tls-cert", files.ServerCert, "--nats-listen-tls-key", files.ServerKey)
	api{t, in.url}.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{
		"title": "T", "venue": "V", "days": []string{"2037-11-16"}, "capacity": 5})
	if nc, err := nats.Connect("nats://"+addr, nats.UserInfo(user, password)); err == nil {
		nc.Close()
		t.Error("a client without TLS connected, want TLS required")
	}
	nc, err := nats.Connect("nats://"+user+":"+password+"@"+addr, nats.RootCAs(files.CA))
	if err != nil {
		t.Fatalf("a client with TLS and the password: %v", err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	if _, err := js.Stream(context.Background(), "WERKSTATT"); err != nil {
		t.Errorf("stream WERKSTATT over TLS: %v", err)
	}
}

// TestNATSURLWithTLSAndCredentials runs the service against a nats-server that requires TLS
// and a user: with --nats-tls-ca and the user in the URL it serves; without the CA it does not
// start.
func TestNATSURLWithTLSAndCredentials(t *testing.T) {
	files := natstest.NewTLSFiles(t)
	srv := natstest.StartProcess(t, []nats.Option{nats.UserInfo("app", "a-long-app-password"), nats.RootCAs(files.CA)},
		"--tls", "--tlscert", files.ServerCert, "--tlskey", files.ServerKey, "--user", "app", "--pass", "a-long-app-password")
	url := strings.Replace(srv.URL, "nats://", "nats://app:a-long-app-password@", 1)
	in := startInstance(t, nil, "--data-dir", t.TempDir(), "--nats-url", url, "--nats-tls-ca", files.CA)
	api{t, in.url}.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{
		"title": "T", "venue": "V", "days": []string{"2037-11-16"}, "capacity": 5})
	in.stop(t)

	// A server that verifies clients: the client certificate gets through.
	mtls := natstest.StartProcess(t, []nats.Option{nats.RootCAs(files.CA), nats.ClientCert(files.ClientCert, files.ClientKey)},
		"--tlsverify", "--tlscert", files.ServerCert, "--tlskey", files.ServerKey, "--tlscacert", files.CA)
	in = startInstance(t, nil, "--data-dir", t.TempDir(), "--nats-url", mtls.URL, "--nats-tls-ca", files.CA,
		"--nats-tls-cert", files.ClientCert, "--nats-tls-key", files.ClientKey)
	in.stop(t)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	env := envOf(map[string]string{"WERKSTATT_ADMIN_TOKEN": organiser})
	for name, args := range map[string][]string{
		"no CA":                 {"--nats-url", url},
		"no password":           {"--nats-url", srv.URL, "--nats-tls-ca", files.CA},
		"no client certificate": {"--nats-url", mtls.URL, "--nats-tls-ca", files.CA},
	} {
		err := run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir()}, args...), env, io.Discard, io.Discard)
		if err == nil {
			t.Errorf("%s: serve stopped without an error, want it refused", name)
		}
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
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
		"title": "T", "venue": "V", "days": []string{"2037-11-16"}, "capacity": 3})["id"].(string)
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
			status, _, err := bench.DoJSON(http.DefaultClient, in.url, "GET", "/api/v1/workshops/"+id+"/attendance", organiser, nil)
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

// TestNATSCreds runs the service against a nats-server in operator (JWT) mode with
// --nats-creds; without the credentials file it does not start.
func TestNATSCreds(t *testing.T) {
	conf, creds := natstest.Operator(t)
	srv := natstest.StartProcess(t, []nats.Option{nats.UserCredentials(creds)}, "-c", conf)
	in := startInstance(t, map[string]string{"WERKSTATT_NATS_CREDS": creds}, "--data-dir", t.TempDir(), "--nats-url", srv.URL)
	api{t, in.url}.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{
		"title": "T", "venue": "V", "days": []string{"2037-11-16"}, "capacity": 5})
	in.stop(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir(), "--nats-url", srv.URL},
		envOf(map[string]string{"WERKSTATT_ADMIN_TOKEN": organiser}), io.Discard, io.Discard)
	if err == nil {
		t.Error("serve without --nats-creds stopped without an error, want it refused")
	}
}
