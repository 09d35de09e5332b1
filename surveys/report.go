package surveys

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// The board report: what the Corporate Parenting Board reads about one
// survey. Everything a report prints is worked out here, with every small
// number already suppressed, so that the code that draws it (exports)
// cannot print a figure it was not given: a nil count or percentage is
// "fewer than N", and nothing else about it is known there.

// Limits of a report.
const (
	// HighlightsPerList is how many questions "what is going well" and
	// "what could be better" each name.
	HighlightsPerList = 5
	// ReportThemes is how many themes the report lists, most comments first.
	ReportThemes = 12
	// ReportThemeDays is the span of comments the report counts: the year
	// up to the end of the survey's period, so that sessions and school
	// councils of that year join the survey's comments.
	ReportThemeDays = 365
)

// BoardReportQuery says which survey to report on and which edition to
// compare it with: Compare is a survey's slug, or "" for the edition the
// survey follows (its Previous), if any.
type BoardReportQuery struct {
	Survey  string
	Compare string
}

// BoardReport is the board's summary of one survey.
type BoardReport struct {
	Council   string
	Logo      *Logo // nil for none
	Survey    *Survey
	Title     string // the survey's title, in English
	Period    Period // when the survey ran
	Generated time.Time
	Threshold int
	Codebook  int // the version of the codebook in force

	// Compared is the edition compared with; nil with CompareNote saying
	// why nothing is.
	Compared    *Survey
	CompareNote string

	Taking        Participation
	GoingWell     []Highlight // most favourable first
	CouldBeBetter []Highlight // least favourable first
	Sections      []ReportSection
	// Themes are the comments of the year to the end of the period, in
	// every channel; nil when Heard has no comments service.
	Themes *ThemeSummary
	// Actions are the "you said, we did" actions linked to the survey, in
	// the order of Actions.List.
	Actions []*Action
	// ThemeSessions are the activities of MADE sessions linked to themes
	// and to none of the survey's questions, by theme: those the themes
	// section lists first, in its order. Activities linked to questions
	// are beside them (ReportQuestion.Sessions).
	ThemeSessions []ThemeSessions
	// SessionPeriod is when the sessions shown are dated
	// (LinkedSessionPeriod), and SessionsLeftOut how many sessions that
	// count were not read, past ReportLinkedSessions.
	SessionPeriod   Period
	SessionsLeftOut int
	// Areas are the school councils of the school year the survey's
	// period ends in, by area; nil when Heard has no councils service.
	Areas *AreaReport
}

// Participation is who took part: a nil count is suppressed.
type Participation struct {
	Responses *int
	Versions  []VersionCount
	// Cohort is how many young people the survey was for (0: unknown), and
	// RatePercent the share of them who answered, when both are known.
	Cohort      int
	RatePercent *float64
}

// VersionCount is the responses to one age-banded version.
type VersionCount struct {
	Key       string
	Label     string
	Responses *int
}

// Highlight is a question ranked by the share of favourable answers.
type Highlight struct {
	Question   string // key
	Text       string
	Favourable []string // the labels of its favourable choices
	Percent    float64  // the share who gave one of them
	// Change is the movement in percentage points since the compared
	// edition; nil with ChangeNote saying why it cannot be given.
	Change     *float64
	ChangeNote string
}

// Reasons a highlight has no change.
const (
	ChangeNotComparable = "not comparable"   // a side is suppressed
	ChangeQuestionNew   = "new question"     // not asked in the compared edition
	ChangeQuestionDiff  = "question changed" // asked, but with other answers
)

// ReportSection is a section of the survey with its questions' figures.
type ReportSection struct {
	Key       string
	Title     string
	Questions []ReportQuestion
}

// ReportQuestion is one question's figures.
type ReportQuestion struct {
	Key      string
	Text     string
	Type     QuestionType
	Answered *int // nil: fewer than the threshold answered, and nothing else is shown
	// Cells are the choices, or the values of a rating, in order. Hidden
	// is the sum of the suppressed cells of a single choice or scale
	// question: the answered count minus the shown cells, which a reader
	// can work out anyway, so a chart may draw it as one "not shown" part.
	Cells  []ReportCell
	Hidden int
	Median *float64 // of a rating
	// Sessions are the activities of MADE sessions linked to the question,
	// the most recent first, at most ReportLinkedPerItem; MoreSessions
	// counts the others.
	Sessions     []LinkedActivity
	MoreSessions int
}

// ReportCell is one choice's or value's figure; nil when suppressed.
type ReportCell struct {
	Label      string
	Count      *int
	Percent    *float64
	Favourable bool
}

// Reports builds reports from the stores.
type Reports struct {
	Surveys  SurveyStore
	Tallies  TallyStore
	Settings *SettingsService
	Voices   *Voices  // nil leaves the themes out
	Actions  *Actions // nil leaves "you said, we did" empty
	Audit    *AuditLog
	Now      func() time.Time
	// Sessions and Rooms give the results of MADE sessions linked to the
	// survey's questions or to themes (reportlinks.go); either nil leaves
	// the sessions out.
	Sessions LiveSessionStore
	Rooms    LiveRooms
	// Councils gives the school councils by area of the school year the
	// survey's period ends in; nil leaves them out.
	Councils *Councils
}

// Board builds the board report of a survey.
func (r *Reports) Board(ctx context.Context, q BoardReportQuery) (*BoardReport, error) {
	if q.Survey == "" {
		return nil, FieldsError("Say which survey the report is about.", map[string]string{"survey": "is required"})
	}
	for field, slug := range map[string]string{"survey": q.Survey, "compare": q.Compare} {
		if len(slug) > MaxKeyLength {
			return nil, FieldsError("That is not the name of a survey.", map[string]string{field: fmt.Sprintf("must be at most %d characters", MaxKeyLength)})
		}
	}
	if q.Compare != "" && q.Compare == q.Survey {
		return nil, FieldsError("A survey cannot be compared with itself.", map[string]string{"compare": "must be another edition"})
	}
	s, err := r.Surveys.FindSurvey(ctx, q.Survey)
	if err != nil {
		return nil, err
	}
	in := BoardInputs{Survey: s, Now: r.Now()}
	if in.Settings, err = r.Settings.Current(ctx); err != nil {
		return nil, fmt.Errorf("board report: %w", err)
	}
	if in.Tallies, err = r.Tallies.FindTallies(ctx, s); err != nil {
		return nil, fmt.Errorf("board report: %w", err)
	}
	if err := r.previous(ctx, s, q.Compare, &in); err != nil {
		return nil, err
	}
	if r.Voices != nil {
		in.Codebook = r.Voices.Themes.Codebook().Version
		to := surveyPeriod(s, in.Now.UTC()).To
		day, _ := time.Parse(time.DateOnly, to)
		sq := SummaryQuery{From: day.AddDate(0, 0, 1-ReportThemeDays).Format(time.DateOnly), To: to}
		if in.Themes, err = r.Voices.Summary(ctx, sq, in.Settings.Threshold); err != nil {
			return nil, fmt.Errorf("board report: %w", err)
		}
	}
	if r.Actions != nil {
		if in.Actions, err = r.Actions.List(ctx, ActionFilter{Survey: s.Slug}); err != nil {
			return nil, fmt.Errorf("board report: %w", err)
		}
	}
	if in.Linked, in.LinkedLeftOut, err = r.Linked(ctx, s, in.Now, in.Settings.Threshold); err != nil {
		return nil, fmt.Errorf("board report: %w", err)
	}
	if year, ok := councilYear(s, in.Now); ok && r.Councils != nil {
		// Councils.Areas, not AreaReportOf: this report records its own
		// entry in the audit log.
		if in.Areas, err = r.Councils.Areas(ctx, AreaQuery{Year: year}); err != nil {
			return nil, fmt.Errorf("board report: %w", err)
		}
	}
	rep, err := BuildBoardReport(in)
	if err != nil {
		return nil, err
	}
	detail := "compared with nothing"
	if in.Previous != nil {
		detail = "compared with " + in.Previous.Slug
	}
	if err := r.Audit.Record(ctx, AuditReportBoard, s.Slug, detail); err != nil {
		return nil, fmt.Errorf("board report: %w", err)
	}
	return rep, nil
}

// councilYear is the school year whose councils the board report shows,
// the whole of it: the one the survey's period ends in. It is false for a
// year outside those Heard counts.
func councilYear(s *Survey, now time.Time) (int, bool) {
	end, err := time.Parse(time.DateOnly, surveyPeriod(s, now.UTC()).To)
	if err != nil {
		return 0, false
	}
	year, _ := SchoolYearOf(end)
	return year, year >= MinEdition && year <= MaxEdition
}

// previous finds the edition to compare with and its tallies, or says in
// the inputs why there is none.
func (r *Reports) previous(ctx context.Context, s *Survey, slug string, in *BoardInputs) error {
	if slug == "" {
		slug = s.Previous
	}
	if slug == "" {
		in.NoCompare = "This is the first edition of this survey in Heard, so there is nothing to compare it with."
		return nil
	}
	prev, err := r.Surveys.FindSurvey(ctx, slug)
	switch {
	case ErrorCode(err) == ENOTFOUND && slug == s.Previous:
		in.NoCompare = fmt.Sprintf("The edition this one follows (%s) is no longer in Heard, so nothing is compared.", slug)
		return nil
	case ErrorCode(err) == ENOTFOUND:
		return FieldsError("There is no survey to compare with by that name.", map[string]string{"compare": fmt.Sprintf("no survey %q", slug)})
	case err != nil:
		return fmt.Errorf("board report: %w", err)
	}
	in.Previous = prev
	if in.PreviousTallies, err = r.Tallies.FindTallies(ctx, prev); err != nil {
		return fmt.Errorf("board report: %w", err)
	}
	return nil
}

// BoardInputs are what a board report is made from.
type BoardInputs struct {
	Survey   *Survey
	Tallies  []*Tally
	Settings *Settings
	// Previous is the edition to compare with, and PreviousTallies its
	// counts; when it is nil, NoCompare says why.
	Previous        *Survey
	PreviousTallies []*Tally
	NoCompare       string
	Themes          *ThemeSummary // nil: no comments service
	Actions         []*Action
	// Linked are the activities of ended MADE sessions linked to the
	// survey's questions or to themes, with their results
	// (LinkActivities); LinkedLeftOut is how many sessions that count
	// were not read.
	Linked        []LinkedActivity
	LinkedLeftOut int
	Codebook      int
	Now           time.Time
	// Areas are the school councils by area, or nil to leave them out.
	Areas *AreaReport
}

// BuildBoardReport works out a board report from its inputs, suppressing
// every small number by the rules of suppress.go.
func BuildBoardReport(in BoardInputs) (*BoardReport, error) {
	s, st := in.Survey, in.Settings
	now := in.Now.UTC()
	rep := &BoardReport{Council: st.CouncilName, Logo: st.Logo, Survey: s, Title: s.Title.In(DefaultLanguage),
		Period: surveyPeriod(s, now), Generated: now, Threshold: st.Threshold, Codebook: in.Codebook,
		CompareNote: in.NoCompare, Themes: in.Themes, Actions: in.Actions,
		SessionPeriod: LinkedSessionPeriod(s, now), SessionsLeftOut: in.LinkedLeftOut, Areas: in.Areas}
	res, err := ComputeResults(s, in.Tallies, ResultsQuery{}, st.Threshold)
	if err != nil {
		return nil, fmt.Errorf("board report: %w", err)
	}
	questions, err := s.resultQuestions(ResultsQuery{})
	if err != nil {
		return nil, fmt.Errorf("board report: %w", err)
	}
	rep.Taking = participation(s, in.Tallies, res, st.Threshold)
	rep.Sections = reportSections(s, questions, res)

	var prevQuestions []Question
	var prevRes *Results
	if p := in.Previous; p != nil {
		if prevRes, err = ComputeResults(p, in.PreviousTallies, ResultsQuery{}, st.Threshold); err != nil {
			return nil, fmt.Errorf("board report: %w", err)
		}
		if prevQuestions, err = p.resultQuestions(ResultsQuery{}); err != nil {
			return nil, fmt.Errorf("board report: %w", err)
		}
		rep.Compared = p
		rep.CompareNote = fmt.Sprintf("Changes are in percentage points, compared with %s.", surveyTitle(p))
		if prevRes.Suppressed {
			rep.CompareNote += " Too few answered it for any figure to be compared."
		}
	}
	rep.GoingWell, rep.CouldBeBetter = highlights(questions, res, prevQuestions, prevRes)
	names := themeNames(rep.Themes)
	if t := rep.Themes; t != nil {
		// Only themes with a count to show are listed; the rest say nothing.
		t.Themes = slices.DeleteFunc(slices.Clone(t.Themes), func(r ThemeSummaryRow) bool { return r.Total == nil })
		t.Themes = t.Themes[:min(len(t.Themes), ReportThemes)]
	}
	placeLinked(rep, in.Linked, names)
	return rep, nil
}

// surveyTitle names a survey with its edition: "Your life in care (2025)".
func surveyTitle(s *Survey) string {
	return fmt.Sprintf("%s (%d)", s.Title.In(DefaultLanguage), s.Edition)
}

// surveyPeriod is when the survey ran: its schedule where it has one, else
// from its creation to its last change (its closing, for a closed survey)
// or to today while it is open.
func surveyPeriod(s *Survey, now time.Time) Period {
	from, to := s.Opens, s.Closes
	if from.IsZero() {
		from = s.Created
	}
	if to.IsZero() || (s.Status == StatusOpen && to.After(now)) {
		to = now
		// A closed survey ran until it closed: ClosedAt, or for one closed
		// before Heard recorded that, its last change.
		if s.Status == StatusClosed && !s.ClosedAt.IsZero() {
			to = s.ClosedAt
		} else if s.Status == StatusClosed && !s.Updated.IsZero() {
			to = s.Updated
		}
	}
	if to.Before(from) {
		to = from
	}
	return Period{From: from.UTC().Format(time.DateOnly), To: to.UTC().Format(time.DateOnly)}
}

// participation counts responses in all and by version, with the versions'
// counts suppressed as a table that adds up to the whole.
func participation(s *Survey, tallies []*Tally, res *Results, threshold int) Participation {
	p := Participation{Responses: res.Responses, Cohort: s.Cohort}
	counts := make([]int, len(s.Versions))
	total := 0
	for i, v := range s.Versions {
		for _, t := range tallies {
			if t.Version == v.Key {
				counts[i] = t.Slice(AllSlice).Responses
			}
		}
		total += counts[i]
	}
	hidden := make([]bool, len(counts))
	for i, n := range counts {
		hidden[i] = n < threshold || res.Responses == nil
	}
	// As for a version's results (versionShown): the hidden versions must
	// add up to none or at least threshold. A version no one answered
	// hides nothing.
	widenRemainder(hidden, counts, total, threshold)
	for i, v := range s.Versions {
		vc := VersionCount{Key: v.Key, Label: cmp.Or(v.Label.In(DefaultLanguage), v.Key)}
		if !hidden[i] {
			vc.Responses = ptr(counts[i])
		}
		p.Versions = append(p.Versions, vc)
	}
	if p.Responses != nil && p.Cohort > 0 {
		p.RatePercent = ptr(percent(*p.Responses, p.Cohort))
	}
	return p
}

// reportSections arranges the questions' figures under the survey's
// sections, in order; questions in no known section come last.
func reportSections(s *Survey, questions []Question, res *Results) []ReportSection {
	sectionOf := make([]string, len(res.Questions))
	for i := range res.Questions {
		sectionOf[i] = questions[i].Section
	}
	var out []ReportSection
	for _, g := range s.SectionGroups(sectionOf) {
		sec := ReportSection{Key: g.Key, Title: g.Title}
		for _, i := range g.Items {
			sec.Questions = append(sec.Questions, reportQuestion(&questions[i], &res.Questions[i]))
		}
		out = append(out, sec)
	}
	return out
}

// reportQuestion gives a question's figures their labels.
func reportQuestion(q *Question, r *QuestionResult) ReportQuestion {
	rq := ReportQuestion{Key: q.Key, Text: q.Text.In(DefaultLanguage), Type: q.Type, Median: r.Median}
	if r.Suppressed || r.Answered == nil {
		return rq
	}
	rq.Answered = ptr(*r.Answered)
	shown := 0
	for _, c := range r.Choices {
		cell := ReportCell{Label: c.Key, Count: c.Count, Percent: c.Percent}
		if ch := q.Choice(c.Key); ch != nil {
			cell.Label, cell.Favourable = cmp.Or(ch.Label.In(DefaultLanguage), c.Key), ch.Favourable
		}
		if c.Count != nil {
			shown += *c.Count
		}
		rq.Cells = append(rq.Cells, cell)
	}
	for _, d := range r.Distribution {
		cell := ReportCell{Count: d.Count, Percent: d.Percent}
		if d.Value != nil {
			cell.Label = fmt.Sprint(*d.Value)
		}
		rq.Cells = append(rq.Cells, cell)
	}
	if q.Type == SingleChoice || q.Type == Scale {
		rq.Hidden = *r.Answered - shown
	}
	return rq
}

// favourableShare returns the share of a question's answers that are
// favourable, and the labels of its favourable choices. It gives no share
// unless the question is a single choice or scale with both favourable and
// other choices, its figures are shown, and so is every favourable cell:
// a share that counted a hidden cell would give it away by subtraction.
func favourableShare(q *Question, r *QuestionResult) (float64, []string, bool) {
	if q == nil || r == nil || (q.Type != SingleChoice && q.Type != Scale) || r.Suppressed || r.Answered == nil || *r.Answered == 0 {
		return 0, nil, false
	}
	var labels []string
	n, others := 0, 0
	for _, c := range r.Choices {
		ch := q.Choice(c.Key)
		if ch == nil || !ch.Favourable {
			others++
			continue
		}
		if c.Count == nil {
			return 0, nil, false
		}
		n += *c.Count
		labels = append(labels, cmp.Or(ch.Label.In(DefaultLanguage), ch.Key))
	}
	if len(labels) == 0 || others == 0 {
		return 0, nil, false
	}
	return percent(n, *r.Answered), labels, true
}

// favourableKeys returns the keys of q's choices and, apart, of its
// favourable ones, so that two editions' questions can be compared.
func favourableKeys(q *Question) (all, fav []string) {
	for _, c := range q.Choices {
		all = append(all, c.Key)
		if c.Favourable {
			fav = append(fav, c.Key)
		}
	}
	slices.Sort(all)
	slices.Sort(fav)
	return all, fav
}

// highlights ranks the questions with a favourable share: the most
// favourable for "going well" and the least for "could be better", with no
// question in both lists, and each with its change since the previous
// edition where both sides show a share of the same question.
func highlights(questions []Question, res *Results, prevQuestions []Question, prevRes *Results) (best, worst []Highlight) {
	prev := map[string]int{}
	for i := range prevQuestions {
		prev[prevQuestions[i].Key] = i
	}
	var all []Highlight
	for i := range questions {
		q := &questions[i]
		share, labels, ok := favourableShare(q, &res.Questions[i])
		if !ok {
			continue
		}
		h := Highlight{Question: q.Key, Text: q.Text.In(DefaultLanguage), Favourable: labels, Percent: share}
		h.Change, h.ChangeNote = highlightChange(q, share, prevQuestions, prevRes, prev)
		all = append(all, h)
	}
	slices.SortStableFunc(all, func(a, b Highlight) int { return cmp.Compare(b.Percent, a.Percent) })
	nBest := min(HighlightsPerList, (len(all)+1)/2)
	best = all[:nBest]
	rest := all[nBest:]
	for i := len(rest) - 1; i >= 0 && len(worst) < HighlightsPerList; i-- {
		worst = append(worst, rest[i])
	}
	return best, worst
}

// highlightChange compares a question's favourable share with the
// previous edition's.
func highlightChange(q *Question, share float64, prevQuestions []Question, prevRes *Results, at map[string]int) (*float64, string) {
	if prevRes == nil {
		return nil, ""
	}
	i, ok := at[q.Key]
	if !ok {
		return nil, ChangeQuestionNew
	}
	p := &prevQuestions[i]
	all, fav := favourableKeys(q)
	pAll, pFav := favourableKeys(p)
	if p.Type != q.Type || !slices.Equal(all, pAll) || !slices.Equal(fav, pFav) {
		return nil, ChangeQuestionDiff
	}
	if prevRes.Suppressed {
		return nil, ChangeNotComparable
	}
	was, _, ok := favourableShare(p, &prevRes.Questions[i])
	if !ok {
		return nil, ChangeNotComparable
	}
	return ptr(roundPoints(share - was)), ""
}
