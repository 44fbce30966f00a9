package handlers_test

import (
	"strings"
	"testing"
)

// TestIdempotencyKeyBoundToRequest reuses a registration's Idempotency-Key for other requests:
// each is refused with 422 and learns nothing of the first (issue #10, defect 2), while the same
// request repeated still answers exactly as the first did. A key belongs to its sender: the
// organiser's use of the same key is a command of its own.
func TestIdempotencyKeyBoundToRequest(t *testing.T) {
	s := startService(t)
	w := s.schedule(5)
	path := "/api/v1/workshops/" + w.ID
	key := map[string]string{"Idempotency-Key": "k-7f3a"}
	alice := request{method: "POST", path: path + "/registrations", header: key, body: person("Alice", "Stadtwerke")}
	first := s.must(alice, 201, nil)
	var r registered
	s.must(alice, 201, &r)
	seq := s.lastSeq()

	for _, tc := range []struct {
		name string
		req  request
	}{
		{"empty object", request{method: "POST", path: path + "/registrations", header: key, body: map[string]any{}}},
		{"another person", request{method: "POST", path: path + "/registrations", header: key, body: person("Mallory", "Stadtwerke")}},
		{"same fields in another order", request{method: "POST", path: path + "/registrations", header: key,
			body: `{"consent":true,"organisation":"Stadtwerke","email":"alice@example.org","name":"Alice"}`}},
		{"another path of the workshop", request{method: "POST", path: path + "/topics", header: key,
			body: map[string]any{"title": "Mehr Pausen"}, token: r.Token}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := s.do(tc.req)
			if strings.Contains(string(res.body), r.Token) || strings.Contains(string(res.body), r.ID) {
				t.Fatalf("reused key: the answer %s reveals the first registration %s", res.body, r.ID)
			}
			if tc.req.token != "" { // a participant's key is not the public's: a command of its own
				if res.status != 201 {
					t.Fatalf("participant with the public's key: got %d %s, want 201", res.status, res.body)
				}
				seq = s.lastSeq()
				return
			}
			if p := problemOf(t, res, 422); p.Type != "urn:werkstatt:problem:idempotency-key-reused" {
				t.Errorf("reused key: got type %q, want urn:werkstatt:problem:idempotency-key-reused", p.Type)
			}
			if got := s.lastSeq(); got != seq {
				t.Errorf("a refused reuse moved the stream from %d to %d", seq, got)
			}
		})
	}
	sameJSON(t, "the same request once more", s.must(alice, 201, nil).body, first.body)

	// The organiser's key is the organiser's: the same key plans a session, and plans it once.
	plan := request{method: "POST", path: path + "/sessions", token: org, header: key,
		body: map[string]any{"title": "Talk", "kind": "talk", "day": day1, "starts": "10:00", "ends": "11:00"}}
	planned := s.must(plan, 201, nil)
	if strings.Contains(string(planned.body), r.Token) {
		t.Fatalf("organiser with the public's key got the participant's token: %s", planned.body)
	}
	sameJSON(t, "repeated session", s.must(plan, 201, nil).body, planned.body)
	other := plan
	other.body = map[string]any{"title": "Another talk", "kind": "talk", "day": day1, "starts": "12:00", "ends": "13:00"}
	problemOf(t, s.do(other), 422)
	otherPath := request{method: "POST", path: path + "/action-items", token: org, header: key,
		body: map[string]any{"what": "Protokoll verschicken", "who": map[string]any{"organisation": "Stadtwerke"}}}
	problemOf(t, s.do(otherPath), 422)
}

// TestIdempotencyKeyOnPatchAndDelete repeats a PATCH and a DELETE with their Idempotency-Key:
// each repeat answers as the first did and appends nothing; the key with another body or on
// another path is refused with 422.
func TestIdempotencyKeyOnPatchAndDelete(t *testing.T) {
	s := startService(t)
	w := s.schedule(5)
	path := "/api/v1/workshops/" + w.ID + "/registrations/"
	alice := s.register(w, person("Alice", "Stadtwerke"))

	change := request{method: "PATCH", path: path + alice.ID, token: alice.Token,
		header: map[string]string{"Idempotency-Key": "change-1"}, body: map[string]any{"dietary": "vegan", "overnight": true}}
	first := s.must(change, 200, nil)
	seq := s.lastSeq()
	sameJSON(t, "the repeated PATCH", s.must(change, 200, nil).body, first.body)
	if got := s.lastSeq(); got != seq {
		t.Errorf("the repeated PATCH moved the stream from %d to %d", seq, got)
	}
	other := change
	other.body = map[string]any{"dietary": "vegetarisch"}
	if p := problemOf(t, s.do(other), 422); p.Type != "urn:werkstatt:problem:idempotency-key-reused" {
		t.Errorf("the PATCH key with another body: got type %q, want idempotency-key-reused", p.Type)
	}

	cancel := request{method: "DELETE", path: path + alice.ID, token: alice.Token,
		header: map[string]string{"Idempotency-Key": "cancel-1"}}
	s.must(cancel, 204, nil)
	seq = s.lastSeq()
	s.must(cancel, 204, nil)
	if got := s.lastSeq(); got != seq {
		t.Errorf("the repeated DELETE moved the stream from %d to %d", seq, got)
	}
	without := cancel
	without.header = nil
	if res := s.do(without); res.status == 204 {
		t.Errorf("a second cancellation without the key: got 204, want a problem")
	}
	reused := cancel
	reused.method, reused.body = "PATCH", map[string]any{"overnight": false}
	problemOf(t, s.do(reused), 422)
}
