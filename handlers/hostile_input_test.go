package handlers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/handlers/handlerstest"
	"github.com/werkstatt/werkstatt/infra/postgres"
	"github.com/werkstatt/werkstatt/infra/postgres/postgrestest"
)

// TestTextAndNumbersTheReadModelsCannotHold walks issue #10's reproductions: values that the
// PostgreSQL read models could not store (a NUL, a number beyond its integer columns) are
// refused with 422 naming the field and append nothing, and lengths count characters.
func TestTextAndNumbersTheReadModelsCannotHold(t *testing.T) {
	s := startService(t)
	w := s.schedule(5)
	regs := "/api/v1/workshops/" + w.ID + "/registrations"
	withOrg := func(organisation string) map[string]any {
		b := person("Eve", "X")
		b["organisation"] = organisation
		return b
	}
	schedule := func(field string, value any) map[string]any {
		b := map[string]any{"title": "T", "venue": "V", "days": []string{day1}, "capacity": 10}
		b[field] = value
		return b
	}
	tests := []struct {
		name  string
		req   request
		field string
	}{
		{"NUL in organisation", request{method: "POST", path: regs, body: withOrg("Org\u0000")}, "organisation"},
		{"NUL in organisation, raw JSON", request{method: "POST", path: regs,
			body: `{"name":"Eve","email":"eve@example.org","organisation":"Org\u0000","consent":true}`}, "organisation"},
		{"escape sequence in name", request{method: "POST", path: regs, body: map[string]any{"name": "Eve\u001b[2J",
			"email": "eve@example.org", "organisation": "X", "consent": true}}, "name"},
		{"C1 control in organisation", request{method: "POST", path: regs, body: withOrg("Org\u0085Mitte")}, "organisation"},
		{"line break in a title", request{method: "POST", path: "/api/v1/workshops", token: org, body: schedule("title", "Zeile 1\nZeile 2")}, "title"},
		{"201 umlauts in organisation", request{method: "POST", path: regs, body: withOrg(strings.Repeat("Ö", 201))}, "organisation"},
		{"capacity 2147483648", request{method: "POST", path: "/api/v1/workshops", token: org, body: schedule("capacity", int64(2147483648))}, "capacity"},
		{"capacity 100001", request{method: "POST", path: "/api/v1/workshops", token: org, body: schedule("capacity", 100001)}, "capacity"},
		{"changed capacity 2147483648", request{method: "PATCH", path: "/api/v1/workshops/" + w.ID, token: org,
			body: map[string]any{"capacity": int64(2147483648)}}, "capacity"},
		{"NUL in a lead's label", request{method: "POST", path: "/api/v1/series/Werkstatt%202026/lead-tokens", token: org,
			body: map[string]any{"label": "Herr\u0000Demir"}}, "label"},
		{"NUL in a session's speaker", request{method: "POST", path: "/api/v1/workshops/" + w.ID + "/sessions", token: org,
			body: map[string]any{"title": "Talk", "kind": "talk", "day": day1, "starts": "09:00", "ends": "10:00", "speakers": []string{"A\u0000"}}}, "speakers"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := s.lastSeq()
			p := problemOf(t, s.do(tc.req), 422)
			if !strings.HasSuffix(p.Type, "invalid-fields") || len(p.Errors) != 1 || p.Errors[0].Field != tc.field {
				t.Errorf("got problem %+v, want invalid-fields naming only %q", p, tc.field)
			}
			if after := s.lastSeq(); after != before {
				t.Errorf("the stream moved from %d to %d: a rejected command appended events", before, after)
			}
		})
	}

	t.Run("101 umlauts are 101 characters, not 202 bytes", func(t *testing.T) {
		long := strings.Repeat("Ö", 101)
		r := s.register(w, withOrg(long))
		var got registration
		s.must(request{method: "GET", path: regs + "/" + r.ID, token: r.Token}, 200, &got)
		if got.Organisation != long {
			t.Errorf("got organisation %q, want %q", got.Organisation, long)
		}
	})
	t.Run("capacity 100000 is accepted", func(t *testing.T) {
		var got workshop
		s.must(request{method: "POST", path: "/api/v1/workshops", token: org, body: schedule("capacity", 100000)}, 201, &got)
		if got.Capacity != 100000 {
			t.Errorf("got capacity %d, want 100000", got.Capacity)
		}
	})
}

// TestWrittenCommandAnswersItsSuccess holds the PostgreSQL read models back while commands
// succeed, as a rebuild's switch or a stuck projection does: the generation row is locked, so
// no projection can write. A create answers 201 from its decision and an update 202, never
// 404; once the read models catch up, the writes show.
func TestWrittenCommandAnswersItsSuccess(t *testing.T) {
	dbURL := postgrestest.Database(t)
	store, err := postgres.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatalf("open the read models: %v", err)
	}
	t.Cleanup(store.Close)
	cfg, events := handlerstest.WireWith(t, organiserToken, store)
	srv := handlerstest.Serve(t, handlers.New(cfg))
	s := &service{t: t, url: srv.URL, events: events}
	before := s.schedule(5)

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close(ctx) })
	hold, err := conn.Begin(ctx)
	if err != nil {
		t.Fatalf("begin: %v", err)
	}
	if _, err := hold.Exec(ctx, "SELECT current FROM werkstatt.generation FOR UPDATE"); err != nil {
		t.Fatalf("lock the generation: %v", err)
	}

	var created workshop
	res := s.must(request{method: "POST", path: "/api/v1/workshops", token: org, body: map[string]any{
		"title": " Winterwerkstatt ", "venue": "Kassel", "days": []string{day2, day1}, "capacity": 7}}, 201, &created)
	if created.ID == "" || created.Title != "Winterwerkstatt" || created.Capacity != 7 ||
		len(created.Seats) != 2 || created.Seats[0].Day != day1 || created.Seats[0].Free != 7 {
		t.Errorf("got workshop %+v, want it as decided", created)
	}
	if loc := res.header.Get("Location"); loc != "/api/v1/workshops/"+created.ID {
		t.Errorf("got Location %q, want the new workshop", loc)
	}
	var topic struct{ ID, Title string }
	s.must(request{method: "POST", path: "/api/v1/workshops/" + before.ID + "/topics", token: org,
		body: map[string]any{"title": "Mieten"}}, 201, &topic)
	if topic.ID == "" || topic.Title != "Mieten" {
		t.Errorf("got topic %+v, want it as decided", topic)
	}
	s.must(request{method: "PATCH", path: "/api/v1/workshops/" + created.ID, token: org,
		body: map[string]any{"capacity": 9}}, 202, nil)

	if err := hold.Rollback(ctx); err != nil {
		t.Fatalf("release the generation: %v", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var got workshop
		r := s.do(request{method: "GET", path: "/api/v1/workshops/" + created.ID})
		if r.status == 200 {
			s.must(request{method: "GET", path: "/api/v1/workshops/" + created.ID}, 200, &got)
			if got.Capacity == 9 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the read models never showed the writes: got %d %s", r.status, r.body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
