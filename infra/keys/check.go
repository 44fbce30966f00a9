package keys

import (
	"crypto/hmac"
	"fmt"
)

// CheckWrapped reports whether wrapped, the value the key bucket holds for subject, unwraps
// with master (or, for the bucket's check value, is master's). A restore calls it before loading a backup, so that a backup restored under
// another master key is refused instead of leaving every person unreadable.
func CheckWrapped(master []byte, subject string, wrapped []byte) error {
	if len(master) != keySize {
		return fmt.Errorf("keys: master key has %d bytes, want %d", len(master), keySize)
	}
	k := &Keyring{master: master, cache: map[string]*dataKey{}}
	if subject == checkKey {
		if !hmac.Equal(wrapped, k.checkValue()) {
			return ErrWrongMasterKey
		}
		return nil
	}
	if err := checkSubject(subject); err != nil {
		return err
	}
	var err error
	if k.wrap, err = newAEAD(k.subkey("wrap")); err != nil {
		return err
	}
	_, err = k.unwrapAndCache(subject, wrapped)
	return err
}
