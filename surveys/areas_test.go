package surveys_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
)

func TestSchoolYearOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		day  string
		year int
		term surveys.Term
	}{
		{"2026-09-01", 2026, surveys.TermAutumn},
		{"2026-12-31", 2026, surveys.TermAutumn},
		{"2027-01-01", 2026, surveys.TermSpring},
		{"2027-03-31", 2026, surveys.TermSpring},
		{"2027-04-01", 2026, surveys.TermSummer},
		{"2027-08-31", 2026, surveys.TermSummer},
		{"2027-09-01", 2027, surveys.TermAutumn},
		{"2000-02-29", 1999, surveys.TermSpring},
	}
	for _, tt := range tests {
		day, _ := time.Parse(time.DateOnly, tt.day)
		if y, term := surveys.SchoolYearOf(day); y != tt.year || term != tt.term {
			t.Errorf("SchoolYearOf(%s) = %d %s, want %d %s", tt.day, y, term, tt.year, tt.term)
		}
		// Every day is in the period of its own term and school year.
		if p := surveys.TermPeriod(tt.year, tt.term); tt.day < p.From || tt.day > p.To {
			t.Errorf("%s is outside its term %+v", tt.day, p)
		}
		if p := surveys.TermPeriod(tt.year, ""); tt.day < p.From || tt.day > p.To {
			t.Errorf("%s is outside its school year %+v", tt.day, p)
		}
	}
	if got := surveys.SchoolYearName(2026); got != "2026/27" {
		t.Errorf("SchoolYearName(2026) = %q", got)
	}
	if got := surveys.SchoolYearName(2099); got != "2099/00" {
		t.Errorf("SchoolYearName(2099) = %q", got)
	}
	if surveys.TermAutumn.Name() != "Autumn" || surveys.Term("").Name() != "" {
		t.Error("term names")
	}
}

func TestTermPeriod(t *testing.T) {
	t.Parallel()
	tests := []struct {
		year int
		term surveys.Term
		want surveys.Period
	}{
		{2026, surveys.TermAutumn, surveys.Period{From: "2026-09-01", To: "2026-12-31"}},
		{2026, surveys.TermSpring, surveys.Period{From: "2027-01-01", To: "2027-03-31"}},
		{2026, surveys.TermSummer, surveys.Period{From: "2027-04-01", To: "2027-08-31"}},
		{2026, "", surveys.Period{From: "2026-09-01", To: "2027-08-31"}},
	}
	for _, tt := range tests {
		if got := surveys.TermPeriod(tt.year, tt.term); got != tt.want {
			t.Errorf("TermPeriod(%d, %q) = %+v, want %+v", tt.year, tt.term, got, tt.want)
		}
	}
	// The terms of a year follow each other, day after day, and cover it.
	prev := ""
	for _, term := range surveys.Terms {
		p := surveys.TermPeriod(2026, term)
		if prev != "" {
			end, _ := time.Parse(time.DateOnly, prev)
			if next := end.AddDate(0, 0, 1).Format(time.DateOnly); p.From != next {
				t.Errorf("%s starts %s, want %s", term, p.From, next)
			}
		}
		prev = p.To
	}
}

// TestAreasPeriods asks for each term and the whole year: each is
// compared with the term (or year) before.
func TestAreasPeriods(t *testing.T) {
	t.Parallel()
	f := newCouncils(t)
	tests := []struct {
		q                  surveys.AreaQuery
		name, prevName     string
		period, previous   surveys.Period
		wantYear, wantTerm string
	}{
		{surveys.AreaQuery{Year: 2026, Term: surveys.TermAutumn}, "Autumn term 2026/27", "Summer term 2025/26",
			surveys.Period{From: "2026-09-01", To: "2026-12-31"}, surveys.Period{From: "2026-04-01", To: "2026-08-31"}, "2026", "autumn"},
		{surveys.AreaQuery{Year: 2026, Term: surveys.TermSpring}, "Spring term 2026/27", "Autumn term 2026/27",
			surveys.Period{From: "2027-01-01", To: "2027-03-31"}, surveys.Period{From: "2026-09-01", To: "2026-12-31"}, "2026", "spring"},
		{surveys.AreaQuery{Year: 2026, Term: surveys.TermSummer}, "Summer term 2026/27", "Spring term 2026/27",
			surveys.Period{From: "2027-04-01", To: "2027-08-31"}, surveys.Period{From: "2027-01-01", To: "2027-03-31"}, "2026", "summer"},
		{surveys.AreaQuery{Year: 2026}, "School year 2026/27", "School year 2025/26",
			surveys.Period{From: "2026-09-01", To: "2027-08-31"}, surveys.Period{From: "2025-09-01", To: "2026-08-31"}, "2026", ""},
		// No year is now: the clock says the autumn term of 2026/27.
		{surveys.AreaQuery{}, "Autumn term 2026/27", "Summer term 2025/26",
			surveys.Period{From: "2026-09-01", To: "2026-12-31"}, surveys.Period{From: "2026-04-01", To: "2026-08-31"}, "2026", "autumn"},
	}
	for _, tt := range tests {
		rep, err := f.c.Areas(asUser(surveys.RoleAnalyst, ""), tt.q)
		if err != nil {
			t.Fatalf("%+v: %v", tt.q, err)
		}
		if rep.Name != tt.name || rep.PrevName != tt.prevName || rep.Period != tt.period || rep.Previous != tt.previous ||
			fmt.Sprint(rep.Query.Year) != tt.wantYear || string(rep.Query.Term) != tt.wantTerm {
			t.Errorf("%+v: %q (%+v) after %q (%+v), query %+v", tt.q, rep.Name, rep.Period, rep.PrevName, rep.Previous, rep.Query)
		}
	}
	if rep, _ := f.c.Areas(asUser(surveys.RoleAnalyst, ""), surveys.AreaQuery{}); rep.Council != "Knowsley Council" || rep.Threshold != 5 ||
		!rep.Generated.Equal(councilStart) {
		t.Errorf("report %q threshold %d generated %v", rep.Council, rep.Threshold, rep.Generated)
	}
}

func TestAreasBadQueries(t *testing.T) {
	t.Parallel()
	f := newCouncils(t)
	year := map[string]string{"year": "must be a year from 2000 to 2100"}
	tests := []struct {
		q    surveys.AreaQuery
		want map[string]string
	}{
		{surveys.AreaQuery{Year: 1999}, year},
		{surveys.AreaQuery{Year: 2101, Term: surveys.TermAutumn}, year},
		{surveys.AreaQuery{Year: -2026}, year},
		{surveys.AreaQuery{Year: 2026, Term: "winter"}, map[string]string{"term": "must be autumn, spring, summer or empty for the whole year"}},
		{surveys.AreaQuery{Term: "Autumn"}, map[string]string{"term": "must be autumn, spring, summer or empty for the whole year"}},
	}
	for _, tt := range tests {
		_, err := f.c.Areas(asUser(surveys.RoleAnalyst, ""), tt.q)
		assertFields(t, err, tt.want)
	}
	// Without a redactor the report is refused rather than show items'
	// words as they are.
	f.c.Redactor = nil
	if _, err := f.c.Areas(asUser(surveys.RoleAnalyst, ""), surveys.AreaQuery{}); surveys.ErrorCode(err) != surveys.EINTERNAL {
		t.Errorf("no redactor: %v, want an internal error", err)
	}
}

// areaItem is an item of a test meeting: "said|support|status|themes",
// with "!" before the support for a priority.
func areaItem(s string) surveys.CouncilItem {
	parts := strings.Split(s, "|")
	it := surveys.CouncilItem{Said: parts[0], Status: surveys.ItemStatus(parts[2]), Themes: strings.Fields(parts[3])}
	support := parts[1]
	if rest, ok := strings.CutPrefix(support, "!"); ok {
		it.Priority, support = true, rest
	}
	fmt.Sscan(support, &it.Support)
	return it
}

// putMeeting stores a meeting of school (in area) on day as it would be
// stored, without the service.
func putMeeting(f *councilFixture, school, area, day string, pupils int, items ...string) {
	m := &surveys.CouncilMeeting{ID: fmt.Sprintf("%s-%s", school, day), School: school, Area: area, Day: day, Pupils: pupils,
		YearGroups: []surveys.YearGroup{"6"}, Revision: 1, Created: councilStart, Updated: councilStart}
	for i, s := range items {
		it := areaItem(s)
		it.ID = fmt.Sprint(i + 1)
		m.Items = append(m.Items, it)
	}
	f.store.put(m)
}

// countOf shows a count, "-" when it is hidden.
func countOf[T int | float64](p *T) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprint(*p)
}

// figures shows an area's figures on one line.
func figures(a surveys.AreaFigures) string {
	name := a.Name
	if name == "" {
		name = "Borough"
	}
	return fmt.Sprintf("%s %d/%d shown=%v pupils=%s items=%s priorities=%s acted=%s (%s%%) top=%d", name, a.Reported, a.Schools, a.Shown,
		countOf(a.Pupils), countOf(a.Items), countOf(a.Priorities), countOf(a.ActedOn), countOf(a.ActedOnPercent), len(a.TopItems))
}

func reportFigures(rep *surveys.AreaReport) []string {
	out := []string{figures(rep.Borough)}
	for _, a := range rep.Areas {
		out = append(out, figures(a))
	}
	return out
}

// TestAreasSuppression: North has two schools reporting, so its figures
// are hidden; Central, the next smallest, is hidden too, or North's could
// be worked out as the borough's minus Central's and South's. Counts under
// the threshold are hidden in each measure as a table adding up to the
// borough's.
func TestAreasSuppression(t *testing.T) {
	t.Parallel()
	f := newCouncils(t)
	putMeeting(f, "kirkby-high", "North", "2026-10-05", 10, "More clubs|!30|done|activities", "Homework club|3|not_yet|education")
	putMeeting(f, "st-marys", "North", "2026-10-12", 8, "A football club|12|in_progress|activities")
	putMeeting(f, "huyton-primary", "Central", "2026-10-06", 12, "A later bus|20|planned|transport")
	putMeeting(f, "page-moss", "Central", "2026-11-02", 9, "Art club|6|done|activities")
	putMeeting(f, "park-brow", "Central", "2026-11-03", 7, "Safer crossing|2|not_yet|safety")
	putMeeting(f, "halewood-academy", "South", "2026-10-07", 15, "At Halewood Academy the toilets are broken|!50|done|physical_health",
		"Longer lunch|4|not_yet|physical_health")
	putMeeting(f, "lord-derby", "South", "2026-10-08", 11, "More revision sessions|9|in_progress|education")
	putMeeting(f, "whiston-willis", "South", "2026-11-09", 6, "A bus pass|5|planned|transport")
	putMeeting(f, "prescot-primary", "South", "2026-11-10", 5, "A water fountain|1|not_yet|")
	// A meeting of the term before, and one after the term: not counted
	// in the term.
	putMeeting(f, "kirkby-high", "North", "2026-07-01", 99, "Summer item|1|done|activities")
	putMeeting(f, "kirkby-high", "North", "2027-01-10", 99, "Spring item|1|done|activities")

	rep, err := f.c.Areas(asUser(surveys.RoleBoard, ""), surveys.AreaQuery{Year: 2026, Term: surveys.TermAutumn})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Borough 9/9 shown=true pupils=83 items=11 priorities=- acted=5 (45.5%) top=5",
		"North 2/2 shown=false pupils=- items=- priorities=- acted=- (-%) top=0",
		"Central 3/3 shown=false pupils=- items=- priorities=- acted=- (-%) top=0",
		"South 4/4 shown=true pupils=37 items=5 priorities=- acted=- (-%) top=5",
	}
	if got := reportFigures(rep); !slices.Equal(got, want) {
		t.Errorf("figures:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if rep.Areas[0].Why != "Fewer than 3 schools reported, so this area's figures are in the borough's only." {
		t.Errorf("North: %q", rep.Areas[0].Why)
	}
	if rep.Areas[1].Why != "Shown with the borough's only, so that a smaller area's figures cannot be worked out from them." {
		t.Errorf("Central: %q", rep.Areas[1].Why)
	}
	if rep.Borough.Why != "" || rep.Areas[2].Why != "" {
		t.Errorf("shown figures with a reason: %q %q", rep.Borough.Why, rep.Areas[2].Why)
	}
	// Nothing hidden can be worked out from what is shown: each measure
	// hides none of the areas or at least two, and what the hidden ones add
	// up to is none or at least the threshold.
	for _, tt := range []struct {
		name    string
		get     func(surveys.AreaFigures) *int
		borough int
	}{
		{"pupils", func(a surveys.AreaFigures) *int { return a.Pupils }, 83},
		{"items", func(a surveys.AreaFigures) *int { return a.Items }, 11},
	} {
		hidden, shown := 0, 0
		for _, a := range rep.Areas {
			if v := tt.get(a); v == nil {
				hidden++
			} else {
				shown += *v
			}
		}
		if rest := tt.borough - shown; hidden == 1 || (rest > 0 && rest < rep.Threshold) {
			t.Errorf("%s: %d areas hidden adding up to %d", tt.name, hidden, rest)
		}
	}

	// The top items: most support first, their words without the school's
	// name, a support under the threshold hidden.
	var top []string
	for _, it := range rep.Borough.TopItems {
		top = append(top, fmt.Sprintf("%s %s %v %s %v", it.Text, countOf(it.Support), it.Priority, it.Status, it.Themes))
	}
	wantTop := []string{
		"At [school] the toilets are broken 50 true done [Health, food and sleep]",
		"More clubs 30 true done [Things to do]",
		"A later bus 20 false planned [Getting about]",
		"A football club 12 false in_progress [Things to do]",
		"More revision sessions 9 false in_progress [School and learning]",
	}
	if !slices.Equal(top, wantTop) {
		t.Errorf("top items:\n  %s\nwant:\n  %s", strings.Join(top, "\n  "), strings.Join(wantTop, "\n  "))
	}
	var south []string
	for _, it := range rep.Areas[2].TopItems {
		south = append(south, it.Text+" "+countOf(it.Support))
	}
	if want := []string{"At [school] the toilets are broken 50", "More revision sessions 9", "A bus pass 5", "Longer lunch -", "A water fountain -"}; !slices.Equal(south, want) {
		t.Errorf("South's top items: %q, want %q", south, want)
	}
	for _, a := range rep.Areas[:2] {
		if a.TopItems != nil {
			t.Errorf("%s is hidden but lists %d items", a.Name, len(a.TopItems))
		}
	}

	// Themes: counted per area as a table adding up to the borough, each
	// area's hidden as its figures are.
	// Every theme was raised fewer than five times in the borough, so all
	// are hidden, in the codebook's order.
	var order []string
	for _, r := range rep.Themes {
		order = append(order, r.Key)
		if r.Borough.Count != nil || r.Borough.Previous != nil || r.Borough.Change != nil {
			t.Errorf("%s: %s (was %s)", r.Key, countOf(r.Borough.Count), countOf(r.Borough.Previous))
		}
		for i, c := range r.ByArea {
			if c.Count != nil {
				t.Errorf("%s: %s's count %d is shown", r.Key, rep.Areas[i].Name, *c.Count)
			}
		}
	}
	if want := []string{"education", "activities", "transport", "physical_health", "safety"}; !slices.Equal(order, want) {
		t.Errorf("themes listed: %v, want %v", order, want)
	}
}

// TestAreasTooFewSchools: with fewer than three schools reporting in the
// whole borough, nothing is shown at all, not even the borough's figures.
func TestAreasTooFewSchools(t *testing.T) {
	t.Parallel()
	f := newCouncils(t)
	putMeeting(f, "kirkby-high", "North", "2026-10-05", 40, "More clubs|30|done|activities", "Homework club|25|done|education",
		"A later bus|20|done|transport", "Art club|10|done|activities", "Football|10|done|activities", "Netball|10|done|activities")
	putMeeting(f, "halewood-academy", "South", "2026-10-07", 50, "Longer lunch|40|planned|physical_health")
	putMeeting(f, "halewood-academy", "South", "2026-11-07", 50, "Even longer lunch|40|planned|physical_health")
	rep, err := f.c.Areas(asUser(surveys.RoleAnalyst, ""), surveys.AreaQuery{Year: 2026, Term: surveys.TermAutumn})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Borough 2/9 shown=false pupils=- items=- priorities=- acted=- (-%) top=0",
		"North 1/2 shown=false pupils=- items=- priorities=- acted=- (-%) top=0",
		"Central 0/3 shown=false pupils=- items=- priorities=- acted=- (-%) top=0",
		"South 1/4 shown=false pupils=- items=- priorities=- acted=- (-%) top=0",
	}
	if got := reportFigures(rep); !slices.Equal(got, want) {
		t.Errorf("figures:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	why := "Fewer than 3 schools reported, so no figures are shown: a school could be picked out."
	if rep.Borough.Why != why || rep.Areas[0].Why != why || rep.Areas[2].Why != why || rep.Areas[1].Why != "No school in this area reported." {
		t.Errorf("reasons: %q %q %q %q", rep.Borough.Why, rep.Areas[0].Why, rep.Areas[1].Why, rep.Areas[2].Why)
	}
	if rep.Borough.TopItems != nil {
		t.Error("top items of a hidden borough")
	}
	for _, r := range rep.Themes {
		if r.Borough.Count != nil || r.Borough.Change != nil {
			t.Errorf("theme %s is counted: %s", r.Key, countOf(r.Borough.Count))
		}
		for _, c := range r.ByArea {
			if c.Count != nil {
				t.Errorf("theme %s is counted in an area", r.Key)
			}
		}
	}
}

// wideSettings are a borough whose three areas each have three schools.
func wideSettings() *surveys.Settings {
	st := &surveys.Settings{CouncilName: "Knowsley Council", Threshold: 5, Areas: []string{"North", "Central", "South"}}
	for _, area := range st.Areas {
		for i := 1; i <= 3; i++ {
			key := fmt.Sprintf("%s-%d", strings.ToLower(area), i)
			st.Schools = append(st.Schools, surveys.School{Key: key, Name: fmt.Sprintf("%s School %d", area, i), Area: area, Phase: surveys.PhasePrimary})
		}
	}
	return st
}

// TestAreasThemeTrends counts themes this term and the term before, with
// the change where both are shown, and lists suppressed themes last in
// the codebook's order, so that their order says nothing of their counts.
func TestAreasThemeTrends(t *testing.T) {
	t.Parallel()
	f := newCouncils(t)
	f.c.Settings = &surveys.SettingsService{Store: &memSettings{st: wideSettings()}, Now: f.clock.Now}
	for _, area := range []string{"North", "Central", "South"} {
		for i := 1; i <= 3; i++ {
			school := fmt.Sprintf("%s-%d", strings.ToLower(area), i)
			// This term: each school raises two items on activities and
			// one on transport; the term before, one on activities.
			putMeeting(f, school, area, "2026-10-0"+fmt.Sprint(i), 10,
				"Clubs|6|done|activities", "Trips|6|planned|activities", "Buses|6|not_yet|transport")
			putMeeting(f, school, area, "2026-06-0"+fmt.Sprint(i), 10, "Sports day|6|done|activities")
		}
	}
	// Two suppressed themes: money raised twice, safety once. Money comes
	// after safety in the codebook.
	putMeeting(f, "north-1", "North", "2026-11-20", 5, "Pocket money|1|not_yet|money", "More pocket money|1|not_yet|money", "Safe crossing|1|not_yet|safety")

	rep, err := f.c.Areas(asUser(surveys.RoleAnalyst, ""), surveys.AreaQuery{Year: 2026, Term: surveys.TermAutumn})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rep.Themes {
		line := fmt.Sprintf("%s %s (was %s, %s)", r.Key, countOf(r.Borough.Count), countOf(r.Borough.Previous), countOf(r.Borough.Change))
		for _, c := range r.ByArea {
			line += fmt.Sprintf(" | %s (was %s, %s)", countOf(c.Count), countOf(c.Previous), countOf(c.Change))
		}
		got = append(got, line)
	}
	want := []string{
		"activities 18 (was 9, 9) | 6 (was -, -) | 6 (was -, -) | 6 (was -, -)",
		"transport 9 (was -, -) | - (was -, -) | - (was -, -) | - (was -, -)",
		"safety - (was -, -) | - (was -, -) | - (was -, -) | - (was -, -)",
		"money - (was -, -) | - (was -, -) | - (was -, -) | - (was -, -)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("themes:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	for _, r := range rep.Themes {
		if r.Key == "activities" && r.Name != "Things to do" {
			t.Errorf("theme name %q", r.Name)
		}
	}
	wantFigures := []string{
		"Borough 9/9 shown=true pupils=95 items=30 priorities=- acted=9 (30%) top=5",
		"North 3/3 shown=true pupils=35 items=12 priorities=- acted=- (-%) top=5",
		"Central 3/3 shown=true pupils=30 items=9 priorities=- acted=- (-%) top=5",
		"South 3/3 shown=true pupils=30 items=9 priorities=- acted=- (-%) top=5",
	}
	if got := reportFigures(rep); !slices.Equal(got, wantFigures) {
		t.Errorf("figures:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(wantFigures, "\n  "))
	}

	// The whole year against the year before: the summer's meetings were
	// in 2025/26.
	year, err := f.c.Areas(asUser(surveys.RoleAnalyst, ""), surveys.AreaQuery{Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	if r := year.Themes[0]; r.Key != "activities" || countOf(r.Borough.Count) != "18" || countOf(r.Borough.Previous) != "9" {
		t.Errorf("the year's activities: %s, was %s", countOf(r.Borough.Count), countOf(r.Borough.Previous))
	}
	last, err := f.c.Areas(asUser(surveys.RoleAnalyst, ""), surveys.AreaQuery{Year: 2025, Term: surveys.TermSummer})
	if err != nil {
		t.Fatal(err)
	}
	if got := figures(last.Borough); got != "Borough 9/9 shown=true pupils=90 items=9 priorities=- acted=9 (100%) top=5" {
		t.Errorf("last summer: %s", got)
	}

	// The report made for the board's PDF is in the audit log.
	if _, err := f.c.AreaReportOf(asUser(surveys.RoleBoard, ""), surveys.AreaQuery{Year: 2026}); err != nil {
		t.Fatal(err)
	}
	if e := f.audit.of(surveys.AuditReportArea); len(e) != 1 || e[0].Target != "areas" || e[0].Detail != "School year 2026/27" ||
		e[0].Role != surveys.RoleBoard {
		t.Errorf("audit %+v", e)
	}
}

// TestAreasMeetingOfAnOldArea: a meeting recorded in an area no longer in
// the settings counts for the borough only, and still counts as hidden
// when the areas shown are added up.
func TestAreasMeetingOfAnOldArea(t *testing.T) {
	t.Parallel()
	f := newCouncils(t)
	f.c.Settings = &surveys.SettingsService{Store: &memSettings{st: wideSettings()}, Now: f.clock.Now}
	for i := 1; i <= 3; i++ {
		putMeeting(f, fmt.Sprintf("north-%d", i), "North", "2026-10-01", 10, "Clubs|6|done|activities")
		putMeeting(f, fmt.Sprintf("south-%d", i), "South", "2026-10-01", 10, "Clubs|6|done|activities")
	}
	putMeeting(f, "old-school", "Halewood", "2026-10-01", 4, "Clubs|6|done|activities")
	putMeeting(f, "older-school", "Halewood", "2026-10-01", 4, "Clubs|6|done|activities")
	rep, err := f.c.Areas(asUser(surveys.RoleAnalyst, ""), surveys.AreaQuery{Year: 2026, Term: surveys.TermAutumn})
	if err != nil {
		t.Fatal(err)
	}
	// Eight schools: the borough shows. Two schools are outside every
	// area, so one area is hidden too: their figures would be the
	// borough's minus North's and South's. With North hidden, South's
	// counts go too, or North's would be the borough's minus South's and
	// the old area's few.
	want := []string{
		"Borough 8/9 shown=true pupils=68 items=8 priorities=- acted=8 (100%) top=5",
		"North 3/3 shown=false pupils=- items=- priorities=- acted=- (-%) top=0",
		"Central 0/3 shown=false pupils=- items=- priorities=- acted=- (-%) top=0",
		"South 3/3 shown=true pupils=- items=- priorities=- acted=- (-%) top=3",
	}
	if got := reportFigures(rep); !slices.Equal(got, want) {
		t.Errorf("figures:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}
