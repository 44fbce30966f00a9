package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/werkstatt/werkstatt/internal/demo"
)

// demoCmd wires `werkstatt demo`: it fills the instance with internal/demo's series through
// the HTTP API in-process, then stops. Running it twice adds nothing.
func demoCmd(ctx context.Context, cfg config, stdout io.Writer) error {
	a, err := open(ctx, cfg, newLogger(cfg, io.Discard))
	if err != nil {
		return err
	}
	defer a.close()
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	done := a.start(runCtx)
	// The demo acts as an organiser through a one-off token that only this process knows.
	token := rand.Text()
	// The demo registers people for the series' earlier workshops as they did before those took
	// place: its application reads the demo's clock, which the demo moves back for them.
	var mu sync.Mutex
	clock := time.Time{}
	a.now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		if clock.IsZero() {
			return time.Now()
		}
		return clock
	}
	setClock := func(t time.Time) { mu.Lock(); defer mu.Unlock(); clock = t }
	e, err := a.handler(ctx, sha256.Sum256([]byte(token)), httpLimits{})
	if err != nil {
		return err
	}
	filled, err := demo.Fill(e, token, time.Now(), setClock)
	if err != nil {
		return err
	}
	stop()
	<-done
	id := filled.Workshop
	fmt.Fprintf(stdout, "Demo workshop %s is ready: start the service and open /api/v1/workshops/%s\n", id, id)
	if filled.Lead.Status == "active" {
		fmt.Fprintf(stdout, "Project lead of the series %s: sign in at /lead/sign-in with\n\n    %s\n\n", demo.Series, filled.Lead.Token)
	}
	if _, err := os.Stat(cfg.DataDir); err == nil && a.ns != nil {
		fmt.Fprintf(stdout, "(stored in %s)\n", cfg.DataDir)
	}
	return nil
}
