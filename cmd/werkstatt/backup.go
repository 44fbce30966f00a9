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
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// The backup format, version 1: a folder with one JSON-lines file per JetStream stream and a
// manifest.json written last (a folder without it is an unfinished backup). Each line of a
// file is one stored message, in stream order, as a backupRecord. The manifest names the
// files with their message counts, first and last stream sequences and SHA-256 checksums.
const (
	backupFormat   = "werkstatt-backup"
	backupVersion  = 1
	manifestName   = "manifest.json"
	eventsFile     = "events.jsonl"
	keysFile       = "keys.jsonl"
	leadGrantsFile = "lead-grants.jsonl"
	blobsFile      = "blobs.jsonl"
	mailsFile      = "mails.jsonl"
	credsFile      = "credentials.jsonl"
)

// backupFlags are the arguments of backup and restore.
type backupFlags struct {
	Dir string
}

// manifest describes a backup folder.
type manifest struct {
	Format    string       `json:"format"`
	Version   int          `json:"version"`
	CreatedAt time.Time    `json:"created_at"`
	Stream    string       `json:"stream"` // --stream of the backed-up instance
	Files     []backupFile `json:"files"`
}

// backupFile describes one file of a backup: the stored messages of one JetStream stream.
type backupFile struct {
	Name string `json:"name"`
	Kind string `json:"kind"` // "events", "keys", "lead-grants", "blobs", "mails" or "credentials"
	// Stream is the JetStream stream that was read, SubjectPrefix what its subjects start
	// with; a restore under another --stream replaces the prefix.
	Stream        string `json:"stream"`
	SubjectPrefix string `json:"subject_prefix"`
	Messages      int    `json:"messages"`
	FirstSeq      uint64 `json:"first_seq"`
	LastSeq       uint64 `json:"last_seq"`
	SHA256        string `json:"sha256"`
}

// backupRecord is one stored message: its stream sequence and time when it was backed up, its
// subject, its headers (Nats-Msg-Id, Werkstatt-Command, KV-Operation, ...) and its payload.
type backupRecord struct {
	Seq     uint64      `json:"seq"`
	Time    time.Time   `json:"time"`
	Subject string      `json:"subject"`
	Header  nats.Header `json:"header,omitempty"`
	Data    []byte      `json:"data"` // base64 in JSON
}

// backupSources lists what a backup holds, in the order it is taken: the events first, then
// the keys, so that every key an event in the backup needs is in it too (unless erased since),
// then the stored files (funders' logos), so that every file an event names is in it too, and
// the kept mails (sealed like the personal data they carry).
// An object store is a stream like the buckets: its chunks and its metadata are messages.
func (cfg config) backupSources() []backupFile {
	kv := func(kind, name, bucket string) backupFile {
		return backupFile{Name: name, Kind: kind, Stream: "KV_" + bucket, SubjectPrefix: "$KV." + bucket + "."}
	}
	return []backupFile{
		{Name: eventsFile, Kind: "events", Stream: cfg.Stream, SubjectPrefix: cfg.streamConfig().Subjects + "."},
		kv("keys", keysFile, cfg.keysBucket()),
		kv("lead-grants", leadGrantsFile, cfg.leadGrantsBucket()),
		{Name: blobsFile, Kind: "blobs", Stream: "OBJ_" + cfg.blobsBucket(), SubjectPrefix: "$O." + cfg.blobsBucket() + "."},
		kv("mails", mailsFile, cfg.mailsBucket()),
		// Accounts' password hashes, links and API tokens: a restore keeps people able to sign in.
		kv("credentials", credsFile, cfg.credentialsBucket()),
	}
}

// backup writes the event stream, the key bucket, the lead grants bucket and the stored files
// into a new folder.
func backup(ctx context.Context, cfg config, stdout io.Writer) error {
	dir := cfg.Backup.Dir
	if cfg.NATSURL == "" {
		if _, err := os.Stat(filepath.Join(cfg.DataDir, "jetstream")); err != nil {
			return fmt.Errorf("%s holds no embedded NATS store to back up (--data-dir, or --nats-url for an external NATS): %w", cfg.DataDir, err)
		}
	}
	if err := newBackupDir(dir); err != nil {
		return err
	}
	a := &app{log: newLogger(cfg, os.Stderr), unlock: func() {}}
	defer a.close()
	if err := a.connect(cfg); err != nil {
		return runningHint(cfg, err, "back up")
	}
	m := manifest{Format: backupFormat, Version: backupVersion, CreatedAt: time.Now().UTC(), Stream: cfg.Stream}
	for _, f := range cfg.backupSources() {
		if err := dumpStream(ctx, a.js, dir, &f); err != nil {
			return err
		}
		m.Files = append(m.Files, f)
	}
	if m.Files[0].Messages == 0 {
		os.RemoveAll(dir)
		return fmt.Errorf("stream %s holds no events at %s: nothing to back up (is --stream right?)", cfg.Stream, a.eventsWhere(cfg))
	}
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFileSync(filepath.Join(dir, manifestName), append(raw, '\n')); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backed up %d commits (sequences %d-%d), %d key records, %d lead-grant records, %d file records, %d kept-mail records and %d credential records to %s.\n"+
		"The master key is not in the backup: keep it apart, a restore needs it.\n",
		m.Files[0].Messages, m.Files[0].FirstSeq, m.Files[0].LastSeq, m.Files[1].Messages, m.Files[2].Messages, m.Files[3].Messages, m.Files[4].Messages, m.Files[5].Messages, dir)
	return nil
}

// runningHint explains how to reach the embedded server of a running service.
func runningHint(cfg config, err error, what string) error {
	if cfg.NATSURL == "" {
		return fmt.Errorf("%w\n(to %s beside a running service that embeds NATS, start it with --nats-listen and its credentials, "+
			"and pass that address here as --nats-url, e.g. nats://TOKEN@127.0.0.1:4222)", err, what)
	}
	return err
}

// newBackupDir creates dir, or accepts it when it exists and is empty.
func newBackupDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("backup folder: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("backup folder: %w", err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("backup folder %s is not empty: choose a new one", dir)
	}
	return nil
}

// dumpStream writes every message stored in f.Stream up to its last sequence as of now into
// dir/f.Name and fills in f's counts and checksum. A bucket that does not exist is empty.
func dumpStream(ctx context.Context, js jetstream.JetStream, dir string, f *backupFile) error {
	file, err := os.OpenFile(filepath.Join(dir, f.Name), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer file.Close()
	sum := sha256.New()
	w := bufio.NewWriter(io.MultiWriter(file, sum))
	enc := json.NewEncoder(w)
	// The event stream denies deletes: every sequence up to the last must be there.
	err = readStream(ctx, js, f.Stream, f.Kind == "events", func(r backupRecord) error {
		if f.Messages == 0 {
			f.FirstSeq = r.Seq
		}
		f.Messages, f.LastSeq = f.Messages+1, r.Seq
		return enc.Encode(r)
	})
	if err != nil {
		return fmt.Errorf("back up %s: %w", f.Stream, err)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	f.SHA256 = hex.EncodeToString(sum.Sum(nil))
	if err := file.Sync(); err != nil {
		return err
	}
	return file.Close()
}

// readStream hands every message of stream up to its last sequence as of the call to f, in
// order. A stream that does not exist has no messages. complete says the stream never loses
// a message (the events); others may lose some while they are read (a purged key).
func readStream(ctx context.Context, js jetstream.JetStream, stream string, complete bool, f func(backupRecord) error) error {
	s, err := js.Stream(ctx, stream)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	info, err := s.Info(ctx)
	if err != nil {
		return err
	}
	last := info.State.LastSeq
	if info.State.Msgs == 0 {
		return nil
	}
	cons, err := s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverAllPolicy})
	if err != nil {
		return err
	}
	var delivered uint64
	for empty := 0; ; {
		batch, err := cons.Fetch(1000, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			return err
		}
		n := 0
		for msg := range batch.Messages() {
			md, err := msg.Metadata()
			if err != nil {
				return err
			}
			if md.Sequence.Stream > last {
				return nil // written after the backup began
			}
			n, delivered = n+1, md.Sequence.Stream
			r := backupRecord{Seq: md.Sequence.Stream, Time: md.Timestamp.UTC(), Subject: msg.Subject(), Header: msg.Headers(), Data: msg.Data()}
			if err := f(r); err != nil {
				return err
			}
			if r.Seq == last || md.NumPending == 0 {
				return nil
			}
		}
		if err := batch.Error(); err != nil && !errors.Is(err, jetstream.ErrNoMessages) && !errors.Is(err, nats.ErrTimeout) {
			return err
		}
		if n > 0 {
			empty = 0
		} else if empty++; empty == 3 {
			if complete {
				return fmt.Errorf("read up to sequence %d of %d, then nothing more came", delivered, last)
			}
			return nil // the rest was removed meanwhile (a purged key)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

func writeFileSync(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
