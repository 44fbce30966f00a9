// Package keys keeps one data key per person (crypto-shredding): personal data in the
// append-only event log is sealed with the person's key, and erasing the key makes every copy
// of that data (replicas, backups) unreadable for good.
package keys

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"sync"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/infra/natsconn"
)

// ErrErased is returned by Keyring.Open when the data subject's key was erased: the data is
// gone for good, and callers treat it as such (for example, a nil Person).
var ErrErased = errors.New("the person's data key was erased")

const (
	keySize = 32 // AES-256
	idSize  = 8  // key id: tells a sealed value's key from a later key of the same subject
	// format versions the sealed and wrapped layouts, so that they can change later.
	format = 1
	// maxCached bounds the unwrapped keys held in memory. Each costs about 0.9 KB (mostly the
	// AES-GCM state): 50,000 held 43 MB after the replay of a million-event log, which touches
	// every person once. 16,384 (at most 14 MB) still hold the people of a whole series of
	// workshops, whose commits the projections open again and again; a miss costs one KV read,
	// which made catching up on the 20-workshop series a third slower with 4,096.
	maxCached = 16_384
)

// dataKey is an unwrapped data key with the id that sealed values carry.
type dataKey struct {
	id   [idSize]byte
	aead cipher.AEAD
}

// Keyring keeps one AES-256 data key per data subject (a registration id) in a JetStream KV
// bucket, each wrapped (AES-GCM) with the master key. Erase deletes (purges) the key:
// everything sealed with it is unreadable from then on. A Keyring is safe for concurrent use,
// and several processes may share one bucket.
type Keyring struct {
	js     jetstream.JetStream
	kv     jetstream.KeyValue
	master []byte
	wrap   cipher.AEAD

	mu      sync.Mutex
	cache   map[string]*dataKey
	catchUp catchUp    // see CatchingUp; guarded by mu
	readMu  sync.Mutex // held while the bucket is read for a catch-up

	subkeys sync.Map // purpose -> []byte, see Pseudonym

	stopWatch context.CancelFunc
	watcher   jetstream.KeyWatcher

	putPrefix string // subject prefix of the bucket's keys when it takes atomic batches (Prepare)
}

// Open opens (creating if needed) the key bucket and returns a Keyring over it. It watches
// the bucket so that an Erase by another process also evicts this process's cached key; call
// Close to stop watching.
func Open(ctx context.Context, js jetstream.JetStream, bucket string, master []byte, replicas int) (*Keyring, error) {
	if len(master) != keySize {
		return nil, fmt.Errorf("keys: master key has %d bytes, want %d", len(master), keySize)
	}
	if replicas < 1 {
		replicas = 1
	}
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      bucket,
		Description: "Werkstatt per-person data keys, wrapped with the master key",
		History:     1,
		Storage:     jetstream.FileStorage,
		Replicas:    replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("keys: bucket %s: %w", bucket, err)
	}
	k := &Keyring{js: js, kv: kv, master: append([]byte(nil), master...), cache: map[string]*dataKey{}}
	if k.wrap, err = newAEAD(k.subkey("wrap")); err != nil {
		return nil, err
	}
	if err := k.verifyMaster(ctx); err != nil {
		return nil, err
	}
	if err := k.watch(); err != nil {
		return nil, err
	}
	k.enableBatches(ctx, bucket)
	return k, nil
}

// watch evicts cached keys that any process deletes or purges.
func (k *Keyring) watch() error {
	ctx, cancel := context.WithCancel(context.Background())
	w, err := k.kv.WatchAll(ctx, jetstream.UpdatesOnly(), jetstream.MetaOnly())
	if err != nil {
		cancel()
		return fmt.Errorf("keys: watch bucket: %w", err)
	}
	k.stopWatch, k.watcher = cancel, w
	go func() {
		for e := range w.Updates() {
			if e != nil && e.Operation() != jetstream.KeyValuePut {
				k.evict(e.Key())
			}
		}
	}()
	return nil
}

// Close stops watching the bucket. Keys erased by other processes afterwards may stay
// readable from this Keyring's cache.
func (k *Keyring) Close() error {
	err := k.watcher.Stop()
	k.stopWatch()
	return err
}

// Seal encrypts plaintext under the data key of subject, creating the key on first use, and
// binds ad (additional data) to it: Open needs the same ad. The key is created race-free
// across processes: the first KV Create wins and the others read its key.
func (k *Keyring) Seal(ctx context.Context, subject string, plaintext, ad []byte) ([]byte, error) {
	dk, err := k.key(ctx, subject, true)
	if err != nil {
		return nil, err
	}
	return sealWith(dk, plaintext, ad)
}

// sealWith encrypts plaintext under dk: format, key id, nonce, ciphertext.
func sealWith(dk *dataKey, plaintext, ad []byte) ([]byte, error) {
	nonceSize := dk.aead.NonceSize()
	out := make([]byte, 1+idSize+nonceSize, 1+idSize+nonceSize+len(plaintext)+dk.aead.Overhead())
	out[0] = format
	copy(out[1:], dk.id[:])
	nonce := out[1+idSize:]
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("keys: nonce: %w", err)
	}
	return dk.aead.Seal(out, nonce, plaintext, ad), nil
}

// Open decrypts what Seal sealed for subject with the same ad. It returns ErrErased when the
// subject's key was erased (also when a new key was created since: the old one is gone).
func (k *Keyring) Open(ctx context.Context, subject string, sealed, ad []byte) ([]byte, error) {
	dk, err := k.key(ctx, subject, false)
	if err != nil {
		return nil, err
	}
	nonceSize := dk.aead.NonceSize()
	if len(sealed) < 1+idSize+nonceSize || sealed[0] != format {
		return nil, errors.New("keys: sealed value is malformed")
	}
	if !hmac.Equal(sealed[1:1+idSize], dk.id[:]) {
		return nil, ErrErased
	}
	plain, err := dk.aead.Open(nil, sealed[1+idSize:1+idSize+nonceSize], sealed[1+idSize+nonceSize:], ad)
	if err != nil {
		return nil, fmt.Errorf("keys: sealed value of %s does not authenticate: %w", subject, err)
	}
	return plain, nil
}

// Erase deletes subject's data key for good. Erasing a subject without a key is no error.
func (k *Keyring) Erase(ctx context.Context, subject string) error {
	if err := checkSubject(subject); err != nil {
		return err
	}
	k.evict(subject)
	if err := natsconn.Up(k.js.Conn()); err != nil {
		return err
	}
	// A key that is gone needs no purge: repairs (retention runs each hour, repeated requests)
	// erase again, and a purge writes a message each time.
	if _, err := k.kv.Get(ctx, subject); errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil
	}
	if err := k.kv.Purge(ctx, subject); err != nil {
		return natsconn.Classify(fmt.Errorf("keys: erase key of %s: %w", subject, err))
	}
	k.evict(subject) // a Seal running concurrently may have cached it again
	return nil
}

func (k *Keyring) evict(subject string) {
	k.mu.Lock()
	delete(k.cache, subject)
	k.forgetWrapped(subject)
	k.mu.Unlock()
}

func (k *Keyring) cached(subject string) *dataKey {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.cache[subject]
}

func (k *Keyring) remember(subject string, dk *dataKey) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.cache) >= maxCached {
		// Drop an arbitrary tenth: simple, and a miss only costs one KV read.
		n := maxCached / 10
		for s := range k.cache {
			delete(k.cache, s)
			if n--; n == 0 {
				break
			}
		}
	}
	k.cache[subject] = dk
}

// key returns subject's data key from the cache or the bucket; create makes one if missing.
func (k *Keyring) key(ctx context.Context, subject string, create bool) (*dataKey, error) {
	if dk := k.cached(subject); dk != nil {
		return dk, nil
	}
	if err := checkSubject(subject); err != nil {
		return nil, err
	}
	if wrapped, ok := k.wrappedKey(ctx, subject); ok {
		return k.unwrapAndCache(subject, wrapped)
	}
	if err := natsconn.Up(k.js.Conn()); err != nil {
		return nil, err
	}
	e, err := k.kv.Get(ctx, subject)
	switch {
	case err == nil:
		return k.unwrapAndCache(subject, e.Value())
	case !errors.Is(err, jetstream.ErrKeyNotFound):
		return nil, natsconn.Classify(fmt.Errorf("keys: read key of %s: %w", subject, err))
	case !create:
		return nil, ErrErased
	}
	return k.create(ctx, subject)
}

func (k *Keyring) create(ctx context.Context, subject string) (*dataKey, error) {
	raw := make([]byte, idSize+keySize)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("keys: new key: %w", err)
	}
	wrapped, err := k.wrapKey(subject, raw)
	if err != nil {
		return nil, err
	}
	if _, err := k.kv.Create(ctx, subject, wrapped); err != nil {
		if !errors.Is(err, jetstream.ErrKeyExists) {
			return nil, natsconn.Classify(fmt.Errorf("keys: store key of %s: %w", subject, err))
		}
		// Another Seal (here or in another process) created it first: use theirs.
		e, err := k.kv.Get(ctx, subject)
		if err != nil {
			return nil, natsconn.Classify(fmt.Errorf("keys: read key of %s: %w", subject, err))
		}
		return k.unwrapAndCache(subject, e.Value())
	}
	return k.toKeyAndCache(subject, raw)
}

// wrapKey seals raw (id and key) with the master wrap key, bound to the subject so that a
// wrapped key copied to another subject does not unwrap.
func (k *Keyring) wrapKey(subject string, raw []byte) ([]byte, error) {
	out := make([]byte, 1+k.wrap.NonceSize(), 1+k.wrap.NonceSize()+len(raw)+k.wrap.Overhead())
	out[0] = format
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, fmt.Errorf("keys: nonce: %w", err)
	}
	return k.wrap.Seal(out, out[1:], raw, []byte(subject)), nil
}

func (k *Keyring) unwrapAndCache(subject string, wrapped []byte) (*dataKey, error) {
	n := k.wrap.NonceSize()
	if len(wrapped) < 1+n || wrapped[0] != format {
		return nil, fmt.Errorf("keys: stored key of %s is malformed", subject)
	}
	raw, err := k.wrap.Open(nil, wrapped[1:1+n], wrapped[1+n:], []byte(subject))
	if err != nil || len(raw) != idSize+keySize {
		return nil, fmt.Errorf("keys: stored key of %s does not unwrap (wrong master key?)", subject)
	}
	return k.toKeyAndCache(subject, raw)
}

func (k *Keyring) toKeyAndCache(subject string, raw []byte) (*dataKey, error) {
	aead, err := newAEAD(raw[idSize:])
	if err != nil {
		return nil, err
	}
	dk := &dataKey{aead: aead}
	copy(dk.id[:], raw[:idSize])
	k.remember(subject, dk)
	return dk, nil
}

// Pseudonym returns a stable keyed hash of value (HMAC-SHA256 under a subkey derived from the
// master key for purpose), base64url without padding. The same value gives the same
// pseudonym for the same purpose and master key; without the master key it cannot be
// reversed by trying likely values (email addresses).
func (k *Keyring) Pseudonym(purpose, value string) string {
	m := hmac.New(sha256.New, k.subkey("pseudonym/"+purpose))
	m.Write([]byte(value))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// subkey derives a key for one purpose from the master key, so that no two uses share a key.
func (k *Keyring) subkey(purpose string) []byte {
	if v, ok := k.subkeys.Load(purpose); ok {
		return v.([]byte)
	}
	m := hmac.New(sha256.New, k.master)
	m.Write([]byte("werkstatt/keys/" + purpose))
	sk := m.Sum(nil)
	k.subkeys.Store(purpose, sk)
	return sk
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	return cipher.NewGCM(block)
}

// checkSubject rejects subjects that are not a valid KV key, before they reach the server.
func checkSubject(s string) error {
	if s == "" || len(s) > 256 || s == checkKey {
		return fmt.Errorf("keys: data subject %q is not a valid key", s)
	}
	for _, c := range s {
		ok := c == '-' || c == '_' || c == '=' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if !ok {
			return fmt.Errorf("keys: data subject %q is not a valid key", s)
		}
	}
	return nil
}
