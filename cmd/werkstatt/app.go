package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	application "github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/infra/credentials"
	"github.com/werkstatt/werkstatt/infra/embedded"
	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/infra/grants"
	"github.com/werkstatt/werkstatt/infra/keys"
	"github.com/werkstatt/werkstatt/infra/mailbox"
	"github.com/werkstatt/werkstatt/infra/objectstore"
	"github.com/werkstatt/werkstatt/infra/oidc"
	"github.com/werkstatt/werkstatt/infra/postgres"
	"github.com/werkstatt/werkstatt/infra/sessions"
	infrawebhooks "github.com/werkstatt/werkstatt/infra/webhooks"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/web"
)

// app is the wired service without its HTTP listener: the event log, the keyring, the project
// leads' grants, the read models and the projection runner. serve, demo and bench build on it.
type app struct {
	log        *slog.Logger
	location   *time.Location   // the time zone of "today" (config.Location)
	now        func() time.Time // the application's clock; nil is time.Now (the demo sets its own)
	ns         *server.Server   // nil with an external NATS
	nc         *nats.Conn
	js         jetstream.JetStream
	keyring    *keys.Keyring
	leads      *grants.Store
	blobs      *objectstore.Store
	sessions   *sessions.Store
	creds      *credentials.Store // accounts' passwords, links to set one, API tokens
	sso        *oidc.Provider     // nil without --oidc-issuer
	events     *eventstore.Store
	readModels projections.Store
	pg         *postgres.Store // nil with in-memory read models
	feed       *eventstore.Feed
	mailbox    *mailbox.Store         // kept and failed mails; nil where no mails are sent
	outbox     *eventstore.Outbox     // the mail outbox; nil where no mails are sent (bench)
	publicURL  atomic.Pointer[string] // base of the links in mails (see listening)
	cmds       *application.App       // the use cases as handler wired them (the schedule runs them)
	hooks      *eventstore.Outbox     // the webhook outbox; nil where none are sent
	webhookLog *infrawebhooks.Store   // the webhooks' delivery progress
	// webhooksToInternal lets webhooks name internal addresses (--webhooks-to-internal-addresses).
	webhooksToInternal bool
	runner             *projections.Runner
	snapshots          *snapshotter         // nil but in serve with memory read models (openSnapshots)
	metrics            *prometheus.Registry // what /metrics serves (--metrics-addr)
	health             *health
	unlock             func()
}

const (
	// natsTimeout bounds a JetStream request whose context has no deadline: a request must not
	// wait longer on a server that does not answer (it answers 503).
	natsTimeout = 1500 * time.Millisecond
	// openTimeout bounds opening the stream, the buckets and the read models at start, which may
	// take longer on a cluster than a request may wait.
	openTimeout = 30 * time.Second
)

// open connects to (or embeds) NATS, opens the event store, the keyring, the lead grants and
// the read models, and wires the projections. The runner is not started: call start.
func open(ctx context.Context, cfg config, log *slog.Logger) (_ *app, err error) {
	a := &app{log: log, unlock: func() {}, location: cfg.Location}
	defer func() {
		if err != nil {
			a.close() // whatever was opened before the failure
		}
	}()
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	if err := a.connect(cfg); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, openTimeout)
	defer cancel()
	master, err := keys.MasterKey(cfg.MasterKey, filepath.Join(cfg.DataDir, "master.key"))
	if err != nil {
		return nil, fmt.Errorf("master key: %w", err)
	}
	if a.keyring, err = keys.Open(ctx, a.js, cfg.keysBucket(), master, cfg.Replicas); err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	// Lead grants are credentials like the keys: beside the keyring, shared by every replica.
	if a.leads, err = grants.Open(ctx, a.js, cfg.leadGrantsBucket(), cfg.Replicas); err != nil {
		return nil, fmt.Errorf("lead grants: %w", err)
	}
	// The funders' logos: an object store beside the log, named by their SHA-256.
	if a.blobs, err = objectstore.Open(ctx, a.js, cfg.blobsBucket(), cfg.Replicas); err != nil {
		return nil, fmt.Errorf("object store: %w", err)
	}
	// Sign-ins to the pages live there too, so that signing out holds on every replica.
	if a.sessions, err = sessions.Open(ctx, a.js, cfg.sessionsBucket(), web.MaxSessionLength, cfg.Replicas); err != nil {
		return nil, fmt.Errorf("sessions: %w", err)
	}
	// Accounts' credentials are credentials like the lead grants: beside the keyring.
	if a.creds, err = credentials.Open(ctx, a.js, cfg.credentialsBucket(), cfg.Replicas); err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	streamCfg := cfg.streamConfig()
	if a.events, err = eventstore.Open(ctx, a.js, streamCfg, a.keyring); err != nil {
		return nil, fmt.Errorf("event store: %w", err)
	}
	if cfg.DatabaseURL == "" {
		a.readModels = projections.NewMemory()
	} else {
		if a.pg, err = postgres.Open(ctx, cfg.DatabaseURL); err != nil {
			return nil, fmt.Errorf("read models: %w", err)
		}
		a.readModels = a.pg
	}
	a.runner = projections.NewRunner(a.readModels, log)
	a.metrics = prometheus.NewRegistry()
	if a.feed, err = eventstore.NewFeed(a.events, a.runner, log.With("component", "projections"), a.metrics); err != nil {
		return nil, err
	}
	var ping func(context.Context) error
	if a.pg != nil {
		ping = a.pg.Ping
	}
	a.health = newHealth(a.events.LastSeq, ping, a.runner)
	return a, nil
}

// streamConfig names the stream and its subjects: stream WERKSTATT holds werkstatt.events.>,
// and another name its own subjects, so that instances with different streams can share a
// NATS server (JetStream forbids two streams with overlapping subjects).
func (cfg config) streamConfig() eventstore.Config {
	return eventstore.Config{Stream: cfg.Stream, Subjects: strings.ToLower(cfg.Stream) + ".events", Replicas: cfg.Replicas, GroupCommit: cfg.GroupCommit}
}

// connect embeds a NATS server in the data folder, or dials the external one.
func (a *app) connect(cfg config) error {
	var err error
	if cfg.NATSURL == "" {
		var unlock func()
		if unlock, err = lockDataDir(cfg.DataDir); err != nil {
			return err // a.unlock stays the no-op close calls
		}
		a.unlock = unlock
		o := cfg.embeddedOptions()
		a.ns, err = embedded.Start(o)
		if err != nil {
			return fmt.Errorf("embedded NATS: %w", err)
		}
		a.nc, err = embedded.Connect(a.ns, "werkstatt", o.ClientOptions()...)
	} else {
		var opts []nats.Option
		if opts, err = cfg.natsOptions(); err != nil {
			return err
		}
		a.nc, err = nats.Connect(cfg.NATSURL, opts...)
	}
	if err != nil {
		return fmt.Errorf("connect to NATS: %w", err)
	}
	a.js, err = jetstream.New(a.nc, jetstream.WithDefaultTimeout(natsTimeout))
	return err
}

// start runs the projections in the background and returns once their router runs.
func (a *app) start(ctx context.Context) <-chan error {
	done := make(chan error, 1)
	go func() { done <- a.feed.Run(ctx) }()
	select {
	case <-a.feed.Running():
	case err := <-done:
		done <- err
		return done
	}
	for _, o := range []struct {
		outbox *eventstore.Outbox
		name   string
	}{{a.outbox, "mail"}, {a.hooks, "webhook"}} {
		if o.outbox == nil {
			continue
		}
		stopped := make(chan struct{})
		go func() {
			defer close(stopped)
			if err := o.outbox.Run(ctx); err != nil {
				a.log.Error(o.name+" outbox stopped", "err", err)
			}
		}()
		select {
		case <-o.outbox.Running():
		case <-stopped:
		}
	}
	return done
}

// catchUp waits until the read models reflect the log as it is now.
func (a *app) catchUp(ctx context.Context, log *slog.Logger) error {
	last, err := a.events.LastSeq(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	if err := a.runner.WaitFor(ctx, last); errors.Is(err, projections.ErrStuck) {
		// Serving the rest beats serving nothing: /readyz names the projection, which keeps trying.
		log.Error("read models did not catch up: serving anyway", "seq", last, "err", err)
		return nil
	} else if err != nil {
		return fmt.Errorf("catching up with the event log: %w", err)
	}
	log.Info("read models caught up", "seq", last, "took", time.Since(start).Round(time.Millisecond))
	// A replay leaves garbage of its size behind; the runtime would return its pages to the system
	// over minutes. Now, so the resident size soon is what the read models hold.
	go debug.FreeOSMemory()
	return nil
}

func (a *app) close() {
	if a.hooks != nil {
		if err := a.hooks.Close(); err != nil {
			a.log.Warn("closing webhook outbox", "err", err)
		}
	}
	if a.outbox != nil {
		if err := a.outbox.Close(); err != nil {
			a.log.Warn("closing mail outbox", "err", err)
		}
	}
	if a.feed != nil {
		if err := a.feed.Close(); err != nil {
			a.log.Warn("closing subscriber", "err", err)
		}
	}
	if a.keyring != nil {
		if err := a.keyring.Close(); err != nil {
			a.log.Warn("closing keyring", "err", err)
		}
	}
	if a.pg != nil {
		a.pg.Close()
	}
	if a.nc != nil {
		a.nc.Close() // every publish was acknowledged; nothing is left to flush
	}
	if a.ns != nil {
		a.ns.Shutdown()
		a.ns.WaitForShutdown()
	}
	a.unlock()
}

// keysBucket and leadGrantsBucket name the key-value buckets that belong to the stream: the
// personal-data keys and the project leads' grants.
func (c config) keysBucket() string       { return c.Stream + "_KEYS" }
func (c config) leadGrantsBucket() string { return c.Stream + "_LEAD_GRANTS" }

// snapshotsBucket names the object store of the memory read models' snapshots.
func (c config) snapshotsBucket() string { return c.Stream + "_SNAPSHOTS" }

// blobsBucket names the object store of the funders' logos.
func (c config) blobsBucket() string { return c.Stream + "_BLOBS" }

// sessionsBucket names the key-value bucket of the pages' sign-ins (organisers, project leads).
func (c config) sessionsBucket() string { return c.Stream + "_SESSIONS" }

// credentialsBucket names the key-value bucket of the accounts' password hashes, links to set
// a password and API tokens.
func (c config) credentialsBucket() string { return c.Stream + "_CREDENTIALS" }
