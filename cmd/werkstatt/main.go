// Command werkstatt runs the Werkstatt service and its tools.
//
//	werkstatt [serve] [flags]   run the service (the default)
//	werkstatt demo [flags]      fill the instance with a realistic two-day workshop
//	werkstatt rebuild [flags]   rebuild the PostgreSQL read models from the event log, online
//	werkstatt bench [flags]     measure the headline figures against their raw baselines
//	werkstatt backup [flags] DIR    write the events, data keys and lead grants into a new folder
//	werkstatt restore [flags] DIR   load a backup into a data folder or NATS without events
//	werkstatt healthcheck [flags]   probe /readyz of the instance at --addr: exit 0 or 1
//
// With no flags it embeds a NATS server with JetStream in ./werkstatt-data and keeps its read
// models in memory: nothing needs to be installed.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // --time-zone works without the system's time zone data
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "werkstatt:", err)
		os.Exit(1)
	}
}

// run parses the command line and runs one command until ctx ends. It is main without the
// process: tests call it in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	cfg, err := parseConfig(cmd, args, getenv, stderr)
	if err != nil {
		return err
	}
	switch cmd {
	case "serve":
		return serve(ctx, cfg, stdout, stderr)
	case "demo":
		return demoCmd(ctx, cfg, stdout)
	case "rebuild":
		return rebuild(ctx, cfg, stdout)
	case "bench":
		return benchCmd(ctx, cfg, stdout)
	case "backup":
		return backup(ctx, cfg, stdout)
	case "restore":
		return restore(ctx, cfg, stdout)
	case "healthcheck":
		return healthcheck(ctx, cfg, stdout)
	}
	return fmt.Errorf("%q: %w", cmd, errUsage)
}
