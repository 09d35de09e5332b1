package surveys_test

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/coder"
)

// csvHeader is the template's header row.
const csvHeader = "date,pupils,year_groups,said,supported_by,priority,status,school_did,themes\n"

// csvLines joins rows into a file with the template's header.
func csvLines(rows ...string) []byte {
	return []byte(csvHeader + strings.Join(rows, "\n") + "\n")
}

// assertProblems checks that err is an import's EINVALID error listing
// exactly want, in the order of the rows (mistakes of one row in any
// order), with nothing stored said in its message.
func assertProblems(t *testing.T, err error, want []string) {
	t.Helper()
	if surveys.ErrorCode(err) != surveys.EINVALID {
		t.Fatalf("error %v, want EINVALID", err)
	}
	got := surveys.ImportProblemList(err)
	if !strings.HasPrefix(surveys.ErrorMessage(err), "Nothing was stored: the file has ") {
		t.Errorf("message %q", surveys.ErrorMessage(err))
	}
	rows := make([]int, len(got))
	for i, p := range got {
		n, _, _ := strings.Cut(strings.TrimPrefix(p, "Row "), ",")
		n, _, _ = strings.Cut(n, ":")
		rows[i], _ = strconv.Atoi(n)
	}
	if !slices.IsSorted(rows) {
		t.Errorf("mistakes not in the order of the rows:\n%s", strings.Join(got, "\n"))
	}
	sortedGot, sortedWant := slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
	if !slices.Equal(sortedGot, sortedWant) {
		t.Errorf("mistakes:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestCouncilTemplateParses(t *testing.T) {
	t.Parallel()
	tpl := surveys.CouncilTemplate()
	if !bytes.HasPrefix(tpl, []byte(csvHeader)) {
		t.Errorf("the template's header: %q", strings.SplitN(string(tpl), "\n", 2)[0])
	}
	meetings, rowsOf, err := surveys.ParseCouncilCSV(tpl, coder.DefaultCodebook())
	if err != nil {
		t.Fatalf("the template does not import: %v\n%s", err, strings.Join(surveys.ImportProblemList(err), "\n"))
	}
	if len(meetings) != 1 || len(meetings[0].Items) != 2 || !reflect.DeepEqual(rowsOf, [][]int{{2, 2, 3}}) {
		t.Errorf("the template is %d meetings, rows %v", len(meetings), rowsOf)
	}
}

// TestParseCouncilCSV reads a file as a spreadsheet saves it: a byte order
// mark, Windows line ends, columns in another order and case with spaces
// for underscores, empty columns after the last, UK dates, a blank row,
// themes by name and by key, quoted cells, and a meeting that raised
// nothing.
func TestParseCouncilCSV(t *testing.T) {
	t.Parallel()
	file := "\ufeffThemes,Date,PUPILS, Year groups ,Said,Supported by,Priority,Status,School did,,\r\n" +
		"activities;Transport,14/10/2026,12,Y5; Year 6,More clubs at lunchtime,40,yes,planned,Art club starts after half term,,\r\n" +
		",14/10/2026,,,  The toilets need fixing ,25,no,Done,Repaired in October,,\r\n" +
		",,,,,,,,,,\r\n" +
		"\"Health, food and sleep; SAFETY\",2026-11-04,8,R/1,\"Lunch is too short, we \"\"need\"\" more\",,n,in progress,,,\r\n" +
		",4/11/2026,8,\"Year 1, Reception\",A bigger playground,7,Y,Not possible,\"There is no room\nuntil the new building\",,\r\n" +
		",2026-11-18,6,Year 3,,,,,,,\r\n"
	meetings, rowsOf, err := surveys.ParseCouncilCSV([]byte(file), coder.DefaultCodebook())
	if err != nil {
		t.Fatalf("%v\n%s", err, strings.Join(surveys.ImportProblemList(err), "\n"))
	}
	want := []*surveys.CouncilMeeting{
		{Day: "2026-10-14", Pupils: 12, YearGroups: []surveys.YearGroup{"5", "6"}, Items: []surveys.CouncilItem{
			{Said: "More clubs at lunchtime", Support: 40, Priority: true, Status: surveys.ItemPlanned,
				Note: "Art club starts after half term", Themes: []string{"activities", "transport"}},
			{Said: "The toilets need fixing", Support: 25, Status: surveys.ItemDone, Note: "Repaired in October"},
		}},
		{Day: "2026-11-04", Pupils: 8, YearGroups: []surveys.YearGroup{"R", "1"}, Items: []surveys.CouncilItem{
			{Said: `Lunch is too short, we "need" more`, Status: surveys.ItemInProgress, Themes: []string{"physical_health", "safety"}},
			{Said: "A bigger playground", Support: 7, Priority: true, Status: surveys.ItemNotPossible, Note: "There is no room\nuntil the new building"},
		}},
		{Day: "2026-11-18", Pupils: 6, YearGroups: []surveys.YearGroup{"3"}},
	}
	if !reflect.DeepEqual(meetings, want) {
		for i := range max(len(meetings), len(want)) {
			if i >= len(meetings) || i >= len(want) || !reflect.DeepEqual(meetings[i], want[i]) {
				var got, w any
				if i < len(meetings) {
					got = meetings[i]
				}
				if i < len(want) {
					w = want[i]
				}
				t.Errorf("meeting %d:\n got %+v\nwant %+v", i, got, w)
			}
		}
	}
	// Rows are counted as a spreadsheet shows them: a cell over two lines
	// is one row.
	if wantRows := [][]int{{2, 2, 3}, {5, 5, 6}, {7}}; !reflect.DeepEqual(rowsOf, wantRows) {
		t.Errorf("rows %v, want %v", rowsOf, wantRows)
	}
}

// TestParseCouncilCSVMistakes gives files with mistakes in their shape
// and their cells: each is reported at its row (and column), and no
// meetings come back.
func TestParseCouncilCSVMistakes(t *testing.T) {
	t.Parallel()
	columns := "the columns are date, pupils, year_groups, said, supported_by, priority, status, school_did, themes"
	tests := []struct {
		name string
		file []byte
		want []string
	}{
		{"empty", nil, []string{"Row 1: the file is empty: it needs the header row and a row for each item."}},
		{"only a byte order mark", []byte("\ufeff"), []string{"Row 1: the file is empty: it needs the header row and a row for each item."}},
		{"only the header", []byte(csvHeader), []string{"Row 2: the file has no rows after the header."}},
		{"only blank rows", csvLines(",,,,,,,,", "  ,,,,,,, ,"), []string{"Row 2: the file has no rows after the header."}},
		{"not UTF-8", append([]byte(csvHeader), "2026-10-01,5,Y5,Caf\xe9,,,,,\n"...),
			[]string{"Row 1: the file is not UTF-8 text: save it from the spreadsheet as “CSV UTF-8”."}},
		{"a header that is not CSV", []byte("date,\"pupils\n"), []string{"Row 1: the header cannot be read as CSV."}},
		{"wrong, missing and duplicate columns", []byte("date,pupils,Pupils,year groups,said,supported,priority,status,school_did\n2026-10-01,5,5,Y5,x,1,,,\n"),
			[]string{
				`Row 1: the column "pupils" is given twice.`,
				`Row 1: the column "supported" is not one Heard knows; ` + columns + ".",
				`Row 1: the column "supported_by" is missing.`,
				`Row 1: the column "themes" is missing.`,
			}},
		{"a stray quotation mark", csvLines(`2026-10-01,5,Y5,He said "hi",,,,,`),
			[]string{"Row 2: the row cannot be read as CSV (check its quotation marks)."}},
		{"short and long rows", csvLines("2026-10-01,5,Y5", "2026-10-01,5,Y5,x,,,,,,extra", "2026-10-02,5,Y5,x,,,,,"),
			[]string{"Row 2: has 3 cells; the header has 9.", "Row 3: has 10 cells; the header has 9."}},
		{"something in a column with no name", []byte(strings.TrimSuffix(csvHeader, "\n") + ",,\n2026-10-01,5,Y5,x,,,,,,,\n2026-10-02,5,Y5,x,,,,,,,oops\n"),
			[]string{"Row 3: has something in column 11, which has no name in the header."}},
		{"every cell wrong", csvLines(
			"14/13/2026,5,Year 5,An item,,,,,",
			"2026-10-01,0,Year 14;Y5,An item,abc,maybe,finished,,weather;Activities;Feeling safe",
			"2026-10-01,,,,5,,,,",
			"2026-10-01,7,Year 6,Another item,-1,,,,",
			"2026-10-08,,,Nobody said how many came,,,,,",
			"2026-10-09,two,nursery,An item,5001,,,,",
			"20261010,3,Y7,An item,,,,,",
		), []string{
			"Row 2, date: must be a date such as 2026-11-23 or 23/11/2026.",
			"Row 3, pupils: must be a whole number from 1 to 2,000.",
			`Row 3, year_groups: "Year 14" is not a year group; write Reception or Year 1 to Year 13, separated by semicolons.`,
			"Row 3, supported_by: must be a whole number from 0 to 5,000.",
			"Row 3, priority: must be yes or no.",
			"Row 3, status: must be not yet, planned, in progress, done or not possible.",
			`Row 3, themes: "weather" is not a theme; use the names or keys on the Themes page, separated by semicolons.`,
			"Row 4, said: must say what pupils said, since the row gives supported by.",
			"Row 5, supported_by: must be a whole number from 0 to 5,000.",
			"Row 5, year_groups: differ from the first row of the meeting of 2026-10-01; leave them empty or give the same.",
			"Row 6, pupils: must give how many pupils took part, on the first row of each meeting.",
			"Row 6, year_groups: must give the year groups that took part, on the first row of each meeting.",
			"Row 7, pupils: must be a whole number from 1 to 2,000.",
			`Row 7, year_groups: "nursery" is not a year group; write Reception or Year 1 to Year 13, separated by semicolons.`,
			"Row 7, supported_by: must be a whole number from 0 to 5,000.",
			"Row 8, date: must be a date such as 2026-11-23 or 23/11/2026.",
		}},
		{"pupils that differ from the meeting's first row", csvLines(
			"2026-10-01,12,Y5;Y6,An item,,,,,",
			"2026-10-01,12,Year 6; Year 5,Same numbers in another order,,,,,",
			"2026-10-01,13,,Other numbers,,,,,",
		), []string{"Row 4, pupils: says 13, but the first row of the meeting of 2026-10-01 says 12; leave it empty or give the same."}},
	}
	cb := coder.DefaultCodebook()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			meetings, rowsOf, err := surveys.ParseCouncilCSV(tt.file, cb)
			if meetings != nil || rowsOf != nil {
				t.Errorf("a file with mistakes gave %d meetings", len(meetings))
			}
			assertProblems(t, err, tt.want)
		})
	}
}

// TestParseCouncilCSVLimits: a file too big, with too many rows, too many
// meetings or too many mistakes to list.
func TestParseCouncilCSVLimits(t *testing.T) {
	t.Parallel()
	cb := coder.DefaultCodebook()
	rows := func(n int, row func(i int) string) []byte {
		lines := make([]string, n)
		for i := range lines {
			lines[i] = row(i)
		}
		return csvLines(lines...)
	}
	day := func(i int) string {
		return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format(time.DateOnly)
	}

	big := csvLines("2026-10-01,5,Y5," + strings.Repeat("x", surveys.MaxImportBytes) + ",,,,,")
	_, _, err := surveys.ParseCouncilCSV(big, cb)
	assertProblems(t, err, []string{fmt.Sprintf("Row 1: the file is %s bytes; the most is 1,048,576 (about 2,000 rows).", thousands(len(big)))})

	// Right at the limits is fine: MaxImportRows rows of MaxMeetingsPerFile
	// meetings.
	atLimit := rows(surveys.MaxImportRows, func(i int) string {
		return fmt.Sprintf("%s,5,Y5,Item %d,,,,,", day(i%surveys.MaxMeetingsPerFile), i)
	})
	meetings, _, err := surveys.ParseCouncilCSV(atLimit, cb)
	if err != nil || len(meetings) != surveys.MaxMeetingsPerFile {
		t.Errorf("a file at the limits: %d meetings, %v", len(meetings), err)
	}

	tooLong := rows(surveys.MaxImportRows+1, func(i int) string { return fmt.Sprintf("2026-10-01,5,Y5,Item %d,,,,,", i) })
	_, _, err = surveys.ParseCouncilCSV(tooLong, cb)
	assertProblems(t, err, []string{"Row 2002: the file has more than 2,000 rows; import it in parts."})
	// Blank rows count: they are rows of the spreadsheet.
	blanks := rows(surveys.MaxImportRows+1, func(i int) string {
		if i == 0 {
			return "2026-10-01,5,Y5,Item,,,,,"
		}
		return ",,,,,,,,"
	})
	_, _, err = surveys.ParseCouncilCSV(blanks, cb)
	assertProblems(t, err, []string{"Row 2002: the file has more than 2,000 rows; import it in parts."})

	manyMeetings := rows(surveys.MaxMeetingsPerFile+1, func(i int) string { return day(i) + ",5,Y5,,,,,," })
	_, _, err = surveys.ParseCouncilCSV(manyMeetings, cb)
	assertProblems(t, err, []string{"Row 202, date: the file has 201 meetings; import at most 200 at a time."})

	manyMistakes := rows(surveys.MaxImportProblems+5, func(int) string { return "2026-10-01,5,Y5,Item,,maybe,,," })
	_, _, err = surveys.ParseCouncilCSV(manyMistakes, cb)
	list := surveys.ImportProblemList(err)
	if len(list) != surveys.MaxImportProblems+1 || list[len(list)-1] != "And 5 more mistakes." ||
		list[0] != "Row 2, priority: must be yes or no." || list[surveys.MaxImportProblems-1] != "Row 201, priority: must be yes or no." ||
		surveys.ErrorMessage(err) != "Nothing was stored: the file has 205 mistakes. Correct them and import the whole file again." {
		t.Errorf("%d mistakes listed, the last %q; message %q", len(list), list[len(list)-1], surveys.ErrorMessage(err))
	}
	_, _, err = surveys.ParseCouncilCSV(csvLines("2026-10-01,0,Y5,Item,,,,,"), cb)
	if surveys.ErrorMessage(err) != "Nothing was stored: the file has 1 mistake. Correct them and import the whole file again." {
		t.Errorf("one mistake: %q", surveys.ErrorMessage(err))
	}
}

// thousands writes n with commas, as messages do.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// TestCouncilImport imports through the service: a file full of mistakes
// (of its cells and of its meetings' rules) stores nothing and reports
// every one at its row; a good file stores its meetings, items and
// voices; importing it again stores nothing twice.
func TestCouncilImport(t *testing.T) {
	t.Parallel()
	f := newCouncils(t)
	ctx := leadOf("huyton-primary")
	if _, err := f.c.Record(ctx, "huyton-primary", validMeeting()); err != nil {
		t.Fatal(err)
	}
	tooMany := make([]string, surveys.MaxCouncilItems+1)
	for i := range tooMany {
		tooMany[i] = fmt.Sprintf("2026-09-30,20,Y4,Item %d,,,,,", i)
	}
	mistakes := csvLines(append([]string{
		"2026-11-24,5,Y5,Tomorrow's meeting,,,,,",                                                // 2
		"1999-07-01,5,Y5,Last century,,,,,",                                                      // 3
		"2026-10-01,5,Y5;Year 5,A year group twice,,,,,",                                         // 4
		"2026-10-02,5,Y5,Cannot do it,,,not possible,,",                                          // 5
		"2026-10-03,5,Y5,Four themes,,,,,activities;transport;safety;money",                      // 6
		"2026-10-04,5,Y5," + strings.Repeat("é", surveys.MaxItemSaid+1) + ",,,,,",                // 7
		"2026-10-05,5,Y5,A long note,,,done," + strings.Repeat("n", surveys.MaxItemNote+1) + ",", // 8
		"2026-10-06,5,Y5,A theme twice,,,,,Money;money",                                          // 9
		"2026-10-07,0,Y5,A cell's mistake and the rule's are one,-4,,,,",                         // 10
	}, tooMany...)...) // 11 to 41
	voicesBefore, meetingsBefore := len(f.voices.all()), f.store.count()
	_, err := f.c.Import(ctx, "huyton-primary", mistakes)
	assertProblems(t, err, []string{
		"Row 2, date: must not be after today.",
		"Row 3, date: must be in 2000 or later.",
		"Row 4, year_groups: Year 5 is given twice.",
		"Row 5, school_did: must say why it is not possible.",
		"Row 6, themes: has 4 themes; choose at most 3.",
		"Row 7, said: must be at most 1,000 characters.",
		"Row 8, school_did: must be at most 500 characters.",
		`Row 9, themes: "money" is given twice.`,
		"Row 10, pupils: must be a whole number from 1 to 2,000.",
		"Row 10, supported_by: must be a whole number from 0 to 5,000.",
		"Row 11, said: has 31 items; a meeting has at most 30.",
	})
	if v, m := len(f.voices.all()), f.store.count(); v != voicesBefore || m != meetingsBefore {
		t.Errorf("a file with mistakes stored %d meetings and %d voices", m-meetingsBefore, v-voicesBefore)
	}
	if len(f.audit.of(surveys.AuditCouncilImport)) != 0 {
		t.Error("a refused import was audited")
	}

	good := csvLines(
		"2026-10-14,12,Year 5; Year 6,More clubs at lunchtime,40,yes,planned,Art club starts after half term,",
		"2026-10-14,,,The buses to school are always late,25,no,done,We spoke to the bus company,Getting about",
		"14/11/2026,9,Year 3,Someone at home hits me,,,,,safety",
		"2026-11-20,6,Y4,,,,,,",
	)
	res, err := f.c.Import(ctx, "huyton-primary", good)
	if err != nil {
		t.Fatalf("%v\n%s", err, strings.Join(surveys.ImportProblemList(err), "\n"))
	}
	if *res != (surveys.CouncilImport{Meetings: 3, New: 3, Items: 3, Flagged: 1}) {
		t.Errorf("import %+v", res)
	}
	ms, err := f.c.Meetings(ctx, "huyton-primary")
	if err != nil || len(ms) != 4 {
		t.Fatalf("%d meetings after the import (%v), want 4", len(ms), err)
	}
	byDay := map[string]*surveys.CouncilMeeting{}
	for _, m := range ms {
		byDay[m.Day] = m
	}
	oct := byDay["2026-10-14"]
	if oct == nil || oct.School != "huyton-primary" || oct.Area != "Central" || oct.Revision != 1 || oct.Pupils != 12 ||
		!strings.HasPrefix(oct.ID, "imp-") || len(oct.Items) != 2 {
		t.Fatalf("imported meeting %+v", oct)
	}
	if it := oct.Items[0]; it.ID != "1" || it.Checked || !slices.Equal(it.Themes, []string{"activities"}) || !it.Priority || it.Support != 40 {
		t.Errorf("an item without themes: %+v", it)
	}
	if it := oct.Items[1]; it.ID != "2" || !it.Checked || !slices.Equal(it.Themes, []string{"transport"}) || it.Status != surveys.ItemDone {
		t.Errorf("an item with a theme by name: %+v", it)
	}
	if nov := byDay["2026-11-14"]; nov == nil || !slices.Equal(nov.Items[0].Themes, []string{"safety"}) {
		t.Errorf("an item with a theme by key: %+v", nov)
	}
	if empty := byDay["2026-11-20"]; empty == nil || len(empty.Items) != 0 {
		t.Errorf("a meeting that raised nothing: %+v", empty)
	}
	voices := f.voices.all()
	if len(voices) != voicesBefore+3 || len(f.voices.flags) != 1 {
		t.Errorf("%d voices and %d flags after the import, want %d and 1", len(voices), len(f.voices.flags), voicesBefore+3)
	}
	if e := f.audit.of(surveys.AuditCouncilImport); len(e) != 1 || e[0].Target != "huyton-primary" || e[0].Detail != "3 meetings (3 new), 3 items" {
		t.Errorf("audit %+v", e)
	}

	// The same file again: nothing new.
	res, err = f.c.Import(ctx, "huyton-primary", good)
	if err != nil || *res != (surveys.CouncilImport{Meetings: 3, New: 0, Items: 3, Flagged: 0}) {
		t.Errorf("importing again: %+v (%v)", res, err)
	}
	if n, v := f.store.count(), len(f.voices.all()); n != 4 || v != len(voices) {
		t.Errorf("importing again stored more: %d meetings, %d voices", n, v)
	}
	// Even after a meeting of it was edited.
	oct.Items[0].Note = "Art club started"
	if _, err := f.c.Update(ctx, "huyton-primary", oct.ID, 1, oct); err != nil {
		t.Fatal(err)
	}
	if res, err := f.c.Import(ctx, "huyton-primary", good); err != nil || res.New != 0 {
		t.Errorf("importing after an edit: %+v (%v)", res, err)
	}
	// Another school's import of the same file is its own.
	if res, err := f.c.Import(leadOf("page-moss"), "page-moss", good); err != nil || res.New != 3 {
		t.Errorf("another school's import: %+v (%v)", res, err)
	}
}

// FuzzParseCouncilCSV checks ParseCouncilCSV on any bytes: it never
// panics; it fails only with EINVALID and a list of mistakes, each at a
// row; and what it accepts keeps its promises: one meeting per date, each
// with its pupils and year groups in range, items with words, statuses and
// themes of the codebook, and a row for the meeting and each item.
func FuzzParseCouncilCSV(f *testing.F) {
	f.Add(surveys.CouncilTemplate())
	f.Add([]byte("\ufeffThemes,Date,PUPILS, Year groups ,Said,Supported by,Priority,Status,School did,,\r\n" +
		"activities;Transport,14/10/2026,12,Y5; Year 6,More clubs,40,yes,planned,Art club,,\r\n" +
		",,,,,,,,,,\r\n\"Health, food and sleep\",2026-11-04,8,R/1,\"Lunch \"\"is\"\" short\",,n,in progress,,,\r\n"))
	f.Add(csvLines("2026-10-01,0,Year 14;Y5,An item,abc,maybe,finished,,weather", "2026-10-01,,,,5,,,,"))
	f.Add(csvLines("2026-10-01,5,Y5", "2026-10-01,5,Y5,x,,,,,,extra"))
	f.Add(csvLines(`2026-10-01,5,Y5,He said "hi",,,,,`))
	f.Add([]byte("date,pupils,pupils\n"))
	f.Add([]byte(""))
	f.Add([]byte("\ufeff"))
	f.Add([]byte(csvHeader + "2026-10-01,5,Y5,Caf\xe9,,,,,\n"))
	cb := coder.DefaultCodebook()
	f.Fuzz(func(t *testing.T, data []byte) {
		meetings, rowsOf, err := surveys.ParseCouncilCSV(data, cb)
		if err != nil {
			if meetings != nil || rowsOf != nil {
				t.Fatal("meetings returned with an error")
			}
			if code := surveys.ErrorCode(err); code != surveys.EINVALID {
				t.Fatalf("error code %q (%v), want EINVALID", code, err)
			}
			list := surveys.ImportProblemList(err)
			if len(list) == 0 || len(list) > surveys.MaxImportProblems+1 || len(list) != len(surveys.ErrorFields(err)) {
				t.Fatalf("%d mistakes listed of %d fields", len(list), len(surveys.ErrorFields(err)))
			}
			for _, p := range list {
				if !strings.HasPrefix(p, "Row ") && !strings.HasPrefix(p, "And ") {
					t.Fatalf("a mistake without its row: %q", p)
				}
			}
			return
		}
		if len(meetings) == 0 || len(meetings) > surveys.MaxMeetingsPerFile || len(rowsOf) != len(meetings) {
			t.Fatalf("%d meetings, %d row lists", len(meetings), len(rowsOf))
		}
		days := map[string]bool{}
		last := 0
		for i, m := range meetings {
			if _, err := time.Parse(time.DateOnly, m.Day); err != nil || days[m.Day] {
				t.Fatalf("meeting %d: day %q (twice: %v)", i, m.Day, days[m.Day])
			}
			days[m.Day] = true
			if m.Pupils < 1 || m.Pupils > surveys.MaxCouncilPupils || len(m.YearGroups) == 0 {
				t.Fatalf("meeting %d: %d pupils, year groups %v", i, m.Pupils, m.YearGroups)
			}
			for _, y := range m.YearGroups {
				if !slices.Contains(surveys.YearGroups, y) {
					t.Fatalf("meeting %d: year group %q", i, y)
				}
			}
			rows := rowsOf[i]
			if len(rows) != len(m.Items)+1 || rows[0] < 2 || rows[0] <= last {
				t.Fatalf("meeting %d: rows %v for %d items (after row %d)", i, rows, len(m.Items), last)
			}
			last = rows[0]
			for j, it := range m.Items {
				if rows[j+1] < rows[0] || (j > 0 && rows[j+1] <= rows[j]) {
					t.Fatalf("meeting %d: item rows %v out of order", i, rows)
				}
				if strings.TrimSpace(it.Said) == "" || it.Said != strings.TrimSpace(it.Said) || it.Support < 0 || it.Support > surveys.MaxItemSupport ||
					!it.Status.Valid() || it.ID != "" || it.Checked {
					t.Fatalf("meeting %d item %d: %+v", i, j, it)
				}
				for _, k := range it.Themes {
					if cb.Theme(k) == nil {
						t.Fatalf("meeting %d item %d: theme %q", i, j, k)
					}
				}
			}
		}
		again, rowsAgain, err := surveys.ParseCouncilCSV(data, cb)
		if err != nil || !reflect.DeepEqual(again, meetings) || !reflect.DeepEqual(rowsAgain, rowsOf) {
			t.Fatal("parsing the same file twice gave different meetings")
		}
	})
}
