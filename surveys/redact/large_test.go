package redact_test

import (
	"strings"
	"testing"
	"time"
)

// TestRedactLargeInputs feeds a quarter of a megabyte of each shape that
// could make a rule rescan the text. Work that grew with the square of the
// length would take minutes here; linear work takes milliseconds.
func TestRedactLargeInputs(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("large inputs")
	}
	r := newCouncil(t)
	const size = 256 << 10
	for _, unit := range []string{
		"Sarah ", "Sarah-", "Sarah Jones ", "Mr ", "St ", "12 ", "0", "0 ", "07700 900123 ",
		"@", "a@", "a@b.", "[", "[name]", "\xff", "Will. ", "a", "Halewood ", "L36 ",
		"my sw Will said 12 Church Road L36 9YU jo@x.com ",
	} {
		text := strings.Repeat(unit, size/len(unit)) + "@x.com"
		start := time.Now()
		r.Redact(text)
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%d bytes of %q took %v", len(text), unit, d)
		}
	}
}
