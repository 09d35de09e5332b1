package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// exportPath is the address of one of a survey's downloads.
func exportPath(slug, file string) string { return "/api/v1/surveys/" + slug + "/" + file }

// parseCSV parses a download back, failing the test on a bad file.
func parseCSV(t *testing.T, res response) [][]string {
	t.Helper()
	if res.status != 200 {
		t.Fatalf("download: %d %s", res.status, res.body)
	}
	if ct := res.headers.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := res.headers.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="`) {
		t.Errorf("Content-Disposition %q, want an attachment", cd)
	}
	if cc := res.headers.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	records, err := csv.NewReader(bytes.NewReader(res.body)).ReadAll()
	if err != nil {
		t.Fatalf("parse CSV: %v\n%s", err, res.body)
	}
	return records
}

// sixYoungerChildren answer the 8-11 version: all in the north, always
// safe, happy 7.
func sixYoungerChildren(int) resultsAnswer {
	return resultsAnswer{area: "north", feelSafe: "always", happy: 7, better: "a bigger garden"}
}

// resultCell is one figure of a results file: "hidden", or its count and
// percentage.
type resultCell struct{ count, percent string }

// resultCells indexes a results CSV by version/question/measure/choice,
// checking that each suppressed row shows no figure at all.
func resultCells(t *testing.T, records [][]string) map[string]resultCell {
	t.Helper()
	want := []string{"survey", "edition", "version", "section", "question", "question_text", "type",
		"measure", "choice", "choice_text", "count", "percent", "suppressed"}
	if !slices.Equal(records[0], want) {
		t.Fatalf("header %q", records[0])
	}
	cells := map[string]resultCell{}
	for _, r := range records[1:] {
		key := strings.Join([]string{r[2], r[4], r[7], r[8]}, "/")
		switch {
		case r[12] == "true" && r[10] == "" && r[11] == "":
			cells[key] = resultCell{count: "hidden"}
		case r[12] == "false" && r[10] != "":
			cells[key] = resultCell{r[10], r[11]}
		default:
			t.Errorf("row %q: suppressed rows have no figures, and shown ones a count", r)
		}
	}
	return cells
}

// TestResultsDownloads checks the published results against the answers:
// 20 young people answered the 11-18 version (twentyYoungPeople) and six
// the 8-11 version (sixYoungerChildren).
func TestResultsDownloads(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	const secret = "my carer is called Zebedee"
	h.resultsSubmit(s.Slug, 1, 20, twentyYoungPeople(secret))
	h.resultsSubmit(s.Slug, 101, 6, sixYoungerChildren)
	board := h.signIn(surveys.RoleBoard)

	res := h.do(request{method: "GET", path: exportPath(s.Slug, "results.csv"), as: &board})
	if cd := res.headers.Get("Content-Disposition"); cd != `attachment; filename="test-wellbeing-results.csv"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	records := parseCSV(t, res)
	cells := resultCells(t, records)
	want := map[string]resultCell{
		"all//responses/":       {"26", ""},
		"8-11//responses/":      {"6", ""},
		"11-18//responses/":     {"20", ""},
		"all/area/answered/":    {"26", ""},
		"all/area/choice/north": {"16", "61.5"},
		// south (2) is too few; central (8) goes too, or 26 - 16 - 8
		// would give south away.
		"all/area/choice/central":      {"hidden", ""},
		"all/area/choice/south":        {"hidden", ""},
		"8-11/area/choice/north":       {"6", "100.0"},
		"11-18/area/choice/north":      {"10", "50.0"},
		"11-18/area/choice/central":    {"hidden", ""},
		"all/feel_safe/choice/always":  {"20", "76.9"},
		"all/feel_safe/choice/never":   {"hidden", ""},
		"all/happy/value/7":            {"26", "100.0"},
		"all/happy/value/6":            {"hidden", ""},
		"11-18/talk_to/choice/yes":     {"15", "75.0"},
		"11-18/talk_to/choice/no":      {"5", "25.0"},
		"all/better/answered/":         {"26", ""},
		"11-18/talk_who/answered/":     {"15", ""},
		"all/why_unsafe/answered/":     {"6", ""},
		"all/why_unsafe/choice/home":   {"6", "100.0"},
		"all/why_unsafe/choice/school": {"hidden", ""},
		// No 8-11 answered where they feel less safe, too few to show;
		// 11-18's six would give that away (all 6 - 6), so they are hidden
		// too.
		"8-11/why_unsafe/answered/":      {"hidden", ""},
		"11-18/why_unsafe/answered/":     {"hidden", ""},
		"11-18/why_unsafe/choice/home":   {"hidden", ""},
		"11-18/why_unsafe/choice/online": {"hidden", ""},
	}
	for key, w := range want {
		if got, ok := cells[key]; !ok || got != w {
			t.Errorf("%s: %+v, want %+v", key, got, w)
		}
	}
	for _, r := range records[1:] {
		if r[0] != s.Slug || r[1] != "2026" {
			t.Fatalf("row %q: survey and edition", r)
		}
		if r[6] == "text" && r[7] != "answered" {
			t.Errorf("a text question has a row %q: text gives only how many answered", r)
		}
	}
	for _, row := range records {
		if strings.Contains(strings.Join(row, ","), "Zebedee") || strings.Contains(strings.Join(row, ","), "garden") {
			t.Fatalf("a young person's words are in the results: %q", row)
		}
	}
	both := []string{"8-11", "11-18"}
	checkNothingGivenAway(t, s, cells, 5, both)

	// The JSON holds the same rows, with the survey and when it was made.
	jres := h.do(request{method: "GET", path: exportPath(s.Slug, "results.json"), as: &board})
	if jres.status != 200 || jres.headers.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("results.json: %d %q", jres.status, jres.headers.Get("Content-Type"))
	}
	var doc struct {
		Survey    string `json:"survey"`
		Edition   int    `json:"edition"`
		Threshold int    `json:"threshold"`
		Generated string `json:"generated"`
		Rows      []struct {
			Version    string   `json:"version"`
			Question   string   `json:"question"`
			Measure    string   `json:"measure"`
			Choice     string   `json:"choice"`
			Count      *int     `json:"count"`
			Percent    *float64 `json:"percent"`
			Suppressed bool     `json:"suppressed"`
		} `json:"rows"`
	}
	jres.decode(t, &doc)
	if doc.Survey != s.Slug || doc.Edition != 2026 || doc.Threshold != 5 || doc.Generated != "2026-11-23" {
		t.Errorf("JSON head: %s %d %d %s", doc.Survey, doc.Edition, doc.Threshold, doc.Generated)
	}
	if len(doc.Rows) != len(records)-1 {
		t.Fatalf("JSON has %d rows, the CSV %d", len(doc.Rows), len(records)-1)
	}
	for _, r := range doc.Rows {
		c := cells[strings.Join([]string{r.Version, r.Question, r.Measure, r.Choice}, "/")]
		got := resultCell{count: "hidden"}
		if r.Count != nil {
			got.count = strconv.Itoa(*r.Count)
			if r.Percent != nil {
				got.percent = strconv.FormatFloat(*r.Percent, 'f', 1, 64)
			}
		}
		if got != c || r.Suppressed != (c.count == "hidden") || (r.Suppressed && (r.Count != nil || r.Percent != nil)) {
			t.Errorf("JSON row %+v, CSV %+v", r, c)
		}
	}

	// A change of the threshold applies at once.
	h.setThreshold(10)
	cells = resultCells(t, parseCSV(t, h.do(request{method: "GET", path: exportPath(s.Slug, "results.csv"), as: &board})))
	if got := cells["8-11//responses/"]; got.count != "hidden" {
		t.Errorf("8-11 responses with threshold 10: %+v", got)
	}
	checkNothingGivenAway(t, s, cells, 10, both)
}

// setThreshold changes the suppression threshold, as an admin would.
func (h *harness) setThreshold(n int) {
	h.t.Helper()
	ctx := surveys.NewContextWithUser(context.Background(), &surveys.User{Email: "admin@council.example", Role: surveys.RoleAdmin})
	st, err := h.settings.Current(ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	st.Threshold = n
	if _, err := h.settings.Save(ctx, st.Revision, st); err != nil {
		h.t.Fatal(err)
	}
}

// checkNothingGivenAway fails if a hidden figure of a results file can be
// worked out by subtraction: within a question (its cells and the number
// who answered) or across versions (a figure of all versions and the same
// figure of each version that has responses, responded).
func checkNothingGivenAway(t *testing.T, s *surveys.Survey, cells map[string]resultCell, threshold int, responded []string) {
	t.Helper()
	value := func(key string) (int, bool, bool) {
		c, ok := cells[key]
		if !ok {
			return 0, false, false
		}
		n, err := strconv.Atoi(c.count)
		return n, err == nil, true
	}
	check := func(where string, total string, parts []string, sums bool) {
		hidden, sum := 0, 0
		tn, tshown, _ := value(total)
		if !tshown {
			hidden++
		}
		for _, p := range parts {
			n, shown, ok := value(p)
			switch {
			case !ok:
			case shown:
				sum += n
			default:
				hidden++
			}
		}
		if hidden == 1 {
			t.Errorf("%s: one figure alone is hidden, so it can be worked out", where)
		}
		if rest := tn - sum; sums && tshown && rest > 0 && rest < threshold {
			t.Errorf("%s: the hidden figures add up to %d", where, rest)
		}
	}
	scopes := []string{"all"}
	for _, v := range s.Versions {
		scopes = append(scopes, v.Key)
	}
	for _, v := range s.Versions {
		for _, q := range v.Questions {
			choices := []string{}
			for _, c := range q.Choices {
				choices = append(choices, c.Key)
			}
			if q.Type == surveys.Rating {
				lo, hi := q.RatingRange()
				for n := lo; n <= hi; n++ {
					choices = append(choices, strconv.Itoa(n))
				}
			}
			measure := "choice"
			if q.Type == surveys.Rating {
				measure = "value"
			}
			for _, sc := range scopes {
				var parts []string
				for _, c := range choices {
					parts = append(parts, sc+"/"+q.Key+"/"+measure+"/"+c)
				}
				if _, shown, _ := value(sc + "/" + q.Key + "/answered/"); shown {
					check(sc+"/"+q.Key, sc+"/"+q.Key+"/answered/", parts, q.Type != surveys.MultiChoice)
				}
			}
			for _, tail := range append([]string{"answered/"}, func() []string {
				var out []string
				for _, c := range choices {
					out = append(out, measure+"/"+c)
				}
				return out
			}()...) {
				var parts []string
				for _, r := range responded {
					parts = append(parts, r+"/"+q.Key+"/"+tail)
				}
				check(q.Key+"/"+tail+" across versions", "all/"+q.Key+"/"+tail, parts, true)
			}
		}
	}
}

// exportRow is one row of a responses export, by column name.
func exportRows(t *testing.T, records [][]string) []map[string]string {
	t.Helper()
	var rows []map[string]string
	for _, r := range records[1:] {
		row := map[string]string{}
		for i, col := range records[0] {
			row[col] = r[i]
		}
		rows = append(rows, row)
	}
	return rows
}

// TestResponsesExport checks the individual responses against what was
// sent, and what of young people's words each role gets.
func TestResponsesExport(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	const secret = "my carer is called Zebedee"
	h.resultsSubmit(s.Slug, 1, 20, twentyYoungPeople(secret))
	h.resultsSubmit(s.Slug, 101, 6, sixYoungerChildren)
	// A comment a spreadsheet would run, and one with an approved quote
	// and one with a quote that waits for a second analyst.
	evil := resultsAnswer{area: "south", feelSafe: "never", whyUnsafe: []string{"school", "out"}, talkTo: "yes", happy: 0,
		better: `=HYPERLINK("https://evil.example","click")`}
	h.resultsSubmit(s.Slug, 200, 1, func(int) resultsAnswer { return evil })
	approvedID := surveys.VoiceID(surveys.ChannelSurvey, uuid(4), "better")
	pendingID := surveys.VoiceID(surveys.ChannelSurvey, uuid(5), "better")
	quote := func(id, text string, status surveys.QuoteStatus) {
		q := &surveys.Quote{Text: text, Status: status, By: "analyst@council.example", At: h.now}
		if err := h.voices.SetQuote(t.Context(), id, q); err != nil {
			t.Fatal(err)
		}
	}
	quote(approvedID, "my carer is called [name]", surveys.QuoteApproved)
	quote(pendingID, "more trips out, please", surveys.QuotePending)

	admin, analyst := h.signIn(surveys.RoleAdmin), h.signIn(surveys.RoleAnalyst)
	questions := []string{"area", "feel_safe", "why_unsafe", "happy", "talk_to"}
	withText := []string{"area", "feel_safe", "why_unsafe", "happy", "better", "talk_to", "talk_who"}
	// Words no export of theirs may hold.
	words := []string{"Zebedee", "more trips out", "garden", "HYPERLINK", "my carer"}
	cases := []struct {
		name      string
		as        *staff
		query     string
		columns   []string
		better    func(id string) string // the better cell of a response
		detail    string
		forbidden []string
	}{
		{"admin without text", &admin, "", questions, nil, "without free text", words},
		{"analyst without text", &analyst, "?text=0", questions, nil, "without free text", words},
		{"admin with text", &admin, "?text=1", withText, func(id string) string {
			switch {
			case id == uuid(4):
				return secret
			case id == uuid(200):
				return `'=HYPERLINK("https://evil.example","click")`
			case id >= uuid(101) && id <= uuid(106):
				return "a bigger garden"
			}
			return "more trips out"
		}, "with free text as written", nil},
		{"analyst with text", &analyst, "?text=1", withText, func(id string) string {
			if id == uuid(4) {
				return "my carer is called [name]"
			}
			return ""
		}, "with free text as approved quotes only", words[:4]},
	}
	for _, tc := range cases {
		before := len(h.svAudit(surveys.AuditResponsesExport, s.Slug))
		res := h.do(request{method: "GET", path: exportPath(s.Slug, "responses.csv") + tc.query, as: tc.as,
			headers: map[string]string{"Accept-Encoding": "gzip"}})
		// Sent as it is made: the compress middleware, which would read it
		// whole first, leaves it alone.
		if enc := res.headers.Get("Content-Encoding"); enc != "" {
			t.Errorf("%s: Content-Encoding %q", tc.name, enc)
		}
		records := parseCSV(t, res)
		if want := append([]string{"response_id", "version", "language", "day"}, tc.columns...); !slices.Equal(records[0], want) {
			t.Errorf("%s: columns %q, want %q", tc.name, records[0], want)
		}
		rows := exportRows(t, records)
		if len(rows) != 27 {
			t.Fatalf("%s: %d rows, want 27", tc.name, len(rows))
		}
		ids := make([]string, len(rows))
		for i, r := range rows {
			ids[i] = r["response_id"]
		}
		if !slices.IsSorted(ids) {
			t.Errorf("%s: rows not in order of id (they must not keep the order answers arrived in)", tc.name)
		}
		for _, r := range rows {
			checkExportRow(t, tc.name, r)
			if tc.better != nil && r["better"] != tc.better(r["response_id"]) {
				t.Errorf("%s: response %s better %q, want %q", tc.name, r["response_id"], r["better"], tc.better(r["response_id"]))
			}
		}
		for _, w := range tc.forbidden {
			if strings.Contains(string(res.body), w) {
				t.Errorf("%s: the export has young people's words %q", tc.name, w)
			}
		}
		for _, r := range rows {
			if tc.as == &analyst && tc.better != nil && r["talk_who"] != "" {
				t.Errorf("%s: response %s talk_who %q, which has no approved quote", tc.name, r["response_id"], r["talk_who"])
			}
		}
		if n := len(h.svAudit(surveys.AuditResponsesExport, s.Slug)); n != before+1 {
			t.Fatalf("%s: %d audit entries, want %d", tc.name, n, before+1)
		}
	}
	// Each export is recorded: who, which survey, whether with words.
	// (The entries share one instant of the test's clock, so their order
	// is not theirs.)
	var got, want []string
	for _, e := range h.svAudit(surveys.AuditResponsesExport, s.Slug) {
		got = append(got, e.Actor+": "+e.Detail)
		if strings.Contains(e.Detail, "Zebedee") || strings.Contains(e.Detail, "trips") {
			t.Errorf("an audit entry holds an answer: %q", e.Detail)
		}
	}
	for _, tc := range cases {
		actor := "admin@council.example"
		if tc.as == &analyst {
			actor = "analyst@council.example"
		}
		want = append(want, actor+": "+tc.detail)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("audit entries:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if strings.Contains(h.logs.String(), "Zebedee") {
		t.Error("the log has a young person's words")
	}
}

// checkExportRow checks a row of the export against what twentyYoungPeople,
// sixYoungerChildren and the one evil response sent.
func checkExportRow(t *testing.T, name string, r map[string]string) {
	t.Helper()
	id := r["response_id"]
	n, err := strconv.Atoi(id[len(id)-12:])
	if err != nil {
		t.Fatalf("%s: response id %q", name, id)
	}
	var a resultsAnswer
	switch {
	case n == 200:
		a = resultsAnswer{area: "south", feelSafe: "never", whyUnsafe: []string{"school", "out"}, talkTo: "yes", happy: 0}
	case n >= 101:
		a = sixYoungerChildren(n - 101)
	default:
		a = twentyYoungPeople("")(n - 1)
	}
	version := "8-11"
	if a.talkTo != "" {
		version = "11-18"
	}
	want := map[string]string{"version": version, "language": "en", "day": "2026-11-23", "area": a.area,
		"feel_safe": a.feelSafe, "why_unsafe": strings.Join(a.whyUnsafe, ";"), "happy": strconv.Itoa(a.happy), "talk_to": a.talkTo}
	for col, w := range want {
		if r[col] != w {
			t.Errorf("%s: response %s %s %q, want %q", name, id, col, r[col], w)
		}
	}
	if talkWho, ok := r["talk_who"]; ok && a.talkTo != "yes" && talkWho != "" {
		t.Errorf("%s: response %s talk_who %q, but it was not asked", name, id, talkWho)
	}
}

// TestExportRequestsRefused checks who may download what, and the answers
// to requests that cannot be met: each changes nothing and exports
// nothing.
func TestExportRequestsRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	h.resultsSubmit(s.Slug, 1, 6, sixYoungerChildren)
	who := map[surveys.Role]staff{}
	for _, r := range surveys.Roles {
		who[r] = h.signIn(r)
	}
	files := map[string][]surveys.Role{
		"results.csv":    {surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleBoard},
		"results.json":   {surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleBoard},
		"responses.csv":  {surveys.RoleAdmin, surveys.RoleAnalyst},
		"dictionary.csv": {surveys.RoleAdmin, surveys.RoleAnalyst},
	}
	for file, allowed := range files {
		if res := h.do(request{method: "GET", path: exportPath(s.Slug, file)}); res.status != 401 {
			t.Errorf("%s signed out: %d, want 401", file, res.status)
		}
		for _, role := range surveys.Roles {
			w := who[role]
			status := 403
			if slices.Contains(allowed, role) {
				status = 200
			}
			if res := h.do(request{method: "GET", path: exportPath(s.Slug, file), as: &w}); res.status != status {
				t.Errorf("%s as %s: %d, want %d", file, role, res.status, status)
			}
		}
		admin := who[surveys.RoleAdmin]
		res := h.do(request{method: "GET", path: exportPath("no-such-survey", file), as: &admin})
		if msg, _ := res.errorOf(t); res.status != 404 || msg == "" || res.headers.Get("Content-Disposition") != "" {
			t.Errorf("%s of an unknown survey: %d %s (Content-Disposition %q), want 404 with a message, not a file",
				file, res.status, res.body, res.headers.Get("Content-Disposition"))
		}
	}
	// Only analysts' and admins' exports are recorded, and only theirs.
	if n := len(h.svAudit(surveys.AuditResponsesExport, s.Slug)); n != 2 {
		t.Errorf("%d exports recorded, want the admin's and the analyst's", n)
	}

	analyst := who[surveys.RoleAnalyst]
	for _, q := range []string{"?text=yes", "?text=2", "?text=true"} {
		res := h.do(request{method: "GET", path: exportPath(s.Slug, "responses.csv") + q, as: &analyst})
		msg, fields := res.errorOf(t)
		if res.status != 422 || !strings.Contains(msg, "text=1") || fields["text"] == "" || res.headers.Get("Content-Disposition") != "" {
			t.Errorf("%s: %d %s, want 422 saying what text may be", q, res.status, res.body)
		}
	}
	// A HEAD request reads nothing, so exports nothing.
	if res := h.do(request{method: "HEAD", path: exportPath(s.Slug, "responses.csv"), as: &analyst}); res.status != 200 || len(res.body) != 0 {
		t.Errorf("HEAD: %d with %d bytes", res.status, len(res.body))
	}
	if n := len(h.svAudit(surveys.AuditResponsesExport, s.Slug)); n != 2 {
		t.Errorf("%d exports recorded after refused requests and a HEAD, want 2", n)
	}
}

// TestExportsOfASurveyWithNoAnswers gives files with their headers and
// every figure hidden.
func TestExportsOfASurveyWithNoAnswers(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusDraft)
	analyst := h.signIn(surveys.RoleAnalyst)
	records := parseCSV(t, h.do(request{method: "GET", path: exportPath(s.Slug, "responses.csv?text=1"), as: &analyst}))
	if len(records) != 1 || records[0][0] != "response_id" {
		t.Errorf("responses of a survey no one answered: %q", records)
	}
	cells := resultCells(t, parseCSV(t, h.do(request{method: "GET", path: exportPath(s.Slug, "results.csv"), as: &analyst})))
	for key, c := range cells {
		if c.count != "hidden" {
			t.Errorf("%s: %+v, want hidden", key, c)
		}
	}
}

// TestDictionaryDownload checks the data dictionary names every column of
// the responses export.
func TestDictionaryDownload(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	admin := h.signIn(surveys.RoleAdmin)
	dict := parseCSV(t, h.do(request{method: "GET", path: exportPath(s.Slug, "dictionary.csv"), as: &admin}))
	if want := []string{"column", "choice", "type", "versions", "section", "text", "min", "max"}; !slices.Equal(dict[0], want) {
		t.Fatalf("header %q", dict[0])
	}
	described := map[string]bool{}
	for _, r := range dict[1:] {
		described[r[0]+"/"+r[1]] = true
	}
	cols := parseCSV(t, h.do(request{method: "GET", path: exportPath(s.Slug, "responses.csv?text=1"), as: &admin}))[0]
	for _, c := range cols {
		if !described[c+"/"] {
			t.Errorf("column %s is not in the dictionary", c)
		}
	}
	for _, v := range s.Versions {
		for _, q := range v.Questions {
			for _, c := range q.Choices {
				if !described[q.Key+"/"+c.Key] {
					t.Errorf("choice %s/%s is not in the dictionary", q.Key, c.Key)
				}
			}
		}
	}
	if !slices.ContainsFunc(dict, func(r []string) bool {
		return slices.Equal(r, []string{"talk_to", "", "single_choice", "11-18", "safety", "Is there an adult you can talk to when you are worried?", "", ""})
	}) {
		t.Error("no row for talk_to, asked of 11-18s only")
	}
}

// TestResultsPageOffersDownloads checks the results page links to the
// downloads each role may have.
func TestResultsPageOffersDownloads(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	h.resultsSubmit(s.Slug, 1, 6, sixYoungerChildren)
	for _, tc := range []struct {
		role      surveys.Role
		responses bool
	}{
		{surveys.RoleAdmin, true},
		{surveys.RoleAnalyst, true},
		{surveys.RoleBoard, false},
	} {
		who := h.signIn(tc.role)
		res, body := h.resultsPage(&who, s.Slug, "")
		if res.status != 200 {
			t.Fatalf("%s: %d", tc.role, res.status)
		}
		for file, want := range map[string]bool{
			"results.csv": true, "results.json": true, "responses.csv": tc.responses,
			"responses.csv?text=1": tc.responses, "dictionary.csv": tc.responses,
		} {
			link := fmt.Sprintf(`href="%s"`, exportPath(s.Slug, file))
			if strings.Contains(body, link) != want {
				t.Errorf("%s: link to %s shown %v, want %v", tc.role, file, !want, want)
			}
			if want {
				// The link works for them.
				if res := h.do(request{method: "GET", path: exportPath(s.Slug, file), as: &who}); res.status != 200 {
					t.Errorf("%s: %s: %d", tc.role, file, res.status)
				}
			}
		}
	}
}
