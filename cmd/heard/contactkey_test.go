package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heard-app/heard/secret"
)

func TestContactKeyNew(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "contact.key")
	var stdout bytes.Buffer
	run := func(args ...string) error {
		stdout.Reset()
		return run(context.Background(), args, getenvFrom(nil), strings.NewReader(""), &stdout, &bytes.Buffer{})
	}
	if err := run("contact-key", "new", "--out", out); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(out)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v; want mode 0600", info, err)
	}
	key, loose, err := secret.LoadKeyFile(out)
	if err != nil || loose || len(key) != secret.KeySize {
		t.Fatalf("the new key: %d bytes, loose %v, %v", len(key), loose, err)
	}
	if strings.Contains(stdout.String(), string(secret.EncodeKey(key)[:16])) || !strings.Contains(stdout.String(), "HEARD_CONTACT_KEY_FILE="+out) {
		t.Errorf("the command says %q", stdout.String())
	}
	if err := run("contact-key", "new", "--out", out); err == nil {
		t.Error("a second run replaced the key")
	}
	if again, _, _ := secret.LoadKeyFile(out); !bytes.Equal(again, key) {
		t.Error("the key changed")
	}
	if err := run("contact-key", "new"); err == nil || !strings.Contains(err.Error(), "--out") {
		t.Errorf("without --out: %v", err)
	}
	// The variable may name the file it makes: it is read only by serve.
	other := filepath.Join(dir, "other.key")
	err = runWith(map[string]string{"HEARD_CONTACT_KEY_FILE": other}, "contact-key", "new", "--out", other)
	if err != nil {
		t.Errorf("with HEARD_CONTACT_KEY_FILE naming the new file: %v", err)
	}
}

func runWith(env map[string]string, args ...string) error {
	return run(context.Background(), args, getenvFrom(env), strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
}

func TestContactKeyFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	key := bytes.Repeat([]byte{0xab}, secret.KeySize)
	write := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil { // past the umask
			t.Fatal(err)
		}
		return p
	}
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))

	if s, err := contactSealer(&Config{}, log); s != nil || err != nil {
		t.Errorf("unset: %v, %v; want off", s, err)
	}
	for name, content := range map[string]string{
		"hex":    string(secret.EncodeKey(key)),
		"base64": base64.StdEncoding.EncodeToString(key) + "\n",
	} {
		s, err := contactSealer(&Config{ContactKeyFile: write(name, content, 0o600)}, log)
		if err != nil || s == nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if logs.Len() != 0 {
		t.Errorf("warnings for 0600 files: %s", logs.String())
	}
	if _, err := contactSealer(&Config{ContactKeyFile: write("loose", string(secret.EncodeKey(key)), 0o644)}, log); err != nil {
		t.Errorf("a 0644 file: %v; want a warning, not a refusal", err)
	}
	if !strings.Contains(logs.String(), "HEARD_CONTACT_KEY_FILE may be read by others") || strings.Contains(logs.String(), "abab") {
		t.Errorf("the warning: %s", logs.String())
	}

	secretWords := "hunter2 is my key"
	for name, path := range map[string]string{
		"missing":   filepath.Join(dir, "nothing"),
		"empty":     write("empty", "", 0o600),
		"not a key": write("words", secretWords+"\n", 0o600),
		"short":     write("short", strings.Repeat("ab", 16)+"\n", 0o600),
		"a folder":  dir,
		"zeros":     write("zeros", strings.Repeat("0", 64), 0o600),
		"two lines": write("two", string(secret.EncodeKey(key))+"\n", 0o600),
	} {
		// Through the command, as an operator sees it: serve stops before
		// it opens the database.
		err := runWith(map[string]string{"HEARD_CONTACT_KEY_FILE": path, "HEARD_DATA_DIR": filepath.Join(dir, "data")}, "serve")
		if err == nil || !strings.Contains(err.Error(), "HEARD_CONTACT_KEY_FILE") {
			t.Errorf("%s: %v, want an error naming HEARD_CONTACT_KEY_FILE", name, err)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "abab") {
			t.Errorf("%s: the error shows the file: %v", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "data")); err == nil {
		t.Error("serve opened the database before checking the key")
	}
}
