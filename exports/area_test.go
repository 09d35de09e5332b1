package exports_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/heard-app/heard/exports"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/coder"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/mongo/mongotest"
	"github.com/heard-app/heard/surveys/redact"
)

// The area report's tests record school council meetings through a real
// surveys.Councils on the embedded database, as school leads do, make
// the report as the server does, and read the PDF back with poppler.

func TestMain(m *testing.M) { os.Exit(mongotest.Main(m)) }

// councilDay is "today" in these tests: the autumn term of 2026/27.
var councilDay = time.Date(2026, 12, 10, 9, 0, 0, 0, time.UTC)

// councilSchools are the borough's schools: four in the North, three in
// Central and three in the South.
var councilSchools = []surveys.School{
	{Name: "Halewood Academy", Area: "North", Phase: surveys.PhaseSecondary},
	{Name: "St Aidan's Primary", Area: "North", Phase: surveys.PhasePrimary},
	{Name: "Park Brow Primary", Area: "North", Phase: surveys.PhasePrimary},
	{Name: "Kirkby High School", Area: "North", Phase: surveys.PhaseSecondary},
	{Name: "Huyton Arts Primary", Area: "Central", Phase: surveys.PhasePrimary},
	{Name: "Roby Park Primary", Area: "Central", Phase: surveys.PhasePrimary},
	{Name: "Longview Primary", Area: "Central", Phase: surveys.PhasePrimary},
	{Name: "Prescot Primary", Area: "South", Phase: surveys.PhasePrimary},
	{Name: "Whiston Willis Primary", Area: "South", Phase: surveys.PhasePrimary},
	{Name: "Evelyn Community Primary", Area: "South", Phase: surveys.PhasePrimary},
}

// councilWorld is a borough's school councils on a fresh database.
type councilWorld struct {
	db       *mongo.DB
	councils *surveys.Councils
	settings *surveys.SettingsService
	audit    *surveys.AuditLog
	ctx      context.Context // an analyst's
}

func newCouncilWorld(t *testing.T) *councilWorld {
	t.Helper()
	return newCouncilWorldOf(t, []string{"North", "Central", "South"}, councilSchools)
}

// newCouncilWorldOf is a borough of the areas and schools.
func newCouncilWorldOf(t *testing.T, areas []string, schools []surveys.School) *councilWorld {
	t.Helper()
	db := mongotest.Open(t)
	clock := func() time.Time { return councilDay }
	audit := &surveys.AuditLog{Store: mongo.NewAuditStore(db), Now: clock}
	themes := &surveys.Themes{Store: mongo.NewCodebookStore(db), Compile: coder.Compile, Default: coder.DefaultCodebook(), Audit: audit, Now: clock}
	if err := themes.Load(t.Context()); err != nil {
		t.Fatal(err)
	}
	settings := &surveys.SettingsService{Store: mongo.NewSettingsStore(db), Audit: audit, TTL: time.Minute, Now: clock,
		Defaults: surveys.Settings{CouncilName: "Knowsley Council", Threshold: 5, Areas: areas, Schools: schools}}
	councils := &surveys.Councils{Store: mongo.NewCouncilStore(db), Voices: mongo.NewVoiceStore(db), Themes: themes,
		Settings: settings, Audit: audit, Now: clock, Redactor: redact.ForSchools}
	ctx := surveys.NewContextWithUser(t.Context(), &surveys.User{Email: "analyst@knowsley.example", Role: surveys.RoleAnalyst})
	return &councilWorld{db: db, councils: councils, settings: settings, audit: audit, ctx: ctx}
}

// record stores the meetings of the schools: in the summer term every
// school met, and in the autumn term those that reported(i) says. The
// figures are worked out by hand in the tests' tables from these.
//
// Autumn: school i has 10+i pupils and three items: clubs (support 20+i,
// done), the toilets (support 2 to 4, in progress, a priority in the
// North and Central) and a lunch time club (support 1, not decided).
// Summer: two items in the North, one elsewhere, all on things to do.
func (w *councilWorld) record(t *testing.T, reported func(i int) bool) {
	t.Helper()
	st, err := w.settings.Current(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, sc := range st.Schools {
		summer := []surveys.CouncilItem{{Said: "More trips out of school", Themes: []string{"activities"}, Support: 6, Status: surveys.ItemPlanned}}
		if sc.Area == "North" {
			summer = append(summer, surveys.CouncilItem{Said: "A film club on Fridays", Themes: []string{"activities"}, Support: 7, Status: surveys.ItemDone})
		}
		w.meeting(t, sc.Key, "2026-06-10", 8, summer)
		if !reported(i) {
			continue
		}
		clubs := "We want more clubs after school"
		if i == 0 {
			// A school's name in an item is taken out before any report.
			clubs = "Halewood Academy should open the field for clubs after school"
		}
		w.meeting(t, sc.Key, fmt.Sprintf("2026-10-%02d", 5+i), 10+i, []surveys.CouncilItem{
			{Said: clubs, Themes: []string{"activities"}, Support: 20 + i, Status: surveys.ItemDone},
			{Said: "The toilets need fixing", Themes: []string{"physical_health"}, Support: 2 + i%3,
				Priority: sc.Area != "South", Status: surveys.ItemInProgress},
			{Said: "A games club at lunch time", Themes: []string{"activities"}, Support: 1, Status: surveys.ItemNotYet},
		})
	}
}

func (w *councilWorld) meeting(t *testing.T, school, day string, pupils int, items []surveys.CouncilItem) {
	t.Helper()
	m := &surveys.CouncilMeeting{Day: day, Pupils: pupils, YearGroups: []surveys.YearGroup{"5", "6"}, Items: items}
	if _, err := w.councils.Record(w.ctx, school, m); err != nil {
		t.Fatalf("record a meeting of %s: %v", school, err)
	}
}

// auditCount counts the audit log's entries of an action.
func (w *councilWorld) auditCount(t *testing.T, action surveys.AuditAction) int {
	t.Helper()
	entries, err := w.audit.Store.FindAudit(t.Context(), surveys.AuditFilter{Action: action, Limit: surveys.MaxAuditPage})
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

// savePDF writes a PDF to a file for poppler, keeping it as an artifact.
func savePDF(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	keepArtifact(t, path)
	return path
}

// figureRow matches a row of the figures table as pdftotext lays it out:
// the cells in order, apart.
func figureRow(cells ...string) *regexp.Regexp {
	quoted := make([]string, len(cells))
	for i, c := range cells {
		quoted[i] = regexp.QuoteMeta(c)
	}
	return regexp.MustCompile(`(?m)^\s*` + strings.Join(quoted, `\s+`) + `\s*$`)
}

// The figures of the rows of the figures table in each case: schools
// reported, pupils, items, priorities, items acted on. Autumn pupils are
// 46 in the North (10 to 13), 45 in Central (14 to 16) and 54 in the
// South (17 to 19).
var allShownRows = [][]string{
	{"North", "4 of 4", "46", "12", "fewer than 5", "8 (67%)"},
	{"Central", "3 of 3", "45", "9", "fewer than 5", "6 (67%)"},
	{"South", "3 of 3", "54", "9", "fewer than 5", "6 (67%)"},
	{"Whole borough", "10 of 10", "145", "30", "7", "20 (67%)"},
}

var areaCases = []struct {
	name     string
	reported func(i int) bool
	rows     [][]string
	// notes are what must be said about areas not shown; absent what
	// must not be printed.
	notes, absent []string
}{
	{
		name:     "every area shown",
		reported: func(int) bool { return true },
		rows:     allShownRows,
		notes: []string{"[school] should open the field for clubs after school",
			"Things to do 20 (▲ 6) 8 (no change) 6 6", "Health, food and sleep 10 fewer than 5 fewer than 5 fewer than 5"},
		absent: []string{"Fewer than 3 schools reported", "has no column"},
	},
	{
		// Evelyn Community Primary did not meet: the South has two schools
		// and is hidden, and so is Central, or the South's figures would be
		// the borough's less the North's and Central's.
		name:     "an area with two schools",
		reported: func(i int) bool { return i != 9 },
		rows: [][]string{
			{"North", "4 of 4", "46", "12", "fewer than 5", "8 (67%)"},
			{"Central", "3 of 3", "not shown", "not shown", "not shown", "not shown"},
			{"South", "2 of 3", "not shown", "not shown", "not shown", "not shown"},
			{"Whole borough", "9 of 10", "126", "27", "7", "18 (67%)"},
		},
		notes: []string{"South: Fewer than 3 schools reported, so this area's figures are in the borough's only.",
			"Central: Shown with the borough's only, so that a smaller area's figures cannot be worked out from them.",
			"[school] should open the field for clubs after school"},
	},
	{
		name:     "two schools in the borough",
		reported: func(i int) bool { return i < 2 },
		rows: [][]string{
			{"North", "2 of 4", "not shown", "not shown", "not shown", "not shown"},
			{"Central", "0 of 3", "not shown", "not shown", "not shown", "not shown"},
			{"South", "0 of 3", "not shown", "not shown", "not shown", "not shown"},
			{"Whole borough", "2 of 10", "not shown", "not shown", "not shown", "not shown"},
		},
		notes:  []string{"Fewer than 3 schools reported, so no figures are shown: a school could be picked out."},
		absent: []string{"Themes raised", "Items with most support", "clubs", "toilets"},
	},
}

// checkAreaText checks what the area section prints in each case: the
// figures of every row, the notes, and never a school's name.
func checkAreaText(t *testing.T, pdf string, rows [][]string, notes, absent []string) {
	t.Helper()
	layout := pdfText(t, pdf)
	flat := spaces.ReplaceAllString(pdfTextPlain(t, pdf), " ")
	for _, row := range rows {
		if !figureRow(row...).MatchString(layout) {
			t.Errorf("no row %q in:\n%s", row, lineWith(layout, row[0]+" "))
		}
	}
	for _, want := range notes {
		if !strings.Contains(flat, want) && !strings.Contains(spaces.ReplaceAllString(layout, " "), want) {
			t.Errorf("the report does not say %q", want)
		}
	}
	for _, not := range absent {
		if strings.Contains(flat, not) {
			t.Errorf("the report says %q", not)
		}
	}
	for _, sc := range councilSchools {
		for _, text := range []string{flat, spaces.ReplaceAllString(layout, " ")} {
			if strings.Contains(strings.ToLower(text), strings.ToLower(sc.Name)) {
				t.Errorf("the report names %s", sc.Name)
			}
		}
	}
	if strings.Contains(strings.ToLower(flat), "halewood") {
		t.Error("the report names Halewood")
	}
}

func TestAreaReport(t *testing.T) {
	t.Parallel()
	for _, tc := range areaCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newCouncilWorld(t)
			w.record(t, tc.reported)
			pdf, name, err := exports.AreaReportPDF(w.ctx, w.councils, surveys.AreaQuery{Year: 2026, Term: surveys.TermAutumn})
			if err != nil {
				t.Fatal(err)
			}
			if name != "school-councils-autumn-2026-27.pdf" {
				t.Errorf("file name %q", name)
			}
			path := savePDF(t, pdf)
			checkAreaText(t, path, tc.rows, tc.notes, tc.absent)
			text := spaces.ReplaceAllString(pdfTextPlain(t, path), " ")
			for _, want := range []string{"Knowsley Council", "Autumn term 2026/27", "School councils by area", "How this was done",
				"Three schools or more", "Summer term 2025/26", "1 September 2026 to 31 December 2026", "10 schools in 3 areas"} {
				if !strings.Contains(text, want) {
					t.Errorf("the report does not say %q", want)
				}
			}
			if n := w.auditCount(t, surveys.AuditReportArea); n != 1 {
				t.Errorf("%d area reports in the audit log, want 1", n)
			}
			info := pdfInfo(t, path)
			if got, want := info["Title"], "School councils by area: Autumn term 2026/27"; got != want {
				t.Errorf("title %q, want %q", got, want)
			}
		})
	}
}

// Each item with most support has its support, or "fewer than 5", and
// what the school did; the borough's come first, then each area's.
func TestAreaReportItems(t *testing.T) {
	t.Parallel()
	w := newCouncilWorld(t)
	w.record(t, func(int) bool { return true })
	rep, err := w.councils.Areas(w.ctx, surveys.AreaQuery{Year: 2026, Term: surveys.TermAutumn})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := exports.WriteAreaReport(&buf, rep); err != nil {
		t.Fatal(err)
	}
	// The same report makes the same bytes.
	var again bytes.Buffer
	if err := exports.WriteAreaReport(&again, rep); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("the same report made two different PDFs")
	}
	layout := pdfText(t, savePDF(t, buf.Bytes()))
	for _, tt := range []struct {
		name  string
		after string // the table's label
		row   []string
	}{
		// Across the borough, the clubs of the schools with most pupils.
		{"borough", "Across the borough", []string{"We want more clubs after school", "Things to do", "29", "No", "Done"}},
		// The North's fifth is the toilets with three in support, a
		// priority, being done.
		{"north", "North", []string{"The toilets need fixing", "Health, food and", "fewer than 5", "Yes", "Being done"}},
		{"south", "South", []string{"We want more clubs after school", "Things to do", "27", "No", "Done"}},
	} {
		at := strings.Index(layout, "Items with most support")
		if at < 0 {
			t.Fatal("no items with most support")
		}
		rest := layout[at:]
		label := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(tt.after) + `\s*$`).FindStringIndex(rest)
		if label == nil {
			t.Errorf("%s: no table %q", tt.name, tt.after)
			continue
		}
		if !figureRow(tt.row...).MatchString(rest[label[1]:]) {
			t.Errorf("%s: no row %q after %q:\n%s", tt.name, tt.row, tt.after, rest[label[1]:min(len(rest), label[1]+1500)])
		}
	}
}

// The file is named after the period asked for, the current term when
// none is; a bad period is refused and nothing is recorded.
func TestAreaReportPDFNames(t *testing.T) {
	t.Parallel()
	w := newCouncilWorld(t)
	for _, tt := range []struct {
		q    surveys.AreaQuery
		name string
		code string
	}{
		{surveys.AreaQuery{Year: 2026, Term: surveys.TermSpring}, "school-councils-spring-2026-27.pdf", ""},
		{surveys.AreaQuery{Year: 2025}, "school-councils-2025-26.pdf", ""},
		{surveys.AreaQuery{}, "school-councils-autumn-2026-27.pdf", ""},
		{surveys.AreaQuery{Year: 2026, Term: "winter"}, "", surveys.EINVALID},
		{surveys.AreaQuery{Year: 1999}, "", surveys.EINVALID},
	} {
		pdf, name, err := exports.AreaReportPDF(w.ctx, w.councils, tt.q)
		if surveys.ErrorCode(err) != tt.code && (tt.code != "" || err != nil) {
			t.Errorf("%+v: %v, want %q", tt.q, err, tt.code)
		}
		if name != tt.name || (tt.code == "") != (len(pdf) > 0) {
			t.Errorf("%+v: %q and %d bytes, want %q", tt.q, name, len(pdf), tt.name)
		}
	}
	if n := w.auditCount(t, surveys.AuditReportArea); n != 3 {
		t.Errorf("%d area reports in the audit log, want 3", n)
	}
}

// The board report of a survey that ended in the autumn term of 2026 has
// the school councils of the whole school year 2026/27, compared with
// 2025/26, when Heard has a councils service and the council lists its
// schools, and records only itself in the audit log.
func TestBoardReportSchoolCouncils(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name           string
		councils, show bool
		schools        []surveys.School
	}{
		{"with councils", true, true, councilSchools},
		{"without councils", false, false, councilSchools},
		{"no schools listed", true, false, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newCouncilWorldOf(t, []string{"North", "Central", "South"}, tt.schools)
			w.record(t, func(int) bool { return true })
			withCouncils := tt.show
			s := boardSurvey("councils-2026", 2026, 8)
			s.Opens, s.Closes = time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
			store := mongo.NewSurveyStore(w.db)
			if err := store.CreateSurvey(t.Context(), s); err != nil {
				t.Fatal(err)
			}
			reports := &surveys.Reports{Surveys: store, Tallies: mongo.NewTallyStore(w.db), Settings: w.settings, Audit: w.audit,
				Now: func() time.Time { return councilDay }}
			if tt.councils {
				reports.Councils = w.councils
			}
			pdf, _, err := exports.BoardReportPDF(w.ctx, reports, surveys.BoardReportQuery{Survey: s.Slug})
			if err != nil {
				t.Fatal(err)
			}
			path := savePDF(t, pdf)
			text := spaces.ReplaceAllString(pdfTextPlain(t, path), " ")
			if got := strings.Contains(text, "School councils by area"); got != withCouncils {
				t.Errorf("school councils by area shown: %v, want %v", got, withCouncils)
			}
			if got := strings.Contains(text, "Three schools or more"); got != withCouncils {
				t.Errorf("the three-school rule explained: %v, want %v", got, withCouncils)
			}
			if withCouncils {
				checkAreaText(t, path, allShownRows, []string{"the school year 2026/27, from 1 September 2026 to 31 August 2027",
					"change since the school year 2025/26", "Things to do 20 (▲ 6) 8 (no change) 6 6"}, nil)
				if pages := bookmarks(t, path); !containsInOrder(pages, "What young people told us in their own words", "School councils by area", "You said, we did") {
					t.Errorf("sections in the order %q", pages)
				}
			}
			if n := w.auditCount(t, surveys.AuditReportBoard); n != 1 {
				t.Errorf("%d board reports in the audit log, want 1", n)
			}
			if n := w.auditCount(t, surveys.AuditReportArea); n != 0 {
				t.Errorf("%d area reports in the audit log, want none", n)
			}
		})
	}
}

// containsInOrder reports whether list has each of want, in that order.
func containsInOrder(list []string, want ...string) bool {
	i := 0
	for _, s := range list {
		if i < len(want) && s == want[i] {
			i++
		}
	}
	return i == len(want)
}

// A borough of many areas with long names, and items as long as leads
// write them, stays inside the page: the themes table goes on in a second
// table after four areas, and every area shown has its column.
func TestAreaReportLayout(t *testing.T) {
	t.Parallel()
	var areas []string
	var schools []surveys.School
	for a := range 9 {
		area := fmt.Sprintf("Area %d: Stockbridge Village, Page Moss and Longview", a+1)
		areas = append(areas, area)
		// The last area has two schools, so it and one other are hidden.
		for i := range 3 - a/8 {
			schools = append(schools, surveys.School{Name: fmt.Sprintf("Community Primary %d-%d", a+1, i+1), Area: area, Phase: surveys.PhasePrimary})
		}
	}
	w := newCouncilWorldOf(t, areas, schools)
	st, err := w.settings.Current(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("We would like the school to listen to us about the lunch queue, which is far too long, ", 6)
	for i, sc := range st.Schools {
		w.meeting(t, sc.Key, "2026-11-02", 12, []surveys.CouncilItem{
			{Said: long, Themes: []string{"physical_health", "having_a_say", "environment"}, Support: 30 + i, Priority: true, Status: surveys.ItemPlanned},
			{Said: "More clubs", Themes: []string{"activities"}, Support: 6, Status: surveys.ItemDone},
		})
	}
	rep, err := w.councils.Areas(w.ctx, surveys.AreaQuery{Year: 2026, Term: surveys.TermAutumn})
	if err != nil {
		t.Fatal(err)
	}
	var shown []string
	for _, a := range rep.Areas {
		if a.Shown {
			shown = append(shown, a.Name)
		}
	}
	if len(shown) != 7 {
		t.Fatalf("%d areas shown, want 7", len(shown))
	}
	var buf bytes.Buffer
	if err := exports.WriteAreaReport(&buf, rep); err != nil {
		t.Fatal(err)
	}
	pdf := savePDF(t, buf.Bytes())
	body := rect{17 * mm, 5 * mm, 193 * mm, 292 * mm}
	pages := map[int][]word{}
	for _, w := range words(t, pdf) {
		if !body.contains(w.box) {
			t.Errorf("page %d: %q at %v runs off the page", w.page, w.text, w.box)
		}
		pages[w.page] = append(pages[w.page], w)
	}
	for _, on := range pages {
		for i, w := range on {
			for _, o := range on[i+1:] {
				if w.box.inset(0.5).overlaps(o.box.inset(0.5)) {
					t.Errorf("page %d: %q overlaps %q", w.page, w.text, o.text)
				}
			}
		}
	}
	text := pdfText(t, pdf)
	themes := text[strings.Index(text, "Themes raised"):strings.Index(text, "Items with most support")]
	if n := len(regexp.MustCompile(`(?m)^\s*Theme\s+Borough`).FindAllString(themes, -1)); n != 2 {
		t.Errorf("%d themes tables, want 2:\n%s", n, themes)
	}
	flatThemes := spaces.ReplaceAllString(themes, " ")
	for _, name := range shown {
		// A column's heading wraps; its first word is on one line.
		if !strings.Contains(flatThemes, name[:len("Area 1:")]) {
			t.Errorf("no column for %q", name)
		}
	}
	for _, hidden := range []string{"Area 1:", "Area 9:"} {
		if strings.Contains(flatThemes, hidden) {
			t.Errorf("a column for %q, which is not shown", hidden)
		}
	}
	flat := strings.Join(strings.Fields(pdfTextPlain(t, pdf)), " ")
	// The borough's five, and each area's three schools' long items.
	if got, want := strings.Count(flat, strings.TrimSpace(long)), 5+3*len(shown); got != want {
		t.Errorf("the long item is printed whole %d times, want %d", got, want)
	}
}
