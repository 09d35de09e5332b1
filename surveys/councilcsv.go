package surveys

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Importing a term's council meetings from a spreadsheet saved as CSV. One
// row is one item raised; the rows of a date are one meeting, and the
// meeting's pupils and year groups are given on its first row (and may be
// repeated, the same, on the others). A meeting that raised nothing has
// one row with "said" empty. docs/schools.md describes the columns.

// Limits of an imported file.
const (
	MaxImportBytes = 1 << 20 // one megabyte: thousands of rows
	MaxImportRows  = 2000    // rows after the header
	// MaxImportProblems is how many mistakes an import lists; more are
	// counted.
	MaxImportProblems = 200
)

// CouncilColumns are the columns of an import file, in the template's
// order. Any order is accepted, and every column must be there.
var CouncilColumns = []string{"date", "pupils", "year_groups", "said", "supported_by", "priority", "status", "school_did", "themes"}

// CouncilTemplate is the CSV file a school lead downloads to fill in: the
// header and two example rows of one meeting.
func CouncilTemplate() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(CouncilColumns)
	_ = w.Write([]string{"2026-10-14", "12", "Year 5; Year 6", "More clubs at lunchtime, especially football and art", "40", "yes", "planned", "Art club starts after half term", "activities"})
	_ = w.Write([]string{"2026-10-14", "", "", "The toilets need fixing", "25", "no", "done", "Repaired in October", ""})
	w.Flush()
	return b.Bytes()
}

// importRow is a row read from the file, before it joins its meeting.
type importRow struct {
	n          int // the row's number in the file, the header being 1
	day        string
	pupils     *int
	yearGroups []YearGroup
	item       *CouncilItem
}

// ImportProblems collects the mistakes of a file, with their rows: those
// of its cells and those of its meetings' rules, so that one import
// reports every mistake at once.
type ImportProblems struct {
	list []rowProblem
}

// rowProblem is a mistake at a row of the file (and a column, or "").
type rowProblem struct {
	row         int
	column, msg string
}

func (p *ImportProblems) add(row int, column, msg string) {
	p.list = append(p.list, rowProblem{row: row, column: column, msg: msg})
}

// has reports whether a mistake is known at the row and column already.
func (p *ImportProblems) has(row int, column string) bool {
	return slices.ContainsFunc(p.list, func(r rowProblem) bool { return r.row == row && r.column == column })
}

// err returns the mistakes as an EINVALID error, one field per mistake
// ("1", "2"… in the order of the rows, at most MaxImportProblems and a
// count of the rest), or nil when there were none.
func (p *ImportProblems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	list := slices.Clone(p.list)
	slices.SortStableFunc(list, func(a, b rowProblem) int { return a.row - b.row })
	shown := list[:min(len(list), MaxImportProblems)]
	fields := make(map[string]string, len(shown)+1)
	for i, r := range shown {
		if r.column == "" {
			fields[strconv.Itoa(i+1)] = fmt.Sprintf("Row %d: %s.", r.row, r.msg)
		} else {
			fields[strconv.Itoa(i+1)] = fmt.Sprintf("Row %d, %s: %s.", r.row, r.column, r.msg)
		}
	}
	if more := len(list) - len(shown); more > 0 {
		fields[strconv.Itoa(len(shown)+1)] = fmt.Sprintf("And %d more mistakes.", more)
	}
	n := len(list)
	word := "mistakes"
	if n == 1 {
		word = "mistake"
	}
	return FieldsError(fmt.Sprintf("Nothing was stored: the file has %d %s. Correct them and import the whole file again.", n, word), fields)
}

// ImportProblemList returns the mistakes of an import error in row order.
func ImportProblemList(err error) []string {
	fields := ErrorFields(err)
	out := make([]string, 0, len(fields))
	for i := 1; i <= len(fields); i++ {
		if msg, ok := fields[strconv.Itoa(i)]; ok {
			out = append(out, msg)
		}
	}
	return out
}

// ParseCouncilCSV reads an import file into meetings of the school, each
// item with the themes the file gives (names or keys of cb's themes) or
// none, for the coder. It checks the file's shape and every cell; the
// meetings' own rules are checked when they are stored (Councils.Import),
// with the rows of each mistake. rowsOf gives, for each meeting, the row
// of the meeting and of each of its items.
func ParseCouncilCSV(data []byte, cb *Codebook) (meetings []*CouncilMeeting, rowsOf [][]int, err error) {
	var p ImportProblems
	meetings, rowsOf = parseCouncilCSV(data, cb, &p)
	if err := p.err(); err != nil {
		return nil, nil, err
	}
	return meetings, rowsOf, nil
}

// parseCouncilCSV is ParseCouncilCSV adding its mistakes to p. With a
// mistake in the file as a whole (its size, its header), it returns no
// meetings; with mistakes in cells, the meetings of the rows it could
// read, so that their own rules can be checked too.
func parseCouncilCSV(data []byte, cb *Codebook, p *ImportProblems) (meetings []*CouncilMeeting, rowsOf [][]int) {
	if len(data) > MaxImportBytes {
		p.add(1, "", fmt.Sprintf("the file is %s bytes; the most is %s (about %s rows)", thousandsOf(len(data)), thousandsOf(MaxImportBytes), thousandsOf(MaxImportRows)))
		return nil, nil
	}
	if !utf8.Valid(data) {
		p.add(1, "", "the file is not UTF-8 text: save it from the spreadsheet as “CSV UTF-8”")
		return nil, nil
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF"))))
	r.FieldsPerRecord = -1 // a short row is reported with its number, not as a parse error
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		p.add(1, "", "the file is empty: it needs the header row and a row for each item")
		return nil, nil
	} else if err != nil {
		p.add(1, "", "the header cannot be read as CSV")
		return nil, nil
	}
	col, ok := importColumns(header, p)
	if !ok {
		return nil, nil
	}
	var rows []importRow
	for n := 2; ; n++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			p.add(n, "", "the row cannot be read as CSV (check its quotation marks)")
			return nil, nil
		}
		if n-1 > MaxImportRows {
			p.add(n, "", fmt.Sprintf("the file has more than %s rows; import it in parts", thousandsOf(MaxImportRows)))
			return nil, nil
		}
		if blankRow(rec) {
			continue
		}
		if len(rec) != len(header) {
			p.add(n, "", fmt.Sprintf("has %d cells; the header has %d", len(rec), len(header)))
			continue
		}
		if i := unnamedCell(header, rec); i >= 0 {
			p.add(n, "", fmt.Sprintf("has something in column %d, which has no name in the header", i+1))
			continue
		}
		cell := func(name string) string { return strings.TrimSpace(rec[col[name]]) }
		rows = append(rows, parseImportRow(n, cell, cb, p))
	}
	if len(rows) == 0 && len(p.list) == 0 {
		p.add(2, "", "the file has no rows after the header")
	}
	return groupImportRows(rows, p)
}

// importColumns maps each column's name to its index, or reports what is
// missing, unknown or given twice. A name may be in any case, with spaces
// for underscores ("Supported by"). A column with no name is left out: a
// spreadsheet saves empty columns after the last one it was given.
func importColumns(header []string, p *ImportProblems) (map[string]int, bool) {
	col := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.Join(strings.Fields(h), "_"))
		switch {
		case name == "":
		case !slices.Contains(CouncilColumns, name):
			p.add(1, "", fmt.Sprintf("the column %q is not one Heard knows; the columns are %s", h, strings.Join(CouncilColumns, ", ")))
		case hasKey(col, name):
			p.add(1, "", fmt.Sprintf("the column %q is given twice", name))
		default:
			col[name] = i
		}
	}
	for _, name := range CouncilColumns {
		if !hasKey(col, name) {
			p.add(1, "", fmt.Sprintf("the column %q is missing", name))
		}
	}
	return col, len(p.list) == 0
}

func hasKey(m map[string]int, k string) bool {
	_, ok := m[k]
	return ok
}

// unnamedCell returns the index of the first cell that is not blank in a
// column with no name, or -1.
func unnamedCell(header, rec []string) int {
	for i, h := range header {
		if strings.TrimSpace(h) == "" && strings.TrimSpace(rec[i]) != "" {
			return i
		}
	}
	return -1
}

func blankRow(rec []string) bool {
	return !slices.ContainsFunc(rec, func(s string) bool { return strings.TrimSpace(s) != "" })
}

// parseImportRow reads one row's cells, reporting each mistake.
func parseImportRow(n int, cell func(string) string, cb *Codebook, p *ImportProblems) importRow {
	row := importRow{n: n}
	if d, ok := parseImportDay(cell("date")); ok {
		row.day = d
	} else {
		p.add(n, "date", "must be a date such as 2026-11-23 or 23/11/2026")
	}
	if s := cell("pupils"); s != "" {
		if v, err := strconv.Atoi(s); err == nil && v >= 1 && v <= MaxCouncilPupils {
			row.pupils = &v
		} else {
			p.add(n, "pupils", fmt.Sprintf("must be a whole number from 1 to %s", thousandsOf(MaxCouncilPupils)))
		}
	}
	if s := cell("year_groups"); s != "" {
		for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' || r == '/' }) {
			if y, ok := ParseYearGroup(part); ok {
				row.yearGroups = append(row.yearGroups, y)
			} else {
				p.add(n, "year_groups", fmt.Sprintf("%q is not a year group; write Reception or Year 1 to Year 13, separated by semicolons", strings.TrimSpace(part)))
			}
		}
	}
	said := cell("said")
	if said == "" {
		for _, name := range []string{"supported_by", "priority", "status", "school_did", "themes"} {
			if cell(name) != "" {
				p.add(n, "said", "must say what pupils said, since the row gives "+strings.ReplaceAll(name, "_", " "))
				break
			}
		}
		return row
	}
	it := &CouncilItem{Said: said, Note: cell("school_did")}
	if s := cell("supported_by"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 0 || v > MaxItemSupport {
			p.add(n, "supported_by", fmt.Sprintf("must be a whole number from 0 to %s", thousandsOf(MaxItemSupport)))
		}
		it.Support = v
	}
	switch strings.ToLower(cell("priority")) {
	case "", "no", "n", "false", "0":
	case "yes", "y", "true", "1":
		it.Priority = true
	default:
		p.add(n, "priority", "must be yes or no")
	}
	if st, ok := ParseItemStatus(cell("status")); ok {
		it.Status = st
	} else {
		p.add(n, "status", "must be not yet, planned, in progress, done or not possible")
	}
	for _, part := range strings.Split(cell("themes"), ";") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		if t := themeNamed(cb, part); t != nil {
			it.Themes = append(it.Themes, t.Key)
		} else {
			p.add(n, "themes", fmt.Sprintf("%q is not a theme; use the names or keys on the Themes page, separated by semicolons", part))
		}
	}
	row.item = it
	return row
}

// parseImportDay reads 2026-11-23, or 23/11/2026 as a UK spreadsheet writes
// it.
func parseImportDay(s string) (string, bool) {
	for _, layout := range []string{time.DateOnly, "2/1/2006"} {
		if d, err := time.Parse(layout, s); err == nil {
			return d.Format(time.DateOnly), true
		}
	}
	return "", false
}

// themeNamed finds a theme by key or by name, in any case.
func themeNamed(cb *Codebook, s string) *Theme {
	for i := range cb.Themes {
		t := &cb.Themes[i]
		if strings.EqualFold(t.Key, s) || strings.EqualFold(t.Name, s) {
			return t
		}
	}
	return nil
}

// groupImportRows joins the rows of each date into a meeting, in the
// order the dates first appear.
func groupImportRows(rows []importRow, p *ImportProblems) ([]*CouncilMeeting, [][]int) {
	var meetings []*CouncilMeeting
	var rowsOf [][]int
	at := map[string]int{}
	for _, row := range rows {
		if row.day == "" {
			continue // reported already
		}
		i, ok := at[row.day]
		if !ok {
			i = len(meetings)
			at[row.day] = i
			m := &CouncilMeeting{Day: row.day, YearGroups: row.yearGroups}
			// A cell given but wrong is reported already, once.
			if row.pupils != nil {
				m.Pupils = *row.pupils
			} else if !p.has(row.n, "pupils") {
				p.add(row.n, "pupils", "must give how many pupils took part, on the first row of each meeting")
			}
			if len(row.yearGroups) == 0 && !p.has(row.n, "year_groups") {
				p.add(row.n, "year_groups", "must give the year groups that took part, on the first row of each meeting")
			}
			meetings, rowsOf = append(meetings, m), append(rowsOf, []int{row.n})
		} else {
			// Later rows are compared with the first only where it gave
			// something: a mistake there is reported at its own row.
			m := meetings[i]
			if row.pupils != nil && m.Pupils != 0 && *row.pupils != m.Pupils {
				p.add(row.n, "pupils", fmt.Sprintf("says %d, but the first row of the meeting of %s says %d; leave it empty or give the same", *row.pupils, row.day, m.Pupils))
			}
			if len(row.yearGroups) > 0 && len(m.YearGroups) > 0 && !sameYearGroups(row.yearGroups, m.YearGroups) {
				p.add(row.n, "year_groups", fmt.Sprintf("differ from the first row of the meeting of %s; leave them empty or give the same", row.day))
			}
		}
		if row.item != nil {
			meetings[i].Items = append(meetings[i].Items, *row.item)
			rowsOf[i] = append(rowsOf[i], row.n)
		}
	}
	if len(meetings) > MaxMeetingsPerFile {
		p.add(rowsOf[MaxMeetingsPerFile][0], "date", fmt.Sprintf("the file has %d meetings; import at most %d at a time", len(meetings), MaxMeetingsPerFile))
	}
	return meetings, rowsOf
}

func sameYearGroups(a, b []YearGroup) bool {
	return len(a) == len(b) && !slices.ContainsFunc(a, func(y YearGroup) bool { return !slices.Contains(b, y) })
}

// importedID is the id of an imported meeting: the same for the same
// school, day and rows, so that importing a file twice stores it once.
func importedID(school string, m *CouncilMeeting) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%d\x00%v", school, m.Day, m.Pupils, m.YearGroups)
	for _, it := range m.Items {
		fmt.Fprintf(h, "\x00%s\x00%d\x00%t\x00%s\x00%s\x00%v", it.Said, it.Support, it.Priority, it.Status, it.Note, it.Themes)
	}
	return "imp-" + hex.EncodeToString(h.Sum(nil)[:12])
}
