// Package snapshots keeps snapshots of the memory read models in a JetStream object store beside
// the log, so that a restart loads the state and replays only what came after it instead of the
// whole log. The log stays the only source of truth: a snapshot is used only when the stream is
// the one it was taken from (same creation time, same message at its sequence), and anything
// wrong with it means a full replay, never a wrong answer.
//
// A snapshot holds personal data in clear form (the read models do), so each one is sealed in
// chunks under a data key of its own in the keyring. Erasing that key makes the stored bytes
// unreadable, as erasing a person's key does for the log: Invalidate does it for every snapshot
// taken before a person's data was forgotten, Prune for the snapshots a newer one replaces.
package snapshots

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/natsconn"
)

// Keys seals and opens a snapshot's chunks under a data key of its own and erases that key
// (*keys.Keyring).
type Keys interface {
	Seal(ctx context.Context, subject string, plaintext, ad []byte) ([]byte, error)
	Open(ctx context.Context, subject string, sealed, ad []byte) ([]byte, error)
	Erase(ctx context.Context, subject string) error
}

// Snapshot describes a stored snapshot.
type Snapshot struct {
	Name string
	Seq  uint64 // the log's sequence up to which every read model in it was applied
	Size uint64 // sealed bytes
	Made time.Time

	stream, identity string // of the log it was taken of (see valid), as List read them
}

// ErrNone is returned by Load when no usable snapshot is stored.
var ErrNone = errors.New("snapshots: no usable snapshot")

const (
	chunkSize = 1 << 20 // plaintext per sealed chunk: bounds what reading and writing hold at once
	// maxFrame bounds a sealed chunk read back: its plaintext and the seal's overhead.
	maxFrame = chunkSize + 1024

	metaSeq      = "werkstatt-seq"
	metaStream   = "werkstatt-stream"   // the stream's creation time: a restored log is another stream
	metaIdentity = "werkstatt-identity" // the message at Seq: subject and time
	prefix       = "memory-"
)

// Store keeps the snapshots of one stream's read models.
type Store struct {
	obs    jetstream.ObjectStore
	stream jetstream.Stream
	keys   Keys
}

// Open opens (creating if needed) the object store bucket for the snapshots of stream.
func Open(ctx context.Context, js jetstream.JetStream, bucket, stream string, replicas int, keys Keys) (*Store, error) {
	obs, err := js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{
		Bucket:      bucket,
		Description: "Werkstatt: sealed snapshots of the memory read models of " + stream,
		Storage:     jetstream.FileStorage,
		Replicas:    max(replicas, 1),
	})
	if err != nil {
		return nil, fmt.Errorf("snapshots: bucket %s: %w", bucket, natsconn.Classify(err))
	}
	s, err := js.Stream(ctx, stream)
	if err != nil {
		return nil, fmt.Errorf("snapshots: stream %s: %w", stream, natsconn.Classify(err))
	}
	return &Store{obs: obs, stream: s, keys: keys}, nil
}

// Save writes a snapshot of the state up to log sequence seq: write gets a writer that seals
// what it is given chunk by chunk into a temporary file, which is then stored, so that write
// (holding the read models' read lock) never waits for NATS, and nothing holds the whole
// snapshot in memory. A snapshot whose writing failed leaves neither object nor key behind.
func (s *Store) Save(ctx context.Context, seq uint64, write func(io.Writer) error) (_ Snapshot, err error) {
	stream, identity, err := s.identity(ctx, seq)
	if err != nil {
		return Snapshot{}, err
	}
	var tag [6]byte
	_, _ = rand.Read(tag[:])
	name := fmt.Sprintf("%s%020d-%s", prefix, seq, hex.EncodeToString(tag[:]))
	defer func() {
		if err != nil {
			s.remove(context.WithoutCancel(ctx), name)
			err = fmt.Errorf("snapshots: save %s: %w", name, natsconn.Classify(err))
		}
	}()
	f, err := os.CreateTemp("", "werkstatt-snapshot-*")
	if err != nil {
		return Snapshot{}, err
	}
	defer func() { f.Close(); os.Remove(f.Name()) }()
	cw := &chunkWriter{ctx: ctx, keys: s.keys, name: name, out: bufio.NewWriterSize(f, 256<<10)}
	if err := write(cw); err != nil {
		return Snapshot{}, err
	}
	if err := cw.Close(); err != nil {
		return Snapshot{}, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return Snapshot{}, err
	}
	info, err := s.obs.Put(ctx, jetstream.ObjectMeta{Name: name, Metadata: map[string]string{
		metaSeq: strconv.FormatUint(seq, 10), metaStream: stream, metaIdentity: identity}}, bufio.NewReaderSize(f, 256<<10))
	if err != nil {
		return Snapshot{}, err
	}
	return Snapshot{Name: name, Seq: seq, Size: info.Size, Made: info.ModTime, stream: stream, identity: identity}, nil
}

// Load reads the newest snapshot taken of this stream into read and returns it; an older one
// when read fails on the newest (read must leave its target as it was when it fails). ErrNone
// when none is stored, an error wrapping ErrNone and saying why when none could be used: then
// the caller replays the whole log.
func (s *Store) Load(ctx context.Context, read func(io.Reader) error) (Snapshot, error) {
	all, err := s.List(ctx)
	if err != nil {
		return Snapshot{}, err
	}
	var failed []error
	for _, snap := range slices.Backward(all) {
		if err := s.valid(ctx, snap); err != nil {
			failed = append(failed, err)
			continue
		}
		if err := s.read(ctx, snap, read); err != nil {
			if errors.Is(err, domain.ErrUnavailable) {
				return Snapshot{}, err
			}
			failed = append(failed, fmt.Errorf("%s: %w", snap.Name, err))
			continue
		}
		return snap, nil
	}
	if len(failed) == 0 {
		return Snapshot{}, ErrNone
	}
	return Snapshot{}, fmt.Errorf("%w: %w", ErrNone, errors.Join(failed...))
}

func (s *Store) read(ctx context.Context, snap Snapshot, read func(io.Reader) error) error {
	obj, err := s.obs.Get(ctx, snap.Name)
	if err != nil {
		return natsconn.Classify(err)
	}
	defer obj.Close()
	cr := &chunkReader{ctx: ctx, keys: s.keys, name: snap.Name, in: bufio.NewReaderSize(obj, 64<<10)}
	if err := read(cr); err != nil {
		return err
	}
	// read may stop before the end; the end must still be there and authentic.
	if _, err := io.Copy(io.Discard, cr); err != nil {
		return err
	}
	return nil
}

// List returns the stored snapshots, oldest first.
func (s *Store) List(ctx context.Context) ([]Snapshot, error) {
	infos, err := s.obs.List(ctx)
	if errors.Is(err, jetstream.ErrNoObjectsFound) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("snapshots: list: %w", natsconn.Classify(err))
	}
	var all []Snapshot
	for _, info := range infos {
		if !strings.HasPrefix(info.Name, prefix) {
			continue
		}
		seq, err := strconv.ParseUint(info.Metadata[metaSeq], 10, 64)
		if err != nil {
			continue // not ours; Invalidate and Prune leave it alone too
		}
		all = append(all, Snapshot{Name: info.Name, Seq: seq, Size: info.Size, Made: info.ModTime,
			stream: info.Metadata[metaStream], identity: info.Metadata[metaIdentity]})
	}
	slices.SortFunc(all, func(a, b Snapshot) int {
		if c := cmpUint(a.Seq, b.Seq); c != 0 {
			return c
		}
		return a.Made.Compare(b.Made)
	})
	return all, nil
}

// Invalidate erases every snapshot taken before log sequence seq: what a person's erasure at
// seq removed from the read models must not survive in a snapshot. The key goes first, so a
// failure to delete the bytes still leaves them unreadable.
func (s *Store) Invalidate(ctx context.Context, seq uint64) (int, error) {
	return s.removeWhere(ctx, func(snap Snapshot) bool { return snap.Seq < seq })
}

// Prune erases every snapshot older than keep (taken at a lower sequence, or at the same one
// earlier), on any replica: the newest is the one a restart reads.
func (s *Store) Prune(ctx context.Context, keep Snapshot) (int, error) {
	return s.removeWhere(ctx, func(snap Snapshot) bool {
		return snap.Name != keep.Name && (snap.Seq < keep.Seq || snap.Seq == keep.Seq && snap.Made.Before(keep.Made))
	})
}

func (s *Store) removeWhere(ctx context.Context, match func(Snapshot) bool) (int, error) {
	all, err := s.List(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, snap := range all {
		if !match(snap) {
			continue
		}
		if err := s.remove(ctx, snap.Name); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// remove erases a snapshot's key, then its bytes.
func (s *Store) remove(ctx context.Context, name string) error {
	if err := s.keys.Erase(ctx, keySubject(name)); err != nil {
		return fmt.Errorf("snapshots: erase the key of %s: %w", name, err)
	}
	if err := s.obs.Delete(ctx, name); err != nil && !errors.Is(err, jetstream.ErrObjectNotFound) {
		return fmt.Errorf("snapshots: delete %s: %w", name, natsconn.Classify(err))
	}
	return nil
}

// valid tells whether snap was taken of this stream as it is: same creation time, and the
// same message at its sequence (a stream deleted and filled again differs in both).
func (s *Store) valid(ctx context.Context, snap Snapshot) error {
	stream, identity, err := s.identity(ctx, snap.Seq)
	if err != nil {
		return fmt.Errorf("%s: %w", snap.Name, err)
	}
	if snap.stream != stream || snap.identity != identity {
		return fmt.Errorf("%s: taken of another log", snap.Name)
	}
	return nil
}

// identity names the stream (its creation time) and the message at seq (subject and time).
func (s *Store) identity(ctx context.Context, seq uint64) (stream, msg string, err error) {
	info, err := s.stream.Info(ctx)
	if err != nil {
		return "", "", fmt.Errorf("snapshots: stream: %w", natsconn.Classify(err))
	}
	stream = info.Created.UTC().Format(time.RFC3339Nano)
	if seq == 0 {
		return stream, "", nil
	}
	if seq > info.State.LastSeq {
		return "", "", fmt.Errorf("snapshots: sequence %d is beyond the log's last %d", seq, info.State.LastSeq)
	}
	m, err := s.stream.GetMsg(ctx, seq)
	if err != nil {
		return "", "", fmt.Errorf("snapshots: message %d: %w", seq, natsconn.Classify(err))
	}
	return stream, m.Subject + " " + strconv.FormatInt(m.Time.UnixNano(), 10), nil
}

func keySubject(name string) string { return "snapshot_" + name }

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// A sealed snapshot is a sequence of frames: a flag byte (1 on the last), the length of the
// sealed chunk (4 bytes, big endian) and the chunk. The chunk's additional data binds the
// snapshot's name, the chunk's index and the flag, so chunks cannot be reordered, moved between
// snapshots or cut off at the end unnoticed.
type chunkWriter struct {
	ctx  context.Context
	keys Keys
	name string
	out  *bufio.Writer
	buf  []byte
	n    uint64 // chunks written
}

func (w *chunkWriter) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		if w.buf == nil {
			w.buf = make([]byte, 0, chunkSize)
		}
		k := min(len(p), chunkSize-len(w.buf))
		w.buf = append(w.buf, p[:k]...)
		p, written = p[k:], written+k
		if len(w.buf) == chunkSize {
			if err := w.seal(false); err != nil {
				return written, err
			}
		}
	}
	return written, nil
}

// Close seals the last chunk (possibly empty) and flushes.
func (w *chunkWriter) Close() error {
	if err := w.seal(true); err != nil {
		return err
	}
	return w.out.Flush()
}

func (w *chunkWriter) seal(last bool) error {
	sealed, err := w.keys.Seal(w.ctx, keySubject(w.name), w.buf, additional(w.name, w.n, last))
	if err != nil {
		return err
	}
	var head [5]byte
	if last {
		head[0] = 1
	}
	binary.BigEndian.PutUint32(head[1:], uint32(len(sealed)))
	if _, err := w.out.Write(head[:]); err != nil {
		return err
	}
	if _, err := w.out.Write(sealed); err != nil {
		return err
	}
	w.buf, w.n = w.buf[:0], w.n+1
	return nil
}

type chunkReader struct {
	ctx   context.Context
	keys  Keys
	name  string
	in    *bufio.Reader
	plain []byte
	frame []byte
	n     uint64
	done  bool
}

func (r *chunkReader) Read(p []byte) (int, error) {
	for len(r.plain) == 0 {
		if r.done {
			return 0, io.EOF
		}
		if err := r.next(); err != nil {
			return 0, err
		}
	}
	n := copy(p, r.plain)
	r.plain = r.plain[n:]
	return n, nil
}

func (r *chunkReader) next() error {
	var head [5]byte
	if _, err := io.ReadFull(r.in, head[:]); err != nil {
		return fmt.Errorf("snapshots: chunk %d: %w", r.n, unexpected(err))
	}
	size := binary.BigEndian.Uint32(head[1:])
	if head[0] > 1 || size > maxFrame {
		return fmt.Errorf("snapshots: chunk %d is malformed", r.n)
	}
	if cap(r.frame) < int(size) {
		r.frame = make([]byte, size)
	}
	r.frame = r.frame[:size]
	if _, err := io.ReadFull(r.in, r.frame); err != nil {
		return fmt.Errorf("snapshots: chunk %d: %w", r.n, unexpected(err))
	}
	last := head[0] == 1
	plain, err := r.keys.Open(r.ctx, keySubject(r.name), r.frame, additional(r.name, r.n, last))
	if err != nil {
		return fmt.Errorf("snapshots: chunk %d: %w", r.n, err)
	}
	r.plain, r.n, r.done = plain, r.n+1, last
	if last {
		if _, err := r.in.ReadByte(); err != io.EOF {
			return fmt.Errorf("snapshots: bytes after the last chunk")
		}
	}
	return nil
}

func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

func additional(name string, n uint64, last bool) []byte {
	ad := binary.BigEndian.AppendUint64([]byte(name), n)
	if last {
		ad = append(ad, 1)
	}
	return ad
}
