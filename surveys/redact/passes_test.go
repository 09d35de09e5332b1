package redact

import (
	"reflect"
	"testing"
)

// TestLaterPassFoldsBack checks a case where replacing one thing changes
// how its neighbour reads: "@in" is a handle, and once it is "[name]" the
// "May" after it no longer follows "in" (a month) but a name. Redact must
// return the fixed point in one call, with offsets in the original text.
func TestLaterPassFoldsBack(t *testing.T) {
	t.Parallel()
	var r Redactor
	text := "ask @in May"
	out, reps := r.Redact(text)
	want := []Replacement{
		{Kind: KindName, Start: 4, End: 7, Original: "@in"},
		{Kind: KindName, Start: 8, End: 11, Original: "May"},
	}
	if out != "ask [name] [name]" || !reflect.DeepEqual(reps, want) {
		t.Errorf("got %q %+v", out, reps)
	}
}

func TestMapBack(t *testing.T) {
	t.Parallel()
	text := "call 07700900123 or Will x"
	spans := []span{{kind: KindPhone, start: 5, end: 16}}
	// out is "call [phone] or Will x"
	for _, tc := range []struct {
		found span
		want  span
	}{
		{span{kind: KindName, start: 16, end: 20}, span{kind: KindName, start: 20, end: 24}}, // "Will" after the placeholder
		{span{kind: KindName, start: 0, end: 4}, span{kind: KindName, start: 0, end: 4}},     // before it
		{span{kind: KindName, start: 7, end: 9}, span{kind: KindName, start: 5, end: 16}},    // inside it: widened
		{span{kind: KindName, start: 0, end: 7}, span{kind: KindName, start: 0, end: 16}},    // across its start
	} {
		got := mapBack(text, spans, []span{tc.found})
		if !reflect.DeepEqual(got, []span{tc.want}) {
			t.Errorf("mapBack(%+v) = %+v, want %+v", tc.found, got, tc.want)
		}
	}
	merged := merge(spans, []span{{kind: KindName, start: 0, end: 16}})
	if want := []span{{kind: KindName, start: 0, end: 16}}; !reflect.DeepEqual(merged, want) {
		t.Errorf("merge = %+v, want %+v", merged, want)
	}
}
