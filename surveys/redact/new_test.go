package redact_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys/redact"
)

func entries(n int, length int) []string {
	list := make([]string, n)
	for i := range list {
		s := fmt.Sprintf("Place %d ", i)
		list[i] = s + strings.Repeat("x", max(length-len(s), 0))
	}
	return list
}

// TestNewLimits checks each limit at the limit and one past it, and that the
// error names the list and the entry.
func TestNewLimits(t *testing.T) {
	t.Parallel()
	lists := map[string]func(l []string) redact.Places{
		"schools": func(l []string) redact.Places { return redact.Places{Schools: l} },
		"places":  func(l []string) redact.Places { return redact.Places{Places: l} },
		"names":   func(l []string) redact.Places { return redact.Places{Names: l} },
	}
	tooLong := strings.Repeat("é", redact.MaxEntryLength+1)
	for name, places := range lists {
		cases := []struct {
			what      string
			list      []string
			wantIndex int // -1: the whole list; -2: no error
		}{
			{"at the most entries", entries(redact.MaxEntries, 10), -2},
			{"one entry too many", entries(redact.MaxEntries+1, 10), -1},
			{"entries at the longest", entries(3, redact.MaxEntryLength), -2},
			{"longest counted in characters", []string{strings.Repeat("é", redact.MaxEntryLength)}, -2},
			{"entry one character too long", []string{"Kirkby", tooLong}, 1},
			{"empty entry", []string{"Kirkby", "Huyton", ""}, 2},
			{"blank entry", []string{" \t "}, 0},
			{"entry with nothing to look for", []string{"Kirkby", "--"}, 1},
			{"no entries at all", nil, -2},
		}
		for _, tc := range cases {
			t.Run(name+"/"+tc.what, func(t *testing.T) {
				t.Parallel()
				r, err := redact.New(places(tc.list))
				if tc.wantIndex == -2 {
					if err != nil || r == nil {
						t.Fatalf("New: %v", err)
					}
					return
				}
				var le *redact.ListError
				if !errors.As(err, &le) {
					t.Fatalf("New: got %v, want a *ListError", err)
				}
				if le.List != name || le.Index != tc.wantIndex || r != nil {
					t.Errorf("got list %q entry %d (%v), want %q entry %d", le.List, le.Index, err, name, tc.wantIndex)
				}
				if !strings.Contains(err.Error(), name) {
					t.Errorf("message %q does not name the %s list", err, name)
				}
			})
		}
	}
}

func TestNewListsAreUsed(t *testing.T) {
	t.Parallel()
	r, err := redact.New(redact.Places{
		Schools: []string{"Saint Aidan's C of E Primary"},
		Places:  []string{"Northwood"},
		Names:   []string{"Mrs Okonkwo-Reid"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"st aidans c of e primary was ok": "[school] was ok",
		"St. Aidan's was ok":              "[school] was ok",
		"northwood is rough":              "[place] is rough",
		"NORTHWOOD'S park":                "[place]'S park",
		"mrs okonkwo-reid is nice":        "[name] is nice",
	} {
		if got, _ := r.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestZeroRedactor checks that the zero value works, with the built-in rules.
func TestZeroRedactor(t *testing.T) {
	t.Parallel()
	var r redact.Redactor
	got, reps := r.Redact("my sw Sarah, 07700 900123, Kirkby")
	if want := "my sw [name], [phone], Kirkby"; got != want || len(reps) != 2 {
		t.Errorf("got %q %+v, want %q", got, reps, want)
	}
}
