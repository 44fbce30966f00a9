package handlers_test

import (
	"bytes"
	"testing"
)

// TestDigestSubscriptionLanguage: the subscription takes the mails' language as ?lang= (de or
// en, else 422 naming lang and recording nothing) or Accept-Language.
func TestDigestSubscriptionLanguage(t *testing.T) {
	s := startService(t)
	n := newNetworkWorld(s)
	sub := "/api/v1/networks/" + n.forum + "/digest-subscription"
	seq := s.lastSeq()
	res := s.must(request{method: "PUT", path: sub + "?lang=fr", token: n.mia.Token}, 422, nil)
	if !bytes.Contains(res.body, []byte(`"field":"lang"`)) || s.lastSeq() != seq {
		t.Errorf("an unknown language: %s, seq %d -> %d", res.body, seq, s.lastSeq())
	}
	s.must(request{method: "PUT", path: sub + "?lang=en", token: n.mia.Token}, 204, nil)
	s.must(request{method: "PUT", path: sub, token: n.anna.Token, header: map[string]string{"Accept-Language": "en-US"}}, 204, nil)
	if got := s.lastSeq(); got != seq+2 {
		t.Errorf("two subscriptions appended %d commits", got-seq)
	}
	s.must(request{method: "PUT", path: sub + "?lang=en", token: n.mia.Token}, 204, nil)
	if got := s.lastSeq(); got != seq+2 {
		t.Errorf("subscribing again in the same language appended")
	}
}
