package webhooks_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/webhooks"
)

// TestSignSpecVector checks the signature against the Standard Webhooks specification's
// published test vector.
func TestSignSpecVector(t *testing.T) {
	got, err := webhooks.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
		time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`))
	if err != nil || got != "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" {
		t.Errorf("got %q, %v; want the specification's signature", got, err)
	}
}

// keyed derives pseudonyms as the keyring does: base64url of an HMAC-SHA256.
type keyed struct{ key []byte }

func (k keyed) Pseudonym(purpose, value string) string {
	m := hmac.New(sha256.New, append(k.key, purpose...))
	m.Write([]byte(value))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func TestSecret(t *testing.T) {
	k := keyed{[]byte("master")}
	s := webhooks.Secret(k, "forum", "w1")
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, "whsec_"))
	if !strings.HasPrefix(s, "whsec_") || err != nil || len(key) != 32 {
		t.Fatalf("secret %q: want whsec_ and the base64 of 32 bytes", s)
	}
	if s != webhooks.Secret(k, "forum", "w1") {
		t.Error("the secret is not stable")
	}
	if s == webhooks.Secret(k, "forum", "w2") || s == webhooks.Secret(k, "other", "w1") || s == webhooks.Secret(keyed{[]byte("x")}, "forum", "w1") {
		t.Error("two webhooks (or two keyrings) share a secret")
	}
}

func TestMessageIDIsStablePerEventAndWebhook(t *testing.T) {
	a := webhooks.MessageID(42, 1, "w1")
	if a != webhooks.MessageID(42, 1, "w1") || a == webhooks.MessageID(42, 2, "w1") || a == webhooks.MessageID(43, 1, "w1") ||
		a == webhooks.MessageID(42, 1, "w2") {
		t.Errorf("message ids: %s", a)
	}
}

// TestTypeOf checks the table: every event type a webhook may subscribe to is sent for some
// event, and a confirmation from the waitlist is a promotion.
func TestTypeOf(t *testing.T) {
	for _, tc := range []struct {
		e    domain.Event
		want domain.WebhookEventType
	}{
		{domain.ParticipantRegistered{}, domain.HookRegistrationReceived},
		{domain.RegistrationConfirmed{}, domain.HookRegistrationConfirmed},
		{domain.RegistrationConfirmed{FromWaitlist: true}, domain.HookRegistrationPromoted},
		{domain.RegistrationWaitlisted{}, domain.HookRegistrationWaitlisted},
		{domain.RegistrationCancelled{}, domain.HookRegistrationCancelled},
		{domain.RegistrationChanged{}, domain.HookRegistrationChanged},
		{domain.PersonalDataErased{}, domain.HookRegistrationErased},
		{domain.ParticipantCheckedIn{}, domain.HookCheckinRecorded},
		{domain.WorkshopScheduled{}, domain.HookWorkshopPublished},
		{domain.WorkshopChanged{}, domain.HookWorkshopChanged},
		{domain.SessionPlanned{}, domain.HookWorkshopChanged},
		{domain.FeedbackAnswered{}, domain.HookFeedbackSubmitted},
	} {
		if got, ok := webhooks.TypeOf(tc.e); !ok || got != tc.want {
			t.Errorf("%s: got %q, %v; want %q", tc.e.Name(), got, ok, tc.want)
		}
	}
	if got, ok := webhooks.TypeOf(domain.CheckInAnnulled{}); ok {
		t.Errorf("checkin.annulled: got %q, want no webhook", got)
	}
	for _, typ := range domain.WebhookEventTypes {
		found := false
		for _, e := range []domain.Event{domain.ParticipantRegistered{}, domain.RegistrationConfirmed{}, domain.RegistrationConfirmed{FromWaitlist: true},
			domain.RegistrationWaitlisted{}, domain.RegistrationCancelled{}, domain.RegistrationChanged{}, domain.PersonalDataErased{},
			domain.ParticipantCheckedIn{}, domain.WorkshopScheduled{}, domain.WorkshopChanged{}, domain.FeedbackAnswered{}} {
			if got, _ := webhooks.TypeOf(e); got == typ {
				found = true
			}
		}
		if !found {
			t.Errorf("event type %s is sent for no event", typ)
		}
	}
}

// A delivery to an internal address is refused at the dial, also when a name resolves to one,
// unless the operator allows internal addresses.
func TestClientRefusesInternalAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	for _, target := range []string{srv.URL, "http://localhost:" + port + "/"} {
		res, err := webhooks.NewClient(false).Post(target, "application/json", strings.NewReader("{}"))
		if err == nil {
			res.Body.Close()
			t.Errorf("POST %s: got %d, want the dial refused", target, res.StatusCode)
		} else if !strings.Contains(err.Error(), "internal") {
			t.Errorf("POST %s: %v, want a refusal that says the address is internal", target, err)
		}
		res, err = webhooks.NewClient(true).Post(target, "application/json", strings.NewReader("{}"))
		if err != nil {
			t.Fatalf("POST %s with internal addresses allowed: %v", target, err)
		}
		res.Body.Close()
	}
	for host, want := range map[string]bool{"http://10.1.2.3/": true, "http://169.254.169.254/": true, "http://[::1]/": true,
		"http://[fd00::1]/": true, "http://100.64.0.1/": true, "https://LOCALHOST./": true, "http://0.0.0.0/": true,
		"https://crm.example.org/": false, "http://93.184.215.14/": false, "http://[2001:db8::1]/": false} {
		if got := webhooks.InternalHost(host); got != want {
			t.Errorf("InternalHost(%s) = %v, want %v", host, got, want)
		}
	}
}
