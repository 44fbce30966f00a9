package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"unicode/utf8"
)

// minSecret is the fewest characters of a secret an operator chooses: the organiser token and
// the NATS listener's password or token. 16 random characters cannot be guessed online.
const minSecret = 16

// secretEnvs are the settings that may come from a file: NAME_FILE names a file holding the
// value of NAME (Docker and Kubernetes secrets), so that it need not sit in the environment.
var secretEnvs = []string{
	"WERKSTATT_ADMIN_TOKEN",
	"WERKSTATT_MASTER_KEY",
	"WERKSTATT_DATABASE_URL",
	"WERKSTATT_NATS_LISTEN_PASSWORD",
	"WERKSTATT_NATS_LISTEN_TOKEN",
	"WERKSTATT_SMTP_URL", // may carry the mail server's password
	"WERKSTATT_OIDC_CLIENT_SECRET",
}

// secretsFromFiles returns getenv with every NAME_FILE of secretEnvs read into NAME. One
// trailing newline of the file is dropped. Setting both NAME and NAME_FILE is an error, and so
// is a file that cannot be read or is empty.
func secretsFromFiles(getenv func(string) string) (func(string) string, error) {
	fromFiles := map[string]string{}
	for _, name := range secretEnvs {
		path := getenv(name + "_FILE")
		if path == "" {
			continue
		}
		if getenv(name) != "" {
			return nil, fmt.Errorf("both %s and %s_FILE are set: keep one", name, name)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("%s_FILE: cannot read the secret: %w", name, err)
		}
		v := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
		if v == "" {
			return nil, fmt.Errorf("%s_FILE: %s is empty", name, path)
		}
		fromFiles[name] = v
	}
	return func(k string) string {
		if v, ok := fromFiles[k]; ok {
			return v
		}
		return getenv(k)
	}, nil
}

// hideSecretDefaults keeps the secrets that the environment gave as flag defaults out of
// `werkstatt -h`.
func hideSecretDefaults(fs *flag.FlagSet) {
	for _, o := range options {
		f := fs.Lookup(o.flag)
		if f != nil && f.DefValue != "" && slices.Contains(secretEnvs, o.env) {
			f.DefValue = "<hidden, from " + o.env + ">"
		}
	}
}

// checkSecrets refuses weak secrets and a NATS listener anybody could use.
func (c config) checkSecrets() error {
	if n := utf8.RuneCountInString(c.AdminToken); c.AdminToken != "" && n < minSecret {
		return fmt.Errorf("WERKSTATT_ADMIN_TOKEN has %d characters, an organiser token needs at least %d: "+
			"choose a longer one (openssl rand -hex 16 makes one), or unset it to have one generated", n, minSecret)
	}
	l := c.NATSListenAuth
	switch {
	case c.NATSListen == "" && l != (listenAuth{}):
		return errors.New("--nats-listen-user, --nats-listen-password, --nats-listen-token and --nats-listen-tls-* apply only with --nats-listen")
	case c.NATSListen == "":
		_, err := c.natsOptions()
		return err
	case l.Token != "" && (l.User != "" || l.Password != ""):
		return errors.New("--nats-listen: give either --nats-listen-user and --nats-listen-password or --nats-listen-token, not both")
	case l.Token == "" && (l.User == "" || l.Password == ""):
		return errors.New("--nats-listen lets other programs read the events, the data keys and the lead grants: " +
			"it needs --nats-listen-user with --nats-listen-password, or --nats-listen-token (or their WERKSTATT_NATS_LISTEN_* variables)")
	case utf8.RuneCountInString(l.Password+l.Token) < minSecret:
		return fmt.Errorf("--nats-listen: the password or token needs at least %d characters", minSecret)
	case (l.TLSCert == "") != (l.TLSKey == ""):
		return errors.New("--nats-listen-tls-cert and --nats-listen-tls-key go together")
	}
	_, err := c.natsOptions()
	return err
}
