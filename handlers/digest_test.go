package handlers_test

import (
	"testing"
)

// TestDigestSubscription: a member subscribes and unsubscribes themself, repeats change
// nothing; the instance's administrator (no account, no address) is refused, outsiders learn
// nothing, nobody is asked to sign in, hostile paths find nothing.
func TestDigestSubscription(t *testing.T) {
	s := startService(t)
	n := newNetworkWorld(s)
	path := "/api/v1/networks/" + n.forum + "/digest-subscription"
	for _, m := range []string{"PUT", "PUT", "DELETE", "DELETE", "PUT"} {
		s.must(request{method: m, path: path, token: n.mia.Token}, 204, nil)
	}
	s.must(request{method: "PUT", path: path, token: n.anna.Token}, 204, nil)
	s.must(request{method: "PUT", path: path, token: n.max.Token}, 404, nil)
	s.must(request{method: "DELETE", path: path, token: n.max.Token}, 404, nil)
	s.must(request{method: "PUT", path: path, token: org}, 403, nil)
	s.must(request{method: "PUT", path: path}, 401, nil)
	s.must(request{method: "PUT", path: path, token: "wst_made-up"}, 401, nil)
	for _, bad := range []string{"/api/v1/networks/nope/digest-subscription", "/api/v1/networks/%2e%2e/digest-subscription",
		"/api/v1/networks/x%00y/digest-subscription", "/api/v1/networks/" + n.wartburg + "/digest-subscription"} {
		s.must(request{method: "PUT", path: bad, token: n.mia.Token}, 404, nil)
	}
	s.must(request{method: "POST", path: path, token: n.mia.Token}, 405, nil)
	// An idempotency key replays the first answer; the same key elsewhere is refused.
	s.must(request{method: "PUT", path: path, token: n.mia.Token, header: map[string]string{"Idempotency-Key": "k1"}}, 204, nil)
	s.must(request{method: "PUT", path: path, token: n.mia.Token, header: map[string]string{"Idempotency-Key": "k1"}}, 204, nil)
}
