package frontend

import (
	"encoding/json"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

func locales(t *testing.T) map[string]*locale {
	t.Helper()
	ls, err := loadLocales(files)
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

// Every language has every key, with the plural forms its grammar needs
// and the same named values as English.
func TestTranslationsComplete(t *testing.T) {
	t.Parallel()
	ls := locales(t)
	en := ls["en"]
	for _, lang := range languages {
		l := ls[lang]
		for key, m := range en.messages {
			other, ok := l.messages[key]
			if !ok {
				t.Errorf("%s.json lacks %q", lang, key)
				continue
			}
			if got, want := other.placeholders(), m.placeholders(); !slices.Equal(got, want) && key != "number.group" {
				t.Errorf("%s.json %q uses {%s}, English uses {%s}", lang, key, strings.Join(got, "}, {"), strings.Join(want, "}, {"))
			}
			if len(other) > 1 || len(m) > 1 {
				for _, form := range pluralForms[lang] {
					if other[form] == "" {
						t.Errorf("%s.json %q lacks the plural form %q", lang, key, form)
					}
				}
			}
			for form, text := range other {
				if !slices.Contains(pluralForms[lang], form) {
					t.Errorf("%s.json %q has a form %q that %s does not use", lang, key, form, lang)
				}
				if strings.TrimSpace(text) == "" && key != "number.group" {
					t.Errorf("%s.json %q is empty", lang, key)
				}
			}
		}
		for key := range l.messages {
			if _, ok := en.messages[key]; !ok {
				t.Errorf("%s.json has %q, which en.json lacks", lang, key)
			}
		}
	}
}

// Every key the templates and Go code ask for is translated, and every
// problem the domain can report.
func TestTranslationKeysUsedExist(t *testing.T) {
	t.Parallel()
	en := locales(t)["en"]
	used := map[string]bool{}
	inTemplate := regexp.MustCompile(`\.T "([a-z_.]+)"`)
	inGo := regexp.MustCompile(`\.T\("([a-z_.]+)"`)
	inJS := regexp.MustCompile(`\bt\('([a-z_.]+)'`)
	err := fs.WalkDir(files, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, path)
		if err != nil {
			return err
		}
		for _, re := range []*regexp.Regexp{inTemplate, inJS} {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				used[m[1]] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"pages.go", "handlers.go", "form.go", "condition.go", "codes.go", "i18n.go", "contact.go", "privacy.go"} {
		b, err := readSource(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range inGo.FindAllStringSubmatch(b, -1) {
			used[m[1]] = true
		}
	}
	if len(used) < 50 {
		t.Fatalf("found only %d keys in use; the patterns no longer match the code", len(used))
	}
	for key := range used {
		if strings.HasSuffix(key, ".") {
			continue // a prefix, completed in code: checked below
		}
		if _, ok := en.messages[key]; !ok {
			t.Errorf("%q is used but not in en.json", key)
		}
	}
	for _, code := range []string{surveys.ProblemUnknownQuestion, surveys.ProblemChooseOne, surveys.ProblemChooseFrom,
		surveys.ProblemTooMany, surveys.ProblemWholeNumber, surveys.ProblemText, surveys.ProblemTooLong,
		surveys.ProblemNotShown, surveys.ProblemRequired, surveys.ProblemCodeMissing, surveys.ProblemCodeUnknown,
		surveys.ProblemCodeUsed} {
		if _, ok := en.messages["problem."+code]; !ok {
			t.Errorf("the problem %q has no message", code)
		}
	}
	for _, key := range []string{"answered", "answered_multi", "not_answered", "not_answered_multi", "gte", "lte", "neq", "neq_rating", "neq_multi", "eq", "eq_multi"} {
		if _, ok := en.messages["rule."+key]; !ok {
			t.Errorf("rule.%s is missing", key)
		}
	}
	for _, status := range []string{"not_found", "conflict", "too_many", "too_large", "unavailable", "internal", "forbidden", "other"} {
		for _, part := range []string{"title", "message"} {
			if _, ok := en.messages["error."+status+"."+part]; !ok {
				t.Errorf("error.%s.%s is missing", status, part)
			}
		}
	}
}

// The English problems say exactly what the domain's messages say, so the
// pages and the API agree.
func TestEnglishProblemsMatchTheDomain(t *testing.T) {
	t.Parallel()
	en := locales(t)["en"]
	lo, hi := 0, 10
	for _, p := range []surveys.Problem{
		{Code: surveys.ProblemUnknownQuestion}, {Code: surveys.ProblemChooseOne}, {Code: surveys.ProblemChooseFrom},
		{Code: surveys.ProblemTooMany, Limit: 2}, {Code: surveys.ProblemWholeNumber, Min: &lo, Max: &hi},
		{Code: surveys.ProblemText}, {Code: surveys.ProblemTooLong, Limit: 2000, Length: 2050},
		{Code: surveys.ProblemNotShown}, {Code: surveys.ProblemRequired}, {Code: surveys.ProblemCodeMissing},
		{Code: surveys.ProblemCodeUnknown}, {Code: surveys.ProblemCodeUsed}, {Code: "something_new"},
	} {
		if got, want := problemWords(en, p), p.Message(); got != want {
			t.Errorf("%s: %q, the domain says %q", p.Code, got, want)
		}
	}
}

func TestPlural(t *testing.T) {
	t.Parallel()
	ls := locales(t)
	// From CLDR's plural rules, as Intl.PluralRules gives them.
	want := map[string]map[int]string{
		"en": {0: "other", 1: "one", 2: "other", 11: "other", 21: "other"},
		"pl": {0: "many", 1: "one", 2: "few", 4: "few", 5: "many", 12: "many", 14: "many", 22: "few", 25: "many", 102: "few", 112: "many"},
		"ar": {0: "zero", 1: "one", 2: "two", 3: "few", 10: "few", 11: "many", 99: "many", 100: "other", 102: "other", 103: "few", 111: "many", 1000: "other"},
	}
	for lang, cases := range want {
		for n, cat := range cases {
			if got := ls[lang].plural(n); got != cat {
				t.Errorf("%s plural(%d) = %q, want %q", lang, n, got, cat)
			}
		}
	}
	if got := ls["pl"].T("question.text_limit", "n", 2000); got != "Możesz napisać najwyżej 2000 znaków." {
		t.Errorf("pl text limit: %q", got)
	}
	if got := ls["pl"].T("js.chars_left", "n", 3); got != "Zostały Ci 3 znaki" {
		t.Errorf("pl 3 characters left: %q", got)
	}
	if got := ls["ar"].T("js.chars_left", "n", 2); got != "يتبقى حرفان" {
		t.Errorf("ar 2 characters left: %q", got)
	}
}

func TestNumber(t *testing.T) {
	t.Parallel()
	ls := locales(t)
	for _, tt := range []struct {
		lang string
		n    int
		want string
	}{
		{"en", 200, "200"}, {"en", 2000, "2,000"}, {"en", 10000, "10,000"}, {"en", -1234567, "-1,234,567"},
		{"pl", 2000, "2000"}, {"pl", 10000, "10\u00a0000"}, {"pl", 1234567, "1\u00a0234\u00a0567"},
		{"ar", 2000, "2,000"},
	} {
		if got := ls[tt.lang].Number(tt.n); got != tt.want {
			t.Errorf("%s Number(%d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

func TestNegotiate(t *testing.T) {
	t.Parallel()
	for header, want := range map[string]string{
		"":                          "en",
		"pl":                        "pl",
		"pl-PL,pl;q=0.9,en;q=0.8":   "pl",
		"ar-SA":                     "ar",
		"fr-FR,fr;q=0.9":            "en",
		"fr, pl;q=0.5, ar;q=0.7":    "ar",
		"en-GB,en;q=0.9,pl;q=0.95":  "en",
		"de;q=1, pl;q=0":            "en",
		"AR":                        "ar",
		"*":                         "en",
		"pl;q=nonsense, ar;q=0.1":   "ar",
		"en-US, ar;q=0.9, pl;q=0.8": "en",
	} {
		if got := negotiate(header); got != want {
			t.Errorf("negotiate(%q) = %q, want %q", header, got, want)
		}
	}
}

// The page's script gets exactly the messages it may need, in its language.
func TestScriptMessages(t *testing.T) {
	t.Parallel()
	for lang, l := range locales(t) {
		var got map[string]json.RawMessage
		if err := json.Unmarshal([]byte(l.Script()), &got); err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		for key := range l.messages {
			_, sent := got[key]
			want := strings.HasPrefix(key, "js.") || strings.HasPrefix(key, "problem.") || strings.HasPrefix(key, "number.") || strings.HasPrefix(key, "code.")
			if sent != want {
				t.Errorf("%s: %q sent to the script: %v, want %v", lang, key, sent, want)
			}
		}
	}
}

func readSource(name string) (string, error) {
	b, err := os.ReadFile(name)
	return string(b), err
}
