package surveys

import (
	"regexp"
	"sort"
)

// DefaultLanguage is the language every text must have; it is also what a
// young person sees when their language has no translation.
const DefaultLanguage = "en"

// languagePattern accepts lower-case language codes such as "en", "pl",
// "ar" and "pt-br". Heard does not need the whole of BCP 47.
var languagePattern = regexp.MustCompile(`^[a-z]{2,3}(-[a-z0-9]{2,8}){0,2}$`)

// ValidLanguage reports whether code is a language code Heard accepts.
func ValidLanguage(code string) bool {
	return len(code) <= MaxLanguageLength && languagePattern.MatchString(code)
}

// Text is something said in one or more languages, keyed by language code.
// English ("en") is required wherever a Text is.
type Text map[string]string

// In returns the text in lang, or in English when there is no translation.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	return t[DefaultLanguage]
}

// Languages returns the language codes of t, sorted.
func (t Text) Languages() []string {
	langs := make([]string, 0, len(t))
	for l := range t {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	return langs
}
