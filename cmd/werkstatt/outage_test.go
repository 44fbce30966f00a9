package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
)

// outageBudget is how long an answer may take while a dependency is down (issue #10: 2 s).
const outageBudget = 2 * time.Second

// internals are words of adapter errors that no answer may show.
var internals = []string{"postgres", "pgx", "nats", "jetstream", "dial", "deadline", "keys:", "127.0.0.1",
	"connection", "refused", "EOF", "sequence", "eventstore"}

// TestReadModelOutage stops PostgreSQL (the read models) under a running instance: reads and
// token checks answer 503 problem+json with Retry-After and a request id within 2 s, never 401
// or 500; the pages show the 503 page; a registration whose event was written answers 201;
// /readyz is 503 naming the read models, and everything answers again once PostgreSQL is back.
func TestReadModelOutage(t *testing.T) {
	db := testDatabase(t)
	proxy := startTCPProxy(t, db)
	in := startInstance(t, nil, "--data-dir", t.TempDir(), "--database-url", proxy.databaseURL(db))
	a := api{t, in.url}
	w := a.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{
		"title": "Outage", "venue": "Hall", "days": []string{"2037-11-16"}, "capacity": 10})["id"].(string)
	reg := a.must(201, "POST", "/api/v1/workshops/"+w+"/registrations", "", map[string]any{
		"name": "Anna", "email": "anna@example.org", "organisation": "Org", "consent": true})
	token, rid := reg["token"].(string), reg["id"].(string)

	proxy.stop()
	wantOutage(t, in, "GET", "/api/v1/workshops", "", nil)
	wantOutage(t, in, "GET", "/api/v1/workshops/"+w+"/registrations/"+rid, token) // was 401 "token not valid"
	wantOutage(t, in, "DELETE", "/api/v1/workshops/"+w+"/registrations/"+rid, token)
	wantOutage(t, in, "GET", "/api/v1/workshops/"+w+"/registrations", organiser)
	wantOutage(t, in, "POST", "/api/v1/workshops/"+w+"/topics", token, map[string]any{"title": "Mehr Pausen"})
	wantOutagePage(t, in, "/w/"+w, "nicht erreichbar")
	wantOutagePage(t, in, "/w/"+w+"/r/"+rid+"?token="+url.QueryEscape(token)+"&lang=en", "cannot be reached")
	wantNotReady(t, in, "read_models", "unreachable")

	// The log takes the registration; the read models cannot show it, which is no reason for a 404.
	start := time.Now()
	late := a.must(201, "POST", "/api/v1/workshops/"+w+"/registrations", "", map[string]any{
		"name": "Ben", "email": "ben@example.org", "organisation": "Org", "consent": true})
	if took := time.Since(start); took > 8*time.Second {
		t.Errorf("the registration during the outage took %s", took)
	}
	wantNotReady(t, in, "projections", map[string]any{"registrations.v1": "stuck at seq 4: unreachable"})

	proxy.start()
	waitReady(t, in, 30*time.Second)
	a.must(200, "GET", "/api/v1/workshops/"+w+"/registrations/"+rid, token, nil)
	list := a.must(200, "GET", "/api/v1/workshops/"+w+"/registrations", organiser, nil)["registrations"].([]any)
	if len(list) != 2 || list[1].(map[string]any)["id"] != late["id"] {
		t.Errorf("after the outage: got registrations %v, want Anna's and Ben's", list)
	}
}

// TestEventLogOutage stops the NATS server under a running instance: commands answer 503 at
// once (they queued for 5-30 s and showed "keys: read key of <id>: context deadline exceeded"),
// reads from the in-memory read models go on, /readyz names the event log, and commands work
// again once NATS is back.
func TestEventLogOutage(t *testing.T) {
	ns := natstest.OwnProcess(t)
	in := startInstance(t, nil, "--data-dir", t.TempDir(), "--nats-url", ns.URL)
	a := api{t, in.url}
	w := a.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{
		"title": "Outage", "series": "S", "venue": "Hall", "days": []string{"2037-11-16"}, "capacity": 10})["id"].(string)
	reg := a.must(201, "POST", "/api/v1/workshops/"+w+"/registrations", "", map[string]any{
		"name": "Anna", "email": "anna@example.org", "organisation": "Org", "consent": true})
	token, rid := reg["token"].(string), reg["id"].(string)
	lead := a.must(201, "POST", "/api/v1/series/S/lead-tokens", organiser, map[string]any{"label": "Lead"})["token"].(string)
	a.must(200, "GET", "/api/v1/series/S/report", lead, nil)

	ns.Stop()
	wantOutage(t, in, "GET", "/api/v1/series/S/report", lead) // the grants live in NATS: not 401
	// Commands do not queue behind each other either.
	for i := range 3 {
		wantOutage(t, in, "POST", "/api/v1/workshops/"+w+"/registrations", "", map[string]any{
			"name": "Ben", "email": fmt.Sprintf("ben%d@example.org", i), "organisation": "Org", "consent": true})
	}
	wantOutage(t, in, "POST", "/api/v1/workshops", organiser, map[string]any{
		"title": "Next", "venue": "Hall", "days": []string{"2037-12-01"}, "capacity": 10})
	wantOutage(t, in, "DELETE", "/api/v1/workshops/"+w+"/registrations/"+rid, token)
	wantOutage(t, in, "POST", "/api/v1/series/S/lead-tokens", organiser, map[string]any{"label": "Lead"})
	// The history and the lists as of a time read the log itself.
	wantOutage(t, in, "GET", "/api/v1/workshops/"+w+"/history", organiser)
	wantOutage(t, in, "GET", "/api/v1/workshops/"+w+"/registrations?as_of="+url.QueryEscape(time.Now().Format(time.RFC3339)), organiser)
	a.must(200, "GET", "/api/v1/workshops/"+w+"/registrations/"+rid, token, nil) // the read models still answer
	wantNotReady(t, in, "event_log", "unreachable")

	ns.Start()
	waitReady(t, in, 30*time.Second)
	a.must(201, "POST", "/api/v1/workshops/"+w+"/registrations", "", map[string]any{
		"name": "Ben", "email": "ben@example.org", "organisation": "Org", "consent": true})
}

// TestStuckProjection breaks the registrations table in the instance's own database for real (a
// constraint one registration violates): the registration still answers 201, later commands do
// not wait for the stuck projection, /readyz names it with the commit's sequence, the log and the
// metrics report it, and it goes on by itself once the constraint is gone.
func TestStuckProjection(t *testing.T) {
	db, dir := testDatabase(t), t.TempDir()
	in := startInstance(t, nil, "--data-dir", dir, "--database-url", db, "--metrics-addr", "127.0.0.1:0")
	m := regexp.MustCompile(`Metrics at (http://\S+)`).FindStringSubmatch(in.out.String())
	if m == nil {
		t.Fatalf("no metrics address in %q", in.out)
	}
	metrics := m[1]
	a := api{t, in.url}
	w := a.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{
		"title": "Poison", "venue": "Hall", "days": []string{"2037-11-16"}, "capacity": 10})["id"].(string)
	register := func(name, organisation string) map[string]any {
		return a.must(201, "POST", "/api/v1/workshops/"+w+"/registrations", "", map[string]any{
			"name": name, "email": strings.ToLower(name) + "@example.org", "organisation": organisation, "consent": true})
	}
	register("Anna", "Org")
	execSQL(t, db, `DO $$ DECLARE g bigint; BEGIN SELECT current INTO g FROM werkstatt.generation;
		EXECUTE format('ALTER TABLE werkstatt_rm_%s.registrations ADD CONSTRAINT poison CHECK (organisation <> %L) NOT VALID', g, 'Gift');
		END $$`)

	register("Ben", "Gift") // seq 4: the first network 1, workshop 2, Anna 3
	ready := wantNotReady(t, in, "projections", nil)
	if got := ready["projections"].(map[string]any); got["registrations.v1"] != "stuck at seq 4: failing" || got["workshops.v1"] != "ok" {
		t.Errorf("got projections %v, want registrations.v1 stuck at seq 4: failing and workshops.v1 ok", got)
	}
	start := time.Now()
	register("Cleo", "Org")
	if took := time.Since(start); took > outageBudget {
		t.Errorf("a command after the stuck one took %s: it waited for the stuck projection", took)
	}
	// The later events wait behind the stuck commit: the other projections lag, and say so.
	wantNotReady(t, in, "projections", map[string]any{"workshops.v1": "behind by 1 events for more than 5s"})
	body := get(t, metrics)
	for _, want := range []string{`werkstatt_projection_stuck{projection="registrations.v1"} 1`,
		`werkstatt_projection_stuck{projection="workshops.v1"} 0`, `werkstatt_projection_lag{projection="registrations.v1"}`,
		`werkstatt_feed_handler_execution_time_seconds_count{handler_name="projections",success="false"}`,
		`werkstatt_http_request_duration_seconds_count{method="POST",route="/api/v1/workshops/:id/registrations",status="2xx"} 3`,
		`werkstatt_nats_connected 1`, `werkstatt_postgres_connections{state="max"}`, `werkstatt_outbox_backlog{outbox="webhooks"}`,
		`werkstatt_commands_total{outcome="appended"}`, `werkstatt_append_conflicts_total 0`, `werkstatt_group_batches_total`} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s:\n%s", want, body)
		}
	}
	if n := metricValue(t, body, `werkstatt_projection_failures_total{projection="registrations.v1"}`); n < 1 {
		t.Errorf("got %v failures of registrations.v1, want at least 1", n)
	}
	if log := in.log.String(); !regexp.MustCompile(`"msg":"projection stuck[^"]*","projection":"registrations.v1","seq":4,`).MatchString(log) {
		t.Errorf("no error log line naming registrations.v1 and seq 4:\n%s", log)
	}

	// A restart serves (it waited for the stuck projection for ever) and names it.
	in.stop(t)
	in = startInstance(t, nil, "--data-dir", dir, "--database-url", db, "--metrics-addr", "127.0.0.1:0")
	a = api{t, in.url}
	metrics = regexp.MustCompile(`Metrics at (http://\S+)`).FindStringSubmatch(in.out.String())[1]
	wantNotReady(t, in, "projections", map[string]any{"registrations.v1": "stuck at seq 4: failing"})
	a.must(200, "GET", "/api/v1/workshops/"+w, "", nil)

	execSQL(t, db, `DO $$ DECLARE g bigint; BEGIN SELECT current INTO g FROM werkstatt.generation;
		EXECUTE format('ALTER TABLE werkstatt_rm_%s.registrations DROP CONSTRAINT poison', g); END $$`)
	waitReady(t, in, 30*time.Second)
	list := a.must(200, "GET", "/api/v1/workshops/"+w+"/registrations", organiser, nil)["registrations"].([]any)
	if len(list) != 3 {
		t.Errorf("after the fix: got %d registrations, want 3", len(list))
	}
	if body := get(t, metrics); !strings.Contains(body, `werkstatt_projection_stuck{projection="registrations.v1"} 0`) {
		t.Errorf("after the fix registrations.v1 is still stuck:\n%s", body)
	}
}

// TestNotReadyWhileShuttingDown: serve flips readiness before it drains the requests.
func TestNotReadyWhileShuttingDown(t *testing.T) {
	cfg, err := parseConfig("serve", []string{"--data-dir", t.TempDir()}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := open(ctx, cfg, newLogger(cfg, io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	runCtx, stop := context.WithCancel(ctx)
	done := a.start(runCtx)
	defer func() { stop(); <-done }()
	if err := a.health.ready(ctx); err != nil {
		t.Fatalf("ready before shutdown: %v", err)
	}
	a.health.shuttingDown.Store(true)
	err = a.health.ready(ctx)
	if nr, ok := err.(handlers.NotReady); !ok || nr.Checks["service"] != "shutting down" {
		t.Errorf("ready while shutting down = %v, want NotReady with service: shutting down", err)
	}
}

// wantOutage sends a request and checks the outage answer: 503 problem+json with Retry-After and
// a request id (also in the log), within outageBudget, naming nothing internal.
func wantOutage(t *testing.T, in *instance, method, path, token string, body ...any) {
	t.Helper()
	var b any
	if len(body) > 0 {
		b = body[0]
	}
	start := time.Now()
	resp, raw := send(t, in.url, method, path, token, b)
	took := time.Since(start)
	what := method + " " + path
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("%s: got %d %s %s, want 503 problem+json", what, resp.StatusCode, resp.Header.Get("Content-Type"), raw)
		return
	}
	if took > outageBudget {
		t.Errorf("%s: answered after %s, want within %s", what, took, outageBudget)
	}
	if resp.Header.Get("Retry-After") == "" {
		t.Errorf("%s: 503 without Retry-After", what)
	}
	var p struct {
		RequestID string `json:"request_id"`
	}
	_ = json.Unmarshal(raw, &p)
	if p.RequestID == "" || p.RequestID != resp.Header.Get("X-Request-Id") {
		t.Errorf("%s: request_id %q, X-Request-Id %q: want one id in both", what, p.RequestID, resp.Header.Get("X-Request-Id"))
	} else if !strings.Contains(in.log.String(), p.RequestID) {
		t.Errorf("%s: request id %s is not in the log", what, p.RequestID)
	}
	// The request id is random letters: "PGX" or "NATS" in it reveals nothing.
	shown := strings.ReplaceAll(string(raw), p.RequestID, "")
	for _, word := range internals {
		if strings.Contains(strings.ToLower(shown), strings.ToLower(word)) {
			t.Errorf("%s: the problem reveals %q: %s", what, word, raw)
		}
	}
}

// wantOutagePage checks that a page answers the 503 page in its language within outageBudget.
func wantOutagePage(t *testing.T, in *instance, path, text string) {
	t.Helper()
	start := time.Now()
	resp, raw := send(t, in.url, "GET", path, "", nil)
	if took := time.Since(start); took > outageBudget {
		t.Errorf("GET %s: answered after %s, want within %s", path, took, outageBudget)
	}
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") ||
		resp.Header.Get("Retry-After") == "" || !strings.Contains(string(raw), text) {
		t.Errorf("GET %s: got %d %s Retry-After %q, want the 503 page with %q:\n%.600s", path, resp.StatusCode,
			resp.Header.Get("Content-Type"), resp.Header.Get("Retry-After"), text, raw)
	}
	if id := resp.Header.Get("X-Request-Id"); id == "" || !strings.Contains(string(raw), id) {
		t.Errorf("GET %s: the page does not name its request id %q", path, id)
	}
}

// wantNotReady polls /readyz (up to 15 s) until it answers 503 with checks[name] equal to want
// (nil: any value; a map: those entries), and returns the checks.
func wantNotReady(t *testing.T, in *instance, name string, want any) map[string]any {
	t.Helper()
	var last string
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		resp, raw := send(t, in.url, "GET", "/readyz", "", nil)
		last = fmt.Sprintf("%d %s", resp.StatusCode, raw)
		var body struct {
			Status string         `json:"status"`
			Checks map[string]any `json:"checks"`
		}
		if resp.StatusCode != http.StatusServiceUnavailable || json.Unmarshal(raw, &body) != nil || body.Status != "unavailable" {
			continue
		}
		if resp.Header.Get("Retry-After") == "" {
			t.Errorf("/readyz: 503 without Retry-After")
		}
		got, ok := body.Checks[name]
		if !ok || !matches(got, want) {
			continue
		}
		for _, word := range internals {
			if strings.Contains(strings.ToLower(string(raw)), strings.ToLower(word)) {
				t.Errorf("/readyz reveals %q: %s", word, raw)
			}
		}
		return body.Checks
	}
	t.Fatalf("/readyz: last %s, want 503 with %s: %v", last, name, want)
	return nil
}

func matches(got, want any) bool {
	switch want := want.(type) {
	case nil:
		return true
	case map[string]any:
		m, ok := got.(map[string]any)
		if !ok {
			return false
		}
		for k, v := range want {
			if m[k] != v {
				return false
			}
		}
		return true
	default:
		return got == want
	}
}

func waitReady(t *testing.T, in *instance, timeout time.Duration) {
	t.Helper()
	var last string
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		resp, raw := send(t, in.url, "GET", "/readyz", "", nil)
		if resp.StatusCode == http.StatusOK {
			return
		}
		last = fmt.Sprintf("%d %s", resp.StatusCode, raw)
	}
	t.Fatalf("/readyz not 200 within %s: last %s", timeout, last)
}

func send(t *testing.T, base, method, path, token string, body any) (*http.Response, []byte) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = strings.NewReader(string(b))
	}
	req, err := http.NewRequest(method, base+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	client := http.Client{Timeout: 30 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, raw
}

func get(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// metricValue returns the value of the sample line that starts with series.
func metricValue(t *testing.T, body, series string) float64 {
	t.Helper()
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			var f float64
			fmt.Sscan(v, &f)
			return f
		}
	}
	t.Errorf("metrics lack %s", series)
	return 0
}

func execSQL(t *testing.T, databaseURL, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// tcpProxy stands between the service and PostgreSQL; stopping it is PostgreSQL going away as
// the service sees it: open connections break, new ones are refused.
type tcpProxy struct {
	t      *testing.T
	target string
	addr   string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
}

func startTCPProxy(t *testing.T, databaseURL string) *tcpProxy {
	t.Helper()
	cfg, err := pgx.ParseConfig(databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{t: t, target: net.JoinHostPort(cfg.Host, fmt.Sprint(cfg.Port)), addr: "127.0.0.1:0", conns: map[net.Conn]bool{}}
	p.start()
	t.Cleanup(p.stop)
	return p
}

// databaseURL is databaseURL through the proxy.
func (p *tcpProxy) databaseURL(databaseURL string) string {
	u, err := url.Parse(databaseURL)
	if err != nil {
		p.t.Fatal(err)
	}
	u.Host = p.addr
	return u.String()
}

func (p *tcpProxy) start() {
	p.t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatalf("proxy: %v", err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.pipe(c)
		}
	}()
}

func (p *tcpProxy) pipe(c net.Conn) {
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	if p.ln == nil { // stopped meanwhile
		p.mu.Unlock()
		c.Close()
		up.Close()
		return
	}
	p.conns[c], p.conns[up] = true, true
	p.mu.Unlock()
	go func() { io.Copy(up, c); up.Close(); c.Close() }()
	io.Copy(c, up)
	c.Close()
	up.Close()
}

func (p *tcpProxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
		delete(p.conns, c)
	}
}
