package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/credentials"
	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/infra/grants"
	"github.com/werkstatt/werkstatt/infra/keys"
	"github.com/werkstatt/werkstatt/infra/mailbox"
	"github.com/werkstatt/werkstatt/infra/objectstore"
)

// restore loads a backup into a data folder or NATS server that holds no events yet. It checks
// the whole backup and the master key before it writes anything, leaves out the data keys of
// everybody whose erasure the restored log records, and keeps the events' order, subjects and
// headers (their stream sequences may differ: nothing relies on them across instances).
func restore(ctx context.Context, cfg config, stdout io.Writer) error {
	dir := cfg.Backup.Dir
	m, err := readManifest(dir)
	if err != nil {
		return err
	}
	master, err := restoreMasterKey(cfg)
	if err != nil {
		return err
	}
	erased, err := checkBackup(dir, m, master)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("data folder: %w", err)
	}
	a := &app{log: newLogger(cfg, os.Stderr), unlock: func() {}}
	defer a.close()
	if err := a.connect(cfg); err != nil {
		return err
	}
	if err := checkEmptyTarget(ctx, a.js, cfg); err != nil {
		return err
	}
	loaded, err := loadBackup(ctx, a, cfg, dir, m, master, erased)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Restored %d commits, %d data keys, %d lead-grant records, %d file records, %d kept-mail records and %d credential records from %s into %s.\n"+
		"Left out the data keys of %d erased people, as the restored log records their erasure.\n"+
		"Read models in PostgreSQL: start with an empty database, or run werkstatt rebuild.\n",
		loaded["events"], loaded["keys"], loaded["lead-grants"], loaded["blobs"], loaded["mails"], loaded["credentials"], dir, a.eventsWhere(cfg), erasedPeople(erased))
	return nil
}

// loadBackup creates the stream and the buckets as serve would and fills them from the backup: the
// keys, the grants, the stored files and the kept mails first, so that a service already
// watching the target never reads an event whose key or file is still missing. It returns how
// many messages of each kind of file it wrote (a backup from before stored files or kept mails
// has none of them).
func loadBackup(ctx context.Context, a *app, cfg config, dir string, m manifest, master []byte, erased map[string]bool) (map[string]int, error) {
	loaded := map[string]int{}
	var err error
	if a.keyring, err = keys.Open(ctx, a.js, cfg.keysBucket(), master, cfg.Replicas); err != nil {
		return loaded, fmt.Errorf("keyring: %w", err)
	}
	if _, err = grants.Open(ctx, a.js, cfg.leadGrantsBucket(), cfg.Replicas); err != nil {
		return loaded, fmt.Errorf("lead grants: %w", err)
	}
	if _, err = objectstore.Open(ctx, a.js, cfg.blobsBucket(), cfg.Replicas); err != nil {
		return loaded, fmt.Errorf("stored files: %w", err)
	}
	if _, err = mailbox.Open(ctx, a.js, cfg.mailsBucket(), cfg.Replicas, a.keyring); err != nil {
		return loaded, fmt.Errorf("kept mails: %w", err)
	}
	if _, err = credentials.Open(ctx, a.js, cfg.credentialsBucket(), cfg.Replicas); err != nil {
		return loaded, fmt.Errorf("credentials: %w", err)
	}
	if _, err = eventstore.Open(ctx, a.js, cfg.streamConfig(), a.keyring); err != nil {
		return loaded, fmt.Errorf("event store: %w", err)
	}
	targets := map[string]backupFile{}
	for _, f := range cfg.backupSources() {
		targets[f.Kind] = f
	}
	files := map[string]backupFile{}
	for _, f := range m.Files {
		files[f.Kind] = f
	}
	for _, kind := range []string{"keys", "lead-grants", "blobs", "mails", "credentials", "events"} {
		f, ok := files[kind]
		if !ok {
			continue // a backup from before stored files, kept mails or credentials
		}
		skip := func(r backupRecord) bool { return false }
		if f.Kind == "keys" {
			skip = func(r backupRecord) bool { return erased[strings.TrimPrefix(r.Subject, f.SubjectPrefix)] }
		}
		if loaded[kind], err = loadFile(ctx, a.js, dir, f, targets[f.Kind], skip); err != nil {
			return loaded, fmt.Errorf("restore %s: %w (the target is now partly filled: remove it before trying again)", f.Name, err)
		}
		if f.Kind != "keys" {
			continue
		}
		// The erased people's keys were left out; erasing them also records the erasure in the
		// new bucket, as the service does.
		for subject := range erased {
			if err := a.keyring.Erase(ctx, subject); err != nil {
				return loaded, fmt.Errorf("re-apply the erasure of %s: %w", subject, err)
			}
		}
	}
	return loaded, nil
}

// readManifest reads and checks the manifest of a backup folder.
func readManifest(dir string) (manifest, error) {
	var m manifest
	raw, err := os.ReadFile(filepath.Join(dir, manifestName))
	if errors.Is(err, os.ErrNotExist) {
		return m, fmt.Errorf("%s holds no %s: not a backup, or an unfinished one", dir, manifestName)
	}
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return m, fmt.Errorf("%s: %w", manifestName, err)
	}
	if m.Format != backupFormat || m.Version != backupVersion {
		return m, fmt.Errorf("%s: format %q version %d, this werkstatt reads %q version %d",
			manifestName, m.Format, m.Version, backupFormat, backupVersion)
	}
	kinds := []string{"events", "keys", "lead-grants", "blobs", "mails", "credentials"}
	if len(m.Files) < 3 || len(m.Files) > len(kinds) { // older backups end before blobs, mails or credentials
		return m, fmt.Errorf("%s: %d files, want %d", manifestName, len(m.Files), len(kinds))
	}
	for i, f := range m.Files {
		if f.Kind != kinds[i] || filepath.Base(f.Name) != f.Name {
			return m, fmt.Errorf("%s: file %d is %q (%s), want the %s", manifestName, i+1, f.Name, f.Kind, kinds[i])
		}
	}
	return m, nil
}

// restoreMasterKey returns the master key the restored data will be read with. It never makes
// a new one: a new key could not read the backed-up personal data.
func restoreMasterKey(cfg config) ([]byte, error) {
	path := filepath.Join(cfg.DataDir, "master.key")
	if cfg.MasterKey == "" {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no master key: copy the master key of the backed-up instance to %s, "+
				"or set WERKSTATT_MASTER_KEY (or WERKSTATT_MASTER_KEY_FILE)", path)
		}
	}
	master, err := keys.MasterKey(cfg.MasterKey, path)
	if err != nil {
		return nil, fmt.Errorf("master key: %w", err)
	}
	return master, nil
}

// checkBackup reads every file of the backup once: the counts and checksums must match the
// manifest, every data key must unwrap with master, and the log's erasures are collected.
func checkBackup(dir string, m manifest, master []byte) (erased map[string]bool, err error) {
	erased = map[string]bool{}
	for _, f := range m.Files {
		var check func(backupRecord) error
		switch f.Kind {
		case "events":
			check = func(r backupRecord) error {
				subjects, err := eventstore.Erasures(r.Data)
				for _, s := range subjects {
					erased[s] = true
				}
				return err
			}
		case "keys":
			check = func(r backupRecord) error {
				if op := r.Header.Get("KV-Operation"); op != "" || len(r.Data) == 0 {
					return nil // a deleted key
				}
				subject := strings.TrimPrefix(r.Subject, f.SubjectPrefix)
				if err := keys.CheckWrapped(master, subject, r.Data); err != nil {
					return fmt.Errorf("the master key does not unwrap the backed-up data key of %s: "+
						"restore with the master key of the backed-up instance (%w)", subject, err)
				}
				return nil
			}
		}
		if err := eachRecord(dir, f, check); err != nil {
			return nil, err
		}
	}
	return erased, nil
}

// eachRecord hands every record of f to check (nil: none), after checking its subjects, and
// checks the file's count and checksum against the manifest at its end.
func eachRecord(dir string, f backupFile, check func(backupRecord) error) error {
	file, err := os.Open(filepath.Join(dir, f.Name))
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer file.Close()
	sum := sha256.New()
	dec := json.NewDecoder(bufio.NewReader(io.TeeReader(file, sum)))
	n := 0
	for {
		var r backupRecord
		if err := dec.Decode(&r); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return fmt.Errorf("backup %s, record %d: %w", f.Name, n+1, err)
		}
		n++
		if !strings.HasPrefix(r.Subject, f.SubjectPrefix) {
			return fmt.Errorf("backup %s, record %d: subject %q does not start with %q", f.Name, n, r.Subject, f.SubjectPrefix)
		}
		if check != nil {
			if err := check(r); err != nil {
				return err
			}
		}
	}
	io.Copy(sum, file) // anything after the last record counts too
	if got := hex.EncodeToString(sum.Sum(nil)); n != f.Messages || got != f.SHA256 {
		return fmt.Errorf("backup %s is damaged: %d records with checksum %s, the manifest says %d with %s",
			f.Name, n, got, f.Messages, f.SHA256)
	}
	return nil
}

// checkEmptyTarget refuses a target whose stream or buckets hold anything.
func checkEmptyTarget(ctx context.Context, js jetstream.JetStream, cfg config) error {
	for _, f := range cfg.backupSources() {
		s, err := js.Stream(ctx, f.Stream)
		if errors.Is(err, jetstream.ErrStreamNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		info, err := s.Info(ctx)
		if err != nil {
			return err
		}
		if info.State.Msgs > 0 || info.State.LastSeq > 0 {
			return fmt.Errorf("the target is not empty: stream %s holds %d messages; restore only into a new data folder "+
				"(--data-dir) or a NATS server without this stream (--nats-url, or another --stream)", f.Stream, info.State.Msgs)
		}
	}
	return nil
}

// loadFile publishes the records of f in order under the subjects of to. Headers stay, except
// the expectations of the original publish: each event is published expecting the sequence
// the previous event of its subject got here, as the event store does.
func loadFile(ctx context.Context, js jetstream.JetStream, dir string, f, to backupFile, skip func(backupRecord) bool) (int, error) {
	last := map[string]uint64{} // subject -> its last sequence in the target
	n := 0
	err := eachRecord(dir, f, func(r backupRecord) error {
		if skip(r) {
			return nil
		}
		msg := &nats.Msg{Subject: to.SubjectPrefix + strings.TrimPrefix(r.Subject, f.SubjectPrefix), Header: nats.Header{}, Data: r.Data}
		for k, v := range r.Header {
			if !strings.HasPrefix(k, "Nats-Expected-") {
				msg.Header[k] = v
			}
		}
		var opts []jetstream.PublishOpt
		if f.Kind == "events" {
			opts = append(opts, jetstream.WithExpectLastSequencePerSubject(last[msg.Subject]))
		}
		ack, err := js.PublishMsg(ctx, msg, opts...)
		if err != nil {
			return fmt.Errorf("record %d (sequence %d): %w", n+1, r.Seq, err)
		}
		if ack.Duplicate {
			return fmt.Errorf("record of sequence %d repeats the Nats-Msg-Id %q of an earlier one", r.Seq, msg.Header.Get(nats.MsgIdHdr))
		}
		last[msg.Subject] = ack.Sequence
		n++
		return nil
	})
	return n, err
}

// erasedPeople counts the people among the erased data subjects: a registration's evidence key
// (an evidence hold's) is the same person's.
func erasedPeople(erased map[string]bool) int {
	n := 0
	for s := range erased {
		if !domain.IsEvidenceSubject(s) {
			n++
		}
	}
	return n
}
