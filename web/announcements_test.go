package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestAnnouncementPages: an organiser posts announcements on the network's page, a member
// comments, the organiser hides a comment and takes an announcement down; the public sees the
// public announcements only, with the feed linked in the head; hostile Markdown is harmless.
func TestAnnouncementPages(t *testing.T) {
	s := startService(t)
	creds := openCredentials(t, s.cfg, s.js)
	var forum struct{ ID string }
	s.api(http.MethodPost, "/api/v1/networks", organiserToken, map[string]any{"name": "Forum Integration"}, &forum)
	person := func(name, role string) *browser {
		t.Helper()
		return s.signedInMember(t, creds, forum.ID, name, "", role)
	}
	olaf, mia := person("olaf", "organiser"), person("mia", "member")
	path := "/networks/" + forum.ID

	olaf.get(path).mustContain(t, "the organiser's empty page", "Ankündigungen: Forum Integration", "Noch keine Ankündigungen.", "Neue Ankündigung",
		`<link rel="alternate" type="application/atom+xml" href="/api/v1/networks/`+forum.ID+`/announcements.atom">`)
	post := func(fields url.Values) page {
		t.Helper()
		form := olaf.get(path)
		fields.Set("_csrf", form.csrf(t))
		fields.Set("key", form.key(t, path+"/announcements"))
		return olaf.post(path+"/announcements", fields)
	}
	if p := post(url.Values{"title": {""}, "body": {"x"}}); p.status != http.StatusUnprocessableEntity {
		t.Errorf("an announcement without a heading: got %d, want 422", p.status)
	} else {
		p.mustContain(t, "an announcement without a heading", `id="post-e-title"`)
	}
	post(url.Values{"title": {"Netzwerktreffen"}, "body": {"Wir treffen uns **im Rathaus**. <script>alert(1)</script> [x](javascript:alert(2))"},
		"visibility": {"public"}}).located(t, "post a public announcement")
	post(url.Values{"title": {"Protokoll"}, "body": {"Nur intern"}, "visibility": {"members"}}).located(t, "post a members' one")

	public := s.browser().get(path)
	public.mustContain(t, "the public page", "Netzwerktreffen", "<strong>im Rathaus</strong>", "announcements.atom")
	for _, bad := range []string{"Protokoll", "<script>alert", "javascript:", "Kommentare", "Neue Ankündigung"} {
		if strings.Contains(public.body, bad) {
			t.Errorf("the public page holds %q", bad)
		}
	}

	// mia comments on the members' announcement (the newest, first on the page).
	own := mia.get(path)
	own.mustContain(t, "the member's page", "Protokoll", "Netzwerktreffen", "Ihr Kommentar")
	if strings.Contains(own.body, "Neue Ankündigung") || strings.Contains(own.body, "Ankündigung bearbeiten") {
		t.Errorf("a member sees the organisers' forms")
	}
	_, rest, _ := strings.Cut(own.body, `action="`+path+`/announcements/`)
	aid, _, _ := strings.Cut(rest, `/comments"`)
	commentAt := path + "/announcements/" + aid + "/comments"
	for _, text := range []string{"Kauft Sachen!", "Ich komme gern."} {
		form := mia.get(path)
		mia.post(commentAt, url.Values{"_csrf": {form.csrf(t)}, "key": {form.key(t, commentAt)}, "text": {text}}).located(t, "comment")
	}
	if p := olaf.post(commentAt, url.Values{"_csrf": {olaf.get(path).csrf(t)}, "text": {" "}}); p.status != http.StatusUnprocessableEntity {
		t.Errorf("an empty comment: got %d, want 422", p.status)
	}
	withComments := olaf.get(path)
	withComments.mustContain(t, "the organiser's page with comments", "<strong>mia</strong>", "Kauft Sachen!", "Kommentar ausblenden")
	_, rest, _ = strings.Cut(withComments.body, `action="`+commentAt+`/`)
	cid, _, _ := strings.Cut(rest, `/hide"`)
	if p := mia.post(commentAt+"/"+cid+"/hide", url.Values{"_csrf": {own.csrf(t)}}); p.status != http.StatusForbidden {
		t.Errorf("a member hides a comment: got %d, want 403", p.status)
	}
	olaf.post(commentAt+"/"+cid+"/hide", url.Values{"_csrf": {withComments.csrf(t)}}).located(t, "hide a comment")
	if p := mia.get(path); strings.Contains(p.body, "Kauft Sachen!") || !strings.Contains(p.body, "Ich komme gern.") {
		t.Errorf("the member's page after hiding: want the hidden comment gone, the other kept")
	}
	olaf.get(path).mustContain(t, "the organiser's page after hiding", "Kauft Sachen!", "ausgeblendet")

	// Erasing mia's account leaves her comments as an erased person's, without their text.
	s.api(http.MethodDelete, "/api/v1/accounts/"+string(s.accountID("mia@landkreis.example")), organiserToken, nil, nil)
	erased := olaf.get(path)
	erased.mustContain(t, "the page after erasing mia", "gelöschte Person")
	if strings.Contains(erased.body, "Ich komme gern.") || strings.Contains(erased.body, "<strong>mia</strong>") {
		t.Errorf("the page still shows mia's name or comment after her erasure")
	}

	// Edit and take down.
	editAt := path + "/announcements/" + aid
	form := olaf.get(path)
	olaf.post(editAt, url.Values{"_csrf": {form.csrf(t)}, "key": {form.key(t, editAt)}, "title": {"Protokoll März"}, "body": {"Neu"},
		"visibility": {"members"}}).located(t, "edit")
	olaf.get(path).mustContain(t, "after the edit", "Protokoll März")
	olaf.post(editAt+"/withdraw", url.Values{"_csrf": {form.csrf(t)}}).located(t, "take down")
	if p := olaf.get(path); strings.Contains(p.body, "Protokoll") {
		t.Errorf("the page still shows the announcement taken down")
	}
	if p := s.browser().get("/networks/no-such-network"); p.status != http.StatusNotFound {
		t.Errorf("an unknown network's page: got %d, want 404", p.status)
	}
	if p := s.browser().get(path + "?lang=en"); !strings.Contains(p.body, "Announcements: Forum Integration") {
		t.Errorf("the English page lacks its heading")
	}
}
