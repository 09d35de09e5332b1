// Package surveytest holds a small survey definition that tests across
// Heard share, so that they can assert exact figures about it.
package surveytest

import (
	_ "embed"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// Slug is the fixture survey's slug.
const Slug = "test-wellbeing"

//go:embed wellbeing.json
var wellbeing []byte

// JSON returns the fixture's definition file.
func JSON() []byte { return append([]byte(nil), wellbeing...) }

// Definition returns a fresh copy of the fixture survey:
//
//   - versions "8-11" and "11-18";
//   - area: single_choice breakdown (north, central, south);
//   - feel_safe: scale (always, sometimes, never);
//   - why_unsafe: multi_choice (school, home, online, out; at most 2), shown
//     only when feel_safe is sometimes or never;
//   - happy: rating 0-10;
//   - better: text, at most 200 characters;
//   - 11-18 only: talk_to, a required single_choice (yes, no), and
//     talk_who, text shown only when talk_to is yes.
func Definition(t testing.TB) *surveys.Definition {
	t.Helper()
	d, err := surveys.ParseDefinition(wellbeing)
	if err != nil {
		t.Fatalf("parse fixture survey: %v", err)
	}
	return d
}
