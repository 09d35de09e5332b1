package password_test

import (
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys/password"
)

var cheap = password.Argon2id{Params: password.Params{Memory: 1024, Time: 1, Threads: 1}}

func TestHashAndVerify(t *testing.T) {
	t.Parallel()
	hash, err := cheap.Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Errorf("hash %q does not record its algorithm and costs", hash)
	}
	if !cheap.Verify(hash, "correct horse battery") {
		t.Error("the right password does not verify")
	}
	for _, wrong := range []string{"", "correct horse batter", "correct horse battery ", "Correct horse battery"} {
		if cheap.Verify(hash, wrong) {
			t.Errorf("%q verifies", wrong)
		}
	}
	again, _ := cheap.Hash("correct horse battery")
	if again == hash {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	// A hash made with other costs still verifies: they are read from it.
	if !(password.Argon2id{}).Verify(hash, "correct horse battery") {
		t.Error("a hash does not verify under the default costs")
	}
}

func TestDefaultCostsAreOWASPs(t *testing.T) {
	t.Parallel()
	hash, err := password.Argon2id{}.Hash("x")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("default hash %q, want m=19456,t=2,p=1", hash)
	}
}

func TestMalformedHashesMatchNothing(t *testing.T) {
	t.Parallel()
	good, _ := cheap.Hash("pw")
	parts := strings.Split(good, "$")
	cases := map[string]string{
		"empty":            "",
		"bcrypt":           "$2a$10$abcdefghijklmnopqrstuu5r6Lw3Q1lZ9O2u8b7qF3c2c1F0e9d8",
		"argon2i":          strings.Replace(good, "argon2id", "argon2i", 1),
		"other version":    strings.Replace(good, "v=19", "v=16", 1),
		"no salt":          strings.Join([]string{"", parts[1], parts[2], parts[3], "", parts[5]}, "$"),
		"bad base64":       strings.Join([]string{"", parts[1], parts[2], parts[3], "!!!", parts[5]}, "$"),
		"huge memory":      strings.Replace(good, "m=1024", "m=99999999", 1),
		"zero time":        strings.Replace(good, "t=1", "t=0", 1),
		"too many parts":   good + "$extra",
		"costs unreadable": strings.Replace(good, "m=1024,t=1,p=1", "m=x,t=1,p=1", 1),
	}
	for name, hash := range cases {
		if cheap.Verify(hash, "pw") {
			t.Errorf("%s: a malformed hash verified", name)
		}
	}
}
