package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	application "github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/infra/postgres"
	"github.com/werkstatt/werkstatt/internal/bench"
	"github.com/werkstatt/werkstatt/projections"
)

// benchCmd wires `werkstatt bench` (internal/bench) on a scratch data folder, or a scratch
// stream and database when given URLs: it never touches the instance's data.
func benchCmd(ctx context.Context, cfg config, stdout io.Writer) error {
	if cfg.BenchLarge {
		return benchLarge(ctx, cfg, stdout)
	}
	dir, err := os.MkdirTemp("", "werkstatt-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg.DataDir, cfg.NATSListen = dir, ""
	cfg.Stream = fmt.Sprintf("BENCH_%d", time.Now().UnixNano())
	if cfg.DatabaseURL != "" {
		db, drop, err := scratchDatabase(ctx, cfg.DatabaseURL)
		if err != nil {
			return err
		}
		defer drop()
		cfg.DatabaseURL = db
	}
	a, err := open(ctx, cfg, newLogger(cfg, io.Discard))
	if err != nil {
		return err
	}
	defer a.close()
	defer func() { // the scratch stream and its buckets: an external server keeps nothing of a run
		ctx := context.WithoutCancel(ctx)
		_ = a.js.DeleteStream(ctx, cfg.Stream)
		_ = a.js.DeleteKeyValue(ctx, cfg.keysBucket())
		_ = a.js.DeleteKeyValue(ctx, cfg.leadGrantsBucket())
		_ = a.js.DeleteKeyValue(ctx, cfg.sessionsBucket())
		_ = a.js.DeleteKeyValue(ctx, cfg.credentialsBucket())
		_ = a.js.DeleteKeyValue(ctx, cfg.mailsBucket())
		_ = a.js.DeleteKeyValue(ctx, cfg.sentMailsBucket())
		_ = a.js.DeleteObjectStore(ctx, cfg.blobsBucket())
	}()

	env := bench.Env{JS: a.js, Events: a.events, Stream: cfg.streamConfig(), Sealer: a.keyring, Log: a.log,
		Where: "embedded NATS " + server.VERSION + " (flushed on every write)",
		Serve: func(ctx context.Context, organiserToken string) (http.Handler, error) {
			a.start(ctx)
			return a.handler(ctx, sha256.Sum256([]byte(organiserToken)), httpLimits{})
		},
		Register: func(ctx context.Context, id domain.WorkshopID, i int) error {
			_, err := a.cmds.RegisterParticipant(ctx, id, application.Op{}, application.Registration{
				Name: fmt.Sprint("Person ", i), Email: fmt.Sprintf("rush%d@example.org", i), Organisation: "Bench e.V.", Consent: true})
			return err
		},
		Mail: func(ctx context.Context, smtpURL string) error {
			mc := cfg
			mc.SMTPURL, mc.MailFrom = smtpURL, "Werkstatt bench <bench@example.org>"
			if err := a.openMail(ctx, mc, eventstore.OutboxConfig{}); err != nil {
				return err
			}
			stopped := make(chan error, 1)
			go func() { stopped <- a.outbox.Run(ctx) }()
			select { // its consumer exists once it runs: the mails of what follows are sent
			case <-a.outbox.Running():
				return nil
			case err := <-stopped:
				return fmt.Errorf("the mail outbox stopped: %w", err)
			}
		}}
	if cfg.NATSURL != "" {
		env.Where = "NATS at " + cfg.NATSURL
	}
	if a.pg != nil {
		env.ReadModels = a.pg
		env.SeriesReadModels = func(ctx context.Context) (projections.Store, func(), error) {
			return seriesDatabase(ctx, cfg.DatabaseURL)
		}
	}
	size := bench.Sizes{N: cfg.BenchN, Clients: cfg.BenchClients, Replicas: cfg.Replicas, Series: cfg.BenchSeries}
	if cfg.BenchProfile != "" {
		f, err := os.Create(cfg.BenchProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	return bench.Run(ctx, env, size, stdout)
}

// seriesDatabase opens read models in a scratch database beside the one dbURL names, so that
// the series catches up from the first sequence.
func seriesDatabase(ctx context.Context, dbURL string) (projections.Store, func(), error) {
	db, drop, err := scratchDatabase(ctx, dbURL)
	if err != nil {
		return nil, nil, err
	}
	pg, err := postgres.Open(ctx, db)
	if err != nil {
		drop()
		return nil, nil, err
	}
	return pg, func() { pg.Close(); drop() }, nil
}

// scratchDatabase creates an empty database beside the one url names and returns its URL and
// a function that drops it.
func scratchDatabase(ctx context.Context, dbURL string) (string, func(), error) {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "", nil, fmt.Errorf("--database-url: %w", err)
	}
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("werkstatt_bench_%d", time.Now().UnixNano())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		conn.Close(ctx)
		return "", nil, err
	}
	u.Path = "/" + name
	return u.String(), func() {
		ctx := context.Background()
		conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		conn.Close(ctx)
	}, nil
}

// benchExecutable is the binary `werkstatt bench --large` runs the service from: this one.
// Tests, whose binary is not werkstatt, point it at a built one.
var benchExecutable = os.Executable

// benchLarge wires `werkstatt bench --large` (bench.RunLarge). This process builds the log in
// a scratch folder (or a scratch stream on --nats-url), shuts its own server down, and then
// runs the service from this binary as a user runs it, on that folder, in child processes.
// The folder, the scratch streams and databases are removed afterwards.
func benchLarge(ctx context.Context, cfg config, stdout io.Writer) error {
	exe, err := benchExecutable()
	if err != nil {
		return fmt.Errorf("the werkstatt binary: %w", err)
	}
	work, err := os.MkdirTemp("", "werkstatt-bench-large-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	cfg.DataDir, cfg.NATSListen = filepath.Join(work, "data"), ""
	cfg.Stream = fmt.Sprintf("BENCH_%d", time.Now().UnixNano())
	dbURL := cfg.DatabaseURL
	cfg.DatabaseURL = "" // the children's read models are measured, not this process's
	if cfg.NATSURL != "" {
		// This runs after the children stopped and a is closed: it connects anew.
		defer dropScratchStreams(context.WithoutCancel(ctx), cfg)
	}
	a, err := open(ctx, cfg, newLogger(cfg, io.Discard))
	if err != nil {
		return err
	}
	closed := false
	closeApp := func() {
		if !closed {
			closed = true
			// The projections never ran in this process: closing their router would wait out
			// its close timeout (10 s) for nothing; closing the connection ends the feed's
			// subscription.
			a.feed = nil
			a.close()
		}
	}
	defer closeApp()

	adminToken := rand.Text()
	env := bench.LargeEnv{Events: a.events, Close: closeApp, Where: "embedded NATS " + server.VERSION + " (flushed on every write)",
		Service: func(ctx context.Context, instance bench.Instance) (bench.Service, func(), error) {
			sc, cleanup := cfg, func() {}
			switch instance {
			case bench.EmptyLog:
				sc.DataDir, sc.Stream = filepath.Join(work, "empty"), cfg.Stream+"_EMPTY"
			case bench.PostgreSQLReadModels:
				db, drop, err := scratchDatabase(ctx, dbURL)
				if err != nil {
					return bench.Service{}, nil, err
				}
				sc.DatabaseURL, cleanup = db, drop
			}
			return bench.Service{Path: exe, Args: serviceArgs(sc), Env: serviceEnv(sc, adminToken),
				Log: filepath.Join(work, "service.log")}, cleanup, nil
		}}
	if cfg.NATSURL != "" {
		env.Where = "NATS at " + cfg.NATSURL
	}
	if dbURL != "" {
		env.RawReadModels = func(ctx context.Context) (projections.Store, func(), error) { return seriesDatabase(ctx, dbURL) }
	}
	return bench.RunLarge(ctx, env, cfg.BenchSeries, stdout)
}

// serviceArgs is the command line of `werkstatt` serving cfg's folder and stream, without
// --addr. The retention is off: it would erase personal data once the series' dates lie a
// year back, and the restart would then read another log than the first start.
func serviceArgs(cfg config) []string {
	args := []string{"--data-dir", cfg.DataDir, "--stream", cfg.Stream, "--log-level", "warn", "--retention=false",
		"--nats-replicas", strconv.Itoa(cfg.Replicas)}
	c := cfg.NATSClient
	for _, f := range [][2]string{{"nats-creds", c.Creds}, {"nats-tls-ca", c.CA}, {"nats-tls-cert", c.Cert}, {"nats-tls-key", c.Key}} {
		if f[1] != "" {
			args = append(args, "--"+f[0], f[1])
		}
	}
	return args
}

// serviceEnv is the environment of that `werkstatt`: this process's without its WERKSTATT_
// settings (the flags and the following say everything), with the URLs and the master key in
// variables, where other users of the machine do not see them.
func serviceEnv(cfg config, adminToken string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "WERKSTATT_") {
			env = append(env, kv)
		}
	}
	env = append(env, "WERKSTATT_ADMIN_TOKEN="+adminToken)
	for name, v := range map[string]string{"WERKSTATT_NATS_URL": cfg.NATSURL, "WERKSTATT_DATABASE_URL": cfg.DatabaseURL,
		"WERKSTATT_MASTER_KEY": cfg.MasterKey} {
		if v != "" {
			env = append(env, name+"="+v)
		}
	}
	return env
}

// dropScratchStreams deletes, on the external server, cfg's stream and every stream of its
// name's family: the key-value buckets (KV_<stream>_...), object stores (OBJ_<stream>_...)
// and the empty instance's stream (<stream>_EMPTY) that bench and its children made.
func dropScratchStreams(ctx context.Context, cfg config) {
	opts, err := cfg.natsOptions()
	if err != nil {
		return
	}
	nc, err := nats.Connect(cfg.NATSURL, opts...)
	if err != nil {
		return
	}
	defer nc.Close()
	js, err := jetstream.New(nc, jetstream.WithDefaultTimeout(natsTimeout))
	if err != nil {
		return
	}
	var mine []string
	names := js.StreamNames(ctx)
	for name := range names.Name() {
		base := strings.TrimPrefix(strings.TrimPrefix(name, "KV_"), "OBJ_")
		if base == cfg.Stream || strings.HasPrefix(base, cfg.Stream+"_") {
			mine = append(mine, name)
		}
	}
	for _, name := range mine {
		_ = js.DeleteStream(ctx, name)
	}
}
