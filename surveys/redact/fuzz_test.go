package redact_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/heard-app/heard/surveys/redact"
)

var placeholder = map[string]string{
	redact.KindName: "[name]", redact.KindPhone: "[phone]", redact.KindEmail: "[email]",
	redact.KindPostcode: "[postcode]", redact.KindAddress: "[address]",
	redact.KindSchool: "[school]", redact.KindPlace: "[place]",
}

// FuzzRedact checks the promises Redact makes on any input: no panic;
// replacements in order, inside the text, not overlapping, each quoting the
// text it replaced; the output is the text with exactly those replacements;
// and redacting the output again finds nothing.
func FuzzRedact(f *testing.F) {
	for _, tc := range hardCases {
		f.Add(tc.in)
	}
	for _, s := range []string{
		"\xff\xfe\xfd", "Sarah\xffJones", "S\xcc\x81arah said", "İSTANBUL Will said",
		"محمد قال مرحبا", "Ахмед сказал", "👍🏽 Will 👍🏽 said", "[name", "[[name]]", "[name]]said",
		"@@@@", "a@b@c.com@d", "+44+44+447700900123", "0000000000000000000000",
		"07700 900123 07700 900123", "(0151)(0151) 443 2600", "Mr", "Mr.", "Mr [name]",
		"flat", "no.", "12", "12 Road", "St", "st.", "St Mary's's's", "L36 9YU9YU",
		"Sarah-Sarah-Sarah-Sarah Jones Jones Jones", "called called called Will",
		"Will. Will! Will? Will\nWill", "MAY SAID WILL SAID", "ǅemal said hi", "ﬁona",
		strings.Repeat("Sarah ", 50), strings.Repeat("0", 40) + "7700900123",
	} {
		f.Add(s)
	}
	r, err := redact.New(council)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		out, reps := r.Redact(text)
		checkReplacements(t, text, out, reps)
		again, more := r.Redact(out)
		if again != out || len(more) != 0 {
			t.Fatalf("not idempotent:\n in %q\nout %q\nagain %q\nmore %+v", text, out, again, more)
		}
	})
}

func checkReplacements(t *testing.T, text, out string, reps []redact.Replacement) {
	t.Helper()
	var b strings.Builder
	at := 0
	for i, rep := range reps {
		if rep.Start < at || rep.End <= rep.Start || rep.End > len(text) {
			t.Fatalf("replacement %d %+v out of order or range (previous end %d, len %d)", i, rep, at, len(text))
		}
		if text[rep.Start:rep.End] != rep.Original {
			t.Fatalf("replacement %d %+v does not quote the text %q", i, rep, text[rep.Start:rep.End])
		}
		p, ok := placeholder[rep.Kind]
		if !ok {
			t.Fatalf("replacement %d has unknown kind %q", i, rep.Kind)
		}
		b.WriteString(text[at:rep.Start])
		b.WriteString(p)
		at = rep.End
	}
	b.WriteString(text[at:])
	if b.String() != out {
		t.Fatalf("output %q is not the text with its replacements %q", out, b.String())
	}
	if utf8.ValidString(text) && !utf8.ValidString(out) {
		t.Fatalf("valid UTF-8 %q became invalid %q", text, out)
	}
}
