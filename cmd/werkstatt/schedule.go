package main

import (
	"context"
	"time"

	application "github.com/werkstatt/werkstatt/app"
)

// dueMailsEvery is how often an instance looks for reminders and feedback requests that are
// due; tests shorten it.
var dueMailsEvery = time.Minute

// runSchedule decides the scheduled mails (see application.App.SendDueMails) once at start and
// then every dueMailsEvery until ctx ends. Every replica runs it: the domain decides each mail
// once, so the replicas need not agree on who does.
func (a *app) runSchedule(ctx context.Context, cmds *application.App) {
	t := time.NewTicker(dueMailsEvery)
	defer t.Stop()
	for {
		n, err := cmds.SendDueMails(ctx)
		if err != nil && ctx.Err() == nil {
			a.log.Warn("scheduled mails", "err", err) // the next tick tries again
		}
		if n > 0 {
			a.log.Info("scheduled mails decided", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// retentionEvery is how often an instance runs the retention (see
// application.App.RunDueRetention). A run erases only what is due and a repeat erases nothing
// new, so checking hourly erases each registration within an hour of its date; tests shorten it.
var retentionEvery = time.Hour

// runRetention runs the retention once at start and then every retentionEvery until ctx ends.
// Every replica runs it: the erasures' command ids derive from the registrations, so a second
// replica's attempt is a duplicate.
func (a *app) runRetention(ctx context.Context, cmds *application.App) {
	t := time.NewTicker(retentionEvery)
	defer t.Stop()
	for {
		run, err := cmds.RunDueRetention(ctx)
		if err != nil && ctx.Err() == nil {
			a.log.Warn("retention run", "err", err) // the next run completes it
		}
		if len(run.Erased)+len(run.Reduced) > 0 {
			a.log.Info("retention run", "erased", len(run.Erased), "reduced", len(run.Reduced))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
