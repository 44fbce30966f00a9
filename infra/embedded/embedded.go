// Package embedded runs a single-node NATS server with JetStream inside the Werkstatt process,
// so that a small installation needs no separate message broker.
package embedded

import (
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
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
	if o.Listen != "" {
		host, port, err := splitHostPort(o.Listen)
		if err != nil {
			return nil, err
		}
		opts.Host, opts.Port = host, port
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
// TCP overhead. Close or drain it before shutting the server down.
func Connect(ns *server.Server, name string) (*nats.Conn, error) {
	nc, err := nats.Connect(ns.ClientURL(), nats.InProcessServer(ns), nats.Name(name))
	if err != nil {
		return nil, fmt.Errorf("embedded nats: connect %s: %w", name, err)
	}
	return nc, nil
}
