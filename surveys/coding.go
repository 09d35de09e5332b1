package surveys

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Limits on codebooks and coding.
const (
	MaxThemes        = 60   // themes in one codebook
	MaxThemeWords    = 400  // words and phrases of one theme, in all languages
	MaxThemeWordLen  = 60   // characters of one word or phrase
	MaxThemeExamples = 20   // examples of one theme
	MaxThemeNameLen  = 60   // characters of a theme's name
	MaxThemeDescLen  = 400  // characters of a theme's description
	MaxExampleLen    = 300  // characters of one example
	MaxCodedThemes   = 3    // themes the coder gives one voice, at most
	MaxCodeTextLen   = 4000 // characters of text the coder reads; the rest is ignored
)

// Sentiment is how a voice feels about what it talks of.
type Sentiment string

// Sentiments.
const (
	Positive Sentiment = "positive"
	Negative Sentiment = "negative"
	Mixed    Sentiment = "mixed"
	Neutral  Sentiment = "neutral"
)

// Sentiments lists every sentiment, in the order pages show them.
var Sentiments = []Sentiment{Positive, Mixed, Negative, Neutral}

// Valid reports whether s is one of the four sentiments.
func (s Sentiment) Valid() bool {
	return s == Positive || s == Negative || s == Mixed || s == Neutral
}

// RiskKind is a kind of worry a safeguarding lead must see.
type RiskKind string

// The kinds of risk the safeguarding detector looks for.
const (
	RiskAbuse         RiskKind = "abuse"
	RiskDomesticAbuse RiskKind = "domestic_abuse"
	RiskSelfHarm      RiskKind = "self_harm"
	RiskSuicide       RiskKind = "suicide"
	RiskExploitation  RiskKind = "exploitation"
	RiskMissing       RiskKind = "missing"
	RiskUnsafeHome    RiskKind = "unsafe_home"
	RiskNeglect       RiskKind = "neglect"
	RiskSubstance     RiskKind = "substance"
	RiskBullying      RiskKind = "bullying"
)

// RiskKinds lists every kind of risk.
var RiskKinds = []RiskKind{RiskAbuse, RiskDomesticAbuse, RiskSelfHarm, RiskSuicide, RiskExploitation,
	RiskMissing, RiskUnsafeHome, RiskNeglect, RiskSubstance, RiskBullying}

// ThemeMatch is one theme the coder found in a voice, with how sure it is
// (0 to 1) and the words of the text that led to it.
type ThemeMatch struct {
	Key      string
	Score    float64
	Evidence []string
}

// Risk is what the safeguarding detector found in a voice.
type Risk struct {
	Flag     bool
	Kinds    []RiskKind // sorted
	Evidence []string   // the words of the text that raised the flag
}

// Coding is the machine's reading of one voice. The same text, language
// and codebook always give the same Coding.
type Coding struct {
	Themes    []ThemeMatch // 0 to MaxCodedThemes, surest first
	Sentiment Sentiment
	Risk      Risk
	// Unread is true when the text is in a language the codebook has no
	// words for: a person must read it to code it.
	Unread   bool
	Codebook int // the version of the codebook used
}

// ThemeKeys returns the keys of the coded themes, in order.
func (c Coding) ThemeKeys() []string {
	keys := make([]string, len(c.Themes))
	for i, t := range c.Themes {
		keys[i] = t.Key
	}
	return keys
}

// Coder reads a voice's text and codes it.
type Coder interface {
	Code(text, lang string) Coding
}

// CoderFunc makes a function a Coder.
type CoderFunc func(text, lang string) Coding

// Code calls f.
func (f CoderFunc) Code(text, lang string) Coding { return f(text, lang) }

// Theme is one entry of the codebook.
type Theme struct {
	Key         string
	Name        string
	Description string
	// Words are the words and phrases that suggest the theme, by language
	// code ("en", "pl"...). A word ending in "*" matches any ending
	// ("bully*" matches "bullied" and "bullying").
	Words    map[string][]string
	Examples []string
}

// Codebook is the list of themes voices are coded to. Each saved change
// makes a new version, so that a report can say which one it used.
type Codebook struct {
	Version int
	Themes  []Theme
	Updated time.Time
	By      string // who saved this version
}

// Theme returns the theme with the key, or nil.
func (cb *Codebook) Theme(key string) *Theme {
	for i := range cb.Themes {
		if cb.Themes[i].Key == key {
			return &cb.Themes[i]
		}
	}
	return nil
}

// Languages returns the languages the codebook has words for.
func (cb *Codebook) Languages() map[string]bool {
	langs := map[string]bool{}
	for _, t := range cb.Themes {
		for l, words := range t.Words {
			if len(words) > 0 {
				langs[l] = true
			}
		}
	}
	return langs
}

var themeKeyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// Validate checks a codebook as an analyst saved it, with a message per
// field: keys unique and well formed, names given, and every limit kept.
func (cb *Codebook) Validate() error {
	errs := fieldErrors{}
	if len(cb.Themes) == 0 {
		errs.add("themes", "must have at least one theme")
	}
	if len(cb.Themes) > MaxThemes {
		errs.add("themes", fmt.Sprintf("has %d themes; the most is %d", len(cb.Themes), MaxThemes))
	}
	seen := map[string]bool{}
	for i, t := range cb.Themes {
		path := fmt.Sprintf("themes[%d]", i)
		switch {
		case !themeKeyPattern.MatchString(t.Key):
			errs.add(path+".key", "must be 2 to 40 lower-case letters, digits or _, starting with a letter")
		case seen[t.Key]:
			errs.add(path+".key", fmt.Sprintf("%q is used by another theme", t.Key))
		}
		seen[t.Key] = true
		if strings.TrimSpace(t.Name) == "" {
			errs.add(path+".name", "must not be empty")
		}
		checkLen(errs, path+".name", t.Name, MaxThemeNameLen)
		checkLen(errs, path+".description", t.Description, MaxThemeDescLen)
		n := 0
		for lang, words := range t.Words {
			if !ValidLanguage(lang) {
				errs.add(path+".words", fmt.Sprintf("%q is not a language code", lang))
			}
			for _, w := range words {
				n++
				if strings.TrimSpace(strings.TrimSuffix(w, "*")) == "" {
					errs.add(path+".words", "has an empty word")
				}
				checkLen(errs, path+".words", w, MaxThemeWordLen)
			}
		}
		if n > MaxThemeWords {
			errs.add(path+".words", fmt.Sprintf("has %d words and phrases; the most is %d", n, MaxThemeWords))
		}
		if len(t.Examples) > MaxThemeExamples {
			errs.add(path+".examples", fmt.Sprintf("has %d examples; the most is %d", len(t.Examples), MaxThemeExamples))
		}
		for _, e := range t.Examples {
			checkLen(errs, path+".examples", e, MaxExampleLen)
		}
	}
	return errs.err("The codebook has mistakes.")
}

func checkLen(errs fieldErrors, path, s string, max int) {
	if n := len([]rune(s)); n > max {
		errs.add(path, fmt.Sprintf("is %d characters long; the most is %d", n, max))
	}
}
