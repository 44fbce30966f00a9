package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
)

// TestSnapshotRestart restarts an instance with memory read models from the snapshot it wrote
// when it stopped, and erases a person: the snapshot that held her data is replaced (its key
// erased), and the next restart shows her erased.
func TestSnapshotRestart(t *testing.T) {
	snapshotCheck, snapshotMinAtStop = 100*time.Millisecond, 1
	t.Cleanup(func() { snapshotCheck, snapshotMinAtStop = 5*time.Second, 1_000 })
	srv := natstest.Process(t)
	url, stream := srv.URL, fmt.Sprintf("TEST_%d", time.Now().UnixNano())
	env := map[string]string{"WERKSTATT_MASTER_KEY": "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA="}
	args := []string{"--nats-url", url, "--stream", stream, "--data-dir", t.TempDir(), "--log-level", "info"}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	js := srv.JetStream(t)
	snapshotsOf := func() []*jetstream.ObjectInfo {
		t.Helper()
		obs, err := js.ObjectStore(ctx, stream+"_SNAPSHOTS")
		if err != nil {
			t.Fatal(err)
		}
		infos, err := obs.List(ctx)
		if err != nil && !errors.Is(err, jetstream.ErrNoObjectsFound) {
			t.Fatal(err)
		}
		return infos
	}

	one := startInstance(t, env, args...)
	a := api{t, one.url}
	w := a.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{"title": "Ideenwerkstatt",
		"venue": "Rathaus", "days": []string{time.Now().AddDate(0, 1, 0).Format(time.DateOnly)}, "capacity": 5})
	path := "/api/v1/workshops/" + w["id"].(string)
	ann := a.must(201, "POST", path+"/registrations", "", map[string]any{"name": "Ann Snapshot",
		"email": "ann.snapshot@example.org", "organisation": "Caritas", "consent": true})
	a.must(201, "POST", path+"/registrations", "", map[string]any{"name": "Bo Snapshot",
		"email": "bo.snapshot@example.org", "organisation": "Diakonie", "consent": true})
	before := a.must(200, "GET", path+"/registrations", organiser, nil)
	one.stop(t)
	if !strings.Contains(one.log.String(), "snapshot of the read models written") {
		t.Fatalf("no snapshot written at the stop:\n%s", one.log)
	}
	infos := snapshotsOf()
	if len(infos) != 1 {
		t.Fatalf("got %d snapshots, want 1", len(infos))
	}
	first := infos[0].Name
	obs, _ := js.ObjectStore(ctx, stream+"_SNAPSHOTS")
	sealed, err := obs.GetBytes(ctx, first)
	if err != nil || bytes.Contains(sealed, []byte("Ann Snapshot")) || bytes.Contains(sealed, []byte("ann.snapshot@")) {
		t.Fatalf("the snapshot holds personal data in clear (err %v)", err)
	}

	two := startInstance(t, env, args...)
	if !strings.Contains(two.log.String(), "read models loaded from a snapshot") {
		t.Fatalf("restart did not load the snapshot:\n%s", two.log)
	}
	a = api{t, two.url}
	if after := a.must(200, "GET", path+"/registrations", organiser, nil); !reflect.DeepEqual(before, after) {
		t.Fatalf("registrations after the restart:\n%v\nwant\n%v", after, before)
	}
	// Ann is erased: within a check, no snapshot taken before holds her (nor its key exists).
	a.must(204, "DELETE", path+"/registrations/"+ann["id"].(string)+"/personal-data", organiser, nil)
	kv, err := js.KeyValue(ctx, stream+"_KEYS")
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		names := map[string]bool{}
		for _, info := range snapshotsOf() {
			names[info.Name] = true
		}
		_, keyErr := kv.Get(ctx, "snapshot_"+first)
		if !names[first] && errors.Is(keyErr, jetstream.ErrKeyNotFound) && len(names) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the erasure: snapshots %v, key of %s: %v; want it replaced and its key gone\n%s", names, first, keyErr, two.log)
		}
	}
	two.stop(t)

	three := startInstance(t, env, append(args, "--metrics-addr", "127.0.0.1:0")...)
	if !strings.Contains(three.log.String(), "read models loaded from a snapshot") {
		t.Fatalf("second restart did not load the snapshot:\n%s", three.log)
	}
	m := regexp.MustCompile(`Metrics at (http://\S+)`).FindStringSubmatch(three.out.String())
	if m == nil {
		t.Fatalf("no metrics address in %q", three.out)
	}
	body := get(t, m[1])
	if n := metricValue(t, body, "werkstatt_snapshot_sequence"); n < 4 {
		t.Errorf("werkstatt_snapshot_sequence %v, want the loaded snapshot's sequence", n)
	}
	for _, want := range []string{"werkstatt_snapshot_bytes ", `werkstatt_snapshot_writes_total{outcome="failed"} 0`} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	a = api{t, three.url}
	r := a.must(200, "GET", path+"/registrations/"+ann["id"].(string), organiser, nil)
	if r["erased"] != true || r["name"] != "" {
		t.Fatalf("Ann after the restart: %v, want erased", r)
	}
}
