package templates_test

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/templates"
)

var slugs = []string{"care-leavers-2026", "cared-for-2026", "school-council-2026"}

func TestAllParse(t *testing.T) {
	t.Parallel()
	defs, err := templates.All()
	if err != nil {
		t.Fatalf("All: %v (%v)", err, surveys.ErrorFields(err))
	}
	var got []string
	for _, d := range defs {
		got = append(got, d.Slug)
	}
	if !slices.Equal(got, slugs) {
		t.Fatalf("All gives %v, want %v sorted by slug", got, slugs)
	}
}

func TestTemplates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		slug    string
		kind    surveys.Kind
		edition int
	}{
		{"cared-for-2026", surveys.KindAnnual, 2026},
		{"care-leavers-2026", surveys.KindAnnual, 2026},
		{"school-council-2026", surveys.KindSchoolCouncil, 2026},
	}
	for _, tt := range tests {
		t.Run(tt.slug, func(t *testing.T) {
			t.Parallel()
			raw, err := templates.Raw(tt.slug)
			if err != nil {
				t.Fatalf("Raw: %v", err)
			}
			d, err := surveys.ParseDefinition(raw)
			if err != nil {
				t.Fatalf("ParseDefinition: %v (%v)", err, surveys.ErrorFields(err))
			}
			if err := d.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if d.Slug != tt.slug || d.Kind != tt.kind || d.Edition != tt.edition {
				t.Errorf("slug, kind, edition = %q, %q, %d; want %q, %q, %d", d.Slug, d.Kind, d.Edition, tt.slug, tt.kind, tt.edition)
			}
			if strings.TrimSpace(d.Description.In("en")) == "" {
				t.Error("no description for the welcome page")
			}
			got, err := templates.Get(tt.slug)
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if len(got.Versions) != len(d.Versions) {
				t.Errorf("Get and Raw disagree")
			}
			for _, v := range d.Versions {
				for _, q := range v.Questions {
					if q.Section == "" {
						t.Errorf("%s/%s has no section", v.Key, q.Key)
					}
					if q.Required {
						t.Errorf("%s/%s is required; young people may skip anything", v.Key, q.Key)
					}
					if q.Type == surveys.Scale && !slices.ContainsFunc(q.Choices, func(c surveys.Choice) bool { return c.Favourable }) {
						t.Errorf("%s/%s is a scale with no favourable choice", v.Key, q.Key)
					}
				}
			}
		})
	}
}

func TestVersions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		slug, version  string
		minQ, maxQ     int
		minText        int
		minBreakdowns  int
		minConditions  int
		ageMin, ageMax int
	}{
		{"cared-for-2026", "4-7", 8, 12, 3, 0, 0, 4, 7},
		{"cared-for-2026", "8-11", 17, 23, 3, 1, 1, 8, 11},
		{"cared-for-2026", "11-18", 27, 34, 3, 1, 3, 11, 18},
		{"care-leavers-2026", "16-25", 22, 30, 3, 1, 2, 16, 25},
		{"school-council-2026", "pupils", 6, 10, 1, 1, 0, -1, -1},
	}
	for _, tt := range tests {
		t.Run(tt.slug+"/"+tt.version, func(t *testing.T) {
			t.Parallel()
			d, err := templates.Get(tt.slug)
			if err != nil {
				t.Fatal(err)
			}
			v := d.Version(tt.version)
			if v == nil {
				t.Fatalf("no version %q", tt.version)
			}
			if n := len(v.Questions); n < tt.minQ || n > tt.maxQ {
				t.Errorf("%d questions, want %d to %d", n, tt.minQ, tt.maxQ)
			}
			var texts, breakdowns, conditions int
			for _, q := range v.Questions {
				if q.Type == surveys.FreeText {
					texts++
				}
				if q.Breakdown {
					breakdowns++
				}
				if q.ShowIf != nil {
					conditions++
				}
			}
			if texts < tt.minText {
				t.Errorf("%d text questions, want at least %d", texts, tt.minText)
			}
			if breakdowns < tt.minBreakdowns || breakdowns > surveys.MaxBreakdowns {
				t.Errorf("%d breakdowns, want %d to %d", breakdowns, tt.minBreakdowns, surveys.MaxBreakdowns)
			}
			if conditions < tt.minConditions {
				t.Errorf("%d show_if conditions, want at least %d", conditions, tt.minConditions)
			}
			if tt.ageMin >= 0 {
				if v.AgeMin == nil || v.AgeMax == nil || *v.AgeMin != tt.ageMin || *v.AgeMax != tt.ageMax {
					t.Errorf("ages are not %d to %d", tt.ageMin, tt.ageMax)
				}
			}
		})
	}
}

// TestConditionOps checks that the templates between them use the show_if
// operators staff are most likely to copy.
func TestConditionOps(t *testing.T) {
	t.Parallel()
	d, err := templates.Get("cared-for-2026")
	if err != nil {
		t.Fatal(err)
	}
	used := map[surveys.Op]bool{}
	for _, q := range d.Version("11-18").Questions {
		if q.ShowIf == nil {
			continue
		}
		for _, r := range append(q.ShowIf.All, q.ShowIf.Any...) {
			used[r.Op] = true
		}
	}
	for _, op := range []surveys.Op{surveys.OpIn, surveys.OpEq, surveys.OpAnswered, surveys.OpLte} {
		if !used[op] {
			t.Errorf("11-18 uses no %q condition", op)
		}
	}
}

// TestSharedKeys checks that a question asked in several versions of the
// cared for survey keeps its type and its choice keys, so that results can
// be added up across versions and compared across years.
func TestSharedKeys(t *testing.T) {
	t.Parallel()
	d, err := templates.Get("cared-for-2026")
	if err != nil {
		t.Fatal(err)
	}
	type seen struct {
		version string
		q       surveys.Question
	}
	first := map[string]seen{}
	shared := 0
	for _, v := range d.Versions {
		for _, q := range v.Questions {
			f, ok := first[q.Key]
			if !ok {
				first[q.Key] = seen{v.Key, q}
				continue
			}
			shared++
			if f.q.Type != q.Type {
				t.Errorf("%s is %s in %s but %s in %s", q.Key, f.q.Type, f.version, q.Type, v.Key)
			}
			if a, b := choiceKeys(f.q), choiceKeys(q); !slices.Equal(a, b) {
				t.Errorf("%s has choices %v in %s but %v in %s", q.Key, a, f.version, b, v.Key)
			}
			if a, b := favourableKeys(f.q), favourableKeys(q); !slices.Equal(a, b) {
				t.Errorf("%s has favourable choices %v in %s but %v in %s", q.Key, a, f.version, b, v.Key)
			}
			if f.q.Breakdown != q.Breakdown {
				t.Errorf("%s is a breakdown in one version but not in another", q.Key)
			}
			if lo, hi := q.RatingRange(); q.Type == surveys.Rating {
				if flo, fhi := f.q.RatingRange(); flo != lo || fhi != hi {
					t.Errorf("%s has range %d-%d in %s but %d-%d in %s", q.Key, flo, fhi, f.version, lo, hi, v.Key)
				}
			}
		}
	}
	if shared < 15 {
		t.Errorf("only %d questions are shared between versions", shared)
	}
	for _, key := range []string{"trusted_adult", "know_social_worker", "feel_safe_home", "happy_yesterday", "good_text", "better_text", "anything_else"} {
		for _, v := range d.Versions {
			if v.Question(key) == nil {
				t.Errorf("version %s does not ask %s", v.Key, key)
			}
		}
	}
}

func choiceKeys(q surveys.Question) []string {
	var keys []string
	for _, c := range q.Choices {
		keys = append(keys, c.Key)
	}
	return keys
}

func favourableKeys(q surveys.Question) []string {
	var keys []string
	for _, c := range q.Choices {
		if c.Favourable {
			keys = append(keys, c.Key)
		}
	}
	return keys
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	for _, slug := range []string{"no-such-survey", "", "../templates", "files/cared-for-2026", "cared-for-2026.json"} {
		if _, err := templates.Get(slug); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("Get(%q): error %v, want code %s", slug, err, surveys.ENOTFOUND)
		}
		if _, err := templates.Raw(slug); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("Raw(%q): error %v, want code %s", slug, err, surveys.ENOTFOUND)
		}
	}
}

// TestGetCopies checks that changing one parsed template does not change
// the next.
func TestGetCopies(t *testing.T) {
	t.Parallel()
	a, err := templates.Get("school-council-2026")
	if err != nil {
		t.Fatal(err)
	}
	a.Versions[0].Questions[0].Text["en"] = "changed"
	b, err := templates.Get("school-council-2026")
	if err != nil {
		t.Fatal(err)
	}
	if b.Versions[0].Questions[0].Text["en"] == "changed" {
		t.Error("Get returned shared state")
	}
}

// TestNoLicensedWording guards against wording from licensed
// questionnaires creeping into the templates.
func TestNoLicensedWording(t *testing.T) {
	t.Parallel()
	for _, slug := range slugs {
		raw, err := templates.Raw(slug)
		if err != nil {
			t.Fatal(err)
		}
		lower := bytes.ToLower(raw)
		for _, s := range []string{"sdq", "strengths and difficulties", "bright spots", "no matter what"} {
			if bytes.Contains(lower, []byte(s)) {
				t.Errorf("%s contains %q", slug, s)
			}
		}
	}
}

// TestDocExample parses the first JSON block of docs/survey-format.md, so
// that the example staff copy from always works.
func TestDocExample(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../../docs/survey-format.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```json\n")
	if !ok {
		t.Fatal("docs/survey-format.md has no ```json block")
	}
	block, _, ok := strings.Cut(rest, "```")
	if !ok {
		t.Fatal("the first ```json block is not closed")
	}
	d, err := surveys.ParseDefinition([]byte(block))
	if err != nil {
		t.Fatalf("the example does not parse: %v (%v)", err, surveys.ErrorFields(err))
	}
	if len(d.Versions) < 2 {
		t.Errorf("the example has %d versions; it should show at least two", len(d.Versions))
	}
}
