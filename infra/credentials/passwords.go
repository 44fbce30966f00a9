package credentials

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/natsconn"
)

// params are argon2id's parameters: memory in KiB, passes (time) and lanes (threads).
type params struct {
	memory  uint32
	time    uint32
	threads uint8
}

// current are the parameters new hashes get: OWASP's recommendation for argon2id (19 MiB, two
// passes, one lane). Every hash carries its own parameters, so they can grow later; a password
// checked against an older hash is hashed anew with these.
var current = params{memory: 19456, time: 2, threads: 1}

// Bounds of the parameters a stored hash may ask for: a damaged or planted entry must not make
// a sign-in allocate gigabytes.
const (
	maxMemory  = 1 << 20 // 1 GiB
	maxTime    = 16
	maxThreads = 16
)

const (
	saltLength = 16
	hashLength = 32
)

// hashing bounds how many hashes run at once: each takes 19 MiB and a core for tens of
// milliseconds, and a burst of sign-ins must not take the service's memory.
var hashing = make(chan struct{}, max(2, runtime.NumCPU()))

func argon(password string, salt []byte, p params, length uint32) []byte {
	hashing <- struct{}{}
	defer func() { <-hashing }()
	return argon2.IDKey([]byte(password), salt, p.time, p.memory, p.threads, length)
}

// phc is the hash of password with a new random salt, as a PHC string:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> (unpadded standard base64).
func phc(password string, p params) string {
	salt := make([]byte, saltLength)
	_, _ = rand.Read(salt) // never fails (crypto/rand)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.memory, p.time, p.threads,
		b64.EncodeToString(salt), b64.EncodeToString(argon(password, salt, p, hashLength)))
}

// errBadHash: a stored hash that is no argon2id PHC string within the bounds.
var errBadHash = errors.New("credentials: the stored password hash is damaged")

// parsePHC reads a PHC string of argon2id.
func parsePHC(s string) (p params, salt, hash []byte, err error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return params{}, nil, nil, errBadHash
	}
	var m, t, th uint64
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, _ := strings.Cut(kv, "=")
		n, perr := strconv.ParseUint(v, 10, 32)
		if perr != nil {
			return params{}, nil, nil, errBadHash
		}
		switch k {
		case "m":
			m = n
		case "t":
			t = n
		case "p":
			th = n
		default:
			return params{}, nil, nil, errBadHash
		}
	}
	b64 := base64.RawStdEncoding
	salt, serr := b64.DecodeString(parts[4])
	hash, herr := b64.DecodeString(parts[5])
	if serr != nil || herr != nil || len(salt) < 8 || len(hash) < 16 || len(hash) > 64 ||
		m < 8 || m > maxMemory || t < 1 || t > maxTime || th < 1 || th > maxThreads {
		return params{}, nil, nil, errBadHash
	}
	return params{memory: uint32(m), time: uint32(t), threads: uint8(th)}, salt, hash, nil
}

// verify reports whether password matches the PHC string stored, in constant time.
func verify(stored, password string) (ok bool, p params, err error) {
	p, salt, hash, err := parsePHC(stored)
	if err != nil {
		return false, params{}, err
	}
	got := argon(password, salt, p, uint32(len(hash)))
	return subtle.ConstantTimeCompare(got, hash) == 1, p, nil
}

// decoy is a hash that no password is checked against in earnest: CheckPassword spends it on an
// account without a password, so that the time taken tells nobody whether the account has one.
var decoy = sync.OnceValue(func() string { return phc("no password: the account has none", current) })

// passwordRecord is a password as the bucket stores it.
type passwordRecord struct {
	Hash  string    `json:"hash"`
	SetAt time.Time `json:"set_at"`
}

// SetPassword sets account's password, replacing any earlier one. The caller checks the
// password policy (domain.CheckPassword) first.
func (s *Store) SetPassword(ctx context.Context, account domain.AccountID, password string) error {
	if account == "" {
		return errors.New("credentials: a password needs an account")
	}
	data, err := json.Marshal(passwordRecord{Hash: phc(password, current), SetAt: s.now().UTC().Truncate(time.Second)})
	if err != nil {
		return err
	}
	if err := natsconn.Up(s.nc); err != nil {
		return err
	}
	if _, err := s.kv.Put(ctx, passwordKey+accountKey(account), data); err != nil {
		return natsconn.Classify(fmt.Errorf("credentials: set a password: %w", err))
	}
	return nil
}

// CheckPassword reports whether password is account's password. An account without a password
// gets false after the same work as one with a password, so that the answer's timing does not
// tell which accounts exist. A hash with older parameters than current is replaced by one with
// current parameters once the password matched.
func (s *Store) CheckPassword(ctx context.Context, account domain.AccountID, password string) (bool, error) {
	if account == "" {
		_, _, _ = verify(decoy(), password)
		return false, nil
	}
	e, found, err := s.get(ctx, passwordKey+accountKey(account))
	if err != nil {
		return false, err
	}
	if !found {
		_, _, _ = verify(decoy(), password)
		return false, nil
	}
	var r passwordRecord
	if err := json.Unmarshal(e.Value(), &r); err != nil {
		_, _, _ = verify(decoy(), password)
		return false, fmt.Errorf("%w: %w", errBadHash, err)
	}
	ok, p, err := verify(r.Hash, password)
	if err != nil {
		_, _, _ = verify(decoy(), password)
		return false, err
	}
	if ok && p != current {
		r.Hash = phc(password, current)
		if data, err := json.Marshal(r); err == nil {
			// Another replica may have changed the password meanwhile: then its hash stays.
			_, _ = s.kv.Update(ctx, e.Key(), data, e.Revision())
		}
	}
	return ok, nil
}

// HasPassword reports whether account has a password.
func (s *Store) HasPassword(ctx context.Context, account domain.AccountID) (bool, error) {
	if account == "" {
		return false, nil
	}
	_, found, err := s.get(ctx, passwordKey+accountKey(account))
	return found, err
}

// RemovePassword forgets account's password: the account can no longer sign in with one until
// a new one is set. An account without a password is no error.
func (s *Store) RemovePassword(ctx context.Context, account domain.AccountID) error {
	if account == "" {
		return nil
	}
	return s.purge(ctx, passwordKey+accountKey(account))
}
