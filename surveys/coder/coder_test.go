package coder

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// newDefault returns a Coder for the default codebook.
func newDefault(t testing.TB) *Coder {
	t.Helper()
	c, err := New(DefaultCodebook())
	if err != nil {
		t.Fatalf("New(DefaultCodebook()): %v", err)
	}
	return c
}

func TestCodeSlangNegationAndMisspelling(t *testing.T) {
	t.Parallel()
	c := newDefault(t)
	tests := []struct {
		text      string
		theme     string              // a theme that must be coded, or ""
		sentiment []surveys.Sentiment // any of these
	}{
		{"me social worker is boss", "social_workers", []surveys.Sentiment{surveys.Positive}},
		{"my sw is sound", "social_workers", []surveys.Sentiment{surveys.Positive}},
		{"im skint", "money", []surveys.Sentiment{surveys.Negative}},
		{"not bad tbh", "", []surveys.Sentiment{surveys.Positive, surveys.Mixed}},
		{"she never listens", "having_a_say", []surveys.Sentiment{surveys.Negative}},
		{"no one listens to me", "having_a_say", []surveys.Sentiment{surveys.Negative}},
		{"our kid", "family_friends", nil},
		{"i see our kid on sundays", "family_friends", nil},
		{"the buses r always late", "transport", []surveys.Sentiment{surveys.Negative}},
		{"I LOVE MY FOSTER CARERS ❤️", "home_placement", []surveys.Sentiment{surveys.Positive}},
		{"i dont feel safe", "safety", []surveys.Sentiment{surveys.Negative}},
		{"i feel safe here", "safety", []surveys.Sentiment{surveys.Positive}},
		{"not happy at all", "", []surveys.Sentiment{surveys.Negative}},
		{"the youth club is dead good", "activities", []surveys.Sentiment{surveys.Positive}},
		{"school is dead boring", "education", []surveys.Sentiment{surveys.Negative}},
		{"gutted i cant see me mum", "family_friends", []surveys.Sentiment{surveys.Negative}},
		{"my teecher is sooo nice", "education", []surveys.Sentiment{surveys.Positive}},
		{"my freinds are mint", "family_friends", []surveys.Sentiment{surveys.Positive}},
		{"the wifi is shocking 😭", "digital", []surveys.Sentiment{surveys.Negative}},
		{"my carers are nice but the rules are too strict", "home_placement", []surveys.Sentiment{surveys.Mixed}},
		{"dunno", "", []surveys.Sentiment{surveys.Neutral}},
		{"nowt", "", []surveys.Sentiment{surveys.Neutral}},
		{"Y5 want more time on the iPads", "digital", []surveys.Sentiment{surveys.Neutral}},
		{"got bullied at school", "safety", []surveys.Sentiment{surveys.Negative}},
		{"i need help with budgeting and paying bills", "independence", nil},
		{"the landlord wont fix the damp in my flat", "housing", []surveys.Sentiment{surveys.Negative}},
		{"didnt know about the leaving care grant", "local_offer", nil},
		{"the park is full of litter", "environment", []surveys.Sentiment{surveys.Negative}},
		{"cant get to the dentist", "physical_health", nil},
		{"i want to know my life story", "identity", nil},
		{"want to do an apprenticeship", "careers", nil},
		{"moja szkoła jest super", "education", []surveys.Sentiment{surveys.Positive}},
		{"a free gym pass would be sound", "activities", []surveys.Sentiment{surveys.Neutral}},
		{"I used to be scared but not anymore", "", []surveys.Sentiment{surveys.Positive}},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			t.Parallel()
			got := c.Code(tc.text, "en")
			if tc.theme != "" && !slices.Contains(got.ThemeKeys(), tc.theme) {
				t.Errorf("themes = %v, want %s among them", got.ThemeKeys(), tc.theme)
			}
			if tc.sentiment != nil && !slices.Contains(tc.sentiment, got.Sentiment) {
				t.Errorf("sentiment = %s, want one of %v", got.Sentiment, tc.sentiment)
			}
			checkCoding(t, c, tc.text, got)
		})
	}
}

// checkCoding checks what every Coding must be, whatever the text.
func checkCoding(t testing.TB, c *Coder, text string, got surveys.Coding) {
	t.Helper()
	if len(got.Themes) > surveys.MaxCodedThemes {
		t.Errorf("%d themes, want at most %d", len(got.Themes), surveys.MaxCodedThemes)
	}
	for i, m := range got.Themes {
		if !slices.Contains(c.keys, m.Key) {
			t.Errorf("theme %q is not in the codebook", m.Key)
		}
		if m.Score <= 0 || m.Score > 1 {
			t.Errorf("theme %s score %v, want (0,1]", m.Key, m.Score)
		}
		if i > 0 && m.Score > got.Themes[i-1].Score {
			t.Errorf("themes not surest first: %v", got.Themes)
		}
		if len(m.Evidence) == 0 {
			t.Errorf("theme %s has no evidence", m.Key)
		}
		for _, e := range m.Evidence {
			if e == "" || !strings.Contains(strings.ToValidUTF8(text, " "), e) {
				t.Errorf("theme %s evidence %q is not words of the text", m.Key, e)
			}
		}
	}
	if !got.Sentiment.Valid() {
		t.Errorf("sentiment %q is not valid", got.Sentiment)
	}
	if got.Unread && len(got.Themes) > 0 {
		t.Errorf("unread voice has themes %v", got.ThemeKeys())
	}
	if got.Codebook != c.version {
		t.Errorf("codebook version %d, want %d", got.Codebook, c.version)
	}
	checkRisk(t, text, got.Risk)
}

func TestCodeEvidenceIsOriginalText(t *testing.T) {
	t.Parallel()
	c := newDefault(t)
	got := c.Code("Me SW is BOSS, she sorted me Bus Pass!!", "en")
	want := map[string][]string{"social_workers": {"SW"}, "transport": {"Bus Pass"}}
	for _, m := range got.Themes {
		if w, ok := want[m.Key]; ok && !reflect.DeepEqual(m.Evidence, w) {
			t.Errorf("%s evidence = %q, want %q", m.Key, m.Evidence, w)
		}
	}
	if keys := got.ThemeKeys(); !slices.Contains(keys, "social_workers") || !slices.Contains(keys, "transport") {
		t.Errorf("themes = %v, want social_workers and transport", keys)
	}
}

func TestCodeUnread(t *testing.T) {
	t.Parallel()
	c := newDefault(t)
	tests := []struct {
		name, text, lang string
		unread           bool
	}{
		{"arabic", "أنا سعيد في المدرسة وأحب أصدقائي", "en", true},
		{"sorani", "من حەز لە قوتابخانەکەم دەکەم", "en", true},
		{"welsh", "Dwi ddim yn hoffi'r ysgol o gwbl", "en", true},
		{"romanian", "Îmi place școala și am prieteni buni", "en", true},
		{"russian", "Мне нравится моя школа", "en", true},
		{"polish has codebook words", "Lubię moją szkołę i nauczycieli", "en", false},
		{"polish without diacritics", "lubie moja szkole", "pl", false},
		{"english", "i like my school", "en", false},
		{"english in a welsh survey", "the buses are always late", "cy", false},
		{"unclear text in a welsh survey", "👍", "cy", true},
		{"unclear text in an english survey", "👍", "en", false},
		{"empty", "", "cy", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := c.Code(tc.text, tc.lang)
			if got.Unread != tc.unread {
				t.Errorf("Code(%q, %q).Unread = %v, want %v", tc.text, tc.lang, got.Unread, tc.unread)
			}
			checkCoding(t, c, tc.text, got)
		})
	}
	if got := c.Code("Lubię moją szkołę i nauczycieli", "en"); !slices.Contains(got.ThemeKeys(), "education") {
		t.Errorf("Polish voice themes = %v, want education", got.ThemeKeys())
	}
}

func TestCodeUnreadStillFlags(t *testing.T) {
	t.Parallel()
	c := newDefault(t)
	got := c.Code("أريد أن أموت", "ar")
	if !got.Unread || !got.Risk.Flag || !slices.Contains(got.Risk.Kinds, surveys.RiskSuicide) {
		t.Errorf("Code(Arabic 'I want to die') = unread %v, risk %+v; want unread and a suicide flag", got.Unread, got.Risk)
	}
}

func TestCodeWithEditedCodebook(t *testing.T) {
	t.Parallel()
	cb := DefaultCodebook()
	cb.Version = 7
	cb.Themes = append(cb.Themes, surveys.Theme{
		Key:         "food",
		Name:        "Food",
		Description: "What we eat.",
		Words:       map[string][]string{"en": {"chippy", "sunday dinner", "sandwich*"}, "cy": {"bwyd"}},
	})
	c, err := New(cb)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ text, want string }{
		{"the chippy on fridays is the best", "food"},
		{"my carer makes a proper Sunday Dinner", "food"},
		{"sandwiches again for lunch", "food"},
		{"the chippies round here are mint", "food"},
	}
	for _, tc := range tests {
		got := c.Code(tc.text, "en")
		if !slices.Contains(got.ThemeKeys(), tc.want) {
			t.Errorf("Code(%q) themes = %v, want %s", tc.text, got.ThemeKeys(), tc.want)
		}
		if got.Codebook != 7 {
			t.Errorf("Code(%q).Codebook = %d, want 7", tc.text, got.Codebook)
		}
	}
	// The new theme brought Welsh words, so Welsh is now read.
	if got := c.Code("dwi'n hoffi bwyd", "cy"); got.Unread || !slices.Contains(got.ThemeKeys(), "food") {
		t.Errorf("Welsh voice: unread %v themes %v, want read with food", got.Unread, got.ThemeKeys())
	}
	// The default coder knows nothing of food.
	if got := newDefault(t).Code("the chippy on fridays", "en"); slices.Contains(got.ThemeKeys(), "food") {
		t.Errorf("default codebook coded food")
	}
}

func TestCodeStemsAndInflections(t *testing.T) {
	t.Parallel()
	cb := &surveys.Codebook{Version: 2, Themes: []surveys.Theme{
		{Key: "pets", Name: "Pets", Words: map[string][]string{"en": {"hamster*", "pony", "dog walking"}}},
	}}
	c, err := New(cb)
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"my hamsters", "hamster", "the ponies", "i do dog walking", "dogs walking"} {
		if got := c.Code(text, "en"); !slices.Contains(got.ThemeKeys(), "pets") {
			t.Errorf("Code(%q) themes = %v, want pets", text, got.ThemeKeys())
		}
	}
	for _, text := range []string{"ham", "walking", "pon"} {
		if got := c.Code(text, "en"); len(got.Themes) > 0 {
			t.Errorf("Code(%q) themes = %v, want none", text, got.ThemeKeys())
		}
	}
}

func TestNewRejectsInvalidCodebook(t *testing.T) {
	t.Parallel()
	tests := map[string]*surveys.Codebook{
		"nil":           nil,
		"no themes":     {Version: 1},
		"bad key":       {Version: 1, Themes: []surveys.Theme{{Key: "Bad Key", Name: "x"}}},
		"duplicate key": {Version: 1, Themes: []surveys.Theme{{Key: "aa", Name: "a"}, {Key: "aa", Name: "b"}}},
		"bad language":  {Version: 1, Themes: []surveys.Theme{{Key: "aa", Name: "a", Words: map[string][]string{"English": {"x"}}}}},
		"empty word":    {Version: 1, Themes: []surveys.Theme{{Key: "aa", Name: "a", Words: map[string][]string{"en": {"*"}}}}},
	}
	for name, cb := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := New(cb)
			if err == nil || c != nil {
				t.Fatalf("New = %v, %v; want an error", c, err)
			}
			if cb != nil {
				var e *surveys.Error
				if !errors.As(err, &e) || e.Code != surveys.EINVALID {
					t.Errorf("error %v does not wrap an EINVALID surveys.Error", err)
				}
			}
		})
	}
}

func TestCodeIsDeterministic(t *testing.T) {
	t.Parallel()
	a, b := newDefault(t), newDefault(t)
	texts := []string{
		"my sw is boss but the buses r always late and im skint 😭",
		"i dont feel safe at home, he hits me and i want to die",
		"MADE residential was mint!!! we did climbing n swimming n had tea at the park",
		"tęsknię za mamą",
		strings.Repeat("school bus money phone park ", 300),
	}
	for _, text := range texts {
		first := a.Code(text, "en")
		for i := 0; i < 20; i++ {
			if got := a.Code(text, "en"); !reflect.DeepEqual(got, first) {
				t.Fatalf("run %d of Code(%.30q) = %+v, first was %+v", i, text, got, first)
			}
		}
		if got := b.Code(text, "en"); !reflect.DeepEqual(got, first) {
			t.Errorf("second Coder: Code(%.30q) = %+v, first Coder %+v", text, got, first)
		}
	}
}

func TestCodeIgnoresTextPastTheLimit(t *testing.T) {
	t.Parallel()
	c := newDefault(t)
	long := strings.Repeat("a ", surveys.MaxCodeTextLen/2) + "i want to die and my social worker"
	got := c.Code(long, "en")
	if got.Risk.Flag || len(got.Themes) > 0 {
		t.Errorf("text past %d characters was read: %+v", surveys.MaxCodeTextLen, got)
	}
}

func TestDefaultCodebook(t *testing.T) {
	t.Parallel()
	cb := DefaultCodebook()
	if err := cb.Validate(); err != nil {
		t.Fatalf("default codebook does not validate: %v", err)
	}
	if cb.Version != 1 {
		t.Errorf("version %d, want 1", cb.Version)
	}
	want := []string{"education", "careers", "activities", "transport", "home_placement", "family_friends",
		"social_workers", "having_a_say", "mental_health", "physical_health", "safety", "identity",
		"independence", "money", "housing", "local_offer", "environment", "digital"}
	var keys []string
	for _, th := range cb.Themes {
		keys = append(keys, th.Key)
		if th.Name == "" || th.Description == "" {
			t.Errorf("%s: name or description missing", th.Key)
		}
		if n := len(th.Examples); n < 2 || n > 4 {
			t.Errorf("%s: %d examples, want 2 to 4", th.Key, n)
		}
		if len(th.Words["en"]) == 0 {
			t.Errorf("%s: no English words", th.Key)
		}
	}
	if !slices.Equal(keys, want) {
		t.Errorf("keys = %v, want %v", keys, want)
	}
	if !cb.Languages()["pl"] {
		t.Errorf("default codebook has no Polish words")
	}
	// Each call is a fresh copy.
	cb.Themes[0].Words["en"][0] = "changed"
	if DefaultCodebook().Themes[0].Words["en"][0] == "changed" {
		t.Errorf("DefaultCodebook shares its data between calls")
	}
}

// TestDefaultCodebookExamplesCode checks that each theme's examples are
// coded to it: the examples document what the words are for.
func TestDefaultCodebookExamplesCode(t *testing.T) {
	t.Parallel()
	c := newDefault(t)
	for _, th := range DefaultCodebook().Themes {
		for _, ex := range th.Examples {
			if got := c.Code(ex, "en"); !slices.Contains(got.ThemeKeys(), th.Key) {
				t.Errorf("%s example %q coded %v", th.Key, ex, got.ThemeKeys())
			}
		}
	}
}

var _ surveys.Coder = (*Coder)(nil)
