package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

var (
	setPasswordLink = regexp.MustCompile(`http://\S+/set-password/[A-Za-z0-9_-]+(\?lang=[a-z]+)?`)
	csrfField       = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
)

// pageClient is a browser without a browser: cookies, and the CSRF field of the last form.
type pageClient struct {
	t *testing.T
	c *http.Client
}

func newPageClient(t *testing.T) pageClient {
	jar, _ := cookiejar.New(nil)
	return pageClient{t, &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (p pageClient) get(u string) (int, string) {
	p.t.Helper()
	res, err := p.c.Get(u)
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// submit opens the form at u and posts values with its CSRF field; it answers the status and,
// for a redirect, where to.
func (p pageClient) submit(u string, values url.Values) (int, string) {
	p.t.Helper()
	status, body := p.get(u)
	m := csrfField.FindStringSubmatch(body)
	if status != http.StatusOK || m == nil {
		p.t.Fatalf("GET %s: %d, want 200 with a form: %.300s", u, status, body)
	}
	values.Set("_csrf", m[1])
	res, err := p.c.PostForm(strings.SplitN(u, "?", 2)[0], values)
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if loc := res.Header.Get("Location"); loc != "" {
		return res.StatusCode, loc
	}
	return res.StatusCode, string(b)
}

// setPassword sets password through the link of a mail and checks that it holds once.
func setPasswordThrough(t *testing.T, link, password string) {
	t.Helper()
	p := newPageClient(t)
	status, to := p.submit(link, url.Values{"password": {password}, "repeat": {password}})
	if status != http.StatusSeeOther || !strings.HasPrefix(to, "/sign-in?done=password-set") {
		t.Fatalf("set the password through %s: got %d %q, want 303 to the sign-in", link, status, to)
	}
	if status, _ := p.get(link); status != http.StatusNotFound {
		t.Errorf("the link %s after it was used: got %d, want 404", link, status)
	}
}

// signIn signs in with e-mail address and password on the page, and reports whether it held.
func signIn(t *testing.T, base, email, password string) bool {
	t.Helper()
	status, _ := newPageClient(t).submit(base+"/sign-in", url.Values{"email": {email}, "password": {password}})
	return status == http.StatusSeeOther
}

// TestInvitationAndResetByMail: an admin's invitation mails the member a one-time link to set
// the password; a reset mails another one to an account and nothing to an unknown address,
// with the same answer; an account erased before its mail went out gets none.
func TestInvitationAndResetByMail(t *testing.T) {
	shortRetries(t)
	smtp := startMailServer(t)
	in := startInstance(t, nil, "--data-dir", t.TempDir(), "--smtp-url", smtp.url(), "--mail-from", "Werkstatt <werkstatt@example.org>")
	a := api{t, in.url}
	network := a.must(201, "POST", "/api/v1/networks", organiser, map[string]any{"name": "Forum Integration"})["id"].(string)
	members := "/api/v1/networks/" + network + "/members"
	anna := a.must(201, "POST", members, organiser, map[string]any{"name": "Anna Schmidt", "email": "anna@example.org",
		"roles": []map[string]any{{"role": "admin"}}})["id"].(string)

	// The invitation answers the link and mails it, in German.
	answer := a.must(201, "POST", members+"/"+anna+"/invitations", organiser, nil)
	got := smtp.waitFor("anna@example.org", "Einladung ins Netzwerk Forum Integration")
	link := setPasswordLink.FindString(got.Text)
	if link == "" || !strings.Contains(got.Text, "Hallo Anna Schmidt") || !strings.Contains(got.Text, "gilt einmal") || !got.HTML {
		t.Fatalf("Anna's invitation: want a German text with the link to set her password and an HTML part, got %+v", got)
	}
	if link != in.url+answer["path"].(string) {
		t.Errorf("the mailed link %s is not the one the invitation answered (%s)", link, answer["path"])
	}
	setPasswordThrough(t, link, "Pferd Batterie Heftklammer")
	if !signIn(t, in.url, "anna@example.org", "Pferd Batterie Heftklammer") {
		t.Fatalf("Anna cannot sign in with the password she set through the mail")
	}
	a.must(409, "POST", members+"/"+anna+"/invitations", organiser, nil) // she has a password now

	// A reset for an unknown address answers as one for Anna's and mails nothing; Anna's
	// mails her a link, in English when she asks in English, which sets a new password.
	a.must(202, "POST", "/api/v1/password-resets", "", map[string]any{"email": "nobody@example.org"})
	a.must(202, "POST", "/api/v1/password-resets", "", map[string]any{"email": "anna@example.org", "lang": "en"})
	a.must(422, "POST", "/api/v1/password-resets", "", map[string]any{"email": "no address"})
	reset := smtp.waitFor("anna@example.org", "A new password for your Werkstatt account")
	resetLink := setPasswordLink.FindString(reset.Text)
	if !strings.HasSuffix(resetLink, "?lang=en") || !strings.Contains(reset.Text, "did not ask") {
		t.Fatalf("Anna's reset: want an English mail with a link, got %+v", reset)
	}
	setPasswordThrough(t, resetLink, "Kaffeetasse und Gießkanne")
	if !signIn(t, in.url, "anna@example.org", "Kaffeetasse und Gießkanne") || signIn(t, in.url, "anna@example.org", "Pferd Batterie Heftklammer") {
		t.Errorf("after the reset: want the new password to hold and the old one not")
	}

	// The page answers the same for an address with an account and one without.
	pages := newPageClient(t)
	var answers []string
	for _, email := range []string{"nobody@example.org", "anna@example.org"} {
		status, body := pages.submit(in.url+"/sign-in/reset", url.Values{"email": {email}})
		if status != http.StatusOK || !strings.Contains(body, "Wenn es ein Konto mit dieser Adresse gibt, ist eine E-Mail unterwegs.") {
			t.Errorf("ask for a reset of %s on the page: got %d, want 200 with the notice: %.300s", email, status, body)
		}
		answers = append(answers, body[strings.Index(body, "<main"):])
	}
	if len(answers) == 2 && answers[0] != answers[1] {
		t.Errorf("the reset page answers differently for an address with an account and one without")
	}
	if _, body := pages.get(in.url + "/sign-in"); !strings.Contains(body, `href="/sign-in/reset"`) || !strings.Contains(body, "Passwort vergessen?") {
		t.Errorf("the sign-in page does not lead to the reset")
	}

	// Bernd and Clara are invited while no mail goes out, and Bernd is erased before his
	// could: the retry composes nothing for him. Clara's mail, tried on the same schedule,
	// shows the outbox retried both.
	invitee := func(name, email string) string {
		return a.must(201, "POST", members, organiser, map[string]any{"name": name, "email": email,
			"roles": []map[string]any{{"role": "member"}}})["id"].(string)
	}
	bernd, clara := invitee("Bernd Bauer", "bernd@example.org"), invitee("Clara Weiß", "clara@example.org")
	smtp.down()
	a.must(201, "POST", members+"/"+bernd+"/invitations", organiser, nil)
	a.must(201, "POST", members+"/"+clara+"/invitations", organiser, map[string]any{"lang": "en"})
	time.Sleep(300 * time.Millisecond) // both tried and failed once
	a.must(204, "DELETE", "/api/v1/accounts/"+bernd, organiser, nil)
	smtp.up()
	smtp.waitFor("clara@example.org", "Invitation to the network") // in the language the admin chose
	time.Sleep(1500 * time.Millisecond)                            // longer than the retries are apart
	if n := len(smtp.to("anna@example.org")); n != 2 {
		t.Errorf("Anna got %d mails, want 2: her invitation and one reset (asking again within %v mails nothing)", n, domain.ResetInterval)
	}
	if n := len(smtp.to("bernd@example.org")); n != 0 {
		t.Errorf("Bernd, erased before his invitation went out, got %d mails, want none", n)
	}
	if n := len(smtp.to("nobody@example.org")); n != 0 {
		t.Errorf("an unknown address got %d mails, want none", n)
	}
}
