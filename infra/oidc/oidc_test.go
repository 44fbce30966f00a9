package oidc_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/oidc"
	"github.com/werkstatt/werkstatt/infra/oidc/oidctest"
)

const callback = "http://127.0.0.1:1/sign-in/sso/callback" // never called: the test reads the redirect

var people = []oidctest.User{
	{Username: "anna", Password: "Kaffeetasse7", Email: "Anna.Schmidt@landkreis-harburg.de", EmailVerified: true, FirstName: "Anna", LastName: "Schmidt"},
	{Username: "mallory", Password: "Kaffeetasse8", Email: "chef@landkreis-harburg.de", EmailVerified: false, FirstName: "Mal", LastName: "Lory"},
}

func provider(t *testing.T) (*oidctest.OP, *oidc.Provider) {
	t.Helper()
	op := oidctest.Start(t, callback, people...)
	p, err := oidc.New(context.Background(), oidc.Config{Issuer: op.Issuer, ClientID: op.ClientID, ClientSecret: op.ClientSecret, RedirectURL: callback})
	if err != nil {
		t.Fatalf("oidc.New against the test provider: %v", err)
	}
	return op, p
}

// signIn runs the flow up to the callback and returns its code, after checking the state came
// back.
func signIn(t *testing.T, op *oidctest.OP, p *oidc.Provider, user, password, nonce, verifier string) string {
	t.Helper()
	auth := p.AuthURL("state-1", nonce, verifier)
	u, _ := url.Parse(auth)
	q := u.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") != nonce ||
		!strings.Contains(q.Get("scope"), "openid") || !strings.Contains(q.Get("scope"), "email") {
		t.Fatalf("AuthURL: got %s, want PKCE S256, the nonce and the scopes openid and email", auth)
	}
	back := op.SignIn(t, auth, user, password)
	if back.Path != "/sign-in/sso/callback" || back.Query().Get("state") != "state-1" || back.Query().Get("code") == "" {
		t.Fatalf("the provider sent the browser to %s, want the callback with state-1 and a code", back)
	}
	return back.Query().Get("code")
}

func TestAuthorizationCodeFlow(t *testing.T) {
	op, p := provider(t)
	ctx := context.Background()
	verifier := oidc.NewVerifier()
	code := signIn(t, op, p, "anna", "Kaffeetasse7", "nonce-1", verifier)
	id, err := p.Exchange(ctx, code, verifier, "nonce-1")
	if err != nil {
		t.Fatalf("Exchange: %v", err)
	}
	want := domain.Identity{Issuer: op.Issuer, Subject: "user-1", Email: "Anna.Schmidt@landkreis-harburg.de", EmailVerified: true, Name: "Anna Schmidt"}
	if id != want {
		t.Errorf("Exchange: got %+v, want %+v", id, want)
	}
	if _, err := p.Exchange(ctx, code, verifier, "nonce-1"); !errors.Is(err, oidc.ErrFailed) {
		t.Errorf("Exchange of a code used already: got %v, want ErrFailed", err)
	}

	// An address the provider has not verified comes back as such: the caller refuses it.
	verifier = oidc.NewVerifier()
	code = signIn(t, op, p, "mallory", "Kaffeetasse8", "nonce-2", verifier)
	if id, err := p.Exchange(ctx, code, verifier, "nonce-2"); err != nil || id.EmailVerified || id.Email != "chef@landkreis-harburg.de" {
		t.Errorf("Exchange for an unverified address: got %+v, %v; want the address marked unverified", id, err)
	}
}

func TestExchangeRefuses(t *testing.T) {
	op, p := provider(t)
	ctx := context.Background()
	for name, exchange := range map[string]func(code, verifier string) error{
		"a wrong nonce": func(code, verifier string) error {
			_, err := p.Exchange(ctx, code, verifier, "nonce-of-another-sign-in")
			return err
		},
		"no nonce": func(code, verifier string) error { _, err := p.Exchange(ctx, code, verifier, ""); return err },
		"a tampered code": func(code, verifier string) error {
			_, err := p.Exchange(ctx, code[:len(code)-2]+"xy", verifier, "nonce-1")
			return err
		},
		"another verifier (PKCE)": func(code, _ string) error {
			_, err := p.Exchange(ctx, code, oidc.NewVerifier(), "nonce-1")
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			verifier := oidc.NewVerifier()
			code := signIn(t, op, p, "anna", "Kaffeetasse7", "nonce-1", verifier)
			if err := exchange(code, verifier); !errors.Is(err, oidc.ErrFailed) || errors.Is(err, domain.ErrUnavailable) {
				t.Errorf("got %v, want ErrFailed", err)
			}
		})
	}
}

func TestProviderUnreachable(t *testing.T) {
	_, err := oidc.New(context.Background(), oidc.Config{Issuer: "http://127.0.0.1:1", ClientID: "c", RedirectURL: callback})
	if err == nil {
		t.Fatal("New with a provider that cannot be reached: got no error")
	}
	op := oidctest.Start(t, callback)
	if _, err := oidc.New(context.Background(), oidc.Config{Issuer: op.Issuer, ClientID: "c", RedirectURL: "ftp://x"}); err == nil {
		t.Error("New with an ftp redirect URL: got no error")
	}
}
