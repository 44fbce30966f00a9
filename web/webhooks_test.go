package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var shownSecret = regexp.MustCompile(`id="webhook-secret" type="text" readonly value="(whsec_[^"]+)"`)

// TestWebhookPages: the network's page links to its webhooks; the administrator creates one on
// the page, sees its secret once and in the list no more, is told what a bad address breaks,
// and removes it.
func TestWebhookPages(t *testing.T) {
	s := startService(t)
	var n struct{ ID string }
	s.api(http.MethodPost, "/api/v1/networks", organiserToken, map[string]any{"name": "Forum Integration"}, &n)
	b := s.signIn(t)
	path := "/organiser/networks/" + n.ID + "/webhooks"
	b.get("/organiser/networks/"+n.ID).mustContain(t, "the network's page", `href="`+path+`"`)

	list := b.get(path)
	list.mustContain(t, "the empty list", "Das Netzwerk hat noch keine Webhooks.", `value="registration.confirmed"`,
		"eine Anmeldung bestätigt wird", `name="personal_data"`)
	bad := b.post(path, url.Values{"_csrf": {list.csrf(t)}, "key": {list.key(t)}, "url": {"javascript:alert(1)"}})
	if bad.status != http.StatusUnprocessableEntity {
		t.Fatalf("a bad address and no event type: got %d, want 422", bad.status)
	}
	bad.mustContain(t, "a bad address", `id="e-url"`, "vollständige Adresse", `id="e-events"`, `value="javascript:alert(1)"`)

	created := b.post(path, url.Values{"_csrf": {list.csrf(t)}, "key": {list.key(t)}, "url": {"https://crm.example.org/hooks"},
		"events": {"registration.confirmed", "checkin.recorded"}, "personal_data": {"yes"}})
	if created.status != http.StatusOK || created.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("create a webhook: got %d (Cache-Control %q)", created.status, created.header.Get("Cache-Control"))
	}
	m := shownSecret.FindStringSubmatch(created.body)
	if m == nil {
		t.Fatalf("the created webhook's secret is not shown:\n%s", created.body)
	}
	created.mustContain(t, "after creating", "Der Webhook ist angelegt", "<code>https://crm.example.org/hooks</code>",
		"Mit personenbezogenen Daten", "Noch nichts gesendet.")
	again := b.get(path)
	if strings.Contains(again.body, m[1]) {
		t.Error("the secret is shown again")
	}
	var list2 struct{ Webhooks []struct{ ID string } }
	s.api(http.MethodGet, "/api/v1/webhooks", organiserToken, nil, &list2)
	if len(list2.Webhooks) != 1 {
		t.Fatalf("the API lists %d webhooks, want 1", len(list2.Webhooks))
	}
	id := list2.Webhooks[0].ID
	gone := b.post(path+"/"+id+"/remove", url.Values{"_csrf": {again.csrf(t)}})
	if loc := gone.located(t, "remove the webhook"); loc != path+"?removed=1" {
		t.Errorf("remove: sent to %q", loc)
	}
	b.get(path+"?removed=1").mustContain(t, "after removing", "Der Webhook ist entfernt.", "Das Netzwerk hat noch keine Webhooks.")
	if p := b.post(path+"/"+id+"/remove", url.Values{"_csrf": {again.csrf(t)}}); p.status != http.StatusNotFound {
		t.Errorf("remove twice: got %d, want 404", p.status)
	}
}
