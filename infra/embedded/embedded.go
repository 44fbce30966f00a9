// Package embedded runs a single-node NATS server with JetStream inside the Werkstatt process,
// so that a small installation needs no separate message broker.
package embedded

import (
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// readyTimeout bounds how long Start waits for the server to accept connections.
const readyTimeout = 10 * time.Second

// Options configures the embedded server.
type Options struct {
	DataDir string // JetStream file store lives in DataDir/jetstream
	Listen  string // "" = DontListen (in-process only); "host:port" = also accept NATS clients
	// User and Password, or Token, are the credentials every client must present: required
	// with Listen (the listener would otherwise hand the stream, the data keys and the lead
	// grants to anyone who reaches the port), refused without it. The in-process connection
	// presents them too: see ClientOptions.
	User, Password, Token string
	// TLSCert and TLSKey (PEM files), when given, make TLS required on Listen. In-process
	// connections need no TLS.
	TLSCert, TLSKey string
	// Logger receives the server's notices, warnings and errors; nil = the server logs nothing.
	Logger server.Logger
}

// Start starts an embedded single-node nats-server with JetStream and returns it ready for
// connections. Every write is flushed to disk (SyncAlways): a single node has no replica to
// recover from after a power cut. The server does not trap signals (NoSigs): the program owns
// its shutdown. Callers stop it with ns.Shutdown() and ns.WaitForShutdown().
func Start(o Options) (*server.Server, error) {
	if o.DataDir == "" {
		return nil, errors.New("embedded nats: a data directory is required")
	}
	// A fresh Options value per server: nats-server keeps and mutates it.
	opts := &server.Options{
		ServerName: "werkstatt",
		JetStream:  true,
		StoreDir:   o.DataDir,
		NoSigs:     true,
		SyncAlways: true,
		DontListen: o.Listen == "",
		NoLog:      true,
	}
	if err := o.listen(opts); err != nil {
		return nil, err
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("embedded nats: %w", err)
	}
	if o.Logger != nil {
		ns.SetLoggerV2(o.Logger, false, false, false)
	}
	go ns.Start()
	if !ns.ReadyForConnections(readyTimeout) {
		ns.Shutdown()
		ns.WaitForShutdown()
		return nil, fmt.Errorf("embedded nats: not ready for connections after %s (data dir %s)",
			readyTimeout, filepath.Join(o.DataDir, "jetstream"))
	}
	return ns, nil
}

// listen configures the listener with its credentials and TLS, or checks there is none.
func (o Options) listen(opts *server.Options) error {
	if o.Listen == "" {
		if o.User != "" || o.Password != "" || o.Token != "" || o.TLSCert != "" || o.TLSKey != "" {
			return errors.New("embedded nats: credentials and TLS apply to a listener only; set Listen or drop them")
		}
		return nil
	}
	host, port, err := splitHostPort(o.Listen)
	if err != nil {
		return err
	}
	opts.Host, opts.Port = host, port
	switch {
	case o.Token != "" && (o.User != "" || o.Password != ""):
		return errors.New("embedded nats: give either a user and password or a token, not both")
	case o.Token != "":
		opts.Authorization = o.Token
	case o.User != "" && o.Password != "":
		opts.Username, opts.Password = o.User, o.Password
	case o.User != "" || o.Password != "":
		return errors.New("embedded nats: a listener user needs a password, and a password a user")
	default:
		return errors.New("embedded nats: a listener needs credentials (a user and password, or a token)")
	}
	if o.TLSCert == "" && o.TLSKey == "" {
		return nil
	}
	if o.TLSCert == "" || o.TLSKey == "" {
		return errors.New("embedded nats: TLS needs both a certificate and its key")
	}
	opts.TLSCert, opts.TLSKey = o.TLSCert, o.TLSKey
	opts.TLSConfig, err = server.GenTLSConfig(&server.TLSConfigOpts{CertFile: o.TLSCert, KeyFile: o.TLSKey})
	if err != nil {
		return fmt.Errorf("embedded nats: TLS: %w", err)
	}
	opts.TLS = true
	return nil
}

// ClientOptions returns the options an in-process connection needs with o: the listener's
// credentials, if any. Pass them to Connect.
func (o Options) ClientOptions() []nats.Option {
	switch {
	case o.Token != "":
		return []nats.Option{nats.Token(o.Token)}
	case o.User != "":
		return []nats.Option{nats.UserInfo(o.User, o.Password)}
	}
	return nil
}

func splitHostPort(listen string) (string, int, error) {
	host, p, err := net.SplitHostPort(listen)
	if err != nil {
		return "", 0, fmt.Errorf("embedded nats: listen address %q: %w", listen, err)
	}
	port, err := strconv.Atoi(p)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("embedded nats: listen address %q: bad port", listen)
	}
	if port == 0 {
		// nats-server treats 0 as "default port 4222"; -1 asks for a random free port.
		port = server.RANDOM_PORT
	}
	return host, port, nil
}

// Connect returns an in-process client connection (nats.InProcessServer) to ns: no socket, no
// TCP overhead. opts add to it, such as the credentials of Options.ClientOptions. Close or
// drain it before shutting the server down.
func Connect(ns *server.Server, name string, opts ...nats.Option) (*nats.Conn, error) {
	opts = append([]nats.Option{nats.InProcessServer(ns), nats.Name(name)}, opts...)
	// A TLS listener makes ClientURL tls://, which would make the client insist on TLS; the
	// server offers in-process connections plain ones.
	url := strings.Replace(ns.ClientURL(), "tls://", "nats://", 1)
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		return nil, fmt.Errorf("embedded nats: connect %s: %w", name, err)
	}
	return nc, nil
}
