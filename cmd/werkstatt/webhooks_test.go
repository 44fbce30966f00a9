package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// hookRequest is one request a test receiver got.
type hookRequest struct {
	ID, Timestamp, Signature string
	Body                     []byte
	Status                   int
}

// hookReceiver is a webhook receiver that answers 500 to its first failFirst requests.
type hookReceiver struct {
	*httptest.Server
	mu        sync.Mutex
	failFirst int
	got       []hookRequest
}

func startHookReceiver(t *testing.T, failFirst int) *hookReceiver {
	r := &hookReceiver{failFirst: failFirst}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		status := http.StatusNoContent
		if len(r.got) < r.failFirst {
			status = http.StatusInternalServerError
		}
		r.got = append(r.got, hookRequest{ID: req.Header.Get("webhook-id"), Timestamp: req.Header.Get("webhook-timestamp"),
			Signature: req.Header.Get("webhook-signature"), Body: body, Status: status})
		r.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *hookReceiver) requests() []hookRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]hookRequest(nil), r.got...)
}

// waitFor returns the requests once one with a 2xx answer carried an event of type typ.
func (r *hookReceiver) waitFor(t *testing.T, typ string) ([]hookRequest, hookRequest) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		all := r.requests()
		for _, q := range all {
			var b struct{ Type string }
			if json.Unmarshal(q.Body, &b) == nil && b.Type == typ && q.Status < 300 {
				return all, q
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no delivery of %s accepted within 30s; got %d requests", typ, len(r.requests()))
	return nil, hookRequest{}
}

// verify checks a request's signature as a receiver does, without Werkstatt's code: the HMAC-
// SHA256 of "id.timestamp.body" under the base64-decoded secret after "whsec_".
func verify(t *testing.T, secret string, q hookRequest) {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil || !strings.HasPrefix(secret, "whsec_") || len(key) != 32 {
		t.Fatalf("secret %q: want whsec_ and the base64 of 32 bytes (%v)", secret, err)
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(q.ID + "." + q.Timestamp + "." + string(q.Body)))
	want := "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil))
	if q.Signature != want {
		t.Errorf("webhook-signature %q, want %q", q.Signature, want)
	}
	ts, err := strconv.ParseInt(q.Timestamp, 10, 64)
	if err != nil || time.Since(time.Unix(ts, 0)).Abs() > time.Minute {
		t.Errorf("webhook-timestamp %q: want the unix seconds of now", q.Timestamp)
	}
}

func TestWebhooksDeliverSignedAfterFailures(t *testing.T) {
	webhookRetries = []time.Duration{200 * time.Millisecond, 300 * time.Millisecond, 500 * time.Millisecond, time.Second, time.Second}
	t.Cleanup(func() { webhookRetries = nil })
	plain := startHookReceiver(t, 2)
	personal := startHookReceiver(t, 0)
	in := startInstance(t, nil, "--data-dir", t.TempDir(), "--webhooks-to-internal-addresses", "true") // the receivers listen on loopback
	a := api{t, in.url}

	hook := a.must(201, "POST", "/api/v1/webhooks", organiser, map[string]any{"url": plain.URL + "/in",
		"events": []string{"registration.received", "registration.confirmed"}})
	secret, _ := hook["secret"].(string)
	full := a.must(201, "POST", "/api/v1/webhooks", organiser, map[string]any{"url": personal.URL,
		"events": []string{"registration.confirmed", "registration.erased"}, "personal_data": true})

	w := a.must(201, "POST", "/api/v1/workshops", organiser, map[string]any{"title": "Hakenwerkstatt",
		"venue": "Rathaus", "days": []string{"2037-11-16"}, "capacity": 5})
	reg := a.must(201, "POST", "/api/v1/workshops/"+w["id"].(string)+"/registrations", "",
		map[string]any{"name": "Ann Example", "email": "ann@example.org", "organisation": "Caritas", "consent": true})

	all, ok := plain.waitFor(t, "registration.confirmed")
	verify(t, secret, ok)
	var confirmedTries []hookRequest
	for _, q := range all {
		var b struct{ Type string }
		_ = json.Unmarshal(q.Body, &b)
		if b.Type == "registration.confirmed" {
			confirmedTries = append(confirmedTries, q)
		}
		if strings.Contains(string(q.Body), "Ann") || strings.Contains(string(q.Body), "ann@example.org") || strings.Contains(string(q.Body), "Caritas") {
			t.Errorf("a webhook without personal data got %s", q.Body)
		}
	}
	// The commit failed twice (the receiver's first two answers), so the confirmation was
	// posted at least twice, each time with the same webhook-id.
	if len(all) < 3 {
		t.Errorf("got %d requests, want the two failures and the retries", len(all))
	}
	for _, q := range confirmedTries {
		if q.ID != ok.ID {
			t.Errorf("retry with webhook-id %q, want the first attempt's %q", q.ID, ok.ID)
		}
	}
	var body struct {
		Type      string
		Timestamp time.Time
		Data      map[string]any
	}
	if err := json.Unmarshal(ok.Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.Data["registration"] != reg["id"] || body.Data["workshop"] != w["id"] || body.Data["status"] != "confirmed" || body.Timestamp.IsZero() {
		t.Errorf("the delivery's body %s: want the workshop, the registration and its status", ok.Body)
	}

	_, got := personal.waitFor(t, "registration.confirmed")
	verify(t, full["secret"].(string), got)
	if !strings.Contains(string(got.Body), `"name":"Ann Example"`) || !strings.Contains(string(got.Body), "ann@example.org") {
		t.Errorf("the personal-data webhook got %s, want the name and the e-mail address", got.Body)
	}
	// The commit was tried again for the failing receiver; the one that accepted it at once
	// got it once.
	seen := map[string]int{}
	for _, q := range personal.requests() {
		seen[q.ID]++
	}
	if seen[got.ID] != 1 {
		t.Errorf("the receiver that accepted at once got webhook-id %s %d times, want once", got.ID, seen[got.ID])
	}
	if full["secret"] == secret {
		t.Error("two webhooks share a secret")
	}

	// Once Ann is erased, the personal-data webhook learns that, without her name.
	erasedStatus, _ := a.call("DELETE", "/api/v1/workshops/"+w["id"].(string)+"/registrations/"+reg["id"].(string)+"/personal-data", organiser, nil)
	if erasedStatus != 204 && erasedStatus != 200 {
		t.Fatalf("erase Ann: got %d", erasedStatus)
	}
	_, erased := personal.waitFor(t, "registration.erased")
	verify(t, full["secret"].(string), erased)
	if strings.Contains(string(erased.Body), "Ann") || strings.Contains(string(erased.Body), "ann@example.org") ||
		!strings.Contains(string(erased.Body), `"erased":true`) || !strings.Contains(string(erased.Body), reg["id"].(string)) {
		t.Errorf("the erasure's delivery %s: want the registration marked erased, no name", erased.Body)
	}

	// The list shows the last deliveries, with the failures before.
	deadline := time.Now().Add(10 * time.Second)
	for {
		shown := a.must(200, "GET", "/api/v1/webhooks/"+hook["id"].(string), organiser, nil)
		ds, _ := shown["deliveries"].([]any)
		if _, has := shown["secret"]; has {
			t.Error("the secret is shown again after creation")
		}
		var delivered, failed bool
		for _, d := range ds {
			d := d.(map[string]any)
			delivered = delivered || d["delivered"] == true
			failed = failed || d["status"] == float64(500)
		}
		if delivered && failed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the webhook's deliveries %v: want a failure with 500 and a delivery", ds)
		}
		time.Sleep(100 * time.Millisecond)
	}

	// A removed webhook gets nothing more.
	a.must(204, "DELETE", "/api/v1/webhooks/"+hook["id"].(string), organiser, nil)
	a.must(404, "GET", "/api/v1/webhooks/"+hook["id"].(string), organiser, nil)
	before := len(plain.requests())
	ben := a.must(201, "POST", "/api/v1/workshops/"+w["id"].(string)+"/registrations", "",
		map[string]any{"name": "Ben Example", "email": "ben@example.org", "organisation": "AWO", "consent": true})
	// The commit after Ben's registration reached the other webhook: the outbox handled it.
	for deadline := time.Now().Add(20 * time.Second); ; {
		found := false
		for _, q := range personal.requests() {
			found = found || strings.Contains(string(q.Body), ben["id"].(string))
		}
		if found {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Ben's confirmation did not reach the personal-data webhook")
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(plain.requests()); n != before {
		t.Errorf("the removed webhook got %d more requests", n-before)
	}
}
