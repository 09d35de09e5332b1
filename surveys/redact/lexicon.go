package redact

import (
	_ "embed"
	"fmt"
	"strings"
)

// The name lists are data, kept in files beside the code so that they can
// be read and extended without reading Go; their headers say where they come
// from.
var (
	//go:embed names.txt
	namesFile string
	//go:embed ambiguous.txt
	ambiguousFile string
)

// flags narrow when a word in ambiguous.txt counts as a name; see its header.
type flags uint8

const (
	flagModal flags = 1 << iota
	flagTime
	flagPlace
	flagVerb
)

var flagNames = map[string]flags{"modal": flagModal, "time": flagTime, "place": flagPlace, "verb": flagVerb}

// lexicon is the parsed name data, keyed by normWord.
type lexicon struct {
	names     map[string]bool  // always a name, in any case
	ambiguous map[string]flags // a name only with a cue
}

// lex is parsed once at start-up and fails loudly: a broken data file is a
// programming error, caught by the package's tests before it can ship.
var lex = mustLexicon(namesFile, ambiguousFile)

func mustLexicon(names, ambiguous string) *lexicon {
	l, err := parseLexicon(names, ambiguous)
	if err != nil {
		panic(err)
	}
	return l
}

func parseLexicon(names, ambiguous string) (*lexicon, error) {
	l := &lexicon{names: map[string]bool{}, ambiguous: map[string]flags{}}
	for n, line := range strings.Split(ambiguous, "\n") {
		fields := strings.Fields(stripComment(line))
		if len(fields) == 0 {
			continue
		}
		var f flags
		for _, name := range fields[1:] {
			flag, ok := flagNames[name]
			if !ok {
				return nil, fmt.Errorf("ambiguous.txt line %d: unknown flag %q", n+1, name)
			}
			f |= flag
		}
		l.ambiguous[normWord(fields[0])] = f
	}
	for n, line := range strings.Split(names, "\n") {
		for _, name := range strings.Fields(stripComment(line)) {
			key := normWord(name)
			if _, ok := l.ambiguous[key]; ok {
				return nil, fmt.Errorf("names.txt line %d: %q is also in ambiguous.txt", n+1, name)
			}
			if len(tokenize(name)) != 1 {
				return nil, fmt.Errorf("names.txt line %d: %q is not one word", n+1, name)
			}
			l.names[key] = true
		}
	}
	return l, nil
}

func stripComment(line string) string {
	if i := strings.IndexByte(line, '#'); i >= 0 {
		return line[:i]
	}
	return line
}
