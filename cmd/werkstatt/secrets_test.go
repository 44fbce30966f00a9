package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// TestWeakAdminTokenRefused: a short organiser token stops every command at the start, with a
// message that says what to do.
func TestWeakAdminTokenRefused(t *testing.T) {
	for _, token := range []string{"secret", "123456789012345", "ÖÖÖÖÖÖÖÖÖÖÖÖÖÖÖ"} {
		_, err := parseConfig("serve", nil, envOf(map[string]string{"WERKSTATT_ADMIN_TOKEN": token}), io.Discard)
		if err == nil || !strings.Contains(err.Error(), "at least 16") || !strings.Contains(err.Error(), "openssl rand") {
			t.Errorf("token %q: got %v, want a refusal naming 16 characters and how to make a token", token, err)
		}
	}
	c, err := parseConfig("serve", nil, envOf(map[string]string{"WERKSTATT_ADMIN_TOKEN": "ÖÖÖÖÖÖÖÖÖÖÖÖÖÖÖÖ"}), io.Discard)
	if err != nil || c.AdminToken != "ÖÖÖÖÖÖÖÖÖÖÖÖÖÖÖÖ" {
		t.Errorf("16 characters: got %q, %v; want accepted", c.AdminToken, err)
	}
	if c, err := parseConfig("serve", nil, envOf(nil), io.Discard); err != nil || c.AdminToken != "" {
		t.Errorf("no token: got %q, %v; want none and no error (one is generated)", c.AdminToken, err)
	}
}

// TestSecretsFromFiles: WERKSTATT_*_FILE names a file holding the secret; one trailing
// newline is dropped; both the variable and its file, or an unreadable file, are errors.
func TestSecretsFromFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	token := write("token", "a-token-from-a-file-1\n")
	key := write("key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n")
	c, err := parseConfig("serve", nil, envOf(map[string]string{
		"WERKSTATT_ADMIN_TOKEN_FILE": token, "WERKSTATT_MASTER_KEY_FILE": key}), io.Discard)
	if err != nil {
		t.Fatalf("secrets from files: %v", err)
	}
	if c.AdminToken != "a-token-from-a-file-1" || c.MasterKey != "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" {
		t.Errorf("got token %q and key %q, want the files' contents without the newline", c.AdminToken, c.MasterKey)
	}
	if c, _ := parseConfig("serve", nil, envOf(map[string]string{"WERKSTATT_ADMIN_TOKEN_FILE": write("two", "a-token-from-a-file-2\n\n")}), io.Discard); c.AdminToken != "a-token-from-a-file-2\n" {
		t.Errorf("a file ending in two newlines: got %q, want only one dropped", c.AdminToken)
	}
	for name, env := range map[string]map[string]string{
		"both":       {"WERKSTATT_ADMIN_TOKEN": "a-token-in-the-environment", "WERKSTATT_ADMIN_TOKEN_FILE": token},
		"unreadable": {"WERKSTATT_MASTER_KEY_FILE": filepath.Join(dir, "missing")},
		"empty":      {"WERKSTATT_ADMIN_TOKEN_FILE": write("empty", "\n")},
		"weak":       {"WERKSTATT_ADMIN_TOKEN_FILE": write("weak", "short\n")},
	} {
		if _, err := parseConfig("serve", nil, envOf(env), io.Discard); err == nil {
			t.Errorf("%s: got no error", name)
		} else if !strings.Contains(err.Error(), "WERKSTATT_") {
			t.Errorf("%s: %v does not name the setting", name, err)
		}
	}
}

// TestNATSSettingsChecked: a listener without credentials, credentials without a listener and
// half a TLS pair are refused with a message.
func TestNATSSettingsChecked(t *testing.T) {
	for _, args := range [][]string{
		{"--nats-listen", "127.0.0.1:4222"},
		{"--nats-listen", "127.0.0.1:4222", "--nats-listen-user", "ops"},
		{"--nats-listen", "127.0.0.1:4222", "--nats-listen-token", "short"},
		{"--nats-listen", "127.0.0.1:4222", "--nats-listen-token", "a-long-listen-token", "--nats-listen-user", "ops", "--nats-listen-password", "a-long-listen-password"},
		{"--nats-listen", "127.0.0.1:4222", "--nats-listen-token", "a-long-listen-token", "--nats-listen-tls-cert", "c.pem"},
		{"--nats-listen-token", "a-long-listen-token"},
		{"--nats-creds", "x.creds"},
		{"--nats-url", "nats://127.0.0.1:4222", "--nats-tls-cert", "c.pem"},
	} {
		if _, err := parseConfig("serve", args, envOf(nil), io.Discard); err == nil {
			t.Errorf("%v: got no error", args)
		}
	}
	c, err := parseConfig("serve", []string{"--nats-listen", "127.0.0.1:4222"},
		envOf(map[string]string{"WERKSTATT_NATS_LISTEN_TOKEN_FILE": writeTemp(t, "a-long-listen-token\n")}), io.Discard)
	if err != nil || c.NATSListenAuth.Token != "a-long-listen-token" {
		t.Errorf("listen token from a file: got %q, %v", c.NATSListenAuth.Token, err)
	}
}

func writeTemp(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestHelpHidesSecrets: -h does not print a password that came from the environment.
func TestHelpHidesSecrets(t *testing.T) {
	var help strings.Builder
	parseConfig("serve", []string{"-h"}, envOf(map[string]string{"WERKSTATT_NATS_LISTEN_PASSWORD": "a-long-listen-password",
		"WERKSTATT_DATABASE_URL": "postgres://u:db-password@h/d"}), &help)
	if strings.Contains(help.String(), "a-long-listen-password") || strings.Contains(help.String(), "db-password") {
		t.Errorf("-h shows a secret:\n%s", help.String())
	}
	if !strings.Contains(help.String(), "nats-listen-password") {
		t.Errorf("-h does not list --nats-listen-password:\n%s", help.String())
	}
}
