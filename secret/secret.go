// Package secret seals small pieces of data with AES-256-GCM, so that what
// a young person chose to tell about themselves (a name, how to reach them)
// is stored unreadable to anyone who reads the database without the key.
//
// A sealed value is a random 12-byte nonce followed by the ciphertext and
// its 16-byte tag. Each is sealed with associated data (the id of the record
// it belongs to), so a sealed value copied into another record does not
// open there.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// KeySize is the length of a key in bytes: AES-256.
const KeySize = 32

// Sizes of the parts of a sealed value.
const (
	NonceSize = 12 // GCM's standard nonce
	TagSize   = 16
	// Overhead is how much longer a sealed value is than what was sealed.
	Overhead = NonceSize + TagSize
)

// maxKeyFile bounds what is read of a key file: a key written out is at
// most 64 characters and a line break, so anything much longer is not one.
const maxKeyFile = 1 << 10

// ErrOpen is the error of a sealed value that does not open: the wrong key,
// a value changed since it was sealed, or one moved from another record.
// It says no more, because nothing more can be known.
var ErrOpen = errors.New("the sealed value does not open with this key and record")

// Box seals and opens values with one key. It is safe for concurrent use.
type Box struct {
	aead cipher.AEAD
}

// New returns a Box for a 32-byte key.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("a key must be %d bytes, not %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("make cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("make GCM: %w", err)
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts plaintext bound to associated (the record's id) under a
// fresh random nonce. With random 96-bit nonces, one key may seal some
// billions of values before a repeat becomes a concern: far beyond the
// requests a council receives.
func (b *Box) Seal(plaintext, associated []byte) ([]byte, error) {
	out := make([]byte, NonceSize, NonceSize+len(plaintext)+TagSize)
	if _, err := io.ReadFull(rand.Reader, out); err != nil {
		return nil, fmt.Errorf("make nonce: %w", err)
	}
	return b.aead.Seal(out, out[:NonceSize], plaintext, associated), nil
}

// Open decrypts a value Seal made with the same key and associated data,
// or fails with ErrOpen.
func (b *Box) Open(sealed, associated []byte) ([]byte, error) {
	if len(sealed) < Overhead {
		return nil, ErrOpen
	}
	plain, err := b.aead.Open(nil, sealed[:NonceSize], sealed[NonceSize:], associated)
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

// NewKey returns a fresh random key.
func NewKey() ([]byte, error) {
	key := make([]byte, KeySize)
	if _, err := io.ReadFull(rand.Reader, key); err != nil {
		return nil, fmt.Errorf("make key: %w", err)
	}
	return key, nil
}

// EncodeKey writes a key as a key file holds it: 64 hexadecimal
// characters and a line break.
func EncodeKey(key []byte) []byte { return []byte(hex.EncodeToString(key) + "\n") }

// ParseKey reads a key written as 64 hexadecimal characters, or as base64
// (standard alphabet, with or without padding), with at most one line
// break after it. Errors never quote the data: it may be a key with a typo.
func ParseKey(data []byte) ([]byte, error) {
	s := string(data)
	s = strings.TrimSuffix(s, "\n")
	s = strings.TrimSuffix(s, "\r")
	if s == "" {
		return nil, errors.New("it is empty; it must hold a key of 32 bytes as 64 hexadecimal characters or in base64")
	}
	if strings.ContainsAny(s, " \t\r\n") {
		return nil, errors.New("it holds spaces or more than one line; it must hold the key alone, on one line")
	}
	var key []byte
	if isHex(s) && len(s)%2 == 0 {
		// A base64 key of 32 bytes is 43 or 44 characters, and 44 end in
		// "=": it is never an even number of hexadecimal digits.
		key, _ = hex.DecodeString(s)
	} else {
		k, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			k, err = base64.RawStdEncoding.DecodeString(s)
		}
		switch {
		case err != nil && len(s) == 2*KeySize:
			return nil, errors.New("its 64 characters are not all hexadecimal (0-9, a-f)")
		case err != nil:
			return nil, fmt.Errorf("it is neither 64 hexadecimal characters nor base64 (it has %d characters)", len(s))
		}
		key = k
	}
	if len(key) != KeySize {
		return nil, fmt.Errorf("it holds a key of %d bytes; it must be %d bytes (64 hexadecimal characters, or 44 in base64)", len(key), KeySize)
	}
	// A key of zeros is a placeholder someone forgot to replace, never a
	// key made at random.
	if subtle.ConstantTimeCompare(key, make([]byte, KeySize)) == 1 {
		return nil, errors.New("it holds a key of only zeros; make a random key with \"heard contact-key new\"")
	}
	return key, nil
}

func isHex(s string) bool {
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F') {
			return false
		}
	}
	return true
}

// LoadKeyFile reads a key file (see ParseKey). loose reports that the file
// may be read or written by others than its owner (permissions wider than
// 0600), which the caller should warn about.
func LoadKeyFile(path string) (key []byte, loose bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, false, err
	}
	if !info.Mode().IsRegular() {
		return nil, false, errors.New("it is not a regular file")
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, false, fmt.Errorf("read it: %w", err)
	}
	if len(data) > maxKeyFile {
		return nil, false, fmt.Errorf("it is larger than %d bytes, too large to be a key", maxKeyFile)
	}
	if key, err = ParseKey(data); err != nil {
		return nil, false, err
	}
	return key, Loose(info.Mode()), nil
}

// Loose reports whether a key file's mode lets anyone but its owner read
// or write it.
func Loose(mode fs.FileMode) bool { return mode.Perm()&^0o600 != 0 }

// WriteKeyFile writes a fresh random key to a new file that only its owner
// may read (0600). It refuses to overwrite a file: overwriting a key in use
// would make everything sealed with it unreadable for ever.
func WriteKeyFile(path string) error {
	key, err := NewKey()
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(EncodeKey(key))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("write key: %w", err)
	}
	return nil
}
