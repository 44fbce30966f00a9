package handlers_test

import (
	"strings"
	"testing"
)

// TestHostLinks: the organiser issues a host link per café table; the host writes the table's
// notes with its token (actor "host"), but not another table's; a replaced or revoked link, a
// made-up one and a removed table's answer 404; only the organiser issues and revokes links.
func TestHostLinks(t *testing.T) {
	s := startService(t)
	w := s.schedule(10)
	var se session
	s.must(request{method: "POST", path: "/api/v1/workshops/" + w.ID + "/sessions", token: org, body: map[string]any{
		"title": "Themencafé", "kind": "theme_cafe", "day": day1, "starts": "10:00", "ends": "12:00"}}, 201, &se)
	base := "/api/v1/workshops/" + w.ID + "/sessions/" + se.ID + "/theme-cafe"
	var a, b cafeTable
	s.must(request{method: "POST", path: base + "/tables", token: org, body: map[string]any{"topic": "Wohnen", "capacity": 6}}, 201, &a)
	s.must(request{method: "POST", path: base + "/tables", token: org, body: map[string]any{"topic": "Arbeit", "capacity": 6}}, 201, &b)
	alice := s.register(w, person("Alice", "Stadtwerke"))

	type link struct{ Token string }
	issue := func(tid string) link {
		t.Helper()
		var l link
		res := s.must(request{method: "POST", path: base + "/tables/" + tid + "/host-link", token: org}, 201, &l)
		if !strings.HasPrefix(l.Token, "host.") || res.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("host link: got %+v (Cache-Control %q), want a host. token, no-store", l, res.header.Get("Cache-Control"))
		}
		return l
	}
	la, lb := issue(a.ID), issue(b.ID)
	notes := map[string]any{"key_points": []string{"Mieten steigen"}}
	s.must(request{method: "PUT", path: base + "/tables/" + a.ID + "/notes/1", token: la.Token, body: notes}, 200, nil)
	if got := s.lastActor(); got != "host" {
		t.Errorf("the log's actor of the host's notes: got %q, want host", got)
	}

	seq := s.lastSeq()
	for _, tc := range []struct {
		name, tid, token string
	}{
		{"table A's link on table B", b.ID, la.Token},
		{"a made-up link", a.ID, "host.made-up"},
		{"a participant's token is no host link", a.ID, "host." + alice.Token},
	} {
		if p := problemOf(t, s.do(request{method: "PUT", path: base + "/tables/" + tc.tid + "/notes/1", token: tc.token, body: notes}), 404); p.Type != "urn:werkstatt:problem:not-found" {
			t.Errorf("%s: got type %q, want not-found", tc.name, p.Type)
		}
	}
	problemOf(t, s.do(request{method: "PUT", path: base + "/tables/" + a.ID + "/notes/9", token: la.Token, body: notes}), 422)
	problemOf(t, s.do(request{method: "PUT", path: base + "/tables/" + a.ID + "/notes/1", token: la.Token, body: `{"key_points": "x"}`}), 400)
	problemOf(t, s.do(request{method: "PUT", path: base + "/tables/" + a.ID + "/notes/1", token: la.Token, body: `{"summary": []}`}), 400)
	if s.lastSeq() != seq {
		t.Errorf("refused notes appended events")
	}

	// Issuing again replaces the link.
	la2 := issue(a.ID)
	problemOf(t, s.do(request{method: "PUT", path: base + "/tables/" + a.ID + "/notes/2", token: la.Token, body: notes}), 404)
	s.must(request{method: "PUT", path: base + "/tables/" + a.ID + "/notes/2", token: la2.Token, body: notes}, 200, nil)

	// Revoked: 404; revoking again is 204 too.
	s.must(request{method: "DELETE", path: base + "/tables/" + a.ID + "/host-link", token: org}, 204, nil)
	s.must(request{method: "DELETE", path: base + "/tables/" + a.ID + "/host-link", token: org}, 204, nil)
	problemOf(t, s.do(request{method: "PUT", path: base + "/tables/" + a.ID + "/notes/2", token: la2.Token, body: notes}), 404)

	// A removed table's link is gone with it.
	s.must(request{method: "DELETE", path: base + "/tables/" + b.ID, token: org}, 204, nil)
	problemOf(t, s.do(request{method: "PUT", path: base + "/tables/" + b.ID + "/notes/1", token: lb.Token, body: notes}), 404)

	// Only the organiser issues and revokes; unknown tables are 404.
	problemOf(t, s.do(request{method: "POST", path: base + "/tables/" + a.ID + "/host-link", token: alice.Token}), 403)
	problemOf(t, s.do(request{method: "POST", path: base + "/tables/" + a.ID + "/host-link"}), 401)
	problemOf(t, s.do(request{method: "DELETE", path: base + "/tables/" + a.ID + "/host-link", token: la2.Token}), 401)
	problemOf(t, s.do(request{method: "POST", path: base + "/tables/01HZZZZZZZZZZZZZZZZZZZZZZZ/host-link", token: org}), 404)
}
