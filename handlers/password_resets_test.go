package handlers_test

import (
	"testing"
)

// TestPasswordResets: the answer is 202 for an account and for an unknown address alike; only
// the account's request reaches the log (the outbox mails the link from there). A malformed
// address, an unknown language or an unknown field are refused. Asking again right away
// answers alike and mails nothing more.
func TestPasswordResets(t *testing.T) {
	s := startService(t)
	newNetworkWorld(s)
	const path = "/api/v1/password-resets"

	seq := s.lastSeq()
	s.must(request{method: "POST", path: path, body: map[string]any{"email": "niemand@example.org"}}, 202, nil)
	if s.lastSeq() != seq {
		t.Errorf("a reset for an unknown address appended to the log")
	}
	s.must(request{method: "POST", path: path, body: map[string]any{"email": "Mia@example.org", "lang": "en"}}, 202, nil)
	if s.lastSeq() == seq {
		t.Errorf("a reset for a member's address appended nothing")
	}
	seq = s.lastSeq()
	s.must(request{method: "POST", path: path, body: map[string]any{"email": "mia@example.org"}}, 202, nil)
	if s.lastSeq() != seq {
		t.Errorf("a reset again right after the first appended to the log, want it answered alike and skipped")
	}
	if p := problemOf(t, s.do(request{method: "POST", path: path, body: map[string]any{"email": "keine Adresse"}}), 422); !namesField(p, "email") {
		t.Errorf("a malformed address: got %+v, want the field email named", p)
	}
	if p := problemOf(t, s.do(request{method: "POST", path: path, body: map[string]any{"email": "mia@example.org", "lang": "fr"}}), 422); !namesField(p, "lang") {
		t.Errorf("an unknown language: got %+v, want the field lang named", p)
	}
	problemOf(t, s.do(request{method: "POST", path: path, body: map[string]any{"email": "mia@example.org", "name": "Mia"}}), 400)
	problemOf(t, s.do(request{method: "POST", path: path, body: map[string]any{"email": 7}}), 400)
}
