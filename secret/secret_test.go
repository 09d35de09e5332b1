package secret_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heard-app/heard/secret"
)

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, secret.KeySize) }

func newBox(t *testing.T, key []byte) *secret.Box {
	t.Helper()
	b, err := secret.New(key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSealOpen(t *testing.T) {
	t.Parallel()
	box := newBox(t, testKey(1))
	plain := []byte(`{"name":"Jamie","reach":"07700 900123"}`)
	id := []byte("c0ffee")

	sealed, err := box.Seal(plain, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(sealed) != len(plain)+secret.Overhead {
		t.Errorf("sealed %d bytes, want %d", len(sealed), len(plain)+secret.Overhead)
	}
	if bytes.Contains(sealed, []byte("Jamie")) {
		t.Error("the sealed value holds the plain text")
	}
	got, err := box.Open(sealed, id)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("open: %q, %v", got, err)
	}
	again, err := box.Seal(plain, id)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(again[:secret.NonceSize], sealed[:secret.NonceSize]) || bytes.Equal(again, sealed) {
		t.Error("two seals of the same value share a nonce")
	}

	tampered := func(i int) []byte {
		b := bytes.Clone(sealed)
		b[i] ^= 1
		return b
	}
	refused := []struct {
		name   string
		box    *secret.Box
		sealed []byte
		id     []byte
	}{
		{"the wrong key", newBox(t, testKey(2)), sealed, id},
		{"a changed nonce", box, tampered(0), id},
		{"a changed ciphertext", box, tampered(secret.NonceSize + 3), id},
		{"a changed tag", box, tampered(len(sealed) - 1), id},
		{"moved to another record", box, sealed, []byte("c0ffef")},
		{"no record", box, sealed, nil},
		{"cut short", box, sealed[:len(sealed)-1], id},
		{"shorter than a nonce and tag", box, sealed[:secret.Overhead-1], id},
		{"empty", box, nil, id},
	}
	for _, tc := range refused {
		if got, err := tc.box.Open(tc.sealed, tc.id); !errors.Is(err, secret.ErrOpen) || got != nil {
			t.Errorf("%s: opened %q (%v), want ErrOpen", tc.name, got, err)
		}
	}
}

func TestNewRefusesShortKeys(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 16, 24, 31, 33} {
		if _, err := secret.New(make([]byte, n)); err == nil {
			t.Errorf("a key of %d bytes was taken", n)
		}
	}
}

func TestParseKey(t *testing.T) {
	t.Parallel()
	key := make([]byte, secret.KeySize)
	for i := range key {
		key[i] = byte(i*7 + 1)
	}
	hexKey := hex.EncodeToString(key)
	b64 := base64.StdEncoding.EncodeToString(key)
	good := []struct{ name, data string }{
		{"hex", hexKey},
		{"hex in capitals", strings.ToUpper(hexKey)},
		{"hex and a line break", hexKey + "\n"},
		{"hex and a Windows line break", hexKey + "\r\n"},
		{"base64", b64},
		{"base64 and a line break", b64 + "\n"},
		{"base64 without padding", strings.TrimRight(b64, "=")},
		{"as EncodeKey writes it", string(secret.EncodeKey(key))},
	}
	for _, tc := range good {
		got, err := secret.ParseKey([]byte(tc.data))
		if err != nil || !bytes.Equal(got, key) {
			t.Errorf("%s: %x, %v", tc.name, got, err)
		}
	}
	bad := []struct{ name, data, want string }{
		{"empty", "", "empty"},
		{"a line break alone", "\n", "empty"},
		{"hex too short", hexKey[:62], "32 bytes"},
		{"hex of 16 bytes", hexKey[:32], "16 bytes"},
		{"hex with a letter past f", hexKey[:63] + "g", "hexadecimal"},
		{"base64 of 31 bytes", base64.StdEncoding.EncodeToString(key[:31]), "31 bytes"},
		{"base64 of 48 bytes", base64.StdEncoding.EncodeToString(append(bytes.Clone(key), key[:16]...)), "48 bytes"},
		{"two line breaks", hexKey + "\n\n", "one line"},
		{"a space after", hexKey + " ", "spaces"},
		{"two keys", hexKey + "\n" + hexKey, "one line"},
		{"a passphrase", "correct horse battery staple", "spaces"},
		{"not base64", strings.Repeat("!", 44), "neither"},
		{"zeros", strings.Repeat("0", 64), "zeros"},
	}
	for _, tc := range bad {
		_, err := secret.ParseKey([]byte(tc.data))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error saying %q", tc.name, err, tc.want)
			continue
		}
		if len(tc.data) > 8 && strings.Contains(err.Error(), strings.TrimSpace(tc.data)[:8]) {
			t.Errorf("%s: the error quotes the file: %v", tc.name, err)
		}
	}
}

func TestKeyFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "contact.key")
	if err := secret.WriteKeyFile(path); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("the new key file: %v, %v; want mode 0600", info, err)
	}
	key, loose, err := secret.LoadKeyFile(path)
	if err != nil || loose || len(key) != secret.KeySize {
		t.Fatalf("load: %d bytes, loose %v, %v", len(key), loose, err)
	}
	if err := secret.WriteKeyFile(path); err == nil {
		t.Error("a second write replaced the key")
	}
	if again, _, _ := secret.LoadKeyFile(path); !bytes.Equal(again, key) {
		t.Error("the key changed")
	}
	other := filepath.Join(dir, "other.key")
	if err := secret.WriteKeyFile(other); err != nil {
		t.Fatal(err)
	}
	if k2, _, _ := secret.LoadKeyFile(other); bytes.Equal(k2, key) {
		t.Error("two new keys are the same")
	}

	// Readable by the group: loaded, with a warning for the caller.
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	if _, loose, err := secret.LoadKeyFile(path); err != nil || !loose {
		t.Errorf("a 0640 file: loose %v, %v; want loaded and loose", loose, err)
	}
	for mode, want := range map[os.FileMode]bool{0o600: false, 0o400: false, 0o644: true, 0o660: true, 0o604: true, 0o700: true} {
		if got := secret.Loose(mode); got != want {
			t.Errorf("Loose(%o) = %v, want %v", mode, got, want)
		}
	}

	refused := map[string]string{
		"missing":   filepath.Join(dir, "nothing"),
		"directory": dir,
	}
	big := filepath.Join(dir, "big")
	if err := os.WriteFile(big, bytes.Repeat([]byte("a"), 2000), 0o600); err != nil {
		t.Fatal(err)
	}
	refused["too large"] = big
	bad := filepath.Join(dir, "bad")
	if err := os.WriteFile(bad, []byte("my secret words\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	refused["not a key"] = bad
	for name, p := range refused {
		if _, _, err := secret.LoadKeyFile(p); err == nil {
			t.Errorf("%s: loaded", name)
		} else if strings.Contains(err.Error(), "secret words") {
			t.Errorf("%s: the error quotes the file: %v", name, err)
		}
	}
}
