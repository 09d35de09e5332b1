package surveys_test

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
)

// en returns an English-only text.
func en(s string) surveys.Text { return surveys.Text{"en": s} }

// intp returns a pointer to n.
func intp(n int) *int { return &n }

// choices returns choices with the given keys, labelled with the key.
func choices(keys ...string) []surveys.Choice {
	out := make([]surveys.Choice, len(keys))
	for i, k := range keys {
		out[i] = surveys.Choice{Key: k, Label: en(strings.ToUpper(k[:1]) + k[1:])}
	}
	return out
}

// rawAnswers decodes a JSON object of answers as a device sends it.
func rawAnswers(t testing.TB, object string) map[string]json.RawMessage {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(object), &raw); err != nil {
		t.Fatalf("decode answers %s: %v", object, err)
	}
	return raw
}

// assertFields checks that err is EINVALID and carries exactly the wanted
// field messages.
func assertFields(t testing.TB, err error, want map[string]string) {
	t.Helper()
	if code := surveys.ErrorCode(err); code != surveys.EINVALID {
		t.Fatalf("error code = %q (%v); want %q", code, err, surveys.EINVALID)
	}
	if got := surveys.ErrorFields(err); !maps.Equal(got, want) {
		t.Errorf("fields:\n%s\nwant:\n%s", formatFields(got), formatFields(want))
	}
}

func formatFields(fields map[string]string) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		b.WriteString("  " + k + ": " + fields[k] + "\n")
	}
	return b.String()
}

// clock is an injected time source that tests move by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock(t time.Time) *clock { return &clock{now: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// str, num, strs and nums make the value of a show_if rule.
func str(s string) surveys.Value { return surveys.Value{Strings: []string{s}, Set: true} }
func num(n int) surveys.Value    { return surveys.Value{Ints: []int{n}, Set: true} }
func strs(s ...string) surveys.Value {
	return surveys.Value{Strings: s, List: true, Set: true}
}
func nums(n ...int) surveys.Value { return surveys.Value{Ints: n, List: true, Set: true} }

// deepEqualJSON reports whether a and b, pointers to values, are deeply
// equal once every empty slice and map in them is taken as nil, as
// encoding/json's omitempty does. It changes both in that way.
func deepEqualJSON(a, b any) bool {
	dropEmpty(reflect.ValueOf(a))
	dropEmpty(reflect.ValueOf(b))
	return reflect.DeepEqual(a, b)
}

func dropEmpty(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			dropEmpty(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Field(i).CanSet() {
				dropEmpty(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.Len() == 0 {
			if v.CanSet() {
				v.SetZero()
			}
			return
		}
		for i := range v.Len() {
			dropEmpty(v.Index(i))
		}
	case reflect.Map:
		if v.Len() == 0 && v.CanSet() {
			v.SetZero()
		}
	}
}
