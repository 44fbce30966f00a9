package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// healthcheckTimeout bounds one probe: an orchestrator runs it every few seconds.
const healthcheckTimeout = 3 * time.Second

// healthcheck probes /readyz (or /healthz with --live) of the instance at --addr and fails
// unless it answers 200: the image is distroless, so it has no curl or wget to do it.
func healthcheck(ctx context.Context, cfg config, stdout io.Writer) error {
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %w", cfg.Addr, err)
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1" // listening on every interface: ask through loopback
	}
	path := "/readyz"
	if cfg.Health.Live {
		path = "/healthz"
	}
	url := "http://" + net.JoinHostPort(host, port) + path
	ctx, cancel := context.WithTimeout(ctx, healthcheckTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("unhealthy: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("unhealthy: %s answered %d: %s", url, resp.StatusCode, body)
	}
	fmt.Fprintf(stdout, "healthy: %s answered 200\n", url)
	return nil
}
