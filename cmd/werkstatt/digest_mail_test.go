package main

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestAnnouncementMailsThroughSMTP: members subscribe to the network's announcements; a posted
// announcement reaches them through the SMTP server with the List-Unsubscribe headers of RFC
// 8058; a members-only one reaches members only (the subscribers), never a subscriber removed
// since; a mail client's one-click POST to the link unsubscribes, and the next announcement
// brings that member nothing.
func TestAnnouncementMailsThroughSMTP(t *testing.T) {
	shortRetries(t)
	smtp := startMailServer(t)
	in := startInstance(t, nil, "--data-dir", t.TempDir(), "--smtp-url", smtp.url(), "--mail-from", "Werkstatt <werkstatt@example.org>")
	a := api{t, in.url}
	forum := a.must(201, "POST", "/api/v1/networks", organiser, map[string]any{"name": "Forum Integration"})["id"].(string)
	members := "/api/v1/networks/" + forum + "/members"
	member := func(name, role string) (id, token string) {
		id = a.must(201, "POST", members, organiser, map[string]any{"name": name, "email": strings.ToLower(strings.Fields(name)[0]) + "@example.org",
			"roles": []map[string]any{{"role": role}}})["id"].(string)
		token = a.must(201, "POST", members+"/"+id+"/api-tokens", organiser, map[string]any{"label": "Skript"})["token"].(string)
		return id, token
	}
	_, anna := member("Anna Schmidt", "admin")
	_, mia := member("Mia Berg", "member")
	_, ben := member("Ben Ali", "member") // does not subscribe
	gina, ginaToken := member("Gina Roth", "member")
	sub := "/api/v1/networks/" + forum + "/digest-subscription"
	for _, tok := range []string{anna, mia, ginaToken} {
		a.must(204, "PUT", sub, tok, nil)
	}
	_ = ben
	a.must(204, "DELETE", members+"/"+gina, organiser, nil) // removed: gets nothing

	posts := "/api/v1/networks/" + forum + "/announcements"
	a.must(201, "POST", posts, anna, map[string]any{"title": "Treffen im März", "body": "Wir treffen uns **im Rathaus**.", "visibility": "members"})
	got := smtp.waitFor("mia@example.org", "Forum Integration: Treffen im März")
	smtp.waitFor("anna@example.org", "Forum Integration: Treffen im März")
	unsub := got.Header.Get("List-Unsubscribe")
	if !strings.HasPrefix(unsub, "<"+in.url+"/unsubscribe/") || !strings.HasSuffix(unsub, ">") ||
		got.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Fatalf("Mia's mail headers: %v", got.Header)
	}
	link := strings.Trim(unsub, "<>")
	if !strings.Contains(got.Text, "Hallo Mia Berg") || !strings.Contains(got.Text, "Wir treffen uns **im Rathaus**.") ||
		!strings.Contains(got.Text, link) || !got.HTML {
		t.Errorf("Mia's mail: %+v", got)
	}

	// The mail client's one click: a POST with the RFC 8058 body, no cookie, no sign-in.
	res, err := http.PostForm(link, url.Values{"List-Unsubscribe": {"One-Click"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("one-click unsubscribe: got %d, want 200", res.StatusCode)
	}

	a.must(201, "POST", posts, anna, map[string]any{"title": "Neue Termine", "body": "Siehe Kalender.", "visibility": "public"})
	smtp.waitFor("anna@example.org", "Forum Integration: Neue Termine")
	time.Sleep(500 * time.Millisecond) // anything else of that commit would have come with Anna's
	if n := len(smtp.to("mia@example.org")); n != 1 {
		t.Errorf("Mia got %d mails, want the first announcement only", n)
	}
	for _, who := range []string{"ben@example.org", "gina@example.org"} {
		if got := smtp.to(who); len(got) != 0 {
			t.Errorf("%s got %+v, want nothing", who, got)
		}
	}
}

// TestAnnouncementMailsInTheReadersLanguage: a member who subscribed in English (Accept-Language
// or ?lang=en) gets the announcement's mail in English, with an unsubscribe link whose page is
// English; one who subscribed without a language gets German; subscribing again in German
// switches the next mail to German.
func TestAnnouncementMailsInTheReadersLanguage(t *testing.T) {
	shortRetries(t)
	smtp := startMailServer(t)
	in := startInstance(t, nil, "--data-dir", t.TempDir(), "--smtp-url", smtp.url(), "--mail-from", "Werkstatt <werkstatt@example.org>")
	a := api{t, in.url}
	forum := a.must(201, "POST", "/api/v1/networks", organiser, map[string]any{"name": "Forum Integration"})["id"].(string)
	members := "/api/v1/networks/" + forum + "/members"
	member := func(name, role string) string {
		id := a.must(201, "POST", members, organiser, map[string]any{"name": name, "email": strings.ToLower(strings.Fields(name)[0]) + "@example.org",
			"roles": []map[string]any{{"role": role}}})["id"].(string)
		return a.must(201, "POST", members+"/"+id+"/api-tokens", organiser, map[string]any{"label": "Skript"})["token"].(string)
	}
	anna, emma, eric := member("Anna Schmidt", "admin"), member("Emma Stone", "member"), member("Eric Wood", "member")
	sub := "/api/v1/networks/" + forum + "/digest-subscription"
	a.must(204, "PUT", sub, anna, nil)
	a.must(204, "PUT", sub, emma, nil, "Accept-Language", "en-GB,en;q=0.9,de;q=0.5")
	a.must(204, "PUT", sub+"?lang=en", eric, nil)
	a.must(422, "PUT", sub+"?lang=fr", eric, nil)

	posts := "/api/v1/networks/" + forum + "/announcements"
	a.must(201, "POST", posts, anna, map[string]any{"title": "Treffen im März", "body": "Im Rathaus.", "visibility": "members"})
	de := smtp.waitFor("anna@example.org", "Forum Integration: Treffen im März")
	if !strings.Contains(de.Text, "Hallo Anna Schmidt") || strings.Contains(de.Header.Get("List-Unsubscribe"), "lang=") {
		t.Errorf("Anna's mail (subscribed without a language): %s %v", de.Text, de.Header)
	}
	for _, to := range []string{"emma@example.org", "eric@example.org"} {
		en := smtp.waitFor(to, "Forum Integration: Treffen im März")
		if !strings.Contains(en.Text, "Hello ") || !strings.Contains(en.Text, "Unsubscribe with one click") || strings.Contains(en.Text, "Hallo") {
			t.Errorf("%s's mail (subscribed in English): %s", to, en.Text)
		}
		link := strings.Trim(en.Header.Get("List-Unsubscribe"), "<>")
		if !strings.HasSuffix(link, "?lang=en") {
			t.Fatalf("%s's unsubscribe link %q, want the English page", to, link)
		}
		res, err := http.Get(link)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "Do you no longer want to get the announcements") {
			t.Errorf("%s's unsubscribe page: %d %s", to, res.StatusCode, body)
		}
	}

	// Eric subscribes again in German: the next mail is German.
	a.must(204, "PUT", sub+"?lang=de", eric, nil)
	a.must(201, "POST", posts, anna, map[string]any{"title": "Neue Termine", "body": "Siehe Kalender.", "visibility": "members"})
	if got := smtp.waitFor("eric@example.org", "Forum Integration: Neue Termine"); !strings.Contains(got.Text, "Hallo Eric Wood") {
		t.Errorf("Eric's mail after subscribing in German: %s", got.Text)
	}
}
