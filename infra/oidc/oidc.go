// Package oidc signs people in over OpenID Connect (single sign-on with an administration's
// Keycloak, Entra ID or any certified provider): the authorization-code flow with PKCE (S256)
// and a nonce, the ID token verified for issuer, audience, expiry, signature and nonce.
package oidc

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/werkstatt/werkstatt/domain"
)

// Config names the provider and this service as its client.
type Config struct {
	// Issuer is the provider's issuer URL; its discovery document lies under
	// /.well-known/openid-configuration.
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is this service's callback, as registered at the provider.
	RedirectURL string
	// HTTPClient talks to the provider (default: a client with a 10-second timeout).
	HTTPClient *http.Client
}

// Provider is a configured OpenID provider. It is safe for concurrent use.
type Provider struct {
	provider *gooidc.Provider
	oauth    oauth2.Config
	verifier *gooidc.IDTokenVerifier
	client   *http.Client
}

// ErrFailed is returned by Exchange when the provider refused the code or its answer does not
// hold: a code used twice or forged, a wrong nonce, an ID token for another client.
var ErrFailed = errors.New("oidc: single sign-on failed")

// New reads the provider's discovery document and returns the Provider. It fails when the
// provider cannot be reached or its document names another issuer.
func New(ctx context.Context, cfg Config) (*Provider, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" || cfg.RedirectURL == "" {
		return nil, errors.New("oidc: an issuer, a client id and a redirect URL are needed")
	}
	if u, err := url.Parse(cfg.RedirectURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("oidc: the redirect URL %q is no http(s) URL", cfg.RedirectURL)
	}
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	p, err := gooidc.NewProvider(gooidc.ClientContext(ctx, client), cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc: discover %s: %w", cfg.Issuer, err)
	}
	return &Provider{
		provider: p,
		oauth: oauth2.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: cfg.RedirectURL,
			Endpoint: p.Endpoint(), Scopes: []string{gooidc.ScopeOpenID, "email", "profile"}},
		verifier: p.Verifier(&gooidc.Config{ClientID: cfg.ClientID}),
		client:   client,
	}, nil
}

// NewVerifier returns a random PKCE code verifier: keep it with state and nonce until the
// callback.
func NewVerifier() string { return oauth2.GenerateVerifier() }

// AuthURL is where to send the browser to sign in: it carries state (checked by the caller on
// the callback), nonce (checked by Exchange in the ID token) and the S256 challenge of
// verifier.
func (p *Provider) AuthURL(state, nonce, verifier string) string {
	return p.oauth.AuthCodeURL(state, gooidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier))
}

// Exchange trades the callback's code for the ID token, verifies it (signature, issuer,
// audience, expiry) and its nonce, and returns who signed in. A refusal or an answer that
// does not hold gives an error matching ErrFailed; a provider that cannot be reached one
// matching domain.ErrUnavailable.
func (p *Provider) Exchange(ctx context.Context, code, verifier, nonce string) (domain.Identity, error) {
	ctx = gooidc.ClientContext(ctx, p.client)
	tok, err := p.oauth.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return domain.Identity{}, classify("exchange the code", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return domain.Identity{}, fmt.Errorf("%w: the provider sent no ID token", ErrFailed)
	}
	idt, err := p.verifier.Verify(ctx, raw)
	if err != nil {
		return domain.Identity{}, classify("verify the ID token", err)
	}
	if nonce == "" || subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return domain.Identity{}, fmt.Errorf("%w: the ID token's nonce is not this sign-in's", ErrFailed)
	}
	if idt.AccessTokenHash != "" {
		if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
			return domain.Identity{}, fmt.Errorf("%w: %w", ErrFailed, err)
		}
	}
	var c claims
	if err := idt.Claims(&c); err != nil {
		return domain.Identity{}, fmt.Errorf("%w: the ID token's claims: %w", ErrFailed, err)
	}
	if c.Email == "" {
		// Some providers put the address only into the userinfo answer.
		if err := p.userInfo(ctx, tok, &c); err != nil {
			return domain.Identity{}, err
		}
	}
	return domain.Identity{Issuer: idt.Issuer, Subject: idt.Subject, Email: strings.TrimSpace(c.Email),
		EmailVerified: bool(c.EmailVerified), Name: c.name()}, nil
}

func (p *Provider) userInfo(ctx context.Context, tok *oauth2.Token, c *claims) error {
	ui, err := p.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		return classify("read the userinfo", err)
	}
	if err := ui.Claims(c); err != nil {
		return fmt.Errorf("%w: the userinfo's claims: %w", ErrFailed, err)
	}
	return nil
}

// claims are the ID token's (or userinfo's) claims Werkstatt reads.
type claims struct {
	Email         string `json:"email"`
	EmailVerified flag   `json:"email_verified"`
	Name          string `json:"name"`
	GivenName     string `json:"given_name"`
	FamilyName    string `json:"family_name"`
}

func (c claims) name() string {
	if c.Name != "" {
		return c.Name
	}
	return strings.TrimSpace(c.GivenName + " " + c.FamilyName)
}

// flag is a boolean claim that some providers send as the string "true".
type flag bool

func (f *flag) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch v := v.(type) {
	case bool:
		*f = flag(v)
	case string:
		*f = flag(strings.EqualFold(v, "true"))
	default:
		*f = false
	}
	return nil
}

// classify wraps err of talking to the provider: unreachable or timed out is
// domain.ErrUnavailable, anything else (a refusal, an answer that does not hold) ErrFailed.
func classify(doing string, err error) error {
	var netErr net.Error
	var retrieve *oauth2.RetrieveError
	switch {
	case errors.As(err, &retrieve) && retrieve.Response != nil && retrieve.Response.StatusCode >= 500:
		return fmt.Errorf("%w: oidc: %s: %w", domain.ErrUnavailable, doing, err)
	case errors.As(err, &retrieve):
		return fmt.Errorf("%w: %s: %w", ErrFailed, doing, err)
	case errors.As(err, &netErr), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w: oidc: %s: %w", domain.ErrUnavailable, doing, err)
	}
	return fmt.Errorf("%w: %s: %w", ErrFailed, doing, err)
}
