package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/infra/smtp"
	"github.com/werkstatt/werkstatt/internal/bench"
	"github.com/werkstatt/werkstatt/internal/scenario"
)

// config is everything the commands read from flags and the environment. A flag wins over its
// environment variable, which wins over the default.
type config struct {
	Addr        string
	DataDir     string
	NATSURL     string
	NATSListen  string
	Replicas    int
	DatabaseURL string
	AdminToken  string
	MasterKey   string
	LogLevel    slog.Level
	// Location is the time zone in which the service tells today (the end of a workshop, and so
	// the latest registration closing time; the organiser's closing-time field).
	Location    *time.Location
	MetricsAddr string
	Stream      string
	// GroupCommit appends concurrent commands on one workshop together (eventstore.Config).
	GroupCommit  bool
	BenchN       int
	BenchClients int
	BenchProfile string // a CPU profile of the bench run, for go tool pprof
	BenchSeries  scenario.SeriesSize
	// BenchLarge runs `werkstatt bench --large` (a million events, cold start, resident memory)
	// instead of the headline figures.
	BenchLarge bool

	ops // NATS credentials and TLS, backup and restore, healthcheck (natsconn.go)
	// PublicWriteLimit is each client address's budget of public writes a minute (0: none);
	// TrustedProxies name the proxies whose X-Forwarded-For is believed.
	PublicWriteLimit int
	TrustedProxies   []*net.IPNet
	// MaxMaterialSize is the largest file a workshop's material may be, in bytes.
	MaxMaterialSize int64
	// SMTPURL is the mail server (smtp:// or smtps://); empty keeps mails for the outbox page.
	SMTPURL   string
	MailFrom  string
	PublicURL string // base of the links in mails; empty: http://<addr>
	// MailAckWait is how long one mail may take before the outbox gives it to another replica,
	// or to this one after a restart (0: eventstore's default).
	MailAckWait time.Duration
	// WebhooksToInternal lets webhooks post to internal addresses (loopback, private and
	// link-local networks); off, an organiser cannot make the service reach internal systems.
	WebhooksToInternal bool
	// NoRetention turns the daily retention run off (--retention=false, for tests).
	NoRetention bool
	// NoSnapshots keeps no snapshots of the memory read models (--snapshots=false): every start
	// replays the whole log.
	NoSnapshots bool
	// OIDC is the OpenID provider accounts may sign in with (single sign-on); empty Issuer: none.
	OIDC oidcConfig
}

// oidcConfig names the OpenID provider and this service as its client.
type oidcConfig struct {
	Issuer, ClientID, ClientSecret string
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
	{"time-zone", "WERKSTATT_TIME_ZONE", "Europe/Berlin", "IANA time zone in which the service tells today (the end of a workshop, the organiser's registration closing time)",
		func(c *config, v string) error {
			loc, err := time.LoadLocation(v)
			if err != nil || v == "" {
				return fmt.Errorf("time-zone %q is not an IANA time zone such as Europe/Berlin", v)
			}
			c.Location = loc
			return nil
		}},
	{"nats-listen-user", "WERKSTATT_NATS_LISTEN_USER", "", "user that NATS clients at --nats-listen present, with --nats-listen-password",
		func(c *config, v string) error { c.NATSListenAuth.User = v; return nil }},
	{"nats-listen-password", "WERKSTATT_NATS_LISTEN_PASSWORD", "", "password of --nats-listen-user (better from the environment or WERKSTATT_NATS_LISTEN_PASSWORD_FILE)",
		func(c *config, v string) error { c.NATSListenAuth.Password = v; return nil }},
	{"nats-listen-token", "WERKSTATT_NATS_LISTEN_TOKEN", "", "token that NATS clients at --nats-listen present, instead of a user and password (also WERKSTATT_NATS_LISTEN_TOKEN_FILE)",
		func(c *config, v string) error { c.NATSListenAuth.Token = v; return nil }},
	{"nats-listen-tls-cert", "WERKSTATT_NATS_LISTEN_TLS_CERT", "", "PEM certificate (chain) of --nats-listen: clients must then use TLS",
		func(c *config, v string) error { c.NATSListenAuth.TLSCert = v; return nil }},
	{"nats-listen-tls-key", "WERKSTATT_NATS_LISTEN_TLS_KEY", "", "PEM private key of --nats-listen-tls-cert",
		func(c *config, v string) error { c.NATSListenAuth.TLSKey = v; return nil }},
	{"nats-creds", "WERKSTATT_NATS_CREDS", "", "NATS credentials file (JWT and NKey seed) for --nats-url",
		func(c *config, v string) error { c.NATSClient.Creds = v; return nil }},
	{"nats-tls-ca", "WERKSTATT_NATS_TLS_CA", "", "PEM certificate authorities that --nats-url's servers are checked against; implies TLS",
		func(c *config, v string) error { c.NATSClient.CA = v; return nil }},
	{"nats-tls-cert", "WERKSTATT_NATS_TLS_CERT", "", "PEM client certificate for --nats-url, when its servers verify clients",
		func(c *config, v string) error { c.NATSClient.Cert = v; return nil }},
	{"nats-tls-key", "WERKSTATT_NATS_TLS_KEY", "", "PEM private key of --nats-tls-cert",
		func(c *config, v string) error { c.NATSClient.Key = v; return nil }},
	{"public-write-limit", "WERKSTATT_PUBLIC_WRITE_LIMIT", "600", "public writes (registrations, feedback, topics, votes, sign-ins) per client address and minute, per instance; 0 turns the limit off",
		func(c *config, v string) error { return notNegative(&c.PublicWriteLimit, v) }},
	{"max-material-size", "WERKSTATT_MAX_MATERIAL_SIZE", "50MB", "largest file a workshop's material may be: bytes, or with KB, MB or GB (powers of 1000) or KiB, MiB, GiB",
		func(c *config, v string) (err error) { c.MaxMaterialSize, err = parseSize(v); return err }},
	{"trusted-proxies", "WERKSTATT_TRUSTED_PROXIES", "", "comma-separated CIDRs of the reverse proxies whose X-Forwarded-For names the client address; empty: the connection's address counts",
		func(c *config, v string) (err error) {
			c.TrustedProxies, err = handlers.ParseTrustedProxies(v)
			return err
		}},
	{"smtp-url", "WERKSTATT_SMTP_URL", "", "mail server as smtp://user:pass@host:port (STARTTLS when offered) or smtps://… (implicit TLS); empty keeps the mails for the organiser's outbox page",
		func(c *config, v string) error { c.SMTPURL = v; return nil }},
	{"mail-from", "WERKSTATT_MAIL_FROM", "", "sender of the mails, e.g. \"Werkstatt <werkstatt@example.org>\"; needed with --smtp-url",
		func(c *config, v string) error { c.MailFrom = v; return nil }},
	{"public-url", "WERKSTATT_PUBLIC_URL", "", "base of every link in a mail, e.g. https://werkstatt.example.org; empty: http://<--addr>",
		func(c *config, v string) error {
			if v != "" {
				if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
					return fmt.Errorf("%q is not an http(s) URL", v)
				}
			}
			c.PublicURL = strings.TrimRight(v, "/")
			return nil
		}},
	{"retention", "WERKSTATT_RETENTION", "true", "run the retention by itself every day (erase personal data whose retention period ended); false turns it off",
		func(c *config, v string) error {
			on, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("must be true or false, got %q", v)
			}
			c.NoRetention = !on
			return nil
		}},
	{"snapshots", "WERKSTATT_SNAPSHOTS", "true", "with memory read models, keep a sealed snapshot of them beside the log, so that a restart replays only what came after it; false replays the whole log at every start",
		func(c *config, v string) error {
			on, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("must be true or false, got %q", v)
			}
			c.NoSnapshots = !on
			return nil
		}},
	{"mail-ack-wait", "WERKSTATT_MAIL_ACK_WAIT", "2m", "how long sending one mail may take before another replica (or this one after a crash) sends it instead; longer than the mail server's slowest answer",
		func(c *config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < time.Second {
				return fmt.Errorf("%q is not a duration of at least 1s such as 2m", v)
			}
			c.MailAckWait = d
			return nil
		}},
	{"webhooks-to-internal-addresses", "WERKSTATT_WEBHOOKS_TO_INTERNAL_ADDRESSES", "false", "let webhooks post to internal addresses (loopback, private and link-local networks such as 10.0.0.0/8 or 169.254.169.254); off, such receivers are refused",
		func(c *config, v string) (err error) {
			if c.WebhooksToInternal, err = strconv.ParseBool(v); err != nil {
				return fmt.Errorf("%q is not true or false", v)
			}
			return nil
		}},
	{"group-commit", "WERKSTATT_GROUP_COMMIT", "true", "append the commands that reach one workshop while an append is in flight together, as one atomic batch (one flush); false appends each alone",
		func(c *config, v string) (err error) {
			if c.GroupCommit, err = strconv.ParseBool(v); err != nil {
				return fmt.Errorf("%q is not true or false", v)
			}
			return nil
		}},
	{"metrics-addr", "WERKSTATT_METRICS_ADDR", "", "serve Prometheus metrics at http://HOST:PORT/metrics; empty serves none",
		func(c *config, v string) error { c.MetricsAddr = v; return nil }},
	{"oidc-issuer", "WERKSTATT_OIDC_ISSUER", "", "OpenID provider for single sign-on of accounts (Keycloak realm, Entra ID tenant...), e.g. https://sso.example.org/realms/kreis; empty offers none",
		func(c *config, v string) error {
			if v != "" {
				if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
					return fmt.Errorf("%q is not an http(s) URL", v)
				}
			}
			c.OIDC.Issuer = v
			return nil
		}},
	{"oidc-client-id", "WERKSTATT_OIDC_CLIENT_ID", "", "this service's client id at --oidc-issuer; its redirect URI there is <public URL>/sign-in/sso/callback",
		func(c *config, v string) error { c.OIDC.ClientID = v; return nil }},
	{"oidc-client-secret", "WERKSTATT_OIDC_CLIENT_SECRET", "", "the client's secret at --oidc-issuer (better from the environment or WERKSTATT_OIDC_CLIENT_SECRET_FILE)",
		func(c *config, v string) error { c.OIDC.ClientSecret = v; return nil }},
}

// flagSet tells whether the command line set the flag name.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func positive(dst *int, name, v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return fmt.Errorf("--%s: %q is not a positive number", name, v)
	}
	*dst = n
	return nil
}

// parseSize reads a size such as "50MB", "20 MiB" or "1048576" (bytes); it must be at least 1.
func parseSize(v string) (int64, error) {
	units := []struct {
		suffix string
		factor int64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}
	s, factor := strings.ToUpper(strings.TrimSpace(v)), int64(1)
	for _, u := range units {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			s, factor = strings.TrimSpace(n), u.factor
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 || n > (1<<40)/factor {
		return 0, fmt.Errorf("%q is not a size such as 50MB", v)
	}
	return n * factor, nil
}

func notNegative(dst *int, v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return fmt.Errorf("%q is not a number of at least 0", v)
	}
	*dst = n
	return nil
}

func parseConfig(cmd string, args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var c config
	getenv, err := secretsFromFiles(getenv)
	if err != nil {
		return c, err
	}
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
	hideSecretDefaults(fs)
	addCommandFlags(cmd, fs, &c)
	if cmd == "bench" {
		fs.IntVar(&c.BenchN, "n", 5000, "commands and events per measurement")
		fs.IntVar(&c.BenchClients, "clients", 64, "concurrent HTTP clients")
		fs.StringVar(&c.BenchProfile, "cpu-profile", "", "write a CPU profile of the run to `file` (for go tool pprof)")
		c.BenchSeries = scenario.DefaultSeriesSize
		fs.Var(&c.BenchSeries, "series", "`size` of the series whose catch-up and reports are measured: WORKSHOPSxPARTICIPANTSxSESSIONS[,FEEDBACK%]")
		fs.BoolVar(&c.BenchLarge, "large", false, "instead: build a log of a million events (the series at "+bench.LargeSeries.String()+
			" unless --series says otherwise) and time the service's start to ready and its resident memory, in a child process")
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.BenchLarge && !flagSet(fs, "series") {
		c.BenchSeries = bench.LargeSeries
	}
	if err := c.commandArgs(cmd, fs.Args()); err != nil {
		return c, err
	}
	for i, o := range options {
		if err := o.set(&c, *values[i]); err != nil {
			return c, fmt.Errorf("--%s: %w", o.flag, err)
		}
	}
	c.AdminToken = getenv("WERKSTATT_ADMIN_TOKEN")
	c.MasterKey = getenv("WERKSTATT_MASTER_KEY")
	if c.SMTPURL != "" {
		// Checked at start, not at the first mail: smtp.New refuses what it cannot use.
		if _, err := smtp.New(c.SMTPURL, c.MailFrom); err != nil {
			return c, fmt.Errorf("--smtp-url, --mail-from: %w", err)
		}
	}
	if (c.OIDC.Issuer == "") != (c.OIDC.ClientID == "") || (c.OIDC.Issuer == "" && c.OIDC.ClientSecret != "") {
		return c, errors.New("--oidc-issuer and --oidc-client-id go together (with --oidc-client-secret for a confidential client)")
	}
	if c.NATSURL != "" && c.NATSListen != "" {
		return c, errors.New("--nats-listen applies to the embedded server only; drop it or --nats-url")
	}
	return c, c.checkSecrets()
}
