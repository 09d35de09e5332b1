package exports_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heard-app/heard/exports"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/surveytest"
)

var resultsDay = time.Date(2026, 11, 23, 15, 4, 5, 0, time.UTC)

// fixtureSurvey is the shared test survey, as stored.
func fixtureSurvey(t testing.TB) *surveys.Survey {
	t.Helper()
	return &surveys.Survey{Definition: *surveytest.Definition(t), Status: surveys.StatusOpen}
}

// talliesOf counts the responses as the store would, a tally per version.
func talliesOf(s *surveys.Survey, rs []*surveys.Response) []*surveys.Tally {
	byVersion := map[string]*surveys.Tally{}
	for _, r := range rs {
		t := byVersion[r.Version]
		if t == nil {
			t = surveys.NewTally(s.Slug, r.Version)
			byVersion[r.Version] = t
		}
		t.Add(s.Version(r.Version), r)
	}
	var out []*surveys.Tally
	for _, v := range s.Versions {
		if t := byVersion[v.Key]; t != nil {
			out = append(out, t)
		}
	}
	return out
}

// randomResponses makes n responses to the fixture survey with lopsided
// answers, so that small cells, small versions and skipped questions are
// common.
func randomResponses(rng *rand.Rand, n int) []*surveys.Response {
	young := rng.Float64() * 0.5 // the share of 8-11s: often few
	weights := func(k int) []float64 {
		w := make([]float64, k)
		for i := range w {
			w[i] = rng.Float64() * rng.Float64()
		}
		return w
	}
	pick := func(w []float64) int {
		total := 0.0
		for _, x := range w {
			total += x
		}
		r := rng.Float64() * total
		for i, x := range w {
			if r -= x; r < 0 {
				return i
			}
		}
		return len(w) - 1
	}
	areaW, safeW, happyW, whyW, talkW := weights(3), weights(3), weights(11), weights(4), weights(2)
	skip := rng.Float64() * 0.3
	var out []*surveys.Response
	for i := range n {
		r := &surveys.Response{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), Survey: surveytest.Slug, Edition: 2026,
			Version: "11-18", Lang: "en", Day: "2026-11-23", Answers: map[string]surveys.Answer{}}
		if rng.Float64() < young {
			r.Version = "8-11"
		}
		answer := func(key string, a surveys.Answer) {
			if rng.Float64() >= skip {
				r.Answers[key] = a
			}
		}
		answer("area", surveys.Answer{Choice: []string{"north", "central", "south"}[pick(areaW)]})
		safe := []string{"always", "sometimes", "never"}[pick(safeW)]
		answer("feel_safe", surveys.Answer{Choice: safe})
		if safe != "always" {
			first, second := pick(whyW), pick(whyW)
			keys := []string{"school", "home", "online", "out"}
			choices := []string{keys[min(first, second)]}
			if first != second {
				choices = append(choices, keys[max(first, second)])
			}
			answer("why_unsafe", surveys.Answer{Choices: choices})
		}
		answer("happy", surveys.Answer{Number: pick(happyW)})
		answer("better", surveys.Answer{Text: "more trips"})
		if r.Version == "11-18" {
			talk := []string{"yes", "no"}[pick(talkW)]
			r.Answers["talk_to"] = surveys.Answer{Choice: talk}
			if talk == "yes" {
				answer("talk_who", surveys.Answer{Text: "my carer"})
			}
		}
		out = append(out, r)
	}
	return out
}

// figure is one published number: shown with its value, or hidden.
type figure struct {
	shown bool
	n     int
}

// qtable is one question's published figures in one scope.
type qtable struct {
	multi    bool
	answered figure
	cells    map[string]figure
}

// scope is the published figures of all versions, or of one.
type scope struct {
	responses figure
	questions map[string]*qtable
}

// model is everything a results file publishes, by scope ("all" or a
// version's key).
type model map[string]*scope

func (m model) scope(name string) *scope {
	sc := m[name]
	if sc == nil {
		sc = &scope{questions: map[string]*qtable{}}
		m[name] = sc
	}
	return sc
}

func (sc *scope) question(key string, typ string) *qtable {
	q := sc.questions[key]
	if q == nil {
		q = &qtable{multi: typ == string(surveys.MultiChoice), cells: map[string]figure{}}
		sc.questions[key] = q
	}
	return q
}

// readResultsCSV parses a results CSV back into a model, checking every
// row's shape.
func readResultsCSV(t *testing.T, data []byte) (model, [][]string) {
	t.Helper()
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("parse results CSV: %v", err)
	}
	want := []string{"survey", "edition", "version", "section", "question", "question_text", "type",
		"measure", "choice", "choice_text", "count", "percent", "suppressed"}
	if len(records) == 0 || !slices.Equal(records[0], want) {
		t.Fatalf("header %q, want %q", records[0], want)
	}
	m := model{}
	for _, rec := range records[1:] {
		f := figure{}
		switch {
		case rec[12] == "true" && rec[10] == "" && rec[11] == "":
		case rec[12] == "false" && rec[10] != "":
			n, err := strconv.Atoi(rec[10])
			if err != nil {
				t.Fatalf("row %q: count: %v", rec, err)
			}
			f = figure{shown: true, n: n}
		default:
			t.Fatalf("row %q: a suppressed row must have empty count and percent, and a shown one a count", rec)
		}
		sc := m.scope(rec[2])
		switch rec[7] {
		case exports.MeasureResponses:
			sc.responses = f
		case exports.MeasureAnswered:
			sc.question(rec[4], rec[6]).answered = f
		case exports.MeasureChoice, exports.MeasureValue:
			sc.question(rec[4], rec[6]).cells[rec[8]] = f
		default:
			t.Fatalf("row %q: unknown measure", rec)
		}
	}
	return m, records
}

// modelOf builds the model of results tables as ComputeResults gives them,
// before anything is hidden across versions.
func modelOf(all *surveys.Results, versions []*surveys.Results) model {
	m := model{}
	for _, res := range append([]*surveys.Results{all}, versions...) {
		name := res.Version
		if name == "" {
			name = exports.AllVersions
		}
		sc := m.scope(name)
		sc.responses = optFigure(res.Responses)
		for _, q := range res.Questions {
			qt := sc.question(q.Key, string(q.Type))
			qt.answered = optFigure(q.Answered)
			for _, c := range q.Choices {
				qt.cells[c.Key] = optFigure(c.Count)
			}
			for _, c := range q.Distribution {
				qt.cells[strconv.Itoa(*c.Value)] = optFigure(c.Count)
			}
		}
	}
	return m
}

func optFigure(n *int) figure {
	if n == nil {
		return figure{}
	}
	return figure{shown: true, n: *n}
}

// leaks returns every way the model gives away a hidden figure by the
// subtractions a reader can do: within a question (its cells and the
// number who answered), and across versions (each figure of all versions
// and the same figure of every version that has responses and asks it).
// It checks too that every shown figure is the true one and at least
// threshold.
func leaks(s *surveys.Survey, tallies []*surveys.Tally, m model, threshold int) []string {
	var out []string
	truth := map[string]*surveys.Tally{exports.AllVersions: surveys.NewTally(s.Slug, "")}
	for _, t := range tallies {
		truth[t.Version] = t
		truth[exports.AllVersions].Merge(t)
	}
	responded := func(version string) bool {
		t := truth[version]
		return t != nil && t.Slice(surveys.AllSlice).Responses > 0
	}
	check := func(where string, f figure, want int) {
		if f.shown && f.n != want {
			out = append(out, fmt.Sprintf("%s: shows %d, the data says %d", where, f.n, want))
		}
		if f.shown && f.n < threshold {
			out = append(out, fmt.Sprintf("%s: shows %d, below the threshold", where, f.n))
		}
	}
	for name, sc := range m {
		t := truth[name]
		if t == nil {
			t = surveys.NewTally(s.Slug, name)
		}
		check(name+" responses", sc.responses, t.Slice(surveys.AllSlice).Responses)
		for key, q := range sc.questions {
			qt := t.Slice(surveys.AllSlice).Question(key)
			check(name+"/"+key+" answered", q.answered, qt.Answered)
			var cells []figure
			for ck, f := range q.cells {
				check(name+"/"+key+"/"+ck, f, qt.Counts[ck])
				cells = append(cells, f)
			}
			if q.answered.shown {
				out = append(out, tableLeak(name+"/"+key, q.answered, cells, !q.multi, threshold)...)
			}
		}
	}
	all := m[exports.AllVersions]
	var parts []*scope
	for _, v := range s.Versions {
		if sc := m[v.Key]; sc != nil && responded(v.Key) {
			parts = append(parts, sc)
		}
	}
	var responses []figure
	for _, p := range parts {
		responses = append(responses, p.responses)
	}
	out = append(out, tableLeak("responses across versions", all.responses, responses, true, threshold)...)
	for key, aq := range all.questions {
		var answered []figure
		for _, p := range parts {
			if q := p.questions[key]; q != nil {
				answered = append(answered, q.answered)
			}
		}
		out = append(out, tableLeak(key+" answered across versions", aq.answered, answered, true, threshold)...)
		for ck, total := range aq.cells {
			var cells []figure
			for _, p := range parts {
				if q := p.questions[key]; q != nil {
					if f, ok := q.cells[ck]; ok {
						cells = append(cells, f)
					}
				}
			}
			out = append(out, tableLeak(key+"/"+ck+" across versions", total, cells, true, threshold)...)
		}
	}
	return out
}

// tableLeak checks one table of figures and their total: exactly one of
// them hidden can be worked out; so can hidden figures that add up to
// fewer than threshold, when they add up to the total.
func tableLeak(where string, total figure, cells []figure, sums bool, threshold int) []string {
	hidden, shownSum := 0, 0
	if !total.shown {
		hidden++
	}
	for _, c := range cells {
		if c.shown {
			shownSum += c.n
		} else {
			hidden++
		}
	}
	var out []string
	if hidden == 1 && len(cells) > 0 {
		out = append(out, where+": exactly one figure is hidden, so it can be worked out")
	}
	if rest := total.n - shownSum; sums && total.shown && rest > 0 && rest < threshold {
		out = append(out, fmt.Sprintf("%s: the hidden figures add up to %d", where, rest))
	}
	return out
}

// TestPublishedResultsGiveNothingAway computes results for many random
// surveys and checks that each file shows the true figures and that no
// hidden figure can be worked out from the others, within a question or
// across versions. It checks too that without the checks across versions
// the same tables would give figures away, so that the test has teeth.
func TestPublishedResultsGiveNothingAway(t *testing.T) {
	t.Parallel()
	s := fixtureSurvey(t)
	rng := rand.New(rand.NewPCG(6, 2026))
	unprotected := 0
	for i := range 400 {
		threshold := []int{3, 5, 10}[i%3]
		rs := randomResponses(rng, rng.IntN(120))
		tallies := talliesOf(s, rs)
		p, err := exports.PublishResults(s, tallies, threshold, resultsDay)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := exports.WriteResultsCSV(&buf, p); err != nil {
			t.Fatal(err)
		}
		m, _ := readResultsCSV(t, buf.Bytes())
		if found := leaks(s, tallies, m, threshold); len(found) > 0 {
			t.Fatalf("case %d (%d responses, threshold %d) gives figures away:\n%s", i, len(rs), threshold, strings.Join(found, "\n"))
		}
		all, err := surveys.ComputeResults(s, tallies, surveys.ResultsQuery{}, threshold)
		if err != nil {
			t.Fatal(err)
		}
		var versions []*surveys.Results
		for _, v := range s.Versions {
			res, err := surveys.ComputeResults(s, tallies, surveys.ResultsQuery{Version: v.Key}, threshold)
			if err != nil {
				t.Fatal(err)
			}
			versions = append(versions, res)
		}
		if len(leaks(s, tallies, modelOf(all, versions), threshold)) > 0 {
			unprotected++
		}
	}
	if unprotected == 0 {
		t.Error("the tables without the checks across versions never gave a figure away: the test cannot tell whether they work")
	}
	t.Logf("%d of 400 cases would give figures away without the checks across versions", unprotected)
}

// TestPublishResultsAcrossVersions is the case docs/suppression.md warns
// of: both versions are shown, and a choice hidden in one version would be
// the whole survey's figure minus the other version's.
func TestPublishResultsAcrossVersions(t *testing.T) {
	t.Parallel()
	s := fixtureSurvey(t)
	var rs []*surveys.Response
	add := func(version, safe string, n int) {
		for range n {
			rs = append(rs, &surveys.Response{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", len(rs)), Survey: s.Slug,
				Version: version, Lang: "en", Day: "2026-11-23", Answers: map[string]surveys.Answer{"feel_safe": {Choice: safe}}})
		}
	}
	// 8-11: always 9, sometimes 8, never 2; 11-18: always 30, sometimes 20, never 10.
	add("8-11", "always", 9)
	add("8-11", "sometimes", 8)
	add("8-11", "never", 2)
	add("11-18", "always", 30)
	add("11-18", "sometimes", 20)
	add("11-18", "never", 10)
	tallies := talliesOf(s, rs)
	p, err := exports.PublishResults(s, tallies, 5, resultsDay)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range p.Rows {
		if r.Question == "feel_safe" && r.Measure == exports.MeasureChoice {
			got[r.Version+"/"+r.Choice] = countText(r.Count)
		}
	}
	// On its own, 8-11 hides never (2) and then its smallest other cell,
	// sometimes (8); all versions show never 12. 11-18's never (10) would
	// give 8-11's away (12 - 10), so it is hidden too, and then 11-18's
	// smallest other, sometimes.
	want := map[string]string{
		"all/always": "39", "all/sometimes": "28", "all/never": "12",
		"8-11/always": "9", "8-11/sometimes": "hidden", "8-11/never": "hidden",
		"11-18/always": "30", "11-18/sometimes": "hidden", "11-18/never": "hidden",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %s, want %s", k, got[k], w)
		}
	}
	// Hidden 8-11 and 11-18 figures: sometimes 8 + 20 and never 2 + 10,
	// so neither all's figures nor either version's gives one away.
	var buf bytes.Buffer
	if err := exports.WriteResultsCSV(&buf, p); err != nil {
		t.Fatal(err)
	}
	m, _ := readResultsCSV(t, buf.Bytes())
	if found := leaks(s, tallies, m, 5); len(found) > 0 {
		t.Errorf("figures given away:\n%s", strings.Join(found, "\n"))
	}
}

func countText(n *int) string {
	if n == nil {
		return "hidden"
	}
	return strconv.Itoa(*n)
}

// TestResultsFiles checks the CSV and the JSON row by row against each
// other and against the data, and that both are the same every time.
func TestResultsFiles(t *testing.T) {
	t.Parallel()
	s := fixtureSurvey(t)
	rs := randomResponses(rand.New(rand.NewPCG(1, 2)), 80)
	tallies := talliesOf(s, rs)
	p, err := exports.PublishResults(s, tallies, 5, resultsDay)
	if err != nil {
		t.Fatal(err)
	}
	var csv1, csv2, json1, json2 bytes.Buffer
	for _, w := range []func() error{
		func() error { return exports.WriteResultsCSV(&csv1, p) },
		func() error { return exports.WriteResultsCSV(&csv2, p) },
		func() error { return exports.WriteResultsJSON(&json1, p) },
		func() error { return exports.WriteResultsJSON(&json2, p) },
	} {
		if err := w(); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(csv1.Bytes(), csv2.Bytes()) || !bytes.Equal(json1.Bytes(), json2.Bytes()) {
		t.Error("the same results written twice differ")
	}
	p2, err := exports.PublishResults(s, tallies, 5, resultsDay)
	if err != nil {
		t.Fatal(err)
	}
	var csv3 bytes.Buffer
	if err := exports.WriteResultsCSV(&csv3, p2); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(csv1.Bytes(), csv3.Bytes()) {
		t.Error("results computed twice from the same tallies differ")
	}

	_, records := readResultsCSV(t, csv1.Bytes())
	var doc struct {
		Survey    string           `json:"survey"`
		Title     string           `json:"title"`
		Edition   int              `json:"edition"`
		Threshold int              `json:"threshold"`
		Generated string           `json:"generated"`
		Rows      []map[string]any `json:"rows"`
	}
	dec := json.NewDecoder(bytes.NewReader(json1.Bytes()))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.Survey != s.Slug || doc.Edition != 2026 || doc.Threshold != 5 || doc.Generated != "2026-11-23" || doc.Title != "How are things? (test survey)" {
		t.Errorf("JSON head: %+v", doc)
	}
	if len(doc.Rows) != len(records)-1 {
		t.Fatalf("JSON has %d rows, CSV %d", len(doc.Rows), len(records)-1)
	}
	header := records[0]
	for i, row := range doc.Rows {
		rec := records[i+1]
		if rec[0] != s.Slug || rec[1] != "2026" {
			t.Fatalf("CSV row %d: survey %q edition %q", i, rec[0], rec[1])
		}
		for j, col := range header[2:] {
			if got := jsonCell(col, row[col]); got != rec[j+2] {
				t.Fatalf("row %d column %s: JSON %q, CSV %q", i, col, got, rec[j+2])
			}
		}
	}

	// The figures of one question, worked out from the responses.
	truth := map[string]int{}
	answered := 0
	for _, r := range rs {
		if a, ok := r.Answers["feel_safe"]; ok {
			truth[a.Choice]++
			answered++
		}
	}
	for _, rec := range records[1:] {
		if rec[2] != exports.AllVersions || rec[4] != "feel_safe" || rec[7] != exports.MeasureChoice || rec[12] == "true" {
			continue
		}
		n := truth[rec[8]]
		want := strconv.FormatFloat(math.Round(float64(n)*1000/float64(answered))/10, 'f', 1, 64)
		if rec[10] != strconv.Itoa(n) || rec[11] != want {
			t.Errorf("feel_safe %s: count %s percent %s, want %d and %s", rec[8], rec[10], rec[11], n, want)
		}
		if rec[3] != "safety" || rec[5] != "Do you feel safe where you live?" || rec[6] != "scale" {
			t.Errorf("feel_safe row labels: %q", rec)
		}
	}
}

// jsonCell writes a JSON value of a column as the CSV writes it.
func jsonCell(col string, v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case bool:
		return strconv.FormatBool(v)
	case json.Number:
		if col == "percent" {
			f, _ := v.Float64()
			return strconv.FormatFloat(f, 'f', 1, 64)
		}
		return v.String()
	case string:
		return v
	}
	return fmt.Sprint(v)
}

// TestResultsCSVFormulaInjection checks that labels a spreadsheet would
// run as formulas are written as text.
func TestResultsCSVFormulaInjection(t *testing.T) {
	t.Parallel()
	s := fixtureSurvey(t)
	for i := range s.Versions {
		v := &s.Versions[i]
		v.Question("feel_safe").Text = surveys.Text{"en": `=HYPERLINK("https://evil.example","safe?")`}
		v.Question("area").Choices[0].Label = surveys.Text{"en": "@SUM(1+1)"}
		v.Question("area").Choices[1].Label = surveys.Text{"en": "+44 central"}
		v.Question("area").Choices[2].Label = surveys.Text{"en": "-south"}
		v.Question("happy").Text = surveys.Text{"en": "\tHow happy?"}
	}
	p, err := exports.PublishResults(s, talliesOf(s, randomResponses(rand.New(rand.NewPCG(3, 4)), 40)), 5, resultsDay)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := exports.WriteResultsCSV(&buf, p); err != nil {
		t.Fatal(err)
	}
	_, records := readResultsCSV(t, buf.Bytes())
	seen := map[string]bool{}
	for _, rec := range records {
		for _, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("cell %q starts a formula", cell)
			}
			seen[cell] = true
		}
	}
	for _, want := range []string{`'=HYPERLINK("https://evil.example","safe?")`, "'@SUM(1+1)", "'+44 central", "'-south", "'\tHow happy?"} {
		if !seen[want] {
			t.Errorf("no cell %q", want)
		}
	}
}
