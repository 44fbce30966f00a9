package main

import (
	"context"
	"log/slog"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/werkstatt/werkstatt/infra/snapshots"
	"github.com/werkstatt/werkstatt/projections"
)

// When a replica with memory read models writes a snapshot of them (infra/snapshots): after
// catching up and then at most every snapshotEvery, when at least snapshotMinEvents were applied
// since the last one, and at a graceful stop when snapshotMinAtStop were. A restart then replays
// only what came after. Writing costs about a second per million events, under the read lock.
var ( // variables for the tests
	snapshotCheck     = 5 * time.Second
	snapshotEvery     = 10 * time.Minute
	snapshotMinEvents = uint64(10_000)
	snapshotMinAtStop = uint64(1_000)
)

const snapshotStopLimit = 30 * time.Second

// snapshotter keeps the snapshot of one replica's memory read models fresh, and makes sure no
// snapshot outlives the erasure of personal data it holds: when the read models forgot a
// person's data at sequence f, every snapshot taken before f is replaced and its key erased
// within snapshotCheck (a restart in between loads it, replays the erasure, and replaces it
// then).
type snapshotter struct {
	mem   *projections.Memory
	store *snapshots.Store
	log   *slog.Logger

	last        snapshots.Snapshot // the newest this replica wrote or loaded
	lastAt      time.Time
	invalidated uint64 // the ForgotAt whose older snapshots are gone

	// for /metrics, read while the snapshotter runs
	seq, size       atomic.Uint64 // of the newest snapshot written or loaded
	written, failed atomic.Int64
}

// newest records snap as the newest snapshot written or loaded.
func (s *snapshotter) newest(snap snapshots.Snapshot) {
	s.last, s.lastAt = snap, time.Now()
	s.seq.Store(snap.Seq)
	s.size.Store(snap.Size)
}

// openSnapshots loads the memory read models from the newest snapshot before the projections
// start and keeps a snapshotter for serve to run; with PostgreSQL read models or
// --snapshots=false it does nothing. Only serve uses it: the one-shot commands (demo, bench,
// rebuild) would read a snapshot they have no use for. Snapshots only save time: a bucket that
// cannot be opened (a NATS account that may not create it, say) means a full replay, as before.
func (a *app) openSnapshots(ctx context.Context, cfg config) {
	mem, ok := a.readModels.(*projections.Memory)
	if !ok || cfg.NoSnapshots {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, openTimeout)
	defer cancel()
	store, err := snapshots.Open(ctx, a.js, cfg.snapshotsBucket(), cfg.Stream, cfg.Replicas, a.keyring)
	if err != nil {
		a.log.Warn("no snapshots of the read models: every start replays the whole log", "err", err)
		return
	}
	a.snapshots = &snapshotter{mem: mem, store: store, log: a.log.With("component", "snapshots")}
	a.snapshots.load(ctx)
}

// load fills the empty memory read models from the newest usable snapshot. Anything wrong with
// it means a full replay, which is always right: it is logged, not returned.
func (s *snapshotter) load(ctx context.Context) {
	start := time.Now()
	snap, err := s.store.Load(ctx, s.mem.ReadSnapshot)
	switch {
	case err == snapshots.ErrNone:
		s.log.Info("no snapshot of the read models yet: replaying the whole log")
	case err != nil:
		s.log.Warn("snapshot of the read models not loaded: replaying the whole log", "err", err)
	default:
		s.newest(snap)
		s.log.Info("read models loaded from a snapshot", "seq", snap.Seq, "bytes", snap.Size,
			"took", time.Since(start).Round(time.Millisecond))
		// The erasures the snapshot already holds need no new snapshot at every start: only
		// snapshots taken before them must go (normally gone already).
		if f := s.mem.ForgotAt(); f > 0 {
			if _, err := s.store.Invalidate(ctx, f); err == nil {
				s.invalidated = f
				if snap.Seq < f { // labelled before an erasure its state holds: write a new one soon
					s.last, s.lastAt = snapshots.Snapshot{}, time.Time{}
				}
			}
		}
	}
}

// run checks every snapshotCheck until ctx ends.
func (s *snapshotter) run(ctx context.Context) {
	t := time.NewTicker(snapshotCheck)
	defer t.Stop()
	for {
		s.check(ctx, false)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// check replaces the snapshots an erasure made stale and writes a new one when it is due
// (stopping: when enough changed since the last).
func (s *snapshotter) check(ctx context.Context, stopping bool) {
	if f := s.mem.ForgotAt(); f > s.invalidated {
		if s.applied() >= f {
			s.save(ctx) // the new one no longer holds what was forgotten
		}
		n, err := s.store.Invalidate(ctx, f)
		if err != nil {
			s.log.Warn("snapshots taken before an erasure not removed yet: trying again", "seq", f, "err", err)
			return
		}
		if n > 0 {
			s.log.Info("snapshots taken before an erasure removed", "seq", f, "removed", n)
		}
		s.invalidated = f
		if s.last.Seq < f {
			s.last = snapshots.Snapshot{}
		}
	}
	seq := s.applied()
	due := seq >= s.last.Seq+snapshotMinEvents && time.Since(s.lastAt) >= snapshotEvery
	if stopping {
		due = seq >= s.last.Seq+snapshotMinAtStop
	}
	if due && seq > s.last.Seq {
		s.save(ctx)
	}
}

// applied is the sequence every projection has reached: the snapshot's sequence. The state
// written is taken after it is read, so it is never older than what the snapshot's sequence
// says (Invalidate relies on that).
func (s *snapshotter) applied() uint64 {
	cps := s.mem.Checkpoints()
	var lowest uint64
	for i, p := range projections.All() {
		if cp := cps[p.Name()]; i == 0 || cp < lowest {
			lowest = cp
		}
	}
	return lowest
}

func (s *snapshotter) save(ctx context.Context) {
	start := time.Now()
	seq := s.applied()
	snap, err := s.store.Save(ctx, seq, s.mem.WriteSnapshot)
	if err != nil {
		s.failed.Add(1)
		s.log.Warn("snapshot of the read models not written", "seq", seq, "err", err)
		return
	}
	s.written.Add(1)
	s.newest(snap)
	// Writing allocates in proportion to the read models (tables, buffers): give those pages
	// back now rather than over the next minutes, as after the replay.
	debug.FreeOSMemory()
	s.log.Info("snapshot of the read models written", "seq", seq, "bytes", snap.Size, "took", time.Since(start).Round(time.Millisecond))
	if _, err := s.store.Prune(ctx, snap); err != nil {
		s.log.Warn("older snapshots of the read models not removed", "err", err)
	}
}
