// Package oidctest starts a real OpenID provider for tests: zitadel/oidc's example provider
// in-process, with its login form, users of the test's choice and one web client. Tests drive
// the authorization-code flow through it as a browser would.
package oidctest

import (
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"golang.org/x/text/language"
)

// User is a person with an account at the provider.
type User struct {
	Username, Password string
	Email              string
	EmailVerified      bool
	FirstName          string
	LastName           string
}

// OP is a running provider with one registered web client.
type OP struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	host         string
}

// users is the provider's user store over the test's users.
type users map[string]*storage.User

func (u users) GetUserByID(id string) *storage.User { return u[id] }
func (u users) GetUserByUsername(name string) *storage.User {
	for _, x := range u {
		if x.Username == name {
			return x
		}
	}
	return nil
}
func (users) ExampleClientID() string { return storage.ServiceUserID }

// Start starts a provider that knows people and admits a web client whose callback is
// redirectURL. It stops when the test ends.
func Start(t testing.TB, redirectURL string, people ...User) *OP {
	t.Helper()
	store := users{}
	for i, p := range people {
		id := fmt.Sprintf("user-%d", i+1)
		store[id] = &storage.User{ID: id, Username: p.Username, Password: p.Password, Email: p.Email,
			EmailVerified: p.EmailVerified, FirstName: p.FirstName, LastName: p.LastName,
			PreferredLanguage: language.German}
	}
	op := &OP{ClientID: "werkstatt-" + rand.Text()[:10], ClientSecret: rand.Text()}
	// Clients of this provider only: the example's package-level map would be shared by tests
	// running in parallel.
	clients := map[string]*storage.Client{op.ClientID: storage.WebClient(op.ClientID, op.ClientSecret, redirectURL)}
	var h atomic.Pointer[http.Handler]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { (*h.Load()).ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	op.Issuer = srv.URL
	u, _ := url.Parse(srv.URL)
	op.host = u.Host
	// The example sets its logger as the process's default: one that drops the lines.
	var router http.Handler = exampleop.SetupServer(op.Issuer, storage.NewStorageWithClients(store, clients), slog.New(slog.DiscardHandler), false)
	h.Store(&router)
	return op
}

var idField = regexp.MustCompile(`name="id" value="([^"]*)"`)

// SignIn opens authURL in a browser of its own, fills the provider's login form with
// username and password and returns the URL the provider finally sends the browser to (this
// service's callback with code and state). It fails the test when the login form does not
// let the user in.
func (op *OP) SignIn(t testing.TB, authURL, username, password string) *url.URL {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	var callback *url.URL
	client := &http.Client{Jar: jar, CheckRedirect: func(r *http.Request, _ []*http.Request) error {
		if r.URL.Host != op.host {
			callback = r.URL
			return http.ErrUseLastResponse
		}
		return nil
	}}
	res, err := client.Get(authURL)
	if err != nil {
		t.Fatalf("open the provider's sign-in: %v", err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if callback != nil {
		return callback // the provider answered at once (an error for the client)
	}
	m := idField.FindSubmatch(body)
	if res.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("the provider's sign-in: got %d, want its login form:\n%s", res.StatusCode, body)
	}
	login := res.Request.URL.ResolveReference(&url.URL{Path: "/login/username"})
	res, err = client.PostForm(login.String(), url.Values{"id": {string(m[1])}, "username": {username}, "password": {password}})
	if err != nil {
		t.Fatalf("send the provider's login form: %v", err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if callback == nil {
		t.Fatalf("the provider's login form as %s: got %d, want a redirect to the client:\n%s", username, res.StatusCode, strings.TrimSpace(string(body)))
	}
	return callback
}
