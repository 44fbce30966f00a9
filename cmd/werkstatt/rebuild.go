package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// rebuild rebuilds the PostgreSQL read models from sequence 1 into a new generation and
// switches to it while the service keeps serving from the old one.
func rebuild(ctx context.Context, cfg config, stdout io.Writer) error {
	if cfg.DatabaseURL == "" {
		return errors.New("rebuild works on PostgreSQL read models (--database-url); in-memory read models are rebuilt at every start")
	}
	a, err := open(ctx, cfg, newLogger(cfg, os.Stderr))
	if err != nil {
		return runningHint(cfg, err, "rebuild")
	}
	defer a.close()
	last, err := a.events.LastSeq(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	if err := a.pg.Rebuild(ctx, a.events.Replay); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Rebuilt the read models from %d commits in %s; the service reads the new generation now.\n",
		last, time.Since(start).Round(time.Millisecond))
	return nil
}
