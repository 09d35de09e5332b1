package surveys

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// The theme summary: how many comments touched each theme, in which
// channel, how they felt, how that moved since the period before, and a
// few approved quotes, with every small number suppressed.

// VoiceDigest is the little of a voice that counting needs: where it was
// heard, when, for whom, and its codes in force. Stores keep one per voice
// beside it, so that a summary never reads the comments themselves.
type VoiceDigest struct {
	ID        string
	Channel   Channel
	Survey    string
	Day       string // "2006-01-02"
	Area      string
	AgeBand   string
	Themes    []string // in force: the reviewer's, or else the machine's
	Sentiment Sentiment
	Quoted    bool // it has an approved quote
}

// DigestOf returns v's digest.
func DigestOf(v *Voice) VoiceDigest {
	return VoiceDigest{ID: v.ID, Channel: v.Channel, Survey: v.Source.Survey, Day: v.Day, Area: v.Area,
		AgeBand: v.AgeBand, Themes: v.Themes(), Sentiment: v.Sentiment(),
		Quoted: v.Quote != nil && v.Quote.Status == QuoteApproved}
}

// Limits of a summary.
const (
	// MaxSummaryDays is the longest period a summary covers: five years,
	// enough for any report to a board, and a bound on what one request
	// reads (twice this, with the period before).
	MaxSummaryDays = 5*365 + 1
	// DefaultSummaryDays is the period when none is given: the last year.
	DefaultSummaryDays = 365
	// QuotesPerTheme is how many approved quotes a summary gives a theme.
	QuotesPerTheme = 3
	// maxSummaryFilterLen bounds the text of a filter (a slug, an area, an
	// age band).
	maxSummaryFilterLen = 200
)

// SummaryQuery says which comments a summary counts: those heard from day
// From to day To, inclusive, through Channel, in answer to Survey, from
// young people of Area and AgeBand. Empty fields match everything.
type SummaryQuery struct {
	From    string  `json:"from"`
	To      string  `json:"to"`
	Channel Channel `json:"channel,omitempty"`
	Survey  string  `json:"survey,omitempty"`
	Area    string  `json:"area,omitempty"`
	AgeBand string  `json:"age_band,omitempty"`
}

// Period is a span of days, inclusive.
type Period struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// resolve checks q and fills in its period: To defaults to today, From to
// a year before To. It returns the query and the period before it, of the
// same length.
func (q SummaryQuery) resolve(today time.Time) (SummaryQuery, Period, error) {
	errs := fieldErrors{}
	from, fromErr := parseDay(q.From)
	to, toErr := parseDay(q.To)
	if fromErr != nil {
		errs.add("from", "must be a date such as 2026-04-01")
	}
	if toErr != nil {
		errs.add("to", "must be a date such as 2026-04-01")
	}
	if q.Channel != "" && !q.Channel.Valid() {
		errs.add("channel", "must be survey, session or school_council")
	}
	for field, v := range map[string]string{"survey": q.Survey, "area": q.Area, "age_band": q.AgeBand} {
		if len(v) > maxSummaryFilterLen {
			errs.add(field, fmt.Sprintf("must be at most %d characters", maxSummaryFilterLen))
		}
	}
	if to.IsZero() {
		to = today.UTC().Truncate(24 * time.Hour)
	}
	if from.IsZero() {
		from = to.AddDate(0, 0, 1-DefaultSummaryDays)
	}
	days := int(to.Sub(from).Hours()/24) + 1
	switch {
	case fromErr != nil || toErr != nil:
	case days < 1:
		errs.add("to", "must not be before the start")
	case days > MaxSummaryDays:
		errs.add("from", fmt.Sprintf("the period can be at most %d days (five years)", MaxSummaryDays))
	}
	if err := errs.err("The summary's filters have mistakes."); err != nil {
		return q, Period{}, err
	}
	q.From, q.To = from.Format(time.DateOnly), to.Format(time.DateOnly)
	prev := Period{From: from.AddDate(0, 0, -days).Format(time.DateOnly), To: from.AddDate(0, 0, -1).Format(time.DateOnly)}
	return q, prev, nil
}

// parseDay parses "2006-01-02", and "" as the zero time.
func parseDay(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse day %q: %w", s, err)
	}
	return t, nil
}

// match reports whether d is selected by q's filters (not its period).
func (q SummaryQuery) match(d *VoiceDigest) bool {
	return (q.Channel == "" || d.Channel == q.Channel) &&
		(q.Survey == "" || d.Survey == q.Survey) &&
		(q.Area == "" || d.Area == q.Area) &&
		(q.AgeBand == "" || d.AgeBand == q.AgeBand)
}

// ThemeSummary is the summary of the comments a SummaryQuery selects. A
// nil count or percentage is suppressed: it came from fewer comments than
// the threshold, or would let someone work such a number out.
type ThemeSummary struct {
	Query     SummaryQuery      `json:"query"`
	Previous  Period            `json:"previous"`
	Codebook  int               `json:"codebook"`
	Threshold int               `json:"threshold"`
	Channels  []Channel         `json:"channels"` // the columns: channels with comments in the period
	Voices    SummaryCounts     `json:"voices"`   // every comment, with a theme or not
	Themes    []ThemeSummaryRow `json:"themes"`   // most comments first; suppressed ones last
}

// SummaryCounts are the comments of a theme (or all of them) by channel,
// in the period and the one before.
type SummaryCounts struct {
	Total     *int             `json:"total"`
	ByChannel map[Channel]*int `json:"by_channel"`
	Previous  *int             `json:"previous"`
	// Change is Total minus Previous, when both are shown.
	Change *int `json:"change"`
}

// ThemeSummaryRow is one theme's line of the summary.
type ThemeSummaryRow struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	SummaryCounts
	// SharePercent is the share of all comments that touch the theme.
	SharePercent *float64 `json:"share_percent"`
	// The shares of the theme's comments that are negative and positive.
	NegativePercent *float64       `json:"negative_percent"`
	PositivePercent *float64       `json:"positive_percent"`
	Quotes          []SummaryQuote `json:"quotes"`
}

// SummaryQuote is an approved quote: redacted words a report may show.
type SummaryQuote struct {
	Text    string  `json:"text"`
	Channel Channel `json:"channel"`
}

// Summary counts the voices q selects by theme and channel, with the
// codebook in force, and suppresses small numbers at threshold.
func (vs *Voices) Summary(ctx context.Context, q SummaryQuery, threshold int) (*ThemeSummary, error) {
	q, prev, err := q.resolve(vs.Now())
	if err != nil {
		return nil, err
	}
	c := newThemeCounter(vs.Themes.Codebook())
	var quoted []VoiceDigest
	err = vs.Store.EachVoiceDigest(ctx, prev.From, q.To, func(d *VoiceDigest) error {
		if !q.match(d) {
			return nil
		}
		now := d.Day >= q.From
		c.add(d, now)
		if now && d.Quoted {
			quoted = append(quoted, *d)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("theme summary: %w", err)
	}
	s := c.summary(threshold)
	s.Query, s.Previous = q, prev
	if err := vs.addQuotes(ctx, s, quoted); err != nil {
		return nil, err
	}
	return s, nil
}

// SummarizeThemes counts now and before (the voices of the period and of
// the one before it) by the codebook's themes, with suppression. It leaves
// the summary's query and quotes to the caller.
func SummarizeThemes(cb *Codebook, now, before []VoiceDigest, threshold int) *ThemeSummary {
	c := newThemeCounter(cb)
	for i := range now {
		c.add(&now[i], true)
	}
	for i := range before {
		c.add(&before[i], false)
	}
	return c.summary(threshold)
}

// themeCounter counts voices one at a time, so that a summary of a year
// never holds the year's digests: a grid of the period and one of the
// period before, each with a column for every channel.
type themeCounter struct {
	cb          *Codebook
	theme       map[string]int
	now, before *grid
}

func newThemeCounter(cb *Codebook) *themeCounter {
	c := &themeCounter{cb: cb, theme: make(map[string]int, len(cb.Themes))}
	for i, t := range cb.Themes {
		c.theme[t.Key] = i
	}
	c.now, c.before = newGrid(len(cb.Themes), len(Channels)), newGrid(len(cb.Themes), len(Channels))
	return c
}

// add counts a voice of the period, or of the one before. A theme that is
// no longer in the codebook is not counted; its voice still is, in the row
// of all voices.
func (c *themeCounter) add(v *VoiceDigest, now bool) {
	col := slices.Index(Channels, v.Channel)
	if col < 0 {
		return
	}
	g := c.before
	if now {
		g = c.now
	}
	g.all.add(col, v.Sentiment)
	for _, k := range v.Themes {
		if r, ok := c.theme[k]; ok {
			g.rows[r].add(col, v.Sentiment)
		}
	}
}

// summary suppresses the counts and lays them out. The columns are the
// channels heard in the period; of the period before, only totals are
// shown, suppressed with the channels heard then.
func (c *themeCounter) summary(threshold int) *ThemeSummary {
	cur, channels := c.now.heard()
	prev, _ := c.before.heard()
	curHidden, prevHidden := cur.suppress(threshold), prev.suppress(threshold)

	s := &ThemeSummary{Codebook: c.cb.Version, Threshold: threshold, Channels: channels,
		Voices: summaryCounts(channels, cur.all, curHidden.all, prev.all.total, prevHidden.all.total)}
	for i, t := range c.cb.Themes {
		row := ThemeSummaryRow{Key: t.Key, Name: t.Name, Quotes: []SummaryQuote{},
			SummaryCounts: summaryCounts(channels, cur.rows[i], curHidden.rows[i], prev.rows[i].total, prevHidden.rows[i].total)}
		if row.Total != nil {
			row.NegativePercent, row.PositivePercent = feelingShares(cur.rows[i], threshold)
			if s.Voices.Total != nil {
				row.SharePercent = ptr(percent(*row.Total, *s.Voices.Total))
			}
		}
		s.Themes = append(s.Themes, row)
	}
	sortSummaryRows(s.Themes)
	return s
}

// gridRow is the count of voices of one theme (or all of them) by channel,
// and by feeling.
type gridRow struct {
	total     int
	byChannel []int // in the order of the grid's channels
	positive  int
	negative  int
}

// grid is a table of voices: a row per theme of the codebook, and the row
// of all voices.
type grid struct {
	all  gridRow
	rows []gridRow
}

func newGrid(themes, channels int) *grid {
	g := &grid{all: gridRow{byChannel: make([]int, channels)}, rows: make([]gridRow, themes)}
	for i := range g.rows {
		g.rows[i].byChannel = make([]int, channels)
	}
	return g
}

// heard returns the grid with only the columns of the channels some voice
// was heard in, and those channels, in the order of Channels.
func (g *grid) heard() (*grid, []Channel) {
	channels := []Channel{}
	var cols []int
	for j, n := range g.all.byChannel {
		if n > 0 {
			channels = append(channels, Channels[j])
			cols = append(cols, j)
		}
	}
	pick := func(r gridRow) gridRow {
		out := r
		out.byChannel = make([]int, len(cols))
		for i, j := range cols {
			out.byChannel[i] = r.byChannel[j]
		}
		return out
	}
	h := &grid{all: pick(g.all), rows: make([]gridRow, len(g.rows))}
	for i := range g.rows {
		h.rows[i] = pick(g.rows[i])
	}
	return h, channels
}

func (r *gridRow) add(col int, s Sentiment) {
	r.total++
	r.byChannel[col]++
	switch s {
	case Positive:
		r.positive++
	case Negative:
		r.negative++
	}
}

// gridHidden says which figures of a grid suppression hides.
type gridHidden struct {
	all  rowHidden
	rows []rowHidden
}

type rowHidden struct {
	total     bool
	byChannel []bool
}

// suppress decides which of g's counts to hide at threshold, by the rules
// of suppress.go:
//
//   - The channels of all voices add up to their total (a voice is heard
//     in one channel), and so do the channels of each theme's row.
//   - A theme's total, or a channel's count, from fewer voices than the
//     threshold is hidden (zero too), and so are a theme's counts when all
//     voices are too few.
//
// Down a channel's column, the themes add up to nothing (a voice has up to
// three themes, or none), and no theme's row adds up with another's, so
// each row is settled on its own.
func (g *grid) suppress(threshold int) gridHidden {
	h := gridHidden{all: rowHidden{total: g.all.total < threshold}, rows: make([]rowHidden, len(g.rows))}
	h.all.byChannel = hideCells(g.all.byChannel, g.all.total, threshold, true)
	for i := range h.all.byChannel {
		h.all.byChannel[i] = h.all.byChannel[i] || h.all.total
	}
	for i, r := range g.rows {
		hidden := make([]bool, len(r.byChannel))
		total := h.all.total || r.total < threshold
		for j, n := range r.byChannel {
			hidden[j] = total || n < threshold
		}
		widenHidden(hidden, r.byChannel, r.total, threshold, true)
		h.rows[i] = rowHidden{total: total, byChannel: hidden}
	}
	return h
}

// summaryCounts builds the shown counts of a row: its total and channels
// now, and its total before with the change when both are shown.
func summaryCounts(channels []Channel, r gridRow, h rowHidden, prevTotal int, prevHidden bool) SummaryCounts {
	c := SummaryCounts{ByChannel: make(map[Channel]*int, len(channels))}
	if !h.total {
		c.Total = ptr(r.total)
	}
	for j, ch := range channels {
		c.ByChannel[ch] = nil
		if !h.byChannel[j] {
			c.ByChannel[ch] = ptr(r.byChannel[j])
		}
	}
	if !prevHidden {
		c.Previous = ptr(prevTotal)
	}
	if c.Total != nil && c.Previous != nil {
		c.Change = ptr(*c.Total - *c.Previous)
	}
	return c
}

// feelingShares returns the shares of a theme's voices that are negative
// and positive. The rest (mixed and neutral) is the third cell of a table
// that adds up to the total, so that neither share can give away a small
// remainder by subtraction.
func feelingShares(r gridRow, threshold int) (negative, positive *float64) {
	counts := []int{r.negative, r.positive, r.total - r.negative - r.positive}
	hidden := hideCells(counts, r.total, threshold, true)
	if !hidden[0] {
		negative = ptr(percent(r.negative, r.total))
	}
	if !hidden[1] {
		positive = ptr(percent(r.positive, r.total))
	}
	return negative, positive
}

// sortSummaryRows puts the themes with most comments first and the
// suppressed ones last, keeping the codebook's order among equals.
func sortSummaryRows(rows []ThemeSummaryRow) {
	slices.SortStableFunc(rows, func(a, b ThemeSummaryRow) int {
		switch {
		case a.Total == nil && b.Total == nil:
			return 0
		case a.Total == nil:
			return 1
		case b.Total == nil:
			return -1
		}
		return *b.Total - *a.Total
	})
}

// addQuotes gives each shown theme up to QuotesPerTheme of its approved
// quotes from the period, newest first. A theme whose count is suppressed
// gets none: a quote from a handful of comments could point to its writer.
// quoted are the digests of the period's voices with an approved quote.
func (vs *Voices) addQuotes(ctx context.Context, s *ThemeSummary, quoted []VoiceDigest) error {
	slices.SortFunc(quoted, func(a, b VoiceDigest) int {
		if a.Day != b.Day {
			return cmp.Compare(b.Day, a.Day)
		}
		return cmp.Compare(a.ID, b.ID)
	})
	cache := map[string]*Voice{}
	for i := range s.Themes {
		row := &s.Themes[i]
		if row.Total == nil {
			continue
		}
		for j := 0; j < len(quoted) && len(row.Quotes) < QuotesPerTheme; j++ {
			if !slices.Contains(quoted[j].Themes, row.Key) {
				continue
			}
			v, err := vs.quotedVoice(ctx, cache, quoted[j].ID)
			if err != nil {
				return err
			}
			if v != nil {
				row.Quotes = append(row.Quotes, SummaryQuote{Text: v.Quote.Text, Channel: v.Channel})
			}
		}
	}
	return nil
}

// quotedVoice reads a voice with an approved quote, or returns nil when it
// has none now (its digest was a moment behind).
func (vs *Voices) quotedVoice(ctx context.Context, cache map[string]*Voice, id string) (*Voice, error) {
	if v, ok := cache[id]; ok {
		return v, nil
	}
	v, err := vs.Store.FindVoice(ctx, id)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		v = nil
	case err != nil:
		return nil, fmt.Errorf("read quote: %w", err)
	case v.Quote == nil || v.Quote.Status != QuoteApproved:
		v = nil
	}
	cache[id] = v
	return v, nil
}
