package handlers_test

import (
	"testing"
)

// TestRequestLink: the answer is 202 for a registered and for an unknown address alike; only the
// registered one's request reaches the log (the outbox mails the link from there). A malformed
// address, an unknown field or an unknown workshop are refused as usual.
func TestRequestLink(t *testing.T) {
	s := startService(t)
	w := s.schedule(10)
	s.register(w, person("Ada", "Verein"))
	path := "/api/v1/workshops/" + w.ID + "/registrations/link-requests"

	seq := s.lastSeq()
	s.must(request{method: "POST", path: path, body: map[string]any{"email": "niemand@example.org"}}, 202, nil)
	if s.lastSeq() != seq {
		t.Errorf("a request for an unknown address appended to the log")
	}
	s.must(request{method: "POST", path: path, body: map[string]any{"email": "ADA@example.org"}}, 202, nil)
	if s.lastSeq() == seq {
		t.Errorf("a request for a registered address appended nothing")
	}
	if p := problemOf(t, s.do(request{method: "POST", path: path, body: map[string]any{"email": "keine Adresse"}}), 422); !namesField(p, "email") {
		t.Errorf("a malformed address: got %+v, want the field email named", p)
	}
	problemOf(t, s.do(request{method: "POST", path: path, body: map[string]any{"email": "ada@example.org", "name": "Ada"}}), 400)
	problemOf(t, s.do(request{method: "POST", path: path, body: map[string]any{"email": 7}}), 400)
	problemOf(t, s.do(request{method: "POST", path: "/api/v1/workshops/01ARZ3NDEKTSV4RRFFQ69G5FAV/registrations/link-requests",
		body: map[string]any{"email": "ada@example.org"}}), 404)
}
