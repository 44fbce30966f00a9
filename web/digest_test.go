package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// TestDigestPages: a member subscribes to the announcements by mail on the announcements page
// and unsubscribes there; the public sees no such form; the unsubscribe link's page asks,
// its POST unsubscribes without a session or CSRF token (RFC 8058's one click) and answers 200
// again on a second click; a made-up token finds nothing.
func TestDigestPages(t *testing.T) {
	s := startService(t)
	creds := openCredentials(t, s.cfg, s.js)
	var forum struct{ ID string }
	s.api(http.MethodPost, "/api/v1/networks", organiserToken, map[string]any{"name": "Forum Integration"}, &forum)
	email := "mia@landkreis.example"
	mia := s.signedInMember(t, creds, forum.ID, "mia", "", "member")
	path := "/networks/" + forum.ID
	if p := s.browser().get(path); strings.Contains(p.body, "per E-Mail bestellen") {
		t.Error("the public page offers the announcements by mail")
	}
	page := mia.get(path)
	page.mustContain(t, "the member's page", "Ankündigungen per E-Mail", "Sie bekommen die Ankündigungen dieses Netzwerks nicht per E-Mail.")
	mia.post(path+"/digest", url.Values{"_csrf": {page.csrf(t)}, "subscribe": {"1"}}).located(t, "subscribe")
	page = mia.get(path + "?done=subscribed")
	page.mustContain(t, "subscribed", "Sie bekommen jede neue Ankündigung dieses Netzwerks per E-Mail.", "Ankündigungen per E-Mail abbestellen")
	if p := mia.post(path+"/digest", url.Values{"subscribe": {"0"}}); p.status != http.StatusForbidden && p.status != http.StatusBadRequest {
		t.Errorf("a form without its CSRF token: got %d", p.status)
	}

	token := app.New(s.cfg.WithDefaults().Config).DigestUnsubscribeToken(domain.NetworkID(forum.ID), s.accountID(email))
	stranger := s.browser()
	ask := stranger.get("/unsubscribe/" + token)
	ask.mustContain(t, "the unsubscribe page", "„Forum Integration“", "Ja, abbestellen", `action="/unsubscribe/`+token+`"`)
	for range 2 {
		done := stranger.do(http.MethodPost, "/unsubscribe/"+token, url.Values{"List-Unsubscribe": {"One-Click"}})
		if done.status != http.StatusOK || !strings.Contains(done.body, "Erledigt") {
			t.Fatalf("one click: got %d %s", done.status, done.body)
		}
	}
	mia.get(path).mustContain(t, "after the one click", "Sie bekommen die Ankündigungen dieses Netzwerks nicht per E-Mail.")

	bad := []string{"x", forum.ID + "." + string(s.accountID(email)) + ".forged", "..", "%00", strings.Repeat("a", 300),
		forum.ID + ".other." + token[strings.LastIndex(token, ".")+1:]}
	for _, b := range bad {
		if p := stranger.get("/unsubscribe/" + url.PathEscape(b)); p.status != http.StatusNotFound {
			t.Errorf("GET a made-up token %q: got %d", b, p.status)
		}
		if p := stranger.do(http.MethodPost, "/unsubscribe/"+url.PathEscape(b), url.Values{"List-Unsubscribe": {"One-Click"}}); p.status != http.StatusNotFound {
			t.Errorf("POST a made-up token %q: got %d", b, p.status)
		}
	}
	if p := stranger.get("/unsubscribe/" + token + "?lang=en"); !strings.Contains(p.body, "Yes, unsubscribe") {
		t.Error("the English unsubscribe page")
	}

	// Subscribing from the English page records English: the mails come in English.
	page = mia.get(path + "?lang=en")
	mia.post(path+"/digest", url.Values{"_csrf": {page.csrf(t)}, "subscribe": {"1"}}).located(t, "subscribe")
	log, err := s.cfg.Networks.NetworkLog(context.Background(), domain.NetworkID(forum.ID))
	if err != nil {
		t.Fatal(err)
	}
	var langs []string
	for _, r := range log {
		if e, ok := r.Event.(domain.DigestSubscribed); ok {
			langs = append(langs, e.Lang)
		}
	}
	if len(langs) != 2 || langs[0] != "de" || langs[1] != "en" {
		t.Errorf("the subscriptions' languages: got %q, want de (the German page), then en (the English page)", langs)
	}
}

// TestAnnouncementMaterialPage: an announcement with a material of the network's workshop
// shows the download link, which serves the file; the page's form names the material by id.
func TestAnnouncementMaterialPage(t *testing.T) {
	s := startService(t)
	var forum, w struct{ ID string }
	s.api(http.MethodPost, "/api/v1/networks", organiserToken, map[string]any{"name": "Forum Integration"}, &forum)
	s.api(http.MethodPost, "/api/v1/workshops", organiserToken, map[string]any{"title": "Ideenwerkstatt", "venue": "Rathaus",
		"days": []string{"2037-11-16"}, "capacity": 10, "network": forum.ID}, &w)
	br := s.signIn(t)
	path := "/organiser/workshops/" + w.ID + "/materials"
	slides := []byte("%PDF-1.7\n% Folien\n" + strings.Repeat("x", 3000))
	if res := br.postMaterial(t, path, url.Values{"_csrf": {br.get(path).csrf(t)}, "key": {"m1"}, "title": {"Folien"}}, "Folien.pdf", slides); res.status != http.StatusSeeOther {
		t.Fatalf("upload: got %d", res.status)
	}
	var list []struct{ ID string }
	s.api(http.MethodGet, "/api/v1/workshops/"+w.ID+"/materials", "", nil, &list)
	if len(list) != 1 {
		t.Fatalf("materials: %+v", list)
	}
	s.api(http.MethodPost, "/api/v1/networks/"+forum.ID+"/announcements", organiserToken, map[string]any{"title": "Die Folien", "body": "Hier.",
		"workshop": w.ID, "material": map[string]any{"workshop": w.ID, "id": list[0].ID}}, nil)
	link := "/w/" + w.ID + "/materials/" + list[0].ID
	pub := s.browser().get("/networks/" + forum.ID)
	pub.mustContain(t, "the public page", `href="`+link+`"`, "Material zur Ankündigung herunterladen")
	if got := s.browser().get(link); got.status != http.StatusOK || got.body != string(slides) {
		t.Errorf("the download: %d, %d bytes", got.status, len(got.body))
	}
	br.get("/networks/"+forum.ID).mustContain(t, "the organiser's edit form", `name="material" type="text" value="`+list[0].ID+`"`)
}
