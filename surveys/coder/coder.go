// Package coder codes one voice (a free-text answer, idea or note written
// by a child or young person) to the themes of a codebook, a sentiment and
// a safeguarding risk. It is pure Go with no I/O: the lexicons are
// embedded data, compiled once.
//
// Young people write on phones: text-speak, misspellings, no punctuation,
// capitals, emoji, and UK and Liverpool slang ("me mum", "our kid", "boss",
// "skint"). Every text goes through one normaliser (normalise.go) before
// any lexicon reads it, so the codebook, the sentiment lexicon and the
// safeguarding patterns all see "dont" for "don't", "social worker" for
// "sw" and "so" for "soooo".
package coder

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/heard-app/heard/surveys"
)

// Coder codes voices with one version of a codebook. It is safe for use by
// many goroutines at once: nothing changes after New.
type Coder struct {
	version int
	keys    []string
	index   *phraseIndex
	langs   map[string]bool
}

var _ surveys.Coder = (*Coder)(nil)

// New compiles a codebook into a Coder. It fails only when the codebook
// does not validate. The Coder keeps no reference to cb: later edits need a
// new Coder, as they make a new codebook version.
func New(cb *surveys.Codebook) (*Coder, error) {
	if cb == nil {
		return nil, errors.New("compile codebook: no codebook")
	}
	if err := cb.Validate(); err != nil {
		return nil, fmt.Errorf("compile codebook version %d: %w", cb.Version, err)
	}
	c := &Coder{version: cb.Version, langs: cb.Languages()}
	var entries []entry
	for i, t := range cb.Themes {
		c.keys = append(c.keys, t.Key)
		langs := make([]string, 0, len(t.Words))
		for l := range t.Words {
			langs = append(langs, l)
		}
		slices.Sort(langs) // word order must not depend on map order
		for _, l := range langs {
			for _, w := range t.Words[l] {
				if strings.TrimSpace(strings.TrimRight(w, "*")) != "" {
					entries = append(entries, entry{text: w, payload: int32(i)})
				}
			}
		}
	}
	c.index = newPhraseIndex(sharedNormaliser(), entries, true)
	return c, nil
}

// Code codes one voice. The safeguarding detector runs first, on every
// text, whatever its language. lang is the survey's language: a hint, used
// when the text itself does not show its language clearly. A text in a
// language the codebook has no words for is marked Unread, with no themes
// and only a best-effort sentiment from the few words of other languages
// the sentiment lexicon knows.
func (c *Coder) Code(text, lang string) surveys.Coding {
	r := read(text)
	coding := surveys.Coding{Risk: detect(r), Codebook: c.version}
	coding.Sentiment = sharedSentiment().judge(r, coding.Risk.Flag)
	if !c.canRead(r, lang) {
		coding.Unread = true
		return coding
	}
	coding.Themes = c.themes(r, coding.Risk)
	return coding
}

// canRead reports whether the codebook has words for the text's language:
// the language the text shows, or else the survey's.
func (c *Coder) canRead(r reading, hint string) bool {
	lang := r.lang
	if lang == "" {
		lang = strings.ToLower(strings.TrimSpace(hint))
		if lang == "" {
			lang = surveys.DefaultLanguage
		}
	}
	if len(r.toks) == 0 || c.langs[lang] {
		return true
	}
	primary, _, _ := strings.Cut(lang, "-")
	return c.langs[primary]
}

// Compile is New as surveys.Themes wants it: a codebook made into the
// domain's Coder.
func Compile(cb *surveys.Codebook) (surveys.Coder, error) {
	c, err := New(cb)
	if err != nil {
		return nil, err
	}
	return c, nil
}
