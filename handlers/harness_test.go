package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/handlers/handlerstest"
	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/infra/postgres"
	"github.com/werkstatt/werkstatt/infra/postgres/postgrestest"
)

const organiserToken = "organiser-token-for-tests"

// service is the whole API over real parts: an embedded NATS server in a temp dir, the event
// store, the keyring, in-memory read models fed by the projection runner, and an HTTP server.
type service struct {
	t      *testing.T
	url    string
	events *eventstore.Store
}

func startService(t *testing.T) *service {
	t.Helper()
	cfg, store := handlerstest.Wire(t, organiserToken)
	srv := handlerstest.Serve(t, handlers.New(cfg))
	return &service{t: t, url: srv.URL, events: store}
}

// eachReadModel runs test against a service on the memory read models and one on PostgreSQL's.
func eachReadModel(t *testing.T, test func(t *testing.T, s *service)) {
	for _, store := range []string{"memory", "postgres"} {
		t.Run(store, func(t *testing.T) {
			if store == "memory" {
				test(t, startService(t))
				return
			}
			pg, err := postgres.Open(context.Background(), postgrestest.Database(t))
			if err != nil {
				t.Fatalf("open the read models: %v", err)
			}
			t.Cleanup(pg.Close)
			cfg, events := handlerstest.WireWith(t, organiserToken, pg)
			test(t, &service{t: t, url: handlerstest.Serve(t, handlers.New(cfg)).URL, events: events})
		})
	}
}

// request is one HTTP call of a test.
type request struct {
	method, path string
	token        string // sent as Bearer
	body         any    // a string is sent as is, anything else as JSON
	header       map[string]string
}

// response is what came back.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (s *service) do(r request) response {
	s.t.Helper()
	var body io.Reader
	switch b := r.body.(type) {
	case nil:
	case string:
		body = bytes.NewBufferString(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			s.t.Fatalf("marshal %v: %v", b, err)
		}
		body = bytes.NewReader(j)
	}
	req, err := http.NewRequest(r.method, s.url+r.path, body)
	if err != nil {
		s.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatalf("%s %s: read body: %v", r.method, r.path, err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// must does r, checks the status and decodes the body into out (if not nil).
func (s *service) must(r request, status int, out any) response {
	s.t.Helper()
	res := s.do(r)
	if res.status != status {
		s.t.Fatalf("%s %s: got %d %s, want %d", r.method, r.path, res.status, res.body, status)
	}
	if out != nil {
		if err := json.Unmarshal(res.body, out); err != nil {
			s.t.Fatalf("%s %s: decode %s: %v", r.method, r.path, res.body, err)
		}
	}
	return res
}

// lastSeq is the stream's last sequence: a rejected command must not move it.
func (s *service) lastSeq() uint64 {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	seq, err := s.events.LastSeq(ctx)
	if err != nil {
		s.t.Fatalf("last sequence: %v", err)
	}
	return seq
}
