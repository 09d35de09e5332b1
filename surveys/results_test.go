package surveys_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/surveytest"
)

// group is n responses to a version of the fixture survey, all with the
// same answers (a JSON object as a device sends it).
type group struct {
	version string
	n       int
	answers string
}

// fixtureTallies returns the fixture survey and the tallies of the groups'
// responses, one per version with responses, counted by Tally.Add.
func fixtureTallies(t *testing.T, groups ...group) (*surveys.Survey, []*surveys.Tally) {
	t.Helper()
	s := &surveys.Survey{Definition: *surveytest.Definition(t), Status: surveys.StatusOpen}
	byVersion := map[string]*surveys.Tally{}
	for _, g := range groups {
		v := s.Version(g.version)
		answers, err := v.ParseAnswers(rawAnswers(t, g.answers))
		if err != nil {
			t.Fatalf("answers %s: %v\n%s", g.answers, err, formatFields(surveys.ErrorFields(err)))
		}
		tally := byVersion[g.version]
		if tally == nil {
			tally = surveys.NewTally(s.Slug, g.version)
			byVersion[g.version] = tally
		}
		for range g.n {
			tally.Add(v, &surveys.Response{Survey: s.Slug, Edition: s.Edition, Version: g.version, Lang: "en", Answers: answers})
		}
	}
	var tallies []*surveys.Tally
	for _, v := range s.Versions {
		if tally := byVersion[v.Key]; tally != nil {
			tallies = append(tallies, tally)
		}
	}
	return s, tallies
}

// mainGroups are 32 responses: 20 to 8-11 and 12 to 11-18.
var mainGroups = []group{
	{"8-11", 10, `{"area":"north","feel_safe":"always","happy":8}`},
	{"8-11", 7, `{"area":"central","feel_safe":"sometimes","why_unsafe":["school","online"],"happy":5}`},
	{"8-11", 3, `{"area":"south","feel_safe":"never","why_unsafe":["online"],"happy":2,"better":"More trips out"}`},
	{"11-18", 6, `{"area":"north","feel_safe":"always","happy":9,"talk_to":"yes","talk_who":"My foster carer"}`},
	{"11-18", 6, `{"area":"south","feel_safe":"sometimes","why_unsafe":["home"],"happy":5,"talk_to":"no","better":"Someone to talk to"}`},
}

// remainderGroups are 26 responses to 8-11, 2 of whom skipped area.
var remainderGroups = []group{
	{"8-11", 10, `{"area":"north"}`},
	{"8-11", 8, `{"area":"central"}`},
	{"8-11", 6, `{"area":"south"}`},
	{"8-11", 2, `{"feel_safe":"always"}`},
}

// Bits of the JSON of results.
const hid = `"count":null,"percent":null,"suppressed":true`

func shown(count int, percent string) string {
	return fmt.Sprintf(`"count":%d,"percent":%s`, count, percent)
}

// choiceCells returns the JSON of choice cells, each given as key=cell.
func choiceCells(cells ...string) string {
	out := make([]string, len(cells))
	for i, c := range cells {
		key, cell, _ := strings.Cut(c, "=")
		out[i] = fmt.Sprintf(`{"key":%q,%s}`, key, cell)
	}
	return "[" + strings.Join(out, ",") + "]"
}

// happyCells returns the JSON of the distribution of the 0-10 rating
// "happy", in which only the given values are shown.
func happyCells(shownCells map[int]string) string {
	out := make([]string, 0, 11)
	for n := 0; n <= 10; n++ {
		cell, ok := shownCells[n]
		if !ok {
			cell = hid
		}
		out = append(out, fmt.Sprintf(`{"value":%d,%s}`, n, cell))
	}
	return "[" + strings.Join(out, ",") + "]"
}

// suppressedQuestions are the JSON of every fixture question with every
// figure suppressed.
var suppressedQuestions = map[string]string{
	"area":       `{"key":"area","type":"single_choice","answered":null,"suppressed":true,"choices":` + choiceCells("north="+hid, "central="+hid, "south="+hid) + `}`,
	"feel_safe":  `{"key":"feel_safe","type":"scale","answered":null,"suppressed":true,"choices":` + choiceCells("always="+hid, "sometimes="+hid, "never="+hid) + `}`,
	"why_unsafe": `{"key":"why_unsafe","type":"multi_choice","answered":null,"suppressed":true,"choices":` + choiceCells("school="+hid, "home="+hid, "online="+hid, "out="+hid) + `}`,
	"happy":      `{"key":"happy","type":"rating","answered":null,"suppressed":true,"distribution":` + happyCells(nil) + `}`,
	"better":     `{"key":"better","type":"text","answered":null,"suppressed":true}`,
	"talk_to":    `{"key":"talk_to","type":"single_choice","answered":null,"suppressed":true,"choices":` + choiceCells("yes="+hid, "no="+hid) + `}`,
	"talk_who":   `{"key":"talk_who","type":"text","answered":null,"suppressed":true}`,
}

var (
	order811  = []string{"area", "feel_safe", "why_unsafe", "happy", "better"}
	order1118 = []string{"area", "feel_safe", "why_unsafe", "happy", "talk_to", "talk_who", "better"}
	orderAll  = []string{"area", "feel_safe", "why_unsafe", "happy", "better", "talk_to", "talk_who"}
)

func TestComputeResults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		groups         []group
		query          surveys.ResultsQuery
		wantResponses  string // JSON: a number or null
		wantSuppressed bool
		wantOrder      []string
		want           map[string]string // question key -> its JSON; every question when suppressed
	}{
		{
			name:   "one version",
			groups: mainGroups, query: surveys.ResultsQuery{Version: "8-11"},
			wantResponses: "20", wantOrder: order811,
			want: map[string]string{
				// north 10, central 7, south 3: south is below 5, and central,
				// the smallest shown, goes with it so that south cannot be
				// worked out as 20 - 10 - 7.
				"area": `{"key":"area","type":"single_choice","answered":20,"choices":` +
					choiceCells("north="+shown(10, "50"), "central="+hid, "south="+hid) + `}`,
				"feel_safe": `{"key":"feel_safe","type":"scale","answered":20,"choices":` +
					choiceCells("always="+shown(10, "50"), "sometimes="+hid, "never="+hid) + `}`,
				// 10 answered: school 7, online 10; home and out are 0, and two
				// hidden cells are enough for a multi_choice question.
				"why_unsafe": `{"key":"why_unsafe","type":"multi_choice","answered":10,"choices":` +
					choiceCells("school="+shown(7, "70"), "home="+hid, "online="+shown(10, "100"), "out="+hid) + `}`,
				// 2 (3 times), 5 (7), 8 (10): 2 and the zeros are hidden, and
				// they add up to 3, so 5 is hidden too. The median of 20 is
				// the mean of the 10th (5) and 11th (8).
				"happy":  `{"key":"happy","type":"rating","answered":20,"distribution":` + happyCells(map[int]string{8: shown(10, "50")}) + `,"median":6.5}`,
				"better": suppressedQuestions["better"], // 3 answered
			},
		},
		{
			name:   "the other version",
			groups: mainGroups, query: surveys.ResultsQuery{Version: "11-18"},
			wantResponses: "12", wantOrder: order1118,
			want: map[string]string{
				// central is 0; north and south tie at 6 and the first is hidden.
				"area": `{"key":"area","type":"single_choice","answered":12,"choices":` +
					choiceCells("north="+hid, "central="+hid, "south="+shown(6, "50")) + `}`,
				"feel_safe": `{"key":"feel_safe","type":"scale","answered":12,"choices":` +
					choiceCells("always="+hid, "sometimes="+shown(6, "50"), "never="+hid) + `}`,
				"why_unsafe": `{"key":"why_unsafe","type":"multi_choice","answered":6,"choices":` +
					choiceCells("school="+hid, "home="+shown(6, "100"), "online="+hid, "out="+hid) + `}`,
				// 5 (6 times) and 9 (6): the median is (5+9)/2.
				"happy": `{"key":"happy","type":"rating","answered":12,"distribution":` +
					happyCells(map[int]string{5: shown(6, "50"), 9: shown(6, "50")}) + `,"median":7}`,
				"talk_to": `{"key":"talk_to","type":"single_choice","answered":12,"choices":` +
					choiceCells("yes="+shown(6, "50"), "no="+shown(6, "50")) + `}`,
				"talk_who": `{"key":"talk_who","type":"text","answered":6}`,
				"better":   `{"key":"better","type":"text","answered":6}`,
			},
		},
		{
			name:   "all versions: shared questions summed, 11-18's own questions after",
			groups: mainGroups, query: surveys.ResultsQuery{},
			wantResponses: "32", wantOrder: orderAll,
			want: map[string]string{
				"area": `{"key":"area","type":"single_choice","answered":32,"choices":` +
					choiceCells("north="+shown(16, "50"), "central="+shown(7, "21.9"), "south="+shown(9, "28.1")) + `}`,
				// always 16, sometimes 13, never 3.
				"feel_safe": `{"key":"feel_safe","type":"scale","answered":32,"choices":` +
					choiceCells("always="+shown(16, "50"), "sometimes="+hid, "never="+hid) + `}`,
				// school 7, home 6, online 10, out 0: out is hidden, then home.
				"why_unsafe": `{"key":"why_unsafe","type":"multi_choice","answered":16,"choices":` +
					choiceCells("school="+shown(7, "43.8"), "home="+hid, "online="+shown(10, "62.5"), "out="+hid) + `}`,
				// 2 (3), 5 (13), 8 (10), 9 (6): hidden cells add up to 3, so 9
				// is hidden too. The 16th and 17th of 32 are 5 and 8.
				"happy": `{"key":"happy","type":"rating","answered":32,"distribution":` +
					happyCells(map[int]string{5: shown(13, "40.6"), 8: shown(10, "31.3")}) + `,"median":6.5}`,
				"better": `{"key":"better","type":"text","answered":9}`,
				"talk_to": `{"key":"talk_to","type":"single_choice","answered":12,"choices":` +
					choiceCells("yes="+shown(6, "50"), "no="+shown(6, "50")) + `}`,
				"talk_who": `{"key":"talk_who","type":"text","answered":6}`,
			},
		},
		{
			name:   "filtered by area over all versions, suppressed within the slice",
			groups: mainGroups, query: surveys.ResultsQuery{Filter: &surveys.Filter{Question: "area", Choice: "north"}},
			wantResponses: "16", wantOrder: orderAll,
			want: map[string]string{
				"area": `{"key":"area","type":"single_choice","answered":16,"choices":` +
					choiceCells("north="+shown(16, "100"), "central="+hid, "south="+hid) + `}`,
				"feel_safe": `{"key":"feel_safe","type":"scale","answered":16,"choices":` +
					choiceCells("always="+shown(16, "100"), "sometimes="+hid, "never="+hid) + `}`,
				"why_unsafe": suppressedQuestions["why_unsafe"],
				"happy": `{"key":"happy","type":"rating","answered":16,"distribution":` +
					happyCells(map[int]string{8: shown(10, "62.5"), 9: shown(6, "37.5")}) + `,"median":8}`,
				"better": suppressedQuestions["better"],
				// yes 6, no 0: the lone 0 is hidden, so yes is too (rule 2).
				"talk_to": `{"key":"talk_to","type":"single_choice","answered":6,"choices":` +
					choiceCells("yes="+hid, "no="+hid) + `}`,
				"talk_who": `{"key":"talk_who","type":"text","answered":6}`,
			},
		},
		{
			name:   "filtered by area within a version",
			groups: mainGroups, query: surveys.ResultsQuery{Version: "8-11", Filter: &surveys.Filter{Question: "area", Choice: "north"}},
			wantResponses: "10", wantOrder: order811,
			want: map[string]string{
				"area": `{"key":"area","type":"single_choice","answered":10,"choices":` +
					choiceCells("north="+shown(10, "100"), "central="+hid, "south="+hid) + `}`,
				"feel_safe": `{"key":"feel_safe","type":"scale","answered":10,"choices":` +
					choiceCells("always="+shown(10, "100"), "sometimes="+hid, "never="+hid) + `}`,
				"why_unsafe": suppressedQuestions["why_unsafe"],
				"happy":      `{"key":"happy","type":"rating","answered":10,"distribution":` + happyCells(map[int]string{8: shown(10, "100")}) + `,"median":8}`,
				"better":     suppressedQuestions["better"],
			},
		},
		{
			// 8-11's slices are north 10, central 7, south 3.
			name:   "a slice below the threshold is hidden",
			groups: mainGroups, query: surveys.ResultsQuery{Version: "8-11", Filter: &surveys.Filter{Question: "area", Choice: "south"}},
			wantResponses: "null", wantSuppressed: true, wantOrder: order811, want: suppressedQuestions,
		},
		{
			name:   "its sibling is hidden too, or south would be 20 - north - central",
			groups: mainGroups, query: surveys.ResultsQuery{Version: "8-11", Filter: &surveys.Filter{Question: "area", Choice: "central"}},
			wantResponses: "null", wantSuppressed: true, wantOrder: order811, want: suppressedQuestions,
		},
		{
			// north 10, central 8, south 6, and 2 who skipped area: the
			// smallest slice is hidden, or the 2 would be 26 - 10 - 8 - 6.
			name:   "remainder: people who skipped the breakdown hide the smallest slice",
			groups: remainderGroups, query: surveys.ResultsQuery{Filter: &surveys.Filter{Question: "area", Choice: "south"}},
			wantResponses: "null", wantSuppressed: true, wantOrder: orderAll, want: suppressedQuestions,
		},
		{
			// With south hidden, what is left outside the shown slices is
			// south and the 2 together: 8, enough to show central.
			name:   "remainder: hiding the smallest slice is enough",
			groups: remainderGroups, query: surveys.ResultsQuery{Filter: &surveys.Filter{Question: "area", Choice: "central"}},
			wantResponses: "8", wantOrder: orderAll,
			want: map[string]string{
				"area": `{"key":"area","type":"single_choice","answered":8,"choices":` +
					choiceCells("north="+hid, "central="+shown(8, "100"), "south="+hid) + `}`,
			},
		},
		{
			// north 7, central 6, south 0, and 3 who skipped: rule 2 hides
			// central beside the 0, which leaves 6 + 3 outside north.
			name: "remainder: slices hidden by rule 2 count as left over",
			groups: []group{
				{"8-11", 7, `{"area":"north"}`},
				{"8-11", 6, `{"area":"central"}`},
				{"8-11", 3, `{"feel_safe":"always"}`},
			},
			query:         surveys.ResultsQuery{Filter: &surveys.Filter{Question: "area", Choice: "north"}},
			wantResponses: "7", wantOrder: orderAll,
			want: map[string]string{
				"area": `{"key":"area","type":"single_choice","answered":7,"choices":` +
					choiceCells("north="+shown(7, "100"), "central="+hid, "south="+hid) + `}`,
				"feel_safe": suppressedQuestions["feel_safe"],
			},
		},
		{
			// north 10, central 0, south 20. Within the area question's own
			// table rule 2 treats the lone 0 as a hidden count and hides
			// the smallest slice shown, north, with it.
			name: "a breakdown choice nobody chose hides the smallest slice",
			groups: []group{
				{"8-11", 10, `{"area":"north"}`},
				{"8-11", 20, `{"area":"south"}`},
			},
			query:         surveys.ResultsQuery{Filter: &surveys.Filter{Question: "area", Choice: "north"}},
			wantResponses: "null", wantSuppressed: true, wantOrder: orderAll, want: suppressedQuestions,
		},
		{
			name: "and the other slices are shown",
			groups: []group{
				{"8-11", 10, `{"area":"north"}`},
				{"8-11", 20, `{"area":"south"}`},
			},
			query:         surveys.ResultsQuery{Filter: &surveys.Filter{Question: "area", Choice: "south"}},
			wantResponses: "20", wantOrder: orderAll,
		},
		{
			name:   "remainder: the largest slice is still shown",
			groups: remainderGroups, query: surveys.ResultsQuery{Filter: &surveys.Filter{Question: "area", Choice: "north"}},
			wantResponses: "10", wantOrder: orderAll,
			want: map[string]string{
				"area": `{"key":"area","type":"single_choice","answered":10,"choices":` +
					choiceCells("north="+shown(10, "100"), "central="+hid, "south="+hid) + `}`,
				"feel_safe": suppressedQuestions["feel_safe"],
			},
		},
		{
			name:          "remainder: without anyone skipping, the smallest slice is shown",
			groups:        remainderGroups[:3],
			query:         surveys.ResultsQuery{Filter: &surveys.Filter{Question: "area", Choice: "south"}},
			wantResponses: "6", wantOrder: orderAll,
			want: map[string]string{
				"area": `{"key":"area","type":"single_choice","answered":6,"choices":` +
					choiceCells("north="+hid, "central="+hid, "south="+shown(6, "100")) + `}`,
			},
		},
		{
			name:          "remainder: 5 skipping is enough to show every slice",
			groups:        append(remainderGroups[:3:3], group{"8-11", 5, `{"feel_safe":"always"}`}),
			query:         surveys.ResultsQuery{Filter: &surveys.Filter{Question: "area", Choice: "south"}},
			wantResponses: "6", wantOrder: orderAll,
		},
		{
			name:          "fewer responses than the threshold: everything suppressed",
			groups:        []group{{"8-11", 4, `{"area":"north","feel_safe":"always","happy":7}`}},
			query:         surveys.ResultsQuery{},
			wantResponses: "null", wantSuppressed: true, wantOrder: orderAll, want: suppressedQuestions,
		},
		{
			name:          "threshold reached exactly",
			groups:        []group{{"8-11", 5, `{"area":"north","feel_safe":"always","happy":7}`}},
			query:         surveys.ResultsQuery{},
			wantResponses: "5", wantOrder: orderAll,
			want: map[string]string{
				"area": `{"key":"area","type":"single_choice","answered":5,"choices":` +
					choiceCells("north="+shown(5, "100"), "central="+hid, "south="+hid) + `}`,
				"happy":    `{"key":"happy","type":"rating","answered":5,"distribution":` + happyCells(map[int]string{7: shown(5, "100")}) + `,"median":7}`,
				"talk_to":  suppressedQuestions["talk_to"],
				"talk_who": suppressedQuestions["talk_who"],
			},
		},
		{
			// 6 responses; happy answered by 4, one below the threshold.
			name: "a question answered by one fewer than the threshold",
			groups: []group{
				{"8-11", 4, `{"area":"north","happy":7}`},
				{"8-11", 2, `{"area":"north"}`},
			},
			query:         surveys.ResultsQuery{},
			wantResponses: "6", wantOrder: orderAll,
			want: map[string]string{
				"area": `{"key":"area","type":"single_choice","answered":6,"choices":` +
					choiceCells("north="+shown(6, "100"), "central="+hid, "south="+hid) + `}`,
				"happy": suppressedQuestions["happy"],
			},
		},
		{
			// 20 to 8-11, 3 to 11-18.
			name: "a version with fewer responses than the threshold is hidden",
			groups: []group{
				{"8-11", 20, `{"area":"north"}`},
				{"11-18", 3, `{"area":"north","talk_to":"yes"}`},
			},
			query:         surveys.ResultsQuery{Version: "11-18"},
			wantResponses: "null", wantSuppressed: true, wantOrder: order1118, want: suppressedQuestions,
		},
		{
			name: "and so is its sibling, or 11-18 would be the whole minus 8-11",
			groups: []group{
				{"8-11", 20, `{"area":"north"}`},
				{"11-18", 3, `{"area":"north","talk_to":"yes"}`},
			},
			query:         surveys.ResultsQuery{Version: "8-11"},
			wantResponses: "null", wantSuppressed: true, wantOrder: order811, want: suppressedQuestions,
		},
		{
			name: "while all versions together are shown",
			groups: []group{
				{"8-11", 20, `{"area":"north"}`},
				{"11-18", 3, `{"area":"north","talk_to":"yes"}`},
			},
			query:         surveys.ResultsQuery{},
			wantResponses: "23", wantOrder: orderAll,
			want: map[string]string{
				"area": `{"key":"area","type":"single_choice","answered":23,"choices":` +
					choiceCells("north="+shown(23, "100"), "central="+hid, "south="+hid) + `}`,
				"talk_to": suppressedQuestions["talk_to"],
			},
		},
		{
			// 8-11 has every response and 11-18 none: the 0 hides nobody.
			name:          "a version with no responses does not hide its sibling",
			groups:        []group{{"8-11", 20, `{"area":"north"}`}},
			query:         surveys.ResultsQuery{Version: "8-11"},
			wantResponses: "20", wantOrder: order811,
			want: map[string]string{
				"area": `{"key":"area","type":"single_choice","answered":20,"choices":` +
					choiceCells("north="+shown(20, "100"), "central="+hid, "south="+hid) + `}`,
			},
		},
		{
			name:          "and is itself suppressed",
			groups:        []group{{"8-11", 20, `{"area":"north"}`}},
			query:         surveys.ResultsQuery{Version: "11-18"},
			wantResponses: "null", wantSuppressed: true, wantOrder: order1118, want: suppressedQuestions,
		},
		{
			name: "versions at the threshold are shown",
			groups: []group{
				{"8-11", 7, `{"area":"north"}`},
				{"11-18", 5, `{"area":"north","talk_to":"yes"}`},
			},
			query:         surveys.ResultsQuery{Version: "11-18"},
			wantResponses: "5", wantOrder: order1118,
		},
		{
			name:          "no responses at all",
			query:         surveys.ResultsQuery{Version: "8-11"},
			wantResponses: "null", wantSuppressed: true, wantOrder: order811, want: suppressedQuestions,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, tallies := fixtureTallies(t, tt.groups...)
			res, err := surveys.ComputeResults(s, tallies, tt.query, 5)
			if err != nil {
				t.Fatalf("ComputeResults: %v", err)
			}
			if res.Survey != surveytest.Slug || res.Edition != 2026 || res.Threshold != 5 || res.Version != tt.query.Version || !reflect.DeepEqual(res.Filter, tt.query.Filter) {
				t.Errorf("results are of %q %d, threshold %d, version %q, filter %+v; want the query's", res.Survey, res.Edition, res.Threshold, res.Version, res.Filter)
			}
			if got := mustJSON(t, res.Responses); got != tt.wantResponses {
				t.Errorf("responses = %s; want %s", got, tt.wantResponses)
			}
			if res.Suppressed != tt.wantSuppressed {
				t.Errorf("suppressed = %t; want %t", res.Suppressed, tt.wantSuppressed)
			}
			var order []string
			for _, q := range res.Questions {
				order = append(order, q.Key)
			}
			if !reflect.DeepEqual(order, tt.wantOrder) {
				t.Errorf("questions = %v; want %v", order, tt.wantOrder)
			}
			for _, q := range res.Questions {
				want, ok := tt.want[q.Key]
				if !ok {
					continue
				}
				if got := mustJSON(t, q); got != want {
					t.Errorf("%s:\n got %s\nwant %s", q.Key, got, want)
				}
			}
		})
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestResultsJSON pins the wire shape of results, suppressed and not.
func TestResultsJSON(t *testing.T) {
	t.Parallel()
	s, tallies := fixtureTallies(t, group{"8-11", 4, `{"area":"north","feel_safe":"always","happy":7}`})
	res, err := surveys.ComputeResults(s, tallies, surveys.ResultsQuery{}, surveys.DefaultThreshold)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{
	  "survey": "test-wellbeing",
	  "edition": 2026,
	  "responses": null,
	  "suppressed": true,
	  "threshold": 5,
	  "questions": [
	    {"key": "area", "type": "single_choice", "answered": null, "suppressed": true, "choices": [
	      {"key": "north", "count": null, "percent": null, "suppressed": true},
	      {"key": "central", "count": null, "percent": null, "suppressed": true},
	      {"key": "south", "count": null, "percent": null, "suppressed": true}]},
	    {"key": "feel_safe", "type": "scale", "answered": null, "suppressed": true, "choices": [
	      {"key": "always", "count": null, "percent": null, "suppressed": true},
	      {"key": "sometimes", "count": null, "percent": null, "suppressed": true},
	      {"key": "never", "count": null, "percent": null, "suppressed": true}]},
	    {"key": "why_unsafe", "type": "multi_choice", "answered": null, "suppressed": true, "choices": [
	      {"key": "school", "count": null, "percent": null, "suppressed": true},
	      {"key": "home", "count": null, "percent": null, "suppressed": true},
	      {"key": "online", "count": null, "percent": null, "suppressed": true},
	      {"key": "out", "count": null, "percent": null, "suppressed": true}]},
	    {"key": "happy", "type": "rating", "answered": null, "suppressed": true, "distribution": [
	      {"value": 0, "count": null, "percent": null, "suppressed": true},
	      {"value": 1, "count": null, "percent": null, "suppressed": true},
	      {"value": 2, "count": null, "percent": null, "suppressed": true},
	      {"value": 3, "count": null, "percent": null, "suppressed": true},
	      {"value": 4, "count": null, "percent": null, "suppressed": true},
	      {"value": 5, "count": null, "percent": null, "suppressed": true},
	      {"value": 6, "count": null, "percent": null, "suppressed": true},
	      {"value": 7, "count": null, "percent": null, "suppressed": true},
	      {"value": 8, "count": null, "percent": null, "suppressed": true},
	      {"value": 9, "count": null, "percent": null, "suppressed": true},
	      {"value": 10, "count": null, "percent": null, "suppressed": true}]},
	    {"key": "better", "type": "text", "answered": null, "suppressed": true},
	    {"key": "talk_to", "type": "single_choice", "answered": null, "suppressed": true, "choices": [
	      {"key": "yes", "count": null, "percent": null, "suppressed": true},
	      {"key": "no", "count": null, "percent": null, "suppressed": true}]},
	    {"key": "talk_who", "type": "text", "answered": null, "suppressed": true}
	  ]
	}`
	assertJSON(t, res, want)

	// Shown figures: 6 to 11-18 and 6 to 8-11, filtered to north.
	s, tallies = fixtureTallies(t,
		group{"8-11", 6, `{"area":"north"}`},
		group{"11-18", 3, `{"area":"north","feel_safe":"never","why_unsafe":["online","out"],"happy":1,"talk_to":"no"}`},
		group{"11-18", 3, `{"area":"north","feel_safe":"always","happy":2,"talk_to":"yes","talk_who":"Nan"}`},
	)
	res, err = surveys.ComputeResults(s, tallies, surveys.ResultsQuery{Version: "11-18", Filter: &surveys.Filter{Question: "area", Choice: "north"}}, surveys.DefaultThreshold)
	if err != nil {
		t.Fatal(err)
	}
	const wantShown = `{
	  "survey": "test-wellbeing",
	  "edition": 2026,
	  "version": "11-18",
	  "filter": {"question": "area", "choice": "north"},
	  "responses": 6,
	  "threshold": 5,
	  "questions": [
	    {"key": "area", "type": "single_choice", "answered": 6, "choices": [
	      {"key": "north", "count": 6, "percent": 100},
	      {"key": "central", "count": null, "percent": null, "suppressed": true},
	      {"key": "south", "count": null, "percent": null, "suppressed": true}]},
	    {"key": "feel_safe", "type": "scale", "answered": 6, "choices": [
	      {"key": "always", "count": null, "percent": null, "suppressed": true},
	      {"key": "sometimes", "count": null, "percent": null, "suppressed": true},
	      {"key": "never", "count": null, "percent": null, "suppressed": true}]},
	    {"key": "why_unsafe", "type": "multi_choice", "answered": null, "suppressed": true, "choices": [
	      {"key": "school", "count": null, "percent": null, "suppressed": true},
	      {"key": "home", "count": null, "percent": null, "suppressed": true},
	      {"key": "online", "count": null, "percent": null, "suppressed": true},
	      {"key": "out", "count": null, "percent": null, "suppressed": true}]},
	    {"key": "happy", "type": "rating", "answered": 6, "distribution": [
	      {"value": 0, "count": null, "percent": null, "suppressed": true},
	      {"value": 1, "count": null, "percent": null, "suppressed": true},
	      {"value": 2, "count": null, "percent": null, "suppressed": true},
	      {"value": 3, "count": null, "percent": null, "suppressed": true},
	      {"value": 4, "count": null, "percent": null, "suppressed": true},
	      {"value": 5, "count": null, "percent": null, "suppressed": true},
	      {"value": 6, "count": null, "percent": null, "suppressed": true},
	      {"value": 7, "count": null, "percent": null, "suppressed": true},
	      {"value": 8, "count": null, "percent": null, "suppressed": true},
	      {"value": 9, "count": null, "percent": null, "suppressed": true},
	      {"value": 10, "count": null, "percent": null, "suppressed": true}], "median": 1.5},
	    {"key": "talk_to", "type": "single_choice", "answered": 6, "choices": [
	      {"key": "yes", "count": null, "percent": null, "suppressed": true},
	      {"key": "no", "count": null, "percent": null, "suppressed": true}]},
	    {"key": "talk_who", "type": "text", "answered": null, "suppressed": true},
	    {"key": "better", "type": "text", "answered": null, "suppressed": true}
	  ]
	}`
	assertJSON(t, res, wantShown)
}

func assertJSON(t *testing.T, v any, want string) {
	t.Helper()
	var compact bytes.Buffer
	if err := json.Compact(&compact, []byte(want)); err != nil {
		t.Fatalf("the expected JSON is not valid: %v", err)
	}
	if got := mustJSON(t, v); got != compact.String() {
		t.Errorf("JSON:\n got %s\nwant %s", got, compact.String())
	}
}

func TestRatingMedian(t *testing.T) {
	t.Parallel()
	tests := []struct {
		values []int
		want   string // the JSON of the median
	}{
		{[]int{1, 2, 3, 4}, "2.5"},
		{[]int{4, 3, 2, 1}, "2.5"},
		{[]int{1, 2, 3}, "2"},
		{[]int{7}, "7"},
		{[]int{0, 10}, "5"},
		{[]int{3, 3, 3, 9}, "3"},
		{[]int{0, 0, 0, 0, 10, 10}, "0"},
		{[]int{10, 10, 10, 0, 0}, "10"},
		{[]int{2, 9, 9, 9, 9, 9, 1, 1}, "9"},
		{[]int{1, 1, 2, 3, 5, 8}, "2.5"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.values), func(t *testing.T) {
			t.Parallel()
			var groups []group
			for _, n := range tt.values {
				groups = append(groups, group{"8-11", 1, fmt.Sprintf(`{"happy":%d}`, n)})
			}
			s, tallies := fixtureTallies(t, groups...)
			// A threshold of 1 shows every median, however few answered.
			res, err := surveys.ComputeResults(s, tallies, surveys.ResultsQuery{Version: "8-11"}, 1)
			if err != nil {
				t.Fatal(err)
			}
			q := res.Questions[3]
			if q.Key != "happy" {
				t.Fatalf("question 3 is %q", q.Key)
			}
			if got := mustJSON(t, q.Median); got != tt.want {
				t.Errorf("median of %v = %s; want %s", tt.values, got, tt.want)
			}
		})
	}
}

func TestComputeResultsRefusesBadQueries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		query       surveys.ResultsQuery
		wantCode    string
		wantMessage string
		wantFields  map[string]string
	}{
		{"unknown version", surveys.ResultsQuery{Version: "4-7"}, surveys.ENOTFOUND, `This survey has no version "4-7".`, nil},
		{"filter on a question that is not a breakdown", surveys.ResultsQuery{Filter: &surveys.Filter{Question: "feel_safe", Choice: "always"}},
			surveys.EINVALID, "Results can be filtered only by a breakdown question.",
			map[string]string{"filter": `"feel_safe" is not a breakdown question of this survey`}},
		{"filter on an unknown question", surveys.ResultsQuery{Filter: &surveys.Filter{Question: "colour", Choice: "red"}},
			surveys.EINVALID, "Results can be filtered only by a breakdown question.",
			map[string]string{"filter": `"colour" is not a breakdown question of this survey`}},
		{"filter on a question of another version", surveys.ResultsQuery{Version: "8-11", Filter: &surveys.Filter{Question: "talk_to", Choice: "yes"}},
			surveys.EINVALID, "Results can be filtered only by a breakdown question.",
			map[string]string{"filter": `"talk_to" is not a breakdown question of this survey`}},
		{"filter on an unknown choice", surveys.ResultsQuery{Filter: &surveys.Filter{Question: "area", Choice: "east"}},
			surveys.EINVALID, "The filter's answer is not one of the question's choices.",
			map[string]string{"filter": `"east" is not a choice of "area"`}},
		{"unknown version and a bad filter", surveys.ResultsQuery{Version: "4-7", Filter: &surveys.Filter{Question: "feel_safe", Choice: "always"}},
			surveys.ENOTFOUND, `This survey has no version "4-7".`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, tallies := fixtureTallies(t, mainGroups...)
			res, err := surveys.ComputeResults(s, tallies, tt.query, 5)
			if res != nil {
				t.Errorf("results returned with an error")
			}
			if code := surveys.ErrorCode(err); code != tt.wantCode {
				t.Fatalf("code = %q (%v); want %q", code, err, tt.wantCode)
			}
			if msg := surveys.ErrorMessage(err); msg != tt.wantMessage {
				t.Errorf("message = %q; want %q", msg, tt.wantMessage)
			}
			if got := surveys.ErrorFields(err); !reflect.DeepEqual(got, tt.wantFields) {
				t.Errorf("fields = %v; want %v", got, tt.wantFields)
			}
		})
	}
}

func TestTallyAdd(t *testing.T) {
	t.Parallel()
	v := surveytest.Definition(t).Version("11-18")
	tally := surveys.NewTally(surveytest.Slug, "11-18")
	for _, object := range []string{
		`{"area":"north","feel_safe":"never","why_unsafe":["home","school"],"happy":7,"talk_to":"yes","talk_who":"Nan"}`,
		`{"area":"north","talk_to":"no"}`,
		`{"feel_safe":"always","happy":0,"talk_to":"no"}`,
	} {
		answers, err := v.ParseAnswers(rawAnswers(t, object))
		if err != nil {
			t.Fatal(err)
		}
		tally.Add(v, &surveys.Response{Answers: answers})
	}
	type counts = map[string]int
	qt := func(answered int, c counts) *surveys.QuestionTally {
		if c == nil {
			c = counts{}
		}
		return &surveys.QuestionTally{Answered: answered, Counts: c}
	}
	want := &surveys.Tally{Survey: surveytest.Slug, Version: "11-18", Slices: map[string]*surveys.SliceTally{
		surveys.AllSlice: {Responses: 3, Questions: map[string]*surveys.QuestionTally{
			"area":       qt(2, counts{"north": 2}),
			"feel_safe":  qt(2, counts{"never": 1, "always": 1}),
			"why_unsafe": qt(1, counts{"school": 1, "home": 1}),
			"happy":      qt(2, counts{"7": 1, "0": 1}),
			"talk_to":    qt(3, counts{"yes": 1, "no": 2}),
			"talk_who":   qt(1, nil),
		}},
		"area:north": {Responses: 2, Questions: map[string]*surveys.QuestionTally{
			"area":       qt(2, counts{"north": 2}),
			"feel_safe":  qt(1, counts{"never": 1}),
			"why_unsafe": qt(1, counts{"school": 1, "home": 1}),
			"happy":      qt(1, counts{"7": 1}),
			"talk_to":    qt(2, counts{"yes": 1, "no": 1}),
			"talk_who":   qt(1, nil),
		}},
	}}
	if !reflect.DeepEqual(tally, want) {
		t.Errorf("tally = %s\nwant    %s", mustJSON(t, tally), mustJSON(t, want))
	}
	if got := surveys.SliceKey("area", "north"); got != "area:north" {
		t.Errorf("SliceKey = %q", got)
	}
}

func TestTallyMerge(t *testing.T) {
	t.Parallel()
	d := surveytest.Definition(t)
	v8, v11 := d.Version("8-11"), d.Version("11-18")
	add := func(tally *surveys.Tally, v *surveys.Version, object string) {
		answers, err := v.ParseAnswers(rawAnswers(t, object))
		if err != nil {
			t.Fatal(err)
		}
		tally.Add(v, &surveys.Response{Answers: answers})
	}
	young, old, both := surveys.NewTally(d.Slug, "8-11"), surveys.NewTally(d.Slug, "11-18"), surveys.NewTally(d.Slug, "")
	for _, object := range []string{`{"area":"north","happy":3}`, `{"area":"south","feel_safe":"never","why_unsafe":["out"]}`} {
		add(young, v8, object)
		add(both, v8, object)
	}
	for _, object := range []string{`{"area":"north","happy":3,"talk_to":"yes"}`, `{"talk_to":"no"}`} {
		add(old, v11, object)
		add(both, v11, object)
	}
	oldBefore := mustJSON(t, old)

	merged := surveys.NewTally(d.Slug, "")
	merged.Merge(young)
	merged.Merge(old)
	if !merged.Equal(both) || !both.Equal(merged) {
		t.Errorf("merged = %s\nwant     %s", mustJSON(t, merged), mustJSON(t, both))
	}
	if got := mustJSON(t, old); got != oldBefore {
		t.Errorf("Merge changed its argument: %s", got)
	}
	all := merged.Slice(surveys.AllSlice)
	if all.Responses != 4 || all.Question("area").Answered != 3 || all.Question("area").Counts["north"] != 2 ||
		all.Question("happy").Counts["3"] != 2 || all.Question("talk_to").Answered != 2 {
		t.Errorf("merged all slice = %s", mustJSON(t, all))
	}
	if north := merged.Slice("area:north"); north.Responses != 2 || north.Question("talk_to").Counts["yes"] != 1 {
		t.Errorf("merged north slice = %s", mustJSON(t, north))
	}
	if south := merged.Slice("area:south"); south.Responses != 1 || south.Question("why_unsafe").Counts["out"] != 1 {
		t.Errorf("merged south slice = %s", mustJSON(t, south))
	}

	// Merging into a tally that has counts adds to them.
	twice := surveys.NewTally(d.Slug, "")
	twice.Merge(both)
	twice.Merge(both)
	if got := twice.Slice(surveys.AllSlice).Responses; got != 8 {
		t.Errorf("merging twice gives %d responses; want 8", got)
	}
}

func TestTallyEqual(t *testing.T) {
	t.Parallel()
	type counts = map[string]int
	tally := func(slices map[string]*surveys.SliceTally) *surveys.Tally {
		return &surveys.Tally{Survey: "s", Version: "v", Slices: slices}
	}
	slice := func(responses int, questions map[string]*surveys.QuestionTally) *surveys.SliceTally {
		if questions == nil {
			questions = map[string]*surveys.QuestionTally{}
		}
		return &surveys.SliceTally{Responses: responses, Questions: questions}
	}
	base := func() *surveys.Tally {
		return tally(map[string]*surveys.SliceTally{
			"all": slice(3, map[string]*surveys.QuestionTally{"area": {Answered: 2, Counts: counts{"north": 2}}}),
		})
	}
	tests := []struct {
		name  string
		other *surveys.Tally
		want  bool
	}{
		{"the same", base(), true},
		{"zero counts are the same as missing ones", tally(map[string]*surveys.SliceTally{
			"all":        slice(3, map[string]*surveys.QuestionTally{"area": {Answered: 2, Counts: counts{"north": 2, "south": 0}}, "happy": {Counts: counts{}}}),
			"area:south": slice(0, nil),
		}), true},
		{"other responses", tally(map[string]*surveys.SliceTally{
			"all": slice(4, map[string]*surveys.QuestionTally{"area": {Answered: 2, Counts: counts{"north": 2}}}),
		}), false},
		{"other answered", tally(map[string]*surveys.SliceTally{
			"all": slice(3, map[string]*surveys.QuestionTally{"area": {Answered: 3, Counts: counts{"north": 2}}}),
		}), false},
		{"other count", tally(map[string]*surveys.SliceTally{
			"all": slice(3, map[string]*surveys.QuestionTally{"area": {Answered: 2, Counts: counts{"north": 1}}}),
		}), false},
		{"a count more", tally(map[string]*surveys.SliceTally{
			"all": slice(3, map[string]*surveys.QuestionTally{"area": {Answered: 2, Counts: counts{"north": 2, "south": 1}}}),
		}), false},
		{"a question more", tally(map[string]*surveys.SliceTally{
			"all": slice(3, map[string]*surveys.QuestionTally{"area": {Answered: 2, Counts: counts{"north": 2}}, "happy": {Answered: 1}}),
		}), false},
		{"a slice more", tally(map[string]*surveys.SliceTally{
			"all":        slice(3, map[string]*surveys.QuestionTally{"area": {Answered: 2, Counts: counts{"north": 2}}}),
			"area:north": slice(2, nil),
		}), false},
		{"empty", tally(map[string]*surveys.SliceTally{}), false},
	}
	for _, tt := range tests {
		if got := base().Equal(tt.other); got != tt.want {
			t.Errorf("%s: base.Equal(other) = %t; want %t", tt.name, got, tt.want)
		}
		if got := tt.other.Equal(base()); got != tt.want {
			t.Errorf("%s: other.Equal(base) = %t; want %t", tt.name, got, tt.want)
		}
	}
}
