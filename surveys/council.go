package surveys

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// School councils: what a school's council of pupils raised at a meeting,
// how many pupils took part, and what the school did about each item. A
// school lead keeps their school's records; analysts see every school's,
// and the board sees them only added up by area (areas.go).

// Limits of a council meeting's record.
const (
	MaxCouncilItems    = 30   // items raised at one meeting
	MaxCouncilPupils   = 2000 // pupils who took part in one meeting
	MaxItemSupport     = 5000 // pupils who supported one item (a whole-school vote)
	MaxItemSaid        = 1000 // characters of what pupils said
	MaxItemNote        = 500  // characters of what the school did or will do
	MaxMeetingsPerFile = 200  // meetings in one imported file
)

// YearGroup is a school year: "R" for reception, "1" to "13".
type YearGroup string

// YearGroups lists every year group, youngest first.
var YearGroups = []YearGroup{"R", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13"}

// Name is how people say the year group: "Reception", "Year 5".
func (y YearGroup) Name() string {
	if y == "R" {
		return "Reception"
	}
	return "Year " + string(y)
}

// ParseYearGroup reads a year group as people write it: "R", "Reception",
// "Year R", "YR", "5", "Y5", "Year 5", "yr5".
func ParseYearGroup(s string) (YearGroup, bool) {
	s = strings.ToLower(strings.Join(strings.Fields(s), ""))
	switch s {
	case "r", "rec", "reception", "yr", "yearr", "yrr":
		return "R", true
	}
	for _, prefix := range []string{"year", "yr", "y"} {
		if rest, ok := strings.CutPrefix(s, prefix); ok {
			s = rest
			break
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 13 || strconv.Itoa(n) != s {
		return "", false
	}
	return YearGroup(s), true
}

// ItemStatus is what a school did about an item: its own "you said, we
// did".
type ItemStatus string

// Statuses of an item.
const (
	ItemNotYet      ItemStatus = "not_yet"      // the school has not decided yet
	ItemPlanned     ItemStatus = "planned"      // the school will do something
	ItemInProgress  ItemStatus = "in_progress"  // being done
	ItemDone        ItemStatus = "done"         // done
	ItemNotPossible ItemStatus = "not_possible" // cannot be done; the note says why
)

// ItemStatuses lists every status, in the order forms offer them.
var ItemStatuses = []ItemStatus{ItemNotYet, ItemPlanned, ItemInProgress, ItemDone, ItemNotPossible}

// Valid reports whether s is one of ItemStatuses.
func (s ItemStatus) Valid() bool { return slices.Contains(ItemStatuses, s) }

// ActedOn reports whether the school has acted on the item: it is being
// done or done.
func (s ItemStatus) ActedOn() bool { return s == ItemInProgress || s == ItemDone }

// Name is how people say the status.
func (s ItemStatus) Name() string {
	switch s {
	case ItemNotYet:
		return "Not decided yet"
	case ItemPlanned:
		return "We will do this"
	case ItemInProgress:
		return "Being done"
	case ItemDone:
		return "Done"
	case ItemNotPossible:
		return "Not possible"
	}
	return string(s)
}

// ParseItemStatus reads a status as a key ("in_progress") or as people
// write it ("In progress", "not possible"); blank is ItemNotYet.
func ParseItemStatus(s string) (ItemStatus, bool) {
	k := strings.ToLower(strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '_' || r == '-' }), "_"))
	switch k {
	case "", "not_yet", "not_decided", "not_decided_yet", "not_yet_decided":
		return ItemNotYet, true
	case "will_do", "we_will_do_this":
		return ItemPlanned, true
	case "being_done":
		return ItemInProgress, true
	}
	st := ItemStatus(k)
	return st, st.Valid()
}

// CouncilItem is one thing a school council raised.
type CouncilItem struct {
	ID   string // unique in its meeting
	Said string // what pupils said, in the lead's words
	// Themes are the themes in force: the lead's when Checked, or else
	// the coder's (Machine).
	Themes  []string
	Machine []string
	Checked bool // the lead chose the themes
	Support int  // how many pupils supported it
	// Priority marks what the council most wants done.
	Priority bool
	Status   ItemStatus
	Note     string // what the school did or will do, or why it cannot
}

// CouncilMeeting is the record of one school council meeting. It holds
// numbers of pupils, never names.
type CouncilMeeting struct {
	ID     string
	School string // the school's key
	Area   string // the school's area when the meeting was recorded
	Day    string // "2006-01-02"
	Pupils int    // pupils who took part
	// YearGroups are the year groups the pupils came from, youngest first.
	YearGroups []YearGroup
	Items      []CouncilItem
	// Revision goes up with each save, so that two people cannot silently
	// overwrite each other.
	Revision int
	Created  time.Time
	Updated  time.Time
}

// ActedOn counts the items the school has acted on.
func (m *CouncilMeeting) ActedOn() int {
	n := 0
	for _, it := range m.Items {
		if it.Status.ActedOn() {
			n++
		}
	}
	return n
}

// validate checks everything a person typed, naming each field that is
// wrong; today is the latest day a meeting may have.
func (m *CouncilMeeting) validate(cb *Codebook, today string) error {
	errs := fieldErrors{}
	switch day, err := time.Parse(time.DateOnly, m.Day); {
	case err != nil:
		errs.add("day", "must be a date such as 2026-11-23")
	case m.Day > today:
		errs.add("day", "must not be after today")
	case day.Year() < MinEdition:
		errs.add("day", fmt.Sprintf("must be in %d or later", MinEdition))
	}
	if m.Pupils < 1 || m.Pupils > MaxCouncilPupils {
		errs.add("pupils", fmt.Sprintf("must be a whole number from 1 to %s", thousandsOf(MaxCouncilPupils)))
	}
	seen := map[YearGroup]bool{}
	for _, y := range m.YearGroups {
		switch {
		case !slices.Contains(YearGroups, y):
			errs.add("year_groups", fmt.Sprintf("%q is not a year group; use Reception or Year 1 to Year 13", string(y)))
		case seen[y]:
			errs.add("year_groups", fmt.Sprintf("%s is given twice", y.Name()))
		}
		seen[y] = true
	}
	if len(m.YearGroups) == 0 {
		errs.add("year_groups", "choose at least one year group")
	}
	if len(m.Items) > MaxCouncilItems {
		errs.add("items", fmt.Sprintf("has %d items; a meeting has at most %d", len(m.Items), MaxCouncilItems))
	}
	for i := range m.Items {
		m.Items[i].validate(cb, fmt.Sprintf("items[%d].", i), errs)
	}
	return errs.err("The meeting's record has mistakes.")
}

func (it *CouncilItem) validate(cb *Codebook, at string, errs fieldErrors) {
	switch n := utf8.RuneCountInString(strings.TrimSpace(it.Said)); {
	case n == 0:
		errs.add(at+"said", "must say what pupils said")
	case n > MaxItemSaid:
		errs.add(at+"said", fmt.Sprintf("must be at most %s characters", thousandsOf(MaxItemSaid)))
	}
	if it.Support < 0 || it.Support > MaxItemSupport {
		errs.add(at+"support", fmt.Sprintf("must be a whole number from 0 to %s", thousandsOf(MaxItemSupport)))
	}
	if !it.Status.Valid() {
		errs.add(at+"status", "must be not yet decided, will do, being done, done or not possible")
	}
	switch n := utf8.RuneCountInString(it.Note); {
	case n > MaxItemNote:
		errs.add(at+"note", fmt.Sprintf("must be at most %d characters", MaxItemNote))
	case it.Status == ItemNotPossible && strings.TrimSpace(it.Note) == "":
		errs.add(at+"note", "must say why it is not possible")
	}
	if len(it.Themes) > MaxCodedThemes {
		errs.add(at+"themes", fmt.Sprintf("has %d themes; choose at most %d", len(it.Themes), MaxCodedThemes))
	}
	for j, k := range it.Themes {
		switch {
		case cb.Theme(k) == nil:
			errs.add(at+"themes", fmt.Sprintf("%q is not a theme of the codebook", k))
		case slices.Contains(it.Themes[:j], k):
			errs.add(at+"themes", fmt.Sprintf("%q is given twice", k))
		}
	}
}

// thousandsOf writes n with commas: 5,000.
func thousandsOf(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Term is a school term: autumn (September to December), spring (January
// to March) or summer (April to August). Easter moves, so the terms are
// cut at month ends, the same every year.
type Term string

// Terms, in the order of a school year.
const (
	TermAutumn Term = "autumn"
	TermSpring Term = "spring"
	TermSummer Term = "summer"
)

// Terms lists the terms of a school year in order.
var Terms = []Term{TermAutumn, TermSpring, TermSummer}

// Name is the term with a capital: "Autumn".
func (t Term) Name() string {
	if t == "" {
		return ""
	}
	return strings.ToUpper(string(t[:1])) + string(t[1:])
}

// SchoolYearOf returns the school year (the year it starts in September)
// and the term of a day.
func SchoolYearOf(day time.Time) (int, Term) {
	switch m := day.Month(); {
	case m >= time.September:
		return day.Year(), TermAutumn
	case m <= time.March:
		return day.Year() - 1, TermSpring
	default:
		return day.Year() - 1, TermSummer
	}
}

// SchoolYearName writes a school year as "2025/26".
func SchoolYearName(year int) string {
	return fmt.Sprintf("%d/%02d", year, (year+1)%100)
}

// TermPeriod returns the days of a term of a school year, or of the whole
// year when term is "".
func TermPeriod(year int, term Term) Period {
	day := func(y int, m time.Month, d int) string {
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}
	switch term {
	case TermAutumn:
		return Period{From: day(year, time.September, 1), To: day(year, time.December, 31)}
	case TermSpring:
		return Period{From: day(year+1, time.January, 1), To: day(year+1, time.March, 31)}
	case TermSummer:
		return Period{From: day(year+1, time.April, 1), To: day(year+1, time.August, 31)}
	}
	return Period{From: day(year, time.September, 1), To: day(year+1, time.August, 31)}
}

// termBefore is the term before a term (the summer of the year before
// autumn), or the year before when term is "".
func termBefore(year int, term Term) (int, Term) {
	switch term {
	case TermAutumn:
		return year - 1, TermSummer
	case TermSpring:
		return year, TermAutumn
	case TermSummer:
		return year, TermSpring
	}
	return year - 1, ""
}

// CouncilFilter selects meetings: of School (every school when ""), from
// day From to day To inclusive (either end open when "").
type CouncilFilter struct {
	School   string
	From, To string
}

// Match reports whether m is selected by f.
func (f CouncilFilter) Match(m *CouncilMeeting) bool {
	return (f.School == "" || m.School == f.School) && (f.From == "" || m.Day >= f.From) && (f.To == "" || m.Day <= f.To)
}

// CouncilStore keeps the records of council meetings, one document each.
type CouncilStore interface {
	// CreateMeetings stores new meetings. A meeting whose id is stored
	// already is left as it is, so that a retried import stores each
	// meeting once; it returns how many were new.
	CreateMeetings(ctx context.Context, meetings []*CouncilMeeting) (int, error)
	// FindMeeting returns the meeting with the id, or ENOTFOUND.
	FindMeeting(ctx context.Context, id string) (*CouncilMeeting, error)
	// FindMeetings returns the meetings f selects, newest day first, then
	// by id.
	FindMeetings(ctx context.Context, f CouncilFilter) ([]*CouncilMeeting, error)
	// UpdateMeeting replaces a meeting if it is still at revision, and
	// returns it at its new revision; ECONFLICT when someone else saved
	// first, ENOTFOUND when it is gone.
	UpdateMeeting(ctx context.Context, revision int, m *CouncilMeeting) (*CouncilMeeting, error)
	// DeleteMeeting removes a meeting if it is still at revision.
	DeleteMeeting(ctx context.Context, id string, revision int) error
}
