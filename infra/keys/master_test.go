package keys_test

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"

	"github.com/werkstatt/werkstatt/infra/keys"
)

func TestMasterKeyFromValue(t *testing.T) {
	key := bytes.Repeat([]byte{0xfb}, 32)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		got, err := keys.MasterKey(" "+enc.EncodeToString(key)+"\n", "")
		if err != nil || !bytes.Equal(got, key) {
			t.Errorf("MasterKey(%q): got %x, %v; want %x", enc.EncodeToString(key), got, err, key)
		}
	}
	for _, bad := range []string{"not base64!", base64.StdEncoding.EncodeToString(make([]byte, 16))} {
		if _, err := keys.MasterKey(bad, ""); err == nil {
			t.Errorf("MasterKey(%q): got no error, want one", bad)
		}
	}
}

func TestMasterKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secrets", "master.key")
	first, err := keys.MasterKey("", path)
	if err != nil {
		t.Fatalf("MasterKey creating %s: %v", path, err)
	}
	if len(first) != 32 {
		t.Fatalf("new master key: got %d bytes, want 32", len(first))
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("stat key file: %v", err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("key file mode: got %o, want 600", mode)
	}
	again, err := keys.MasterKey("", path)
	if err != nil || !bytes.Equal(again, first) {
		t.Errorf("MasterKey reading %s again: got %x, %v; want %x", path, again, err, first)
	}
	fromEnv := bytes.Repeat([]byte{1}, 32)
	got, err := keys.MasterKey(base64.StdEncoding.EncodeToString(fromEnv), path)
	if err != nil || !bytes.Equal(got, fromEnv) {
		t.Errorf("MasterKey with value and file: got %x, %v; want the value %x", got, err, fromEnv)
	}
	if _, err := keys.MasterKey("", ""); err == nil {
		t.Errorf("MasterKey without value or path: got no error, want one")
	}
	broken := filepath.Join(t.TempDir(), "broken.key")
	os.WriteFile(broken, []byte("short"), 0o600)
	if _, err := keys.MasterKey("", broken); err == nil {
		t.Errorf("MasterKey from a broken file: got no error, want one")
	}
}
