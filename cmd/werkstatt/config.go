package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"github.com/werkstatt/werkstatt/projections"
)

// config is everything the commands read from flags and the environment. A flag wins over its
// environment variable, which wins over the default.
type config struct {
	Addr         string
	DataDir      string
	NATSURL      string
	NATSListen   string
	Replicas     int
	DatabaseURL  string
	AdminToken   string
	MasterKey    string
	LogLevel     slog.Level
	MetricsAddr  string
	Stream       string
	BenchN       int
	BenchClients int
	BenchSeries  projections.SeriesSize
}

// options lists each setting once, for the flags, the environment and the README's table.
var options = []struct {
	flag, env, def, usage string
	set                   func(*config, string) error
}{
	{"addr", "WERKSTATT_ADDR", "localhost:8080", "HTTP listen address",
		func(c *config, v string) error { c.Addr = v; return nil }},
	{"data-dir", "WERKSTATT_DATA_DIR", "./werkstatt-data", "folder for the embedded JetStream store, the master key and the organiser token hash",
		func(c *config, v string) error { c.DataDir = v; return nil }},
	{"nats-url", "WERKSTATT_NATS_URL", "", "external NATS server or cluster (comma-separated URLs); empty embeds one",
		func(c *config, v string) error { c.NATSURL = v; return nil }},
	{"nats-listen", "WERKSTATT_NATS_LISTEN", "", "let NATS clients connect to the embedded server at HOST:PORT",
		func(c *config, v string) error { c.NATSListen = v; return nil }},
	{"nats-replicas", "WERKSTATT_NATS_REPLICAS", "1", "stream replicas on an external cluster (1 or 3)",
		func(c *config, v string) error { return positive(&c.Replicas, "nats-replicas", v) }},
	{"database-url", "WERKSTATT_DATABASE_URL", "", "PostgreSQL for the read models; empty keeps them in memory",
		func(c *config, v string) error { c.DatabaseURL = v; return nil }},
	{"stream", "WERKSTATT_STREAM", "WERKSTATT", "JetStream stream holding the events, on subjects <stream in lower case>.events.>",
		func(c *config, v string) error { c.Stream = v; return nil }},
	{"log-level", "WERKSTATT_LOG_LEVEL", "info", "debug, info, warn or error",
		func(c *config, v string) error { return c.LogLevel.UnmarshalText([]byte(v)) }},
	{"metrics-addr", "WERKSTATT_METRICS_ADDR", "", "serve Prometheus metrics at http://HOST:PORT/metrics; empty serves none",
		func(c *config, v string) error { c.MetricsAddr = v; return nil }},
}

func positive(dst *int, name, v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return fmt.Errorf("--%s: %q is not a positive number", name, v)
	}
	*dst = n
	return nil
}

func parseConfig(cmd string, args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("werkstatt "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	values := make([]*string, len(options))
	for i, o := range options {
		def := o.def
		if v := getenv(o.env); v != "" {
			def = v
		}
		values[i] = fs.String(o.flag, def, fmt.Sprintf("%s (env %s)", o.usage, o.env))
	}
	if cmd == "bench" {
		fs.IntVar(&c.BenchN, "n", 5000, "commands and events per measurement")
		fs.IntVar(&c.BenchClients, "clients", 64, "concurrent HTTP clients")
		c.BenchSeries = projections.IssueSeries
		fs.Var(&c.BenchSeries, "series", "`size` of the series whose catch-up and reports are measured: WORKSHOPSxPARTICIPANTSxSESSIONS[,FEEDBACK%]")
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	for i, o := range options {
		if err := o.set(&c, *values[i]); err != nil {
			return c, fmt.Errorf("--%s: %w", o.flag, err)
		}
	}
	c.AdminToken = getenv("WERKSTATT_ADMIN_TOKEN")
	c.MasterKey = getenv("WERKSTATT_MASTER_KEY")
	if c.NATSURL != "" && c.NATSListen != "" {
		return c, errors.New("--nats-listen applies to the embedded server only; drop it or --nats-url")
	}
	return c, nil
}
