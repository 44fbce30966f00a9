package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/oklog/ulid/v2"

	application "github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/infra/oidc"
	"github.com/werkstatt/werkstatt/web"
)

func newLogger(cfg config, w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: cfg.LogLevel}))
}

// serve runs the service until ctx ends, then shuts down gracefully: the listener stops
// accepting, running requests finish, the projections stop, NATS closes.
func serve(ctx context.Context, cfg config, stdout, stderr io.Writer) error {
	log := newLogger(cfg, stderr)
	a, err := open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.openMail(ctx, cfg, eventstore.OutboxConfig{Retries: mailRetries, AckWait: cfg.MailAckWait}); err != nil {
		return fmt.Errorf("mails: %w", err)
	}
	if err := a.openWebhooks(ctx, cfg, eventstore.OutboxConfig{Retries: webhookRetries}); err != nil {
		return fmt.Errorf("webhooks: %w", err)
	}
	tokenHash, err := organiserToken(cfg, stdout)
	if err != nil {
		return err
	}
	if err := a.openSSO(ctx, cfg); err != nil {
		return err
	}
	a.openSnapshots(ctx, cfg)
	runCtx, stopRunner := context.WithCancel(context.WithoutCancel(ctx))
	defer stopRunner()
	runnerDone := a.start(runCtx)
	e, err := a.handler(ctx, tokenHash, httpLimits{
		limits:      handlers.NewLimits(handlers.LimitsConfig{PublicWritesPerMinute: cfg.PublicWriteLimit}),
		trusted:     cfg.TrustedProxies,
		maxMaterial: cfg.MaxMaterialSize,
	})
	if err != nil {
		return err
	}
	if cfg.MetricsAddr != "" {
		e.Use(httpMetrics(a.metrics))
	}
	// Reads come from the read models: answering before they caught up with the log would show
	// a restarted instance as empty. /readyz tells orchestrators the same.
	if err := a.catchUp(ctx, log); err != nil {
		return err
	}
	if cfg.MetricsAddr != "" {
		ms, err := serveMetrics(cfg.MetricsAddr, a, stdout)
		if err != nil {
			return err
		}
		defer ms.Close()
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	a.listening(cfg, ln.Addr())
	srv := newHTTPServer(e, serverTimeouts)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	go a.health.watch(runCtx)
	retained := make(chan struct{})
	go func() {
		defer close(retained)
		if !cfg.NoRetention {
			a.runRetention(runCtx, a.cmds)
		}
	}()
	snapshotted := make(chan struct{})
	go func() {
		defer close(snapshotted)
		if a.snapshots != nil {
			a.snapshots.run(runCtx)
		}
	}()
	scheduled := make(chan struct{})
	go func() {
		defer close(scheduled)
		if a.outbox != nil { // reminders and feedback requests are mails: none without the outbox
			a.runSchedule(runCtx, a.cmds)
		}
	}()
	fmt.Fprintf(stdout, "Werkstatt is running at http://%s (events: %s, read models: %s)\n",
		ln.Addr(), a.eventsWhere(cfg), a.readModelsWhere())
	log.Info("serving", "addr", ln.Addr().String())

	select {
	case <-ctx.Done():
	case err := <-served:
		return err
	case err := <-runnerDone:
		return fmt.Errorf("projections stopped: %w", err)
	}
	log.Info("shutting down")
	a.health.shuttingDown.Store(true) // /readyz answers 503 while the requests drain
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Warn("HTTP shutdown", "err", err)
	}
	stopRunner()
	<-scheduled
	<-retained
	<-runnerDone
	<-snapshotted
	if a.snapshots != nil { // the read models stand still now: what changed need not be replayed
		ctx, cancel := context.WithTimeout(context.Background(), snapshotStopLimit)
		a.snapshots.check(ctx, true)
		cancel()
	}
	return nil
}

// httpTimeouts bound how long a connection may take over each part of its life.
type httpTimeouts struct {
	readHeader, read, write, idle time.Duration
}

// serverTimeouts cut off slow clients (slow-loris: headers or bodies dribbled in) and idle
// connections. Bodies are small (64 KiB at most), so a whole request is read within read.
// write runs from the end of the request's headers to the end of the answer and so bounds a
// handler too: the slowest answers, PDF reports of a long series, take a few seconds. No route
// streams; self-refreshing pages poll with short requests.
var serverTimeouts = httpTimeouts{readHeader: 10 * time.Second, read: 30 * time.Second,
	write: 2 * time.Minute, idle: 2 * time.Minute}

func newHTTPServer(h http.Handler, t httpTimeouts) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: t.readHeader, ReadTimeout: t.read,
		WriteTimeout: t.write, IdleTimeout: t.idle}
}

// httpLimits are the limits per client address the service applies; the zero value, for the
// demo's and the benchmark's own clients, limits nothing.
type httpLimits struct {
	limits  *handlers.Limits
	trusted []*net.IPNet
	// maxMaterial is the largest material in bytes; 0 is the default.
	maxMaterial int64
}

// firstNetworkName is the name of the network a new instance starts with, until its admins
// rename it.
const firstNetworkName = "Netzwerk"

// handler builds the HTTP API and the pages on the app.
func (a *app) handler(ctx context.Context, tokenHash [32]byte, l httpLimits) (*echo.Echo, error) {
	cfg := handlers.Config{
		Config: application.Config{
			Workshops:          a.events,
			Reader:             a.readModels,
			Consistency:        a.runner,
			Pseudonyms:         a.keyring,
			LeadGrants:         a.leads,
			Eraser:             a.keyring,
			Blobs:              a.blobs,
			MaxMaterialBytes:   l.maxMaterial,
			Mailbox:            a.mailboxOrNil(),
			WebhookLog:         a.webhookLogOrNil(),
			WebhooksToInternal: a.webhooksToInternal,
			Networks:           a.events,
			Credentials:        a.creds,
			Log:                a.events,
			OrganiserTokenHash: tokenHash,
			Now:                a.now,
			Location:           a.location,
			NewID:              func() string { return ulid.Make().String() },
			Logger:             a.log,
		},
		Ready:          a.health.ready,
		Limits:         l.limits,
		TrustedProxies: l.trusted,
	}
	// A new instance is one network from the start (issue 12): its workshops belong somewhere
	// and its people can be added; an instance that has networks keeps them.
	if err := application.New(cfg.Config).EnsureNetwork(ctx, firstNetworkName); err != nil {
		return nil, fmt.Errorf("the first network: %w", err)
	}
	a.cmds = application.New(cfg.Config)
	e := handlers.New(cfg)
	// The pages share the echo instance, the command code and the read models with the API.
	opts := []web.Option{web.WithSessions(a.sessions), web.WithCredentials(a.creds)}
	if a.sso != nil {
		opts = append(opts, web.WithSSO(a.sso))
	}
	if err := web.Register(e, cfg, opts...); err != nil {
		return nil, fmt.Errorf("web pages: %w", err)
	}
	return e, nil
}

// openSSO discovers the OpenID provider of --oidc-issuer, if set. The provider must answer at
// start: a typo in the issuer shows at once, not at someone's first sign-in. Its callback is
// under --public-url (or the listen address), where the provider sends the browser back.
func (a *app) openSSO(ctx context.Context, cfg config) error {
	if cfg.OIDC.Issuer == "" {
		return nil
	}
	base := cfg.PublicURL
	if base == "" {
		base = "http://" + cfg.Addr
	}
	p, err := oidc.New(ctx, oidc.Config{Issuer: cfg.OIDC.Issuer, ClientID: cfg.OIDC.ClientID,
		ClientSecret: cfg.OIDC.ClientSecret, RedirectURL: base + "/sign-in/sso/callback"})
	if err != nil {
		return fmt.Errorf("single sign-on (--oidc-issuer): %w", err)
	}
	a.sso = p
	a.log.Info("single sign-on", "issuer", cfg.OIDC.Issuer, "client_id", cfg.OIDC.ClientID, "redirect_uri", base+"/sign-in/sso/callback")
	return nil
}

func (a *app) eventsWhere(cfg config) string {
	if a.ns != nil {
		return "embedded NATS in " + cfg.DataDir
	}
	return "NATS at " + cfg.NATSURL
}

func (a *app) readModelsWhere() string {
	if a.pg != nil {
		return "PostgreSQL"
	}
	return "memory"
}

// organiserToken returns the hash of the organiser token. WERKSTATT_ADMIN_TOKEN wins; else the
// hash kept in the data folder; else a new token is generated, its hash kept, and the token
// printed this once.
func organiserToken(cfg config, stdout io.Writer) ([32]byte, error) {
	if cfg.AdminToken != "" {
		return sha256.Sum256([]byte(cfg.AdminToken)), nil
	}
	path := filepath.Join(cfg.DataDir, "organiser-token.sha256")
	if b, err := os.ReadFile(path); err == nil {
		var h [32]byte
		raw, err := hex.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(raw) != len(h) {
			return h, fmt.Errorf("%s is damaged: delete it to get a new organiser token", path)
		}
		copy(h[:], raw)
		return h, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return [32]byte{}, err
	}
	buf := make([]byte, 24)
	rand.Read(buf)
	token := base64.RawURLEncoding.EncodeToString(buf)
	h := sha256.Sum256([]byte(token))
	if err := os.WriteFile(path, []byte(hex.EncodeToString(h[:])+"\n"), 0o600); err != nil {
		return h, err
	}
	fmt.Fprintf(stdout, "Organiser token (shown only now; only its hash is kept in %s):\n\n    %s\n\n", path, token)
	return h, nil
}
