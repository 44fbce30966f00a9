package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"
)

// addCommandFlags adds the flags that only one command reads.
func addCommandFlags(cmd string, fs *flag.FlagSet, c *config) {
	if cmd == "healthcheck" {
		fs.BoolVar(&c.Health.Live, "live", false, "probe /healthz (alive) instead of /readyz (ready to serve)")
	}
}

// commandArgs takes the arguments after the flags: the folder of backup and restore, none for
// the other commands.
func (c *config) commandArgs(cmd string, args []string) error {
	switch cmd {
	case "backup", "restore":
		if len(args) != 1 || args[0] == "" {
			return fmt.Errorf("usage: werkstatt %s [flags] DIR", cmd)
		}
		c.Backup.Dir = args[0]
		return nil
	}
	if len(args) > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(args, " "))
	}
	return nil
}

var errUsage = errors.New("unknown command: want serve, demo, rebuild, bench, backup, restore or healthcheck")
