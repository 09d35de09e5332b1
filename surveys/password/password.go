// Package password hashes staff passwords with argon2id, the memory-hard
// function OWASP recommends, and checks them in constant time.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"

	"github.com/heard-app/heard/surveys"
)

// Params are argon2id's costs. Default follows OWASP's password storage
// guidance (19 MiB of memory, two passes, one lane): a sign-in costs tens of
// milliseconds, and a stolen hash costs an attacker as much per guess.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// Default are the costs used for new hashes.
var Default = Params{Memory: 19 * 1024, Time: 2, Threads: 1}

const (
	saltLength = 16
	keyLength  = 32
)

// Argon2id implements surveys.Passwords.
type Argon2id struct {
	Params Params
}

var _ surveys.Passwords = Argon2id{}

// Hash returns the password's hash in the usual encoded form
// ($argon2id$v=19$m=...,t=...,p=...$salt$key), which records the costs so
// that they can be raised later without breaking existing hashes.
func (a Argon2id) Hash(password string) (string, error) {
	p := a.Params
	if p.Memory == 0 {
		p = Default
	}
	salt := make([]byte, saltLength)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("read salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, keyLength)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// Verify reports whether password matches hash. A malformed hash matches
// nothing.
func (a Argon2id) Verify(hash, password string) bool {
	p, salt, key, err := decode(hash)
	if err != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

// Limits on the costs a stored hash may ask for, so that a tampered hash
// cannot make a sign-in take all the memory of the machine.
const (
	maxMemory  = 1 << 20 // KiB: 1 GiB
	maxTime    = 10
	maxKeySize = 64
)

var errMalformed = errors.New("malformed argon2id hash")

func decode(hash string) (Params, []byte, []byte, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return Params{}, nil, nil, errMalformed
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return Params{}, nil, nil, errMalformed
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return Params{}, nil, nil, errMalformed
	}
	if p.Memory == 0 || p.Memory > maxMemory || p.Time == 0 || p.Time > maxTime || p.Threads == 0 {
		return Params{}, nil, nil, errMalformed
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil || len(salt) == 0 {
		return Params{}, nil, nil, errMalformed
	}
	key, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(key) == 0 || len(key) > maxKeySize {
		return Params{}, nil, nil, errMalformed
	}
	return p, salt, key, nil
}
