package redact

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits on the council's lists. They keep New and Redact fast and catch a
// settings file pasted into the wrong box; real councils need far fewer.
const (
	MaxEntries     = 2000 // entries in each of Schools, Places and Names
	MaxEntryLength = 120  // characters in one entry
)

// ListError says which list, and which entry of it, New refused and why, in
// words for the person who edits the council's settings.
type ListError struct {
	List    string // "schools", "places" or "names"
	Index   int    // the entry, counting from 0; -1 when the whole list is at fault
	Problem string
}

func (e *ListError) Error() string {
	if e.Index < 0 {
		return fmt.Sprintf("the %s list %s", e.List, e.Problem)
	}
	return fmt.Sprintf("entry %d of the %s list %s", e.Index+1, e.List, e.Problem)
}

func validate(p Places) error {
	for _, l := range []struct {
		name    string
		entries []string
	}{{"schools", p.Schools}, {"places", p.Places}, {"names", p.Names}} {
		if err := validateList(l.name, l.entries); err != nil {
			return err
		}
	}
	return nil
}

func validateList(name string, entries []string) error {
	if len(entries) > MaxEntries {
		return &ListError{List: name, Index: -1,
			Problem: fmt.Sprintf("has %d entries; it can have at most %d", len(entries), MaxEntries)}
	}
	for i, e := range entries {
		if problem := entryProblem(e); problem != "" {
			return &ListError{List: name, Index: i, Problem: problem}
		}
	}
	return nil
}

func entryProblem(e string) string {
	if n := utf8.RuneCountInString(e); n > MaxEntryLength {
		return fmt.Sprintf("is %d characters long; it can be at most %d", n, MaxEntryLength)
	}
	if strings.TrimSpace(e) == "" {
		return "is empty"
	}
	for _, t := range tokenize(e) {
		if t.mark == "" {
			return ""
		}
	}
	return "has no letters or digits to look for"
}
