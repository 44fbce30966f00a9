package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/credentials"
	"github.com/werkstatt/werkstatt/infra/embedded"
	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/infra/keys"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// werkstattCmd runs one command in-process with the organiser token and env, and returns what
// it printed and its error.
func werkstattCmd(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	all := map[string]string{"WERKSTATT_ADMIN_TOKEN": organiser}
	for k, v := range env {
		all[k] = v
	}
	var out strings.Builder
	err := run(ctx, append(args[:1:1], append([]string{"--log-level", "error"}, args[1:]...)...), envOf(all), &out, io.Discard)
	return out.String(), err
}

// TestBackupRestoreKeepsErasures backs up a running instance, erases a person, backs up again,
// and restores the newer log with the OLDER key backup (which still holds the erased person's
// key) into a new data folder: the person stays erased, everybody else and the lead grants are
// intact, the events keep their subjects and headers, and the restored instance takes new
// commands. Restores without the right master key or into a target with events are refused.
func TestBackupRestoreKeepsErasures(t *testing.T) {
	dirA, addr := t.TempDir(), freeAddr(t)
	const listenToken = "a-long-listen-token"
	in := startInstance(t, map[string]string{"WERKSTATT_NATS_LISTEN_TOKEN": listenToken}, "--data-dir", dirA, "--nats-listen", addr)
	a := api{t, in.url}
	w := "/api/v1/workshops/" + a.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{
		"title": "T", "series": "S1", "venue": "V", "days": []string{"2037-11-16"}, "capacity": 10})["id"].(string)
	rids := map[string]string{}
	for _, name := range []string{"Anna", "Bert", "Carla"} {
		rids[name] = a.must(201, "POST", w+"/registrations", "", map[string]any{"name": name,
			"email": strings.ToLower(name) + "@example.org", "organisation": "O", "consent": true})["id"].(string)
	}
	lead := a.must(201, "POST", "/api/v1/series/S1/lead-tokens", organiser, map[string]any{"label": "Projektleitung"})["token"].(string)
	keptMails(t, a, 3) // the confirmations, kept without an SMTP server
	logo := tinyPNG(t)
	if status, raw := a.rawBody("PUT", w+"/funding/logo", organiser, "image/png", logo); status != 200 {
		t.Fatalf("upload of the funder's logo: %d %s", status, raw)
	}

	natsURL := "nats://" + listenToken + "@" + addr
	backups := t.TempDir()
	older, newer := filepath.Join(backups, "older"), filepath.Join(backups, "newer")
	if out, err := werkstattCmd(t, nil, "backup", "--nats-url", natsURL, older); err != nil || !strings.Contains(out, "Backed up 6 commits") {
		t.Fatalf("backup of the running instance: %v\n%s", err, out)
	}
	if _, err := werkstattCmd(t, nil, "backup", "--data-dir", dirA, filepath.Join(backups, "locked")); err == nil ||
		!strings.Contains(err.Error(), "--nats-listen") {
		t.Errorf("backup on the data folder of a running instance: got %v, want a refusal pointing to --nats-listen", err)
	}
	a.must(204, "DELETE", w+"/registrations/"+rids["Bert"]+"/personal-data", organiser, nil)
	setPassword(t, natsURL, "account-of-anna", "Kaffeetasse7")
	if out, err := werkstattCmd(t, nil, "backup", "--nats-url", natsURL, newer); err != nil {
		t.Fatalf("second backup: %v\n%s", err, out)
	}
	if _, err := werkstattCmd(t, nil, "backup", "--nats-url", natsURL, newer); err == nil {
		t.Error("a backup into a folder that holds one: got no error")
	}
	in.stop(t)

	mixed := mixBackup(t, newer, older) // the newer log with the older keys, Bert's among them
	dirD := t.TempDir()
	if _, err := werkstattCmd(t, nil, "restore", "--data-dir", dirD, mixed); err == nil || !strings.Contains(err.Error(), "master.key") {
		t.Errorf("restore without a master key: got %v, want a refusal naming master.key", err)
	}
	other := map[string]string{"WERKSTATT_MASTER_KEY": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}
	if _, err := werkstattCmd(t, other, "restore", "--data-dir", dirD, mixed); err == nil || !strings.Contains(err.Error(), "does not unwrap") {
		t.Errorf("restore with another master key: got %v, want a refusal saying the key does not unwrap", err)
	}
	copyFile(t, filepath.Join(dirA, "master.key"), filepath.Join(dirD, "master.key"))
	out, err := werkstattCmd(t, nil, "restore", "--data-dir", dirD, mixed)
	if err != nil || !strings.Contains(out, "Restored 7 commits") || !strings.Contains(out, "1 erased") || !strings.Contains(out, "1 credential records") {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	if _, err := werkstattCmd(t, nil, "restore", "--data-dir", dirD, mixed); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("restore into a target with events: got %v, want a refusal", err)
	}

	// A backup of the restored (stopped) instance holds the same events: order, subjects,
	// headers (Nats-Msg-Id, Werkstatt-Command) and payloads.
	again := filepath.Join(backups, "again")
	if out, err := werkstattCmd(t, nil, "backup", "--data-dir", dirD, again); err != nil {
		t.Fatalf("backup of the restored instance: %v\n%s", err, out)
	}
	want, got := records(t, newer, eventsFile), records(t, again, eventsFile)
	if len(got) != len(want) {
		t.Fatalf("restored %d commits, want %d", len(got), len(want))
	}
	for i := range want {
		delete(want[i].Header, "Nats-Expected-Last-Subject-Sequence")
		delete(got[i].Header, "Nats-Expected-Last-Subject-Sequence")
		if want[i].Subject != got[i].Subject || !bytes.Equal(want[i].Data, got[i].Data) || !reflect.DeepEqual(want[i].Header, got[i].Header) {
			t.Errorf("commit %d: restored as %s %v, want %s %v", i+1, got[i].Subject, got[i].Header, want[i].Subject, want[i].Header)
		}
	}
	if got := records(t, again, credsFile); len(got) != 1 {
		t.Errorf("credentials of the restored instance: got %d records, want Anna's password", len(got))
	}
	checkPersons(t, dirD, map[string]bool{rids["Anna"]: true, rids["Bert"]: false, rids["Carla"]: true})

	d := startInstance(t, nil, "--data-dir", dirD)
	b := api{t, d.url}
	names := map[string]any{}
	for _, r := range b.must(200, "GET", w+"/registrations", organiser, nil)["registrations"].([]any) {
		r := r.(map[string]any)
		names[r["id"].(string)] = r["name"]
	}
	if names[rids["Anna"]] != "Anna" || names[rids["Carla"]] != "Carla" || names[rids["Bert"]] != "" {
		t.Errorf("names after the restore: %v, want Anna and Carla and Bert erased", names)
	}
	b.must(200, "GET", "/api/v1/series/S1/report", lead, nil) // the lead grant came back
	to := map[string]bool{}
	for _, m := range keptMails(t, b, 3) {
		if m["erased"] == true {
			to["(erased)"] = true
		} else {
			to[m["to"].(string)] = true
		}
	}
	if !to["anna@example.org"] || !to["carla@example.org"] || !to["(erased)"] || to["bert@example.org"] {
		t.Errorf("the kept mails after the restore go to %v, want Anna's and Carla's readable and Bert's erased", to)
	}
	if status, got, ctype := b.raw("GET", w+"/funding/logo", organiser, nil); status != 200 || ctype != "image/png" || !bytes.Equal(got, logo) {
		t.Errorf("the funder's logo after the restore: %d %s, %d bytes; want the uploaded PNG", status, ctype, len(got))
	}
	b.must(201, "POST", w+"/registrations", "", map[string]any{"name": "Dora", "email": "dora@example.org", "organisation": "O", "consent": true})
	b.must(204, "DELETE", w+"/registrations/"+rids["Anna"], organiser, nil)
}

// setPassword sets account's password in the credentials of the instance at natsURL.
func setPassword(t *testing.T, natsURL string, account domain.AccountID, password string) {
	t.Helper()
	nc, err := nats.Connect(natsURL)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	creds, err := credentials.Open(ctx, js, "WERKSTATT_CREDENTIALS", 1)
	if err == nil {
		err = creds.SetPassword(ctx, account, password)
	}
	if err != nil {
		t.Fatalf("set a password: %v", err)
	}
}

// mixBackup makes a backup of the events of newer with the keys and lead grants of older.
func mixBackup(t *testing.T, newer, older string) string {
	t.Helper()
	dir := t.TempDir()
	mNew, mOld := readManifestT(t, newer), readManifestT(t, older)
	mNew.Files[1], mNew.Files[2] = mOld.Files[1], mOld.Files[2]
	copyFile(t, filepath.Join(newer, eventsFile), filepath.Join(dir, eventsFile))
	copyFile(t, filepath.Join(older, keysFile), filepath.Join(dir, keysFile))
	copyFile(t, filepath.Join(older, leadGrantsFile), filepath.Join(dir, leadGrantsFile))
	copyFile(t, filepath.Join(newer, blobsFile), filepath.Join(dir, blobsFile))
	copyFile(t, filepath.Join(newer, mailsFile), filepath.Join(dir, mailsFile))
	copyFile(t, filepath.Join(newer, credsFile), filepath.Join(dir, credsFile))
	raw, _ := json.Marshal(mNew)
	if err := os.WriteFile(filepath.Join(dir, manifestName), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func readManifestT(t *testing.T, dir string) manifest {
	t.Helper()
	m, err := readManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func records(t *testing.T, dir, name string) []backupRecord {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []backupRecord
	s := bufio.NewScanner(f)
	s.Buffer(nil, 1<<24)
	for s.Scan() {
		var r backupRecord
		if err := json.Unmarshal(s.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// checkPersons reads the restored log of dir with its keyring: readable[rid] says whether the
// person of registration rid must still open.
func checkPersons(t *testing.T, dir string, readable map[string]bool) {
	t.Helper()
	ctx := context.Background()
	ns, err := embedded.Start(embedded.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ns.Shutdown(); ns.WaitForShutdown() }()
	nc, err := embedded.Connect(ns, "check")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	master, err := keys.MasterKey("", filepath.Join(dir, "master.key"))
	if err != nil {
		t.Fatal(err)
	}
	kr, err := keys.Open(ctx, js, "WERKSTATT_KEYS", master, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer kr.Close()
	store, err := eventstore.Open(ctx, js, eventstore.Config{}, kr)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	err = store.Replay(ctx, 1, func(batch []domain.Recorded) error {
		for _, r := range batch {
			if p, ok := r.Event.(domain.ParticipantRegistered); ok {
				seen[string(p.RegistrationID)] = p.Person != nil
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(seen, readable) {
		t.Errorf("persons readable in the restored log: %v, want %v", seen, readable)
	}
}

// TestRestoreIntoAnotherServerAndStream restores a backup of an embedded instance into a
// nats-server under another --stream name, with PostgreSQL read models: subjects and buckets
// follow the new name and the restored instance reads everybody as before.
func TestRestoreIntoAnotherServerAndStream(t *testing.T) {
	dirA := t.TempDir()
	in := startInstance(t, nil, "--data-dir", dirA)
	a := api{t, in.url}
	w := "/api/v1/workshops/" + a.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{
		"title": "T", "venue": "V", "days": []string{"2037-11-16"}, "capacity": 1})["id"].(string)
	for _, name := range []string{"Anna", "Bert"} {
		a.must(201, "POST", w+"/registrations", "", map[string]any{"name": name,
			"email": strings.ToLower(name) + "@example.org", "organisation": "O", "consent": true})
	}
	before := withoutTimes(a.must(200, "GET", w+"/registrations", organiser, nil))
	in.stop(t)
	backupDir := filepath.Join(t.TempDir(), "b")
	if out, err := werkstattCmd(t, nil, "backup", "--data-dir", dirA, backupDir); err != nil {
		t.Fatalf("backup of a stopped instance: %v\n%s", err, out)
	}

	natsURL, stream := natsServer(t)
	db := testDatabase(t)
	args := []string{"--data-dir", t.TempDir(), "--nats-url", natsURL, "--stream", stream}
	env := map[string]string{"WERKSTATT_MASTER_KEY_FILE": filepath.Join(dirA, "master.key")}
	if out, err := werkstattCmd(t, env, append([]string{"restore"}, append(args, backupDir)...)...); err != nil {
		t.Fatalf("restore into %s: %v\n%s", natsURL, err, out)
	}
	keyFile, err := os.ReadFile(filepath.Join(dirA, "master.key"))
	if err != nil {
		t.Fatal(err)
	}
	d := startInstance(t, map[string]string{"WERKSTATT_MASTER_KEY": strings.TrimSpace(string(keyFile))},
		append(args, "--database-url", db)...)
	b := api{t, d.url}
	if after := withoutTimes(b.must(200, "GET", w+"/registrations", organiser, nil)); !reflect.DeepEqual(after, before) {
		t.Errorf("registrations after the restore: %v, want %v", after, before)
	}
	// Bert waits for Anna's seat: cancelling Anna promotes him, as before the restore.
	rid := before["registrations"].([]any)[0].(map[string]any)["id"].(string)
	b.must(204, "DELETE", w+"/registrations/"+rid, organiser, nil)
	if got := b.must(200, "GET", w+"/attendance", organiser, nil)["confirmed"]; got != 1.0 {
		t.Errorf("confirmed after cancelling the first registration: %v, want 1 (the waitlisted one promoted)", got)
	}
}

// withoutTimes drops registered_at: PostgreSQL keeps microseconds, memory nanoseconds.
func withoutTimes(list map[string]any) map[string]any {
	for _, r := range list["registrations"].([]any) {
		delete(r.(map[string]any), "registered_at")
	}
	return list
}

// tinyPNG is a 2x1 PNG, a funder's logo as small as it gets.
func tinyPNG(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 2, 1))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// keptMails waits until the outbox of the instance behind a keeps at least n mails, and returns them.
func keptMails(t *testing.T, a api, n int) []map[string]any {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var list []map[string]any
		for _, m := range a.must(200, "GET", "/api/v1/outbox", organiser, nil)["mails"].([]any) {
			list = append(list, m.(map[string]any))
		}
		if len(list) >= n || time.Now().After(deadline) {
			if len(list) < n {
				t.Fatalf("the outbox keeps %d mails, want %d", len(list), n)
			}
			return list
		}
		time.Sleep(50 * time.Millisecond)
	}
}
