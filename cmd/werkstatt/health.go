package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/projections"
)

const (
	// maxLag is how long a projection may stay behind a sequence the stream already had before
	// /readyz reports it: live, a command's events reach the read models within milliseconds.
	maxLag = 5 * time.Second
	// checkTimeout bounds each readiness probe (the event log, the read-model database).
	checkTimeout = 900 * time.Millisecond
)

// health answers /readyz and feeds /metrics: whether the event log and the read-model database
// answer, whether a projection is stuck or lags behind the stream, and whether the service shuts
// down. It reports classifications ("unreachable"), never an error's text: /readyz is public.
type health struct {
	lastSeq func(context.Context) (uint64, error) // the event stream's last sequence
	ping    func(context.Context) error           // the read-model database; nil for memory
	runner  *projections.Runner
	now     func() time.Time

	shuttingDown atomic.Bool

	mu     sync.Mutex
	behind map[string]lagMark // projections behind the stream, since when
	lag    map[string]uint64  // events each projection was behind at the last sample
}

// lagMark is a sequence the stream had at since that the projection has not reached yet.
type lagMark struct {
	target uint64
	since  time.Time
}

func newHealth(lastSeq func(context.Context) (uint64, error), ping func(context.Context) error, runner *projections.Runner) *health {
	return &health{lastSeq: lastSeq, ping: ping, runner: runner, now: time.Now,
		behind: map[string]lagMark{}, lag: map[string]uint64{}}
}

// watch samples the lag every second until ctx ends, so that /readyz knows how long a
// projection has been behind even when it is asked rarely, and /metrics is fresh.
func (h *health) watch(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			sctx, cancel := context.WithTimeout(ctx, checkTimeout)
			_ = h.sample(sctx)
			cancel()
		}
	}
}

// sample reads the stream's last sequence and updates each projection's lag.
func (h *health) sample(ctx context.Context) error {
	head, err := h.lastSeq(ctx)
	if err != nil {
		return err
	}
	now := h.now()
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, st := range h.runner.Statuses() {
		name, cp := st.Projection, st.Checkpoint
		h.lag[name] = head - min(cp, head)
		m, ok := h.behind[name]
		switch {
		case cp >= head:
			delete(h.behind, name)
		case !ok || cp >= m.target: // newly behind, or it reached what it lacked before
			h.behind[name] = lagMark{target: head, since: now}
		}
	}
	return nil
}

// lagging returns how many events name is behind if it has been behind for longer than maxLag.
func (h *health) lagging(name string) (uint64, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	m, ok := h.behind[name]
	return h.lag[name], ok && h.now().Sub(m.since) > maxLag
}

// lags returns each projection's lag in events at the last sample.
func (h *health) lags() map[string]uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make(map[string]uint64, len(h.lag))
	for k, v := range h.lag {
		out[k] = v
	}
	return out
}

// ready is handlers.Config.Ready: nil, or a handlers.NotReady naming every check.
func (h *health) ready(ctx context.Context) error {
	checks := map[string]any{}
	ok := true
	if h.shuttingDown.Load() {
		checks["service"], ok = "shutting down", false
	}
	sctx, cancel := context.WithTimeout(ctx, checkTimeout)
	err := h.sample(sctx)
	cancel()
	checks["event_log"] = classify(err)
	ok = ok && err == nil
	checks["read_models"] = "ok"
	if h.ping != nil {
		pctx, cancel := context.WithTimeout(ctx, checkTimeout)
		err := h.ping(pctx)
		cancel()
		checks["read_models"] = classify(err)
		ok = ok && err == nil
	}
	each := map[string]string{}
	for _, st := range h.runner.Statuses() {
		each[st.Projection] = "ok"
		if st.Stuck != nil {
			each[st.Projection], ok = st.Stuck.String(), false
		} else if n, late := h.lagging(st.Projection); late {
			each[st.Projection], ok = fmt.Sprintf("behind by %d events for more than %s", n, maxLag), false
		}
	}
	checks["projections"] = each
	if ok {
		return nil
	}
	return handlers.NotReady{Checks: checks}
}

// classify names a check's outcome without the error's text.
func classify(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, domain.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		return "unreachable"
	default:
		return "failing"
	}
}
