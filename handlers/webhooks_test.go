package handlers_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestWebhooks: who manages a network's webhooks (its admin, its organiser of every series, the
// instance's administrator) creates, lists, reads and removes them; personal data only by an
// admin; hostile input answers precise problems; other people do not find them.
func TestWebhooks(t *testing.T) {
	s := startService(t)
	n := newNetworkWorld(s)
	var ole member
	s.must(request{method: "POST", path: "/api/v1/networks/" + n.forum + "/members", token: org, body: map[string]any{
		"name": "ole", "email": "ole@example.org", "roles": []map[string]any{{"role": "organiser"}}}}, 201, &ole)
	var tok struct{ Token string }
	s.must(request{method: "POST", path: "/api/v1/networks/" + n.forum + "/members/" + ole.ID + "/api-tokens", token: org,
		body: map[string]any{"label": "Skript"}}, 201, &tok)
	ole.Token = tok.Token

	type hook struct {
		ID, Network, URL, Secret string
		Events                   []string
		PersonalData             bool `json:"personal_data"`
		Deliveries               []map[string]any
	}
	body := map[string]any{"url": "https://crm.example.org/hooks", "events": []string{"registration.confirmed", "checkin.recorded"}}

	// Ole organises the whole network: his webhook goes to his one network.
	var h hook
	res := s.must(request{method: "POST", path: "/api/v1/webhooks", token: ole.Token, body: body}, 201, &h)
	if h.Network != n.forum || !strings.HasPrefix(h.Secret, "whsec_") || h.PersonalData || len(h.Events) != 2 || h.Deliveries == nil {
		t.Errorf("ole's webhook: got %+v", h)
	}
	if loc := res.header.Get("Location"); loc != "/api/v1/webhooks/"+h.ID {
		t.Errorf("Location %q", loc)
	}
	// The same request under the same Idempotency-Key answers the same webhook.
	keyed := request{method: "POST", path: "/api/v1/webhooks", token: ole.Token, body: map[string]any{"url": "https://crm.example.org/keyed",
		"events": []string{"workshop.changed"}}, header: map[string]string{"Idempotency-Key": "hook-1"}}
	var first, repeat hook
	s.must(keyed, 201, &first)
	seq := s.lastSeq()
	s.must(keyed, 201, &repeat)
	if repeat.ID != first.ID || repeat.Secret != first.Secret || s.lastSeq() != seq {
		t.Errorf("repeated with its key: got %+v after %+v (log %d -> %d), want the same webhook and nothing appended", repeat, first, seq, s.lastSeq())
	}
	s.must(request{method: "DELETE", path: "/api/v1/webhooks/" + first.ID, token: ole.Token}, 204, nil)

	// Personal data: his own refused, anna's (admin) and the administrator's accepted.
	personal := map[string]any{"url": "https://crm.example.org/people", "events": []string{"registration.confirmed"}, "personal_data": true}
	hookProblem(t, s.do(request{method: "POST", path: "/api/v1/webhooks", token: ole.Token, body: personal}), 422, "personal_data", "not-allowed")
	var annas, admins hook
	s.must(request{method: "POST", path: "/api/v1/webhooks", token: n.anna.Token, body: personal}, 201, &annas)
	s.must(request{method: "POST", path: "/api/v1/webhooks", token: org, body: map[string]any{"url": "https://crm.example.org/people",
		"events": []string{"registration.promoted"}, "personal_data": true, "network": n.wartburg}}, 201, &admins)
	if !annas.PersonalData || admins.Network != n.wartburg || annas.Secret == h.Secret {
		t.Errorf("anna's %+v, the administrator's %+v", annas, admins)
	}

	// The administrator of several networks names one; others who manage no network's webhooks
	// are refused; max names a network not his: unknown.
	hookProblem(t, s.do(request{method: "POST", path: "/api/v1/webhooks", token: org, body: body}), 422, "network", "required")
	for _, who := range []member{n.olaf, n.otto, n.dora, n.lea, n.mia} {
		if res := s.do(request{method: "POST", path: "/api/v1/webhooks", token: who.Token, body: body}); res.status != 403 {
			t.Errorf("%s creates a webhook: got %d %s, want 403", who.ID, res.status, res.body)
		}
	}
	withNetwork := map[string]any{"url": "https://x.example", "events": []string{"checkin.recorded"}, "network": n.forum}
	hookProblem(t, s.do(request{method: "POST", path: "/api/v1/webhooks", token: n.max.Token, body: withNetwork}), 422, "network", "unknown-id")
	s.must(request{method: "POST", path: "/api/v1/webhooks", token: "", body: body}, 401, nil)

	// Hostile input.
	for _, tc := range []struct {
		body        string
		field, code string
	}{
		{`{"url": "javascript:alert(1)", "events": ["checkin.recorded"]}`, "url", "not-a-url"},
		{`{"url": "file:///etc/passwd", "events": ["checkin.recorded"]}`, "url", "not-a-url"},
		{`{"url": "https://admin:pw@crm.example.org/", "events": ["checkin.recorded"]}`, "url", "not-allowed"},
		{`{"url": "https://crm.example.org/\u0000", "events": ["checkin.recorded"]}`, "url", "control-characters"},
		{`{"url": "http://169.254.169.254/latest/meta-data", "events": ["checkin.recorded"]}`, "url", "internal-address"},
		{`{"url": "http://127.0.0.1:5432/", "events": ["checkin.recorded"]}`, "url", "internal-address"},
		{`{"url": "http://[::ffff:10.0.0.1]/", "events": ["checkin.recorded"]}`, "url", "internal-address"},
		{`{"url": "https://localhost/hooks", "events": ["checkin.recorded"]}`, "url", "internal-address"},
		{`{"url": "https://crm.example.org/` + strings.Repeat("a", 2100) + `", "events": ["checkin.recorded"]}`, "url", "too-long"},
		{`{"url": "https://crm.example.org", "events": []}`, "events", "too-few"},
		{`{"url": "https://crm.example.org", "events": ["participant.registered.v1"]}`, "events[0]", "not-in-list"},
		{`{"url": "https://crm.example.org", "events": ["checkin.recorded", "checkin.recorded"]}`, "events[1]", "named-twice"},
		{`{"url": "https://crm.example.org", "events": "checkin.recorded"}`, "events", "wrong-type"},
		{`{"url": "https://crm.example.org", "events": ["checkin.recorded"], "secret": "mine"}`, "secret", "unknown-field"},
	} {
		hookProblem(t, s.do(request{method: "POST", path: "/api/v1/webhooks", token: ole.Token, body: tc.body}), 0, tc.field, tc.code)
	}
	if res := s.do(request{method: "POST", path: "/api/v1/webhooks", token: ole.Token, body: `{"url": "https://x", `}); res.status != 400 {
		t.Errorf("broken JSON: got %d", res.status)
	}

	// Lists: ole and anna see the forum's two, max the one of his network, mia none; the secret
	// is not shown again.
	list := func(token string) []hook {
		var l struct{ Webhooks []hook }
		r := s.must(request{method: "GET", path: "/api/v1/webhooks", token: token}, 200, &l)
		if strings.Contains(string(r.body), "whsec_") {
			t.Errorf("a list shows a secret: %s", r.body)
		}
		return l.Webhooks
	}
	if got := len(list(ole.Token)); got != 2 {
		t.Errorf("ole lists %d webhooks, want 2", got)
	}
	if got := list(n.max.Token); len(got) != 1 || got[0].ID != admins.ID {
		t.Errorf("max lists %+v, want the administrator's in his network", got)
	}
	if got := len(list(n.mia.Token)) + len(list(n.olaf.Token)); got != 0 {
		t.Errorf("mia and olaf list %d webhooks, want none", got)
	}
	if got := len(list(org)); got != 3 {
		t.Errorf("the administrator lists %d webhooks, want 3", got)
	}
	var one hook
	s.must(request{method: "GET", path: "/api/v1/webhooks/" + h.ID, token: n.anna.Token}, 200, &one)
	if one.ID != h.ID || one.Secret != "" || one.URL != "https://crm.example.org/hooks" {
		t.Errorf("anna reads %+v", one)
	}

	// Foreign and unknown ids are not found, for reading and removing.
	for _, tc := range []struct{ token, id string }{{n.max.Token, h.ID}, {n.mia.Token, h.ID}, {n.olaf.Token, h.ID},
		{ole.Token, admins.ID}, {ole.Token, "nope"}, {ole.Token, "%00"}, {ole.Token, strings.Repeat("x", 300)}} {
		hookProblem(t, s.do(request{method: "GET", path: "/api/v1/webhooks/" + tc.id, token: tc.token}), 404, "", "")
		hookProblem(t, s.do(request{method: "DELETE", path: "/api/v1/webhooks/" + tc.id, token: tc.token}), 404, "", "")
	}
	seq = s.lastSeq()
	s.must(request{method: "DELETE", path: "/api/v1/webhooks/" + h.ID, token: ole.Token}, 204, nil)
	if s.lastSeq() == seq {
		t.Error("removing a webhook appended nothing")
	}
	hookProblem(t, s.do(request{method: "DELETE", path: "/api/v1/webhooks/" + h.ID, token: ole.Token}), 404, "", "")
	if got := len(list(ole.Token)); got != 1 {
		t.Errorf("after the removal ole lists %d webhooks, want 1", got)
	}
}

// hookProblem checks that res is a problem with status (any 4xx for 0) and, when field is set, an
// entry for field with code.
func hookProblem(t *testing.T, res response, status int, field, code string) {
	t.Helper()
	if (status != 0 && res.status != status) || res.status < 400 || res.status > 499 || !strings.HasPrefix(res.header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("got %d %s %s, want a problem with status %d", res.status, res.header.Get("Content-Type"), res.body, status)
		return
	}
	if field == "" {
		return
	}
	var p struct {
		Errors []struct{ Field, Code string }
	}
	_ = json.Unmarshal(res.body, &p)
	for _, e := range p.Errors {
		if e.Field == field && e.Code == code {
			return
		}
	}
	t.Errorf("got %s, want an error %s on %s", res.body, code, field)
}
