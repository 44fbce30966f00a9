package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/infra/oidc/oidctest"
)

// TestSingleSignOnWiring starts the service with an OpenID provider, as an administration's
// IT department would configure it, and signs a person in through the provider: the flags
// reach the pages, the callback lies under --public-url, and the client secret, given in a
// file, appears in no output.
func TestSingleSignOnWiring(t *testing.T) {
	const public = "http://werkstatt.landkreis.test"
	op := oidctest.Start(t, public+"/sign-in/sso/callback",
		oidctest.User{Username: "anna", Password: "Kaffeetasse7", Email: "anna@landkreis.test", EmailVerified: true})
	secretFile := filepath.Join(t.TempDir(), "oidc-secret")
	if err := os.WriteFile(secretFile, []byte(op.ClientSecret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	in := startInstance(t, map[string]string{"WERKSTATT_OIDC_CLIENT_SECRET_FILE": secretFile},
		"--data-dir", t.TempDir(), "--public-url", public, "--oidc-issuer", op.Issuer, "--oidc-client-id", op.ClientID)

	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (*http.Response, string) {
		t.Helper()
		res, err := browser.Get(in.url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	if _, body := get("/sign-in"); !strings.Contains(body, `href="/sign-in/sso`) {
		t.Fatalf("the sign-in page: no single sign-on button:\n%s", body)
	}
	res, _ := get("/sign-in/sso")
	auth := res.Header.Get("Location")
	u, err := url.Parse(auth)
	if res.StatusCode != http.StatusSeeOther || err != nil || u.Query().Get("redirect_uri") != public+"/sign-in/sso/callback" {
		t.Fatalf("start single sign-on: got %d to %q, want the provider with the callback under --public-url", res.StatusCode, auth)
	}
	callback := op.SignIn(t, auth, "anna", "Kaffeetasse7")
	res, body := get(callback.Path + "?" + callback.RawQuery)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `http-equiv="refresh"`) {
		t.Fatalf("the callback: got %d, want the signed-in page:\n%s", res.StatusCode, body)
	}
	if _, body := get("/sign-in"); !strings.Contains(body, `id="signed-in"`) {
		t.Errorf("the sign-in page after single sign-on: not signed in:\n%s", body)
	}
	in.stop(t)
	for name, out := range map[string]string{"stdout": in.out.String(), "the log": in.log.String()} {
		if strings.Contains(out, op.ClientSecret) {
			t.Errorf("%s holds the client secret", name)
		}
	}
}

func TestOIDCFlags(t *testing.T) {
	for name, args := range map[string][]string{
		"an issuer without a client id": {"--oidc-issuer", "https://sso.example.org/realms/kreis"},
		"a client id without an issuer": {"--oidc-client-id", "werkstatt"},
		"a secret without an issuer":    {"--oidc-client-secret", "s3cret"},
		"an issuer that is no URL":      {"--oidc-issuer", "sso.example.org", "--oidc-client-id", "werkstatt"},
	} {
		if _, err := parseConfig("serve", args, envOf(nil), io.Discard); err == nil {
			t.Errorf("%s: got no error", name)
		}
	}
	c, err := parseConfig("serve", []string{"--oidc-issuer", "https://sso.example.org/realms/kreis", "--oidc-client-id", "werkstatt"},
		envOf(map[string]string{"WERKSTATT_OIDC_CLIENT_SECRET": "geheimes-client-secret"}), io.Discard)
	if err != nil || c.OIDC != (oidcConfig{"https://sso.example.org/realms/kreis", "werkstatt", "geheimes-client-secret"}) {
		t.Errorf("issuer, client id and the secret from the environment: got %+v, %v", c.OIDC, err)
	}
	var help strings.Builder
	_, _ = parseConfig("serve", []string{"-h"}, envOf(map[string]string{"WERKSTATT_OIDC_CLIENT_SECRET": "geheimes-client-secret"}), &help)
	if strings.Contains(help.String(), "geheimes-client-secret") || !strings.Contains(help.String(), "oidc-client-secret") {
		t.Errorf("--help with the secret in the environment: got\n%s\nwant the flag without the secret", help.String())
	}
}
