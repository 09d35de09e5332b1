package surveys_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/surveytest"
)

// batch is n responses to a version of a survey, all with the same answers
// (a JSON object as a device sends it).
type batch struct {
	version string
	n       int
	answers string
}

// editionResults computes the results of version v of d, with threshold 5,
// from the tallies of the batches' responses.
func editionResults(t *testing.T, d *surveys.Definition, v string, batches ...batch) *surveys.Results {
	t.Helper()
	s := &surveys.Survey{Definition: *d, Status: surveys.StatusClosed}
	var tallies []*surveys.Tally
	byVersion := map[string]*surveys.Tally{}
	for _, b := range batches {
		version := s.Version(b.version)
		answers, err := version.ParseAnswers(rawAnswers(t, b.answers))
		if err != nil {
			t.Fatalf("answers %s: %v\n%s", b.answers, err, formatFields(surveys.ErrorFields(err)))
		}
		tally := byVersion[b.version]
		if tally == nil {
			tally = surveys.NewTally(s.Slug, b.version)
			byVersion[b.version] = tally
			tallies = append(tallies, tally)
		}
		for range b.n {
			tally.Add(version, &surveys.Response{Survey: s.Slug, Edition: s.Edition, Version: b.version, Lang: "en", Answers: answers})
		}
	}
	res, err := surveys.ComputeResults(s, tallies, surveys.ResultsQuery{Version: v}, surveys.DefaultThreshold)
	if err != nil {
		t.Fatalf("ComputeResults: %v", err)
	}
	return res
}

// lastYear returns the fixture survey as it was the year before, in which
// 11-18:
//
//   - asked talk_to as a scale, so its type has changed since;
//   - did not ask talk_who;
//   - asked pocket (enough, not_enough), which has been dropped since;
//   - rated happy from 1 to 10, where it is now 0 to 10.
func lastYear(t *testing.T) *surveys.Definition {
	t.Helper()
	d := surveytest.Definition(t)
	d.Slug, d.Edition = "test-wellbeing-2025", 2025
	v := d.Version("11-18")
	v.Question("talk_to").Type = surveys.Scale
	v.Question("happy").Min = intp(1)
	v.Questions = slices.DeleteFunc(v.Questions, func(q surveys.Question) bool { return q.Key == "talk_who" })
	v.Questions = append(v.Questions, surveys.Question{Key: "pocket", Type: surveys.SingleChoice, Text: en("Do you get enough pocket money?"),
		Choices: choices("enough", "not_enough")})
	return d
}

// 20 responses last year: north 8 (40%), central 6 (30%), south 6 (30%).
var lastYearBatches = []batch{
	{"11-18", 8, `{"area":"north","feel_safe":"always","happy":8,"talk_to":"yes","pocket":"enough"}`},
	{"11-18", 6, `{"area":"central","feel_safe":"sometimes","why_unsafe":["school","online"],"happy":5,"talk_to":"no","pocket":"not_enough"}`},
	{"11-18", 6, `{"area":"south","feel_safe":"never","why_unsafe":["online"],"happy":3,"talk_to":"yes","pocket":"enough"}`},
}

// 200 responses this year: north 111 (55.5%), central 40 (20%), south 49 (24.5%).
var thisYearBatches = []batch{
	{"11-18", 111, `{"area":"north","feel_safe":"always","happy":8,"talk_to":"yes"}`},
	{"11-18", 40, `{"area":"central","feel_safe":"sometimes","why_unsafe":["school"],"happy":5,"talk_to":"no"}`},
	{"11-18", 49, `{"area":"south","feel_safe":"never","why_unsafe":["online","home"],"happy":0,"talk_to":"yes","talk_who":"Nan"}`},
}

// lastYearAgain are last year's answers given again this year, without
// pocket, which is no longer asked.
var lastYearAgain = []batch{
	{"11-18", 8, `{"area":"north","feel_safe":"always","happy":8,"talk_to":"yes"}`},
	{"11-18", 6, `{"area":"central","feel_safe":"sometimes","why_unsafe":["school","online"],"happy":5,"talk_to":"no"}`},
	{"11-18", 6, `{"area":"south","feel_safe":"never","why_unsafe":["online"],"happy":3,"talk_to":"yes"}`},
}

// noChange is a change with both sides suppressed.
const noChange = "- -"

// happyChanges returns the changes of the values 1 to 10 of happy (the
// values both years have), each noChange unless given.
func happyChanges(given map[int]string) map[string]string {
	out := map[string]string{}
	for n := 1; n <= 10; n++ {
		c, ok := given[n]
		if !ok {
			c = noChange
		}
		out[fmt.Sprintf("happy/%d", n)] = c
	}
	return out
}

// flatten writes a comparison as "question/choice" (or "question/median")
// -> "previous points", with "-" for nil and points signed.
func flatten(c *surveys.Comparison) map[string]string {
	out := map[string]string{}
	change := func(ch surveys.Change) string {
		prev, points := "-", "-"
		if ch.Previous != nil {
			prev = fmt.Sprintf("%g", *ch.Previous)
		}
		if ch.Points != nil {
			points = fmt.Sprintf("%+g", *ch.Points)
		}
		return prev + " " + points
	}
	for q, qc := range c.Questions {
		if len(qc.Choices) == 0 && qc.Median == nil {
			out[q] = "nothing"
		}
		for k, ch := range qc.Choices {
			out[q+"/"+k] = change(ch)
		}
		if qc.Median != nil {
			out[q+"/median"] = change(*qc.Median)
		}
	}
	return out
}

func TestCompareResults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		cur, prev  []batch
		want       map[string]string
		wantAlso   []map[string]string // merged into want
		wantAbsent []string            // question keys not compared
	}{
		{
			name: "movement, with cells suppressed on one side or both",
			cur:  thisYearBatches, prev: lastYearBatches,
			want: map[string]string{
				"area/north":   "40 +15.5",
				"area/central": "30 -10",
				"area/south":   "30 -5.5",

				"feel_safe/always":    "40 +15.5",
				"feel_safe/sometimes": "30 -10",
				"feel_safe/never":     "30 -5.5",

				// Last year 12 answered: school 6, online 12, home and out
				// none (hidden). This year 89: school 40, home 49, online
				// 49, out none; out alone hidden, so school (the smallest
				// shown) is hidden too.
				"why_unsafe/school": "50 -",
				"why_unsafe/home":   noChange,
				"why_unsafe/online": "100 -44.9",
				"why_unsafe/out":    noChange,

				// Last year 3 (6), 5 (6), 8 (8), median 5; this year 0
				// (49), 5 (40), 8 (111), median 8. 0 was not a value last
				// year.
				"happy/median": "5 +3",
			},
			wantAlso: []map[string]string{happyChanges(map[int]string{
				3: "30 -",
				5: "30 -10",
				8: "40 +15.5",
			})},
			wantAbsent: []string{"talk_to", "talk_who", "pocket", "better"},
		},
		{
			name: "no movement is zero points",
			cur:  lastYearAgain, prev: lastYearBatches,
			want: map[string]string{
				"area/north":          "40 +0",
				"area/central":        "30 +0",
				"area/south":          "30 +0",
				"feel_safe/always":    "40 +0",
				"feel_safe/sometimes": "30 +0",
				"feel_safe/never":     "30 +0",
				"why_unsafe/school":   "50 +0",
				"why_unsafe/home":     noChange,
				"why_unsafe/online":   "100 +0",
				"why_unsafe/out":      noChange,
				"happy/median":        "5 +0",
			},
			wantAlso: []map[string]string{happyChanges(map[int]string{
				3: "30 +0",
				5: "30 +0",
				8: "40 +0",
			})},
			wantAbsent: []string{"talk_to", "talk_who", "pocket", "better"},
		},
		{
			// 4 responses last year: everything then is suppressed, and so
			// is every movement, including the median's.
			name: "previous results suppressed whole",
			cur:  thisYearBatches, prev: []batch{{"11-18", 4, `{"area":"north","feel_safe":"always","happy":8,"talk_to":"yes"}`}},
			want: map[string]string{
				"area/north":          noChange,
				"area/central":        noChange,
				"area/south":          noChange,
				"feel_safe/always":    noChange,
				"feel_safe/sometimes": noChange,
				"feel_safe/never":     noChange,
				"why_unsafe/school":   noChange,
				"why_unsafe/home":     noChange,
				"why_unsafe/online":   noChange,
				"why_unsafe/out":      noChange,
			},
			wantAlso:   []map[string]string{happyChanges(nil)},
			wantAbsent: []string{"talk_to", "talk_who", "pocket", "better"},
		},
		{
			// This year why_unsafe has 3 answers: the question is suppressed,
			// while last year's figures are still given.
			name: "a question and cells suppressed this year",
			cur: []batch{
				{"11-18", 10, `{"area":"north","feel_safe":"always","happy":8,"talk_to":"yes"}`},
				{"11-18", 6, `{"area":"central","feel_safe":"always","happy":8,"talk_to":"yes"}`},
				{"11-18", 3, `{"area":"south","feel_safe":"always","happy":8,"talk_to":"yes"}`},
				{"11-18", 3, `{"area":"south","feel_safe":"never","why_unsafe":["online"],"happy":8,"talk_to":"yes"}`},
			},
			prev: lastYearBatches,
			want: map[string]string{
				// 22 answers: north 10 (45.5%), central 6 (27.3%), south 6.
				"area/north":   "40 +5.5",
				"area/central": "30 -2.7",
				"area/south":   "30 -2.7",
				// always 19, sometimes 0, never 3: the hidden cells add up
				// to 3, so always is hidden too.
				"feel_safe/always":    "40 -",
				"feel_safe/sometimes": "30 -",
				"feel_safe/never":     "30 -",
				"why_unsafe/school":   "50 -",
				"why_unsafe/home":     noChange,
				"why_unsafe/online":   "100 -",
				"why_unsafe/out":      noChange,
				// Every answer is 8: the median moved from 5 to 8.
				"happy/median": "5 +3",
			},
			wantAlso: []map[string]string{happyChanges(map[int]string{
				3: "30 -",
				5: "30 -",
				8: "40 +60",
			})},
			wantAbsent: []string{"talk_to", "talk_who", "pocket", "better"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cur := editionResults(t, surveytest.Definition(t), "11-18", tt.cur...)
			prev := editionResults(t, lastYear(t), "11-18", tt.prev...)
			c := surveys.CompareResults(cur, prev)
			if c == nil {
				t.Fatal("CompareResults returned nil")
			}
			if c.Previous != "test-wellbeing-2025" || c.PreviousEdition != 2025 {
				t.Errorf("previous = %q %d; want test-wellbeing-2025 2025", c.Previous, c.PreviousEdition)
			}
			want := maps.Clone(tt.want)
			for _, also := range tt.wantAlso {
				maps.Copy(want, also)
			}
			got := flatten(c)
			for _, k := range slices.Sorted(maps.Keys(want)) {
				if got[k] != want[k] {
					t.Errorf("%s = %q; want %q", k, got[k], want[k])
				}
			}
			for _, k := range slices.Sorted(maps.Keys(got)) {
				if _, ok := want[k]; !ok {
					t.Errorf("unexpected %s = %q", k, got[k])
				}
			}
			for _, q := range tt.wantAbsent {
				if _, ok := c.Questions[q]; ok {
					t.Errorf("question %q is compared", q)
				}
			}
		})
	}
}

func TestCompareResultsWithoutPrevious(t *testing.T) {
	t.Parallel()
	cur := editionResults(t, surveytest.Definition(t), "11-18", thisYearBatches...)
	if c := surveys.CompareResults(cur, nil); c != nil {
		t.Errorf("CompareResults(cur, nil) = %+v; want nil", c)
	}
	if c := surveys.CompareResults(nil, cur); c != nil {
		t.Errorf("CompareResults(nil, prev) = %+v; want nil", c)
	}
}

// TestCompareResultsJSON pins the wire shape of a comparison.
func TestCompareResultsJSON(t *testing.T) {
	t.Parallel()
	cur := editionResults(t, surveytest.Definition(t), "11-18", thisYearBatches...)
	prev := editionResults(t, lastYear(t), "11-18", lastYearBatches...)
	c := surveys.CompareResults(cur, prev)
	for k := range c.Questions {
		if k != "area" {
			delete(c.Questions, k)
		}
	}
	assertJSON(t, c, `{
	  "previous": "test-wellbeing-2025",
	  "previous_edition": 2025,
	  "questions": {
	    "area": {"choices": {
	      "central": {"previous": 30, "points": -10},
	      "north": {"previous": 40, "points": 15.5},
	      "south": {"previous": 30, "points": -5.5}}}
	  }
	}`)
}

// TestCompareResultsHonoursFlags checks that a figure marked suppressed at
// any level gives no movement, even if a percentage was left beside the
// flag.
func TestCompareResultsHonoursFlags(t *testing.T) {
	t.Parallel()
	pct := func(v float64) *float64 { return &v }
	results := func(whole, question, cell bool) *surveys.Results {
		return &surveys.Results{Survey: "s", Edition: 2026, Suppressed: whole, Questions: []surveys.QuestionResult{{
			Key: "q", Type: surveys.SingleChoice, Suppressed: question,
			Choices: []surveys.CellResult{{Key: "a", Percent: pct(60), Suppressed: cell}},
		}}}
	}
	shown := results(false, false, false)
	tests := []struct {
		name      string
		cur, prev *surveys.Results
		want      string
	}{
		{"both shown", shown, results(false, false, false), "60 +0"},
		{"current results suppressed", results(true, false, false), shown, "60 -"},
		{"current question suppressed", results(false, true, false), shown, "60 -"},
		{"current cell suppressed", results(false, false, true), shown, "60 -"},
		{"previous results suppressed", shown, results(true, false, false), "- -"},
		{"previous question suppressed", shown, results(false, true, false), "- -"},
		{"previous cell suppressed", shown, results(false, false, true), "- -"},
	}
	for _, tt := range tests {
		if got := flatten(surveys.CompareResults(tt.cur, tt.prev))["q/a"]; got != tt.want {
			t.Errorf("%s: q/a = %q; want %q", tt.name, got, tt.want)
		}
	}
}
