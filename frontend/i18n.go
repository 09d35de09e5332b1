package frontend

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/heard-app/heard/surveys"
)

// Languages the pages' own words are written in, in the order the
// language switcher shows them. Survey texts may have others; a page in one
// of these shows each survey text in its language, or else in English.
var languages = []string{"en", "pl", "ar"}

// rightToLeft are the languages written from right to left.
var rightToLeft = map[string]bool{"ar": true}

// pluralForms are the CLDR plural categories each language's messages
// with a number must give: English says "1 minute" and "2 minutes"; Polish
// "1 minuta", "2 minuty", "5 minut"; Arabic has six forms.
var pluralForms = map[string][]string{
	"en": {"one", "other"},
	"pl": {"one", "few", "many", "other"},
	"ar": {"zero", "one", "two", "few", "many", "other"},
}

// scriptPrefixes are the keys the page's script is given (in data-i18n):
// its own words, the problems it may show, how to write numbers, and the
// words of the access code box.
var scriptPrefixes = []string{"js.", "problem.", "number.", "code."}

// placeholder matches a named value in a message, such as {limit}.
var placeholder = regexp.MustCompile(`\{([a-z_]+)\}`)

// message is one translated message: its text by plural category. A
// message without a number has only "other".
type message map[string]string

// UnmarshalJSON reads a message written as a string, or as an object of
// plural forms.
func (m *message) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*m = message{"other": s}
		return nil
	}
	var forms map[string]string
	if err := json.Unmarshal(b, &forms); err != nil {
		return fmt.Errorf("a message must be a string or an object of plural forms")
	}
	*m = forms
	return nil
}

// locale is one language of the pages: its messages and how it is written.
type locale struct {
	Lang     string // "en", "pl" or "ar"
	Dir      string // "ltr" or "rtl"
	messages map[string]message
	script   string // the JSON of the messages the page's script needs
}

// loadLocales reads i18n/<lang>.json for every language.
func loadLocales(files fs.FS) (map[string]*locale, error) {
	out := make(map[string]*locale, len(languages))
	for _, lang := range languages {
		b, err := fs.ReadFile(files, "i18n/"+lang+".json")
		if err != nil {
			return nil, fmt.Errorf("frontend: read translations: %w", err)
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			return nil, fmt.Errorf("frontend: i18n/%s.json: %w", lang, err)
		}
		l := &locale{Lang: lang, Dir: "ltr", messages: make(map[string]message, len(raw))}
		if rightToLeft[lang] {
			l.Dir = "rtl"
		}
		forScript := map[string]json.RawMessage{}
		for key, v := range raw {
			var m message
			if err := json.Unmarshal(v, &m); err != nil {
				return nil, fmt.Errorf("frontend: i18n/%s.json: %q: %w", lang, key, err)
			}
			l.messages[key] = m
			for _, p := range scriptPrefixes {
				if strings.HasPrefix(key, p) {
					forScript[key] = v
				}
			}
		}
		js, err := json.Marshal(forScript) // map keys are sorted: the same bytes every start
		if err != nil {
			return nil, fmt.Errorf("frontend: i18n/%s.json: %w", lang, err)
		}
		l.script = string(js)
		out[lang] = l
	}
	return out, nil
}

// T returns the message key with its named values filled in. args are
// pairs of a name and a value, as in T("problem.too_many", "n", 2): an int
// is written as a number, and the value named "n" chooses the plural form.
// A missing key gives the key itself, which a test keeps from happening.
func (l *locale) T(key string, args ...any) string {
	m, ok := l.messages[key]
	if !ok {
		return key
	}
	values := make(map[string]string, len(args)/2)
	text := m["other"]
	for i := 0; i+1 < len(args); i += 2 {
		name, _ := args[i].(string)
		switch v := args[i+1].(type) {
		case int:
			values[name] = l.Number(v)
			if name == "n" {
				if s, ok := m[l.plural(v)]; ok {
					text = s
				}
			}
		default:
			values[name] = fmt.Sprint(v)
		}
	}
	return placeholder.ReplaceAllStringFunc(text, func(ph string) string {
		if v, ok := values[ph[1:len(ph)-1]]; ok {
			return v
		}
		return ph
	})
}

// plural returns the CLDR plural category of a whole number in l's
// language. The page's script asks Intl.PluralRules, which follows the same
// rules.
func (l *locale) plural(n int) string {
	abs := n
	if abs < 0 {
		abs = -abs
	}
	switch l.Lang {
	case "pl":
		switch {
		case abs == 1:
			return "one"
		case abs%10 >= 2 && abs%10 <= 4 && (abs%100 < 12 || abs%100 > 14):
			return "few"
		}
		return "many"
	case "ar":
		switch {
		case abs == 0:
			return "zero"
		case abs == 1:
			return "one"
		case abs == 2:
			return "two"
		case abs%100 >= 3 && abs%100 <= 10:
			return "few"
		case abs%100 >= 11:
			return "many"
		}
		return "other"
	}
	if abs == 1 {
		return "one"
	}
	return "other"
}

// Number writes n with the language's thousands separator (number.group)
// once it has at least number.group_min digits: "2,000" in English, "2000"
// and "10 000" in Polish. Digits are always 0-9, as on a phone's keypad.
// The page's script does the same with the same two messages.
func (l *locale) Number(n int) string {
	s := strconv.Itoa(n)
	digits := strings.TrimPrefix(s, "-")
	minDigits, err := strconv.Atoi(l.messages["number.group_min"]["other"])
	if err != nil || len(digits) < minDigits {
		return s
	}
	sep := l.messages["number.group"]["other"]
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if n < 0 {
		return "-" + b.String()
	}
	return b.String()
}

// Quote puts text in the language's quotation marks: "…", „…” or «…».
func (l *locale) Quote(text string) string {
	return l.T("list.quote_open") + strings.TrimSpace(text) + l.T("list.quote_close")
}

// Or joins items as the language does: "a", "a or b", "a, b or c".
func (l *locale) Or(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	head := strings.Join(items[:len(items)-1], l.T("list.separator"))
	return l.T("list.or", "a", head, "b", items[len(items)-1])
}

// Script is the JSON of the messages the page's script needs, for its
// data-i18n attribute.
func (l *locale) Script() string { return l.script }

// localText is a survey's text as shown in a page: in the page's
// language, or in English with Lang set ("en") when it has no translation,
// so that screen readers and read-aloud pronounce it as English.
type localText struct {
	Text string
	Lang string
}

// Text returns t in l's language, or in English, marked as such.
func (l *locale) Text(t surveys.Text) localText {
	if s := strings.TrimSpace(t[l.Lang]); s != "" {
		return localText{Text: s}
	}
	lt := localText{Text: strings.TrimSpace(t.In(surveys.DefaultLanguage))}
	if l.Lang != surveys.DefaultLanguage {
		lt.Lang = surveys.DefaultLanguage
	}
	return lt
}

// negotiate returns the best of the pages' languages for an
// Accept-Language header, or English.
func negotiate(header string) string {
	best, bestQ := surveys.DefaultLanguage, 0.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		if q > bestQ && slices.Contains(languages, base) {
			best, bestQ = base, q
		}
	}
	return best
}

// supported returns lang when the pages are written in it, else "".
func supported(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if slices.Contains(languages, lang) {
		return lang
	}
	return ""
}

// placeholders returns the sorted names of the values a message's forms
// use, for the test that keeps translations in step.
func (m message) placeholders() []string {
	seen := map[string]bool{}
	for _, text := range m {
		for _, match := range placeholder.FindAllStringSubmatch(text, -1) {
			seen[match[1]] = true
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
