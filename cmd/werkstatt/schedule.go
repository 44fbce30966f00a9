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
