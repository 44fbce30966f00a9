package keys

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// MasterKey returns the 32-byte master key: decoded from base64Value when it is given (env
// WERKSTATT_MASTER_KEY), else read from the file at path, which is created with mode 0600 and a
// random key when it does not exist. Losing the master key makes all personal data unreadable:
// back it up apart from the data.
func MasterKey(base64Value, path string) ([]byte, error) {
	if v := strings.TrimSpace(base64Value); v != "" {
		key, err := decodeKey(v)
		if err != nil {
			return nil, fmt.Errorf("keys: master key from the environment: %w", err)
		}
		return key, nil
	}
	if path == "" {
		return nil, errors.New("keys: no master key given and no file to keep one in")
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createMasterKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("keys: read master key: %w", err)
	}
	key, err := decodeKey(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("keys: master key in %s: %w", path, err)
	}
	return key, nil
}

// createMasterKey writes a new random key to path, unless another process just did: O_EXCL
// makes exactly one of them the writer.
func createMasterKey(path string) ([]byte, error) {
	key := make([]byte, keySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("keys: new master key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("keys: master key directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return MasterKey("", path)
	}
	if err != nil {
		return nil, fmt.Errorf("keys: create master key file: %w", err)
	}
	_, err = f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("keys: write master key file: %w", err)
	}
	return key, nil
}

// decodeKey accepts standard or URL base64, padded or not, of exactly 32 bytes.
func decodeKey(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if key, err := enc.DecodeString(s); err == nil {
			if len(key) != keySize {
				return nil, fmt.Errorf("decodes to %d bytes, want %d", len(key), keySize)
			}
			return key, nil
		}
	}
	return nil, errors.New("not base64")
}
