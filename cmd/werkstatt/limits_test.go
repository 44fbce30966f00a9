package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestServerTimeoutsAreSet: the service's server bounds every phase of a connection, and gives
// an answer (a PDF report of a long series) a minute at least.
func TestServerTimeoutsAreSet(t *testing.T) {
	srv := newHTTPServer(http.NotFoundHandler(), serverTimeouts)
	if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.WriteTimeout < time.Minute || srv.IdleTimeout <= 0 {
		t.Errorf("got read header %v, read %v, write %v, idle %v; want each set, write at least a minute",
			srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout)
	}
}

// TestSlowClientsAreCutOff: a slow-loris client dribbling its headers, or its body, loses the
// connection once the read timeouts pass, though it keeps sending (issue 10, defect 4). The
// server is the service's, with its timeouts scaled down to keep the test short.
func TestSlowClientsAreCutOff(t *testing.T) {
	short := httpTimeouts{readHeader: 300 * time.Millisecond, read: 800 * time.Millisecond, write: 2 * time.Second, idle: time.Second}
	srv := newHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			return
		}
		io.WriteString(w, "read it all")
	}), short)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	cases := []struct {
		name, start, drip string
		within            time.Duration
	}{
		{"headers", "GET / HTTP/1.1\r\nHost: x\r\n", "X-Slow: 1\r\n", short.readHeader},
		{"body", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n", "a", short.read},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now() // the server's deadlines run from the accept, so from before the dial
			conn, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := io.WriteString(conn, tc.start); err != nil {
				t.Fatal(err)
			}
			closed := make(chan error, 1)
			go func() { // the server's answer, if any, then the end of the connection
				_, err := io.Copy(io.Discard, bufio.NewReader(conn))
				closed <- err
			}()
			tick := time.NewTicker(50 * time.Millisecond)
			defer tick.Stop()
			deadline := time.After(tc.within + 3*time.Second)
			for {
				select {
				case err := <-closed:
					took := time.Since(start)
					if took < tc.within || took > tc.within+2*time.Second {
						t.Errorf("the connection ended after %v (%v), want just after %v", took, err, tc.within)
					}
					return
				case <-tick.C:
					_, _ = io.WriteString(conn, tc.drip) // may fail once the server has closed
				case <-deadline:
					t.Fatalf("the slow client still holds its connection after %v", time.Since(start))
				}
			}
		})
	}
}

// TestLimitsAreWired starts the service with a public-write budget of 1 and the test's loopback
// as a trusted proxy: a second registration from one forwarded address answers 429 with
// Retry-After, one from another address 201.
func TestLimitsAreWired(t *testing.T) {
	a := api{t, startInstance(t, nil, "--data-dir", t.TempDir(), "--public-write-limit", "1",
		"--trusted-proxies", "127.0.0.1/32").url}
	id := a.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{
		"title": "Limits", "venue": "Hall", "days": []string{"2037-11-16"}, "capacity": 5})["id"].(string)
	path := "/api/v1/workshops/" + id + "/registrations"
	register := func(n, from string) (int, []byte, http.Header) {
		req, _ := http.NewRequest("POST", a.base+path, strings.NewReader(`{"name": "P `+n+`", "email": "p`+n+
			`@example.org", "organisation": "Org", "consent": true}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", from)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, body, res.Header
	}
	if status, body, _ := register("1", "203.0.113.1"); status != 201 {
		t.Fatalf("the first registration: got %d %s, want 201", status, body)
	}
	if status, body, h := register("2", "203.0.113.1"); status != 429 || h.Get("Retry-After") == "" {
		t.Errorf("the second from one address: got %d %s (Retry-After %q), want 429 with Retry-After", status, body, h.Get("Retry-After"))
	}
	if status, body, _ := register("3", "203.0.113.2"); status != 201 {
		t.Errorf("one from another address: got %d %s, want 201", status, body)
	}
}

func TestLimitFlags(t *testing.T) {
	env := func(k string) string {
		return map[string]string{"WERKSTATT_PUBLIC_WRITE_LIMIT": "5", "WERKSTATT_TRUSTED_PROXIES": "10.0.0.0/8,fd00::/8"}[k]
	}
	cfg, err := parseConfig("serve", nil, env, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.PublicWriteLimit != 5 || len(cfg.TrustedProxies) != 2 || cfg.TrustedProxies[1].String() != "fd00::/8" {
		t.Errorf("from the environment: got limit %d, proxies %v; want 5 and two ranges", cfg.PublicWriteLimit, cfg.TrustedProxies)
	}
	cfg, err = parseConfig("serve", []string{"--public-write-limit", "0"}, env, io.Discard)
	if err != nil || cfg.PublicWriteLimit != 0 {
		t.Errorf("--public-write-limit 0: got %d, %v; want 0 (off)", cfg.PublicWriteLimit, err)
	}
	if cfg, err := parseConfig("serve", nil, func(string) string { return "" }, io.Discard); err != nil ||
		cfg.PublicWriteLimit != 600 || cfg.TrustedProxies != nil {
		t.Errorf("defaults: got limit %d, proxies %v (%v); want 600 and none", cfg.PublicWriteLimit, cfg.TrustedProxies, err)
	}
	for _, args := range [][]string{{"--public-write-limit", "-1"}, {"--public-write-limit", "many"},
		{"--trusted-proxies", "proxy.example"}} {
		if _, err := parseConfig("serve", args, env, io.Discard); err == nil {
			t.Errorf("%v: got no error", args)
		}
	}
}

// TestMaxMaterialSize: --max-material-size takes bytes or a size with its unit; 50MB by default.
func TestMaxMaterialSize(t *testing.T) {
	env := func(string) string { return "" }
	for args, want := range map[string]int64{"": 50_000_000, "1048576": 1 << 20, "20MiB": 20 << 20, "2 kb": 2000, "1GB": 1e9} {
		var argv []string
		if args != "" {
			argv = []string{"--max-material-size", args}
		}
		cfg, err := parseConfig("serve", argv, env, io.Discard)
		if err != nil || cfg.MaxMaterialSize != want {
			t.Errorf("--max-material-size %q: got %d, %v; want %d", args, cfg.MaxMaterialSize, err, want)
		}
	}
	for _, bad := range []string{"0", "-1", "MB", "lots", "2TB", "99999999999GB"} {
		if _, err := parseConfig("serve", []string{"--max-material-size", bad}, env, io.Discard); err == nil {
			t.Errorf("--max-material-size %q: accepted", bad)
		}
	}
}
