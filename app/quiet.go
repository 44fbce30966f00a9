package app

import (
	"context"
	"time"
)

// DefaultQuietAnswerFloor is Config.QuietAnswerFloor's default: well above the time a known
// address's extra work (an append, a password link) takes, so that both answers take the floor.
const DefaultQuietAnswerFloor = 400 * time.Millisecond

// quietly does work and returns its error no earlier than the floor after start, so that how
// long the answer takes does not tell what work found (whether an address is known). The work
// is done before the answer in full; only a caller who went away (ctx) is answered sooner. A
// use case calls it after its checks of the input: a malformed address reveals nothing and is
// refused at once. The floor is measured on the real clock, not Config.Now.
func (a *App) quietly(ctx context.Context, start time.Time, work func() error) error {
	err := work()
	if wait := time.Until(start.Add(a.cfg.QuietAnswerFloor)); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
		}
	}
	return err
}
