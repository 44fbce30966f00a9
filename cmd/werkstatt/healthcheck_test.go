package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestHealthcheck: `werkstatt healthcheck` succeeds against a ready instance, also when --addr
// is the container's 0.0.0.0, and fails against an instance that is not ready or not there.
func TestHealthcheck(t *testing.T) {
	in := startInstance(t, nil, "--data-dir", t.TempDir())
	addr := strings.TrimPrefix(in.url, "http://")
	_, port, _ := net.SplitHostPort(addr)
	for _, args := range [][]string{
		{"healthcheck", "--addr", addr},
		{"healthcheck", "--addr", "0.0.0.0:" + port},
		{"healthcheck", "--addr", addr, "--live"},
	} {
		if out, err := werkstattCmd(t, nil, args...); err != nil || !strings.Contains(out, "healthy") {
			t.Errorf("%v: %v %q, want healthy", args, err, out)
		}
	}

	notReady := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			return
		}
		http.Error(w, `{"status":"catching up"}`, http.StatusServiceUnavailable)
	}))
	defer notReady.Close()
	gone := freeAddr(t)
	for _, args := range [][]string{
		{"healthcheck", "--addr", strings.TrimPrefix(notReady.URL, "http://")},
		{"healthcheck", "--addr", gone},
		{"healthcheck", "--addr", gone, "--live"},
	} {
		if _, err := werkstattCmd(t, nil, args...); err == nil || !strings.Contains(err.Error(), "unhealthy") {
			t.Errorf("%v: got %v, want unhealthy", args, err)
		}
	}
	if _, err := werkstattCmd(t, nil, "healthcheck", "--addr", strings.TrimPrefix(notReady.URL, "http://"), "--live"); err != nil {
		t.Errorf("--live against an instance that is alive but not ready: %v, want healthy", err)
	}
}
