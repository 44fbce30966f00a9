package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"runtime/pprof"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats-server/v2/server"

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
		_ = a.js.DeleteObjectStore(ctx, cfg.snapshotsBucket())
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
