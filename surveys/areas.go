package surveys

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// The areas page and report: school councils added up per area of the
// borough and for the borough, for a term or a school year, with the same
// suppression as everything else and one rule of its own. An area where
// fewer than MinAreaSchools schools reported shows nothing of its own,
// only the borough's figures, so that no school can be picked out; and
// when hiding one area would let its figures be worked out from the
// borough's minus the others', the smallest other area is hidden too.

// Limits and rules of the areas page.
const (
	// MinAreaSchools is the fewest schools that must have reported for an
	// area's figures (or the borough's) to be shown.
	MinAreaSchools = 3
	// AreaTopItems is how many items with most support each area lists.
	AreaTopItems = 5
)

// AreaQuery says which school year (the year its September is in) and
// term to count; Term "" is the whole year, and Year 0 the current one.
type AreaQuery struct {
	Year int  `json:"year"`
	Term Term `json:"term,omitempty"`
}

// AreaReport is school councils by area: what the areas page and the area
// report show. Every figure is suppressed already: a nil count is "fewer
// than" the threshold, or hidden so that another cannot be worked out.
type AreaReport struct {
	Council   string
	Logo      *Logo
	Query     AreaQuery
	Name      string // "Autumn term 2026/27", "School year 2026/27"
	Period    Period
	Previous  Period
	PrevName  string // "Summer term 2025/26"
	Threshold int
	Generated time.Time
	Borough   AreaFigures
	Areas     []AreaFigures // in the settings' order
	// Themes are the themes items were coded to in the period or the one
	// before, most items first across the borough.
	Themes []AreaThemeRow
}

// AreaFigures are one area's figures, or the borough's (Name "").
type AreaFigures struct {
	Name     string
	Schools  int // schools in the settings
	Reported int // schools that held a meeting in the period
	// Shown says whether the area's own figures are shown; when not, Why
	// says why, and every figure is nil.
	Shown bool
	Why   string
	// Pupils who took part, items raised, items marked as priorities, and
	// items the schools acted on (being done or done).
	Pupils, Items, Priorities, ActedOn *int
	ActedOnPercent                     *float64
	TopItems                           []AreaItem
}

// AreaItem is one of the items with most support, in redacted words.
type AreaItem struct {
	Text     string
	Support  *int
	Priority bool
	Status   ItemStatus
	Themes   []string // names
}

// AreaThemeRow is a theme's count of items, across the borough and in each
// area (in the order of AreaReport.Areas), with the change since the
// period before.
type AreaThemeRow struct {
	Key, Name string
	Borough   AreaCount
	ByArea    []AreaCount
}

// AreaCount is a count of items now and before; nil where suppressed.
type AreaCount struct {
	Count, Previous, Change *int
}

// Areas works out the areas report for q.
func (c *Councils) Areas(ctx context.Context, q AreaQuery) (*AreaReport, error) {
	now := c.Now().UTC()
	thisYear, thisTerm := SchoolYearOf(now.In(ukTime))
	switch {
	case q.Year == 0:
		q.Year = thisYear
		if q.Term == "" {
			q.Term = thisTerm
		}
	case q.Year < MinEdition || q.Year > MaxEdition:
		return nil, FieldsError("That is not a school year.", map[string]string{"year": fmt.Sprintf("must be a year from %d to %d", MinEdition, MaxEdition)})
	}
	if q.Term != "" && !slices.Contains(Terms, q.Term) {
		return nil, FieldsError("That is not a term.", map[string]string{"term": "must be autumn, spring, summer or empty for the whole year"})
	}
	st, err := c.Settings.Current(ctx)
	if err != nil {
		return nil, fmt.Errorf("areas: %w", err)
	}
	py, pt := termBefore(q.Year, q.Term)
	rep := &AreaReport{Council: st.CouncilName, Logo: st.Logo, Query: q, Name: periodName(q.Year, q.Term),
		Period: TermPeriod(q.Year, q.Term), Previous: TermPeriod(py, pt), PrevName: periodName(py, pt),
		Threshold: st.Threshold, Generated: now}
	meetings, err := c.Store.FindMeetings(ctx, CouncilFilter{From: rep.Previous.From, To: rep.Period.To})
	if err != nil {
		return nil, fmt.Errorf("areas: %w", err)
	}
	var cur, prev []*CouncilMeeting
	for _, m := range meetings {
		if m.Day >= rep.Period.From {
			cur = append(cur, m)
		} else {
			prev = append(prev, m)
		}
	}
	red, err := c.schoolRedactor(st)
	if err != nil {
		return nil, fmt.Errorf("areas: %w", err)
	}
	cb := c.Themes.Codebook()
	buildAreaReport(rep, st, cb, red, tallyAreas(st, cur), tallyAreas(st, prev))
	return rep, nil
}

// AreaReportOf is the areas report made for the board's PDF, recorded in
// the audit log.
func (c *Councils) AreaReportOf(ctx context.Context, q AreaQuery) (*AreaReport, error) {
	rep, err := c.Areas(ctx, q)
	if err != nil {
		return nil, err
	}
	if err := c.Audit.Record(ctx, AuditReportArea, "areas", rep.Name); err != nil {
		return nil, err
	}
	return rep, nil
}

func periodName(year int, term Term) string {
	if term == "" {
		return "School year " + SchoolYearName(year)
	}
	return term.Name() + " term " + SchoolYearName(year)
}

// schoolRedactor takes schools' names out of items' words: the areas page
// must not say which school raised what. Without a Redactor it refuses,
// rather than show the words as they are.
func (c *Councils) schoolRedactor(st *Settings) (func(string) string, error) {
	if c.Redactor == nil {
		return nil, errors.New("no redactor to take schools' names out of items")
	}
	names := make([]string, len(st.Schools))
	for i, s := range st.Schools {
		names[i] = s.Name
	}
	red, err := c.Redactor(names)
	if err != nil {
		return nil, fmt.Errorf("redactor of schools' names: %w", err)
	}
	return red, nil
}

// areaTally is the raw counts of one area (or the borough) in a period.
type areaTally struct {
	schools                          map[string]bool
	pupils, items, priorities, acted int
	themes                           map[string]int
	list                             []*CouncilItem
	days                             map[*CouncilItem]string
}

func newAreaTally() *areaTally {
	return &areaTally{schools: map[string]bool{}, themes: map[string]int{}, days: map[*CouncilItem]string{}}
}

func (t *areaTally) add(m *CouncilMeeting) {
	t.schools[m.School] = true
	t.pupils += m.Pupils
	for i := range m.Items {
		it := &m.Items[i]
		t.items++
		if it.Priority {
			t.priorities++
		}
		if it.Status.ActedOn() {
			t.acted++
		}
		for _, k := range it.Themes {
			t.themes[k]++
		}
		t.list = append(t.list, it)
		t.days[it] = m.Day
	}
}

// areaTallies are the counts of the borough and of each area of the
// settings, in order. A meeting of an area no longer in the settings counts
// for the borough only.
type areaTallies struct {
	borough *areaTally
	areas   []*areaTally
}

func tallyAreas(st *Settings, meetings []*CouncilMeeting) areaTallies {
	t := areaTallies{borough: newAreaTally(), areas: make([]*areaTally, len(st.Areas))}
	for i := range t.areas {
		t.areas[i] = newAreaTally()
	}
	for _, m := range meetings {
		t.borough.add(m)
		if i := slices.Index(st.Areas, m.Area); i >= 0 {
			t.areas[i].add(m)
		}
	}
	return t
}

// areaHiding says which areas' figures are not shown: those where no
// school reported (none), those where fewer than MinAreaSchools did, and
// then the smallest others until the schools outside the shown areas
// number none or at least MinAreaSchools. With the borough under
// MinAreaSchools, everything is hidden.
type areaHiding struct {
	hidden, none []bool
	borough      bool
}

func hideAreas(t areaTallies) areaHiding {
	h := areaHiding{hidden: make([]bool, len(t.areas)), none: make([]bool, len(t.areas))}
	reported := make([]int, len(t.areas))
	for i, a := range t.areas {
		reported[i] = len(a.schools)
		h.none[i] = reported[i] == 0
		h.hidden[i] = reported[i] < MinAreaSchools
	}
	if len(t.borough.schools) < MinAreaSchools {
		h.borough = true
		for i := range h.hidden {
			h.hidden[i] = true
		}
		return h
	}
	widenRemainder(h.hidden, reported, len(t.borough.schools), MinAreaSchools)
	return h
}

// suppressAcross hides, for one measure, the areas' values and the
// borough's by the rules of suppress.go, as a table of areas adding up to
// the borough: a hidden area stays hidden, a value under the threshold is
// hidden, and more are hidden while the hidden ones could be worked out
// from the borough's total. Areas where no school reported are not in the
// table. It returns the shown values (nil where hidden) of the borough and
// of each area.
func suppressAcross(borough int, values []int, h areaHiding, threshold int) (*int, []*int) {
	out := make([]*int, len(values))
	if h.borough {
		return nil, out
	}
	var cells, at []int
	var hide []bool
	for i, v := range values {
		if h.none[i] {
			continue
		}
		cells, at, hide = append(cells, v), append(at, i), append(hide, h.hidden[i] || v < threshold)
	}
	widenHidden(hide, cells, borough, threshold, true)
	for j, i := range at {
		if !hide[j] {
			out[i] = ptr(values[i])
		}
	}
	if borough < threshold {
		return nil, out
	}
	return ptr(borough), out
}

// buildAreaReport fills rep from the period's counts and the one before.
func buildAreaReport(rep *AreaReport, st *Settings, cb *Codebook, red func(string) string, cur, prev areaTallies) {
	h, ph := hideAreas(cur), hideAreas(prev)
	hidden, boroughHidden := h.hidden, h.borough
	threshold := rep.Threshold
	schools := map[string]int{}
	for _, s := range st.Schools {
		schools[s.Area]++
	}
	rep.Borough = AreaFigures{Schools: len(st.Schools), Reported: len(cur.borough.schools), Shown: !boroughHidden}
	if boroughHidden {
		rep.Borough.Why = fmt.Sprintf("Fewer than %d schools reported, so no figures are shown: a school could be picked out.", MinAreaSchools)
	}
	rep.Areas = make([]AreaFigures, len(st.Areas))
	for i, name := range st.Areas {
		a := AreaFigures{Name: name, Schools: schools[name], Reported: len(cur.areas[i].schools), Shown: !hidden[i]}
		switch {
		case a.Reported == 0:
			a.Why = "No school in this area reported."
		case boroughHidden:
			a.Why = rep.Borough.Why
		case hidden[i] && a.Reported < MinAreaSchools:
			a.Why = fmt.Sprintf("Fewer than %d schools reported, so this area's figures are in the borough's only.", MinAreaSchools)
		case hidden[i]:
			a.Why = "Shown with the borough's only, so that a smaller area's figures cannot be worked out from them."
		}
		rep.Areas[i] = a
	}
	measure := func(get func(*areaTally) int, set func(*AreaFigures, *int)) {
		values := make([]int, len(cur.areas))
		for i, t := range cur.areas {
			values[i] = get(t)
		}
		b, byArea := suppressAcross(get(cur.borough), values, h, threshold)
		set(&rep.Borough, b)
		for i := range rep.Areas {
			set(&rep.Areas[i], byArea[i])
		}
	}
	measure(func(t *areaTally) int { return t.pupils }, func(f *AreaFigures, v *int) { f.Pupils = v })
	measure(func(t *areaTally) int { return t.items }, func(f *AreaFigures, v *int) { f.Items = v })
	measure(func(t *areaTally) int { return t.priorities }, func(f *AreaFigures, v *int) { f.Priorities = v })
	measure(func(t *areaTally) int { return t.acted }, func(f *AreaFigures, v *int) { f.ActedOn = v })
	for _, f := range append([]*AreaFigures{&rep.Borough}, ptrs(rep.Areas)...) {
		if f.ActedOn != nil && f.Items != nil && *f.Items > 0 {
			f.ActedOnPercent = ptr(percent(*f.ActedOn, *f.Items))
		}
	}
	if !boroughHidden {
		rep.Borough.TopItems = topItems(cur.borough, cb, red, threshold)
		for i := range rep.Areas {
			if !hidden[i] {
				rep.Areas[i].TopItems = topItems(cur.areas[i], cb, red, threshold)
			}
		}
	}
	rep.Themes = areaThemes(cb, cur, prev, h, ph, threshold)
}

func ptrs[T any](s []T) []*T {
	out := make([]*T, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	return out
}

// areaThemes counts items by theme, in the borough and each area, now and
// before, suppressing each row as a table of areas adding up to the
// borough's count.
func areaThemes(cb *Codebook, cur, prev areaTallies, h, ph areaHiding, threshold int) []AreaThemeRow {
	var rows []AreaThemeRow
	for _, t := range cb.Themes {
		if cur.borough.themes[t.Key] == 0 && prev.borough.themes[t.Key] == 0 {
			continue
		}
		count := func(ts areaTallies, h areaHiding) (*int, []*int) {
			values := make([]int, len(ts.areas))
			for i, a := range ts.areas {
				values[i] = a.themes[t.Key]
			}
			return suppressAcross(ts.borough.themes[t.Key], values, h, threshold)
		}
		nb, na := count(cur, h)
		pb, pa := count(prev, ph)
		row := AreaThemeRow{Key: t.Key, Name: t.Name, Borough: areaCount(nb, pb), ByArea: make([]AreaCount, len(na))}
		for i := range na {
			row.ByArea[i] = areaCount(na[i], pa[i])
		}
		rows = append(rows, row)
	}
	// Suppressed rows go last in the codebook's order: ordering them by
	// their hidden counts would tell which was raised more.
	slices.SortStableFunc(rows, func(a, b AreaThemeRow) int {
		switch an, bn := a.Borough.Count, b.Borough.Count; {
		case an == nil && bn == nil:
			return 0
		case an == nil:
			return 1
		case bn == nil:
			return -1
		default:
			return *bn - *an
		}
	})
	return rows
}

func areaCount(now, before *int) AreaCount {
	c := AreaCount{Count: now, Previous: before}
	if now != nil && before != nil {
		c.Change = ptr(*now - *before)
	}
	return c
}

// topItems are the items with most support, priorities first among
// equals, then the newest; their words are redacted, and a support under
// the threshold is suppressed.
func topItems(t *areaTally, cb *Codebook, red func(string) string, threshold int) []AreaItem {
	list := slices.Clone(t.list)
	slices.SortStableFunc(list, func(a, b *CouncilItem) int {
		return cmp.Or(b.Support-a.Support, boolRank(b.Priority)-boolRank(a.Priority), cmp.Compare(t.days[b], t.days[a]))
	})
	out := []AreaItem{}
	for _, it := range list[:min(len(list), AreaTopItems)] {
		ai := AreaItem{Text: red(it.Said), Priority: it.Priority, Status: it.Status}
		if it.Support >= threshold {
			ai.Support = ptr(it.Support)
		}
		for _, k := range it.Themes {
			if th := cb.Theme(k); th != nil {
				ai.Themes = append(ai.Themes, th.Name)
			}
		}
		out = append(out, ai)
	}
	return out
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
