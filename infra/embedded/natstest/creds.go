package natstest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/nats-io/jwt/v2"
	"github.com/nats-io/nkeys"
)

// Operator writes a nats-server configuration in operator (JWT) mode, with one account that
// may use JetStream and a user of it, and returns the configuration file and the user's
// credentials file (JWT and NKey seed) for nats.UserCredentials. Pass "-c", conf to
// StartProcess.
func Operator(t testing.TB) (conf, creds string) {
	t.Helper()
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("operator configuration: %v", err)
		}
	}
	op, err := nkeys.CreateOperator()
	must(err)
	opPub, _ := op.PublicKey()
	opJWT, err := jwt.NewOperatorClaims(opPub).Encode(op)
	must(err)
	account := func(js bool) (nkeys.KeyPair, string, string) {
		kp, err := nkeys.CreateAccount()
		must(err)
		pub, _ := kp.PublicKey()
		ac := jwt.NewAccountClaims(pub)
		if js {
			ac.Limits.JetStreamLimits = jwt.JetStreamLimits{MemoryStorage: -1, DiskStorage: -1, Streams: -1, Consumer: -1}
		}
		token, err := ac.Encode(op)
		must(err)
		return kp, pub, token
	}
	_, sysPub, sysJWT := account(false)
	acc, accPub, accJWT := account(true)
	user, err := nkeys.CreateUser()
	must(err)
	userPub, _ := user.PublicKey()
	uc := jwt.NewUserClaims(userPub)
	uc.IssuerAccount = accPub
	userJWT, err := uc.Encode(acc)
	must(err)
	seed, _ := user.Seed()
	credsData, err := jwt.FormatUserConfig(userJWT, seed)
	must(err)
	creds, conf = filepath.Join(dir, "user.creds"), filepath.Join(dir, "server.conf")
	must(os.WriteFile(creds, credsData, 0o600))
	must(os.WriteFile(conf, []byte(fmt.Sprintf(`operator: %q
system_account: %s
resolver: MEMORY
resolver_preload: {
  %s: %q
  %s: %q
}
`, opJWT, sysPub, sysPub, sysJWT, accPub, accJWT)), 0o600))
	return conf, creds
}
