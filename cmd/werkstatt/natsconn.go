package main

import (
	"time"

	"errors"

	"github.com/nats-io/nats.go"

	"github.com/werkstatt/werkstatt/infra/embedded"
)

// listenAuth is what NATS clients at --nats-listen must present: a user and password or a
// token, over TLS when a certificate is given.
type listenAuth struct {
	User, Password, Token string
	TLSCert, TLSKey       string
}

// natsClient is how Werkstatt authenticates to the servers of --nats-url, beyond a user and
// password in the URL (nats://user:password@host:4222), which nats.go reads by itself.
type natsClient struct {
	Creds     string // credentials file: user JWT and NKey seed
	CA        string // PEM roots that the server's certificate must chain to; implies TLS
	Cert, Key string // PEM client certificate and key, for servers that verify clients
}

// embeddedOptions configures the embedded server of cfg.
func (cfg config) embeddedOptions() embedded.Options {
	l := cfg.NATSListenAuth
	return embedded.Options{DataDir: cfg.DataDir, Listen: cfg.NATSListen,
		User: l.User, Password: l.Password, Token: l.Token, TLSCert: l.TLSCert, TLSKey: l.TLSKey}
}

// natsOptions returns the connection options for --nats-url.
func (cfg config) natsOptions() ([]nats.Option, error) {
	c := cfg.NATSClient
	if cfg.NATSURL == "" {
		if c != (natsClient{}) {
			return nil, errors.New("--nats-creds and --nats-tls-* apply to --nats-url; the embedded server needs none")
		}
		return nil, nil
	}
	if (c.Cert == "") != (c.Key == "") {
		return nil, errors.New("--nats-tls-cert and --nats-tls-key go together")
	}
	opts := []nats.Option{nats.Name("werkstatt"), nats.MaxReconnects(-1), nats.ReconnectWait(500 * time.Millisecond)}
	if c.Creds != "" {
		opts = append(opts, nats.UserCredentials(c.Creds))
	}
	if c.CA != "" {
		opts = append(opts, nats.RootCAs(c.CA))
	}
	if c.Cert != "" {
		opts = append(opts, nats.ClientCert(c.Cert, c.Key))
	}
	return opts, nil
}

// ops holds the operator's settings beyond the options table's own fields.
type ops struct {
	NATSListenAuth listenAuth
	NATSClient     natsClient
	Backup         backupFlags
	Health         struct{ Live bool }
}
