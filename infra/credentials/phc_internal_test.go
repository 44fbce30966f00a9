package credentials

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
)

var phcShape = regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

func TestPHC(t *testing.T) {
	h := phc("Kaffeetasse7", current)
	if !phcShape.MatchString(h) {
		t.Fatalf("phc: got %q, want $argon2id$v=19$m=19456,t=2,p=1$<16-byte salt>$<32-byte hash>", h)
	}
	if h2 := phc("Kaffeetasse7", current); h2 == h {
		t.Errorf("phc twice: got the same string %q, want a new salt each time", h)
	}
	if ok, p, err := verify(h, "Kaffeetasse7"); !ok || p != current || err != nil {
		t.Errorf("verify the right password: got %v, %+v, %v", ok, p, err)
	}
	if ok, _, _ := verify(h, "Kaffeetasse8"); ok {
		t.Errorf("verify a wrong password: got true")
	}
	salt, hash := strings.Split(h, "$")[4], strings.Split(h, "$")[5]
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=19456,t=2,p=1$" + salt + "$" + hash,
		"$argon2id$v=16$m=19456,t=2,p=1$" + salt + "$" + hash,
		"$argon2id$v=19$m=99999999,t=2,p=1$" + salt + "$" + hash, // over maxMemory: no gigabytes for a planted entry
		"$argon2id$v=19$m=19456,t=0,p=1$" + salt + "$" + hash,
		"$argon2id$v=19$m=19456,t=2,p=1,x=1$" + salt + "$" + hash,
		"$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$!!",
	} {
		if _, _, err := verify(bad, "Kaffeetasse7"); err == nil {
			t.Errorf("verify against %q: got no error", bad)
		}
	}
}

// TestRehash checks that a hash with older parameters is replaced by one with the current
// parameters when its password is checked and matches.
func TestRehash(t *testing.T) {
	s, err := Open(context.Background(), natstest.Embedded(t).JetStream(t), "CREDENTIALS_REHASH", 1)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	old := params{memory: 4096, time: 1, threads: 1}
	data, _ := json.Marshal(passwordRecord{Hash: phc("Kaffeetasse7", old)})
	key := passwordKey + accountKey("anna")
	if _, err := s.kv.Put(ctx, key, data); err != nil {
		t.Fatal(err)
	}
	stored := func() string {
		e, err := s.kv.Get(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		var r passwordRecord
		_ = json.Unmarshal(e.Value(), &r)
		return r.Hash
	}
	if ok, err := s.CheckPassword(ctx, "anna", "wrong password"); ok || err != nil || !strings.Contains(stored(), "m=4096,t=1") {
		t.Fatalf("a wrong password: got %v, %v, hash %s; want false and the old hash kept", ok, err, stored())
	}
	if ok, err := s.CheckPassword(ctx, "anna", "Kaffeetasse7"); !ok || err != nil {
		t.Fatalf("the right password against an old hash: got %v, %v", ok, err)
	}
	if h := stored(); !phcShape.MatchString(h) {
		t.Errorf("after a match: got hash %s, want one with the current parameters", h)
	}
	if ok, _ := s.CheckPassword(ctx, "anna", "Kaffeetasse7"); !ok {
		t.Errorf("the right password against the new hash: got false")
	}
}
