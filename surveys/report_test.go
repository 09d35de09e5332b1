package surveys_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
)

// reportSurvey is a survey with two versions, a section and a question
// outside any, and choices marked favourable.
func reportSurvey(slug string, edition int) *surveys.Survey {
	safe := surveys.Question{Key: "safe", Type: surveys.Scale, Section: "home", Text: en("Do you feel safe?"),
		Choices: []surveys.Choice{{Key: "never", Label: en("Never")}, {Key: "sometimes", Label: en("Sometimes")},
			{Key: "always", Label: en("Always"), Favourable: true}}}
	trust := surveys.Question{Key: "trust", Type: surveys.SingleChoice, Section: "home", Text: en("Is there an adult you trust?"),
		Choices: []surveys.Choice{{Key: "yes", Label: en("Yes"), Favourable: true}, {Key: "no", Label: en("No")}}}
	clubs := surveys.Question{Key: "clubs", Type: surveys.MultiChoice, Text: en("What do you do?"), Choices: choices("sport", "music")}
	return &surveys.Survey{Definition: surveys.Definition{Slug: slug, Edition: edition, Title: en("Your life"),
		Sections: []surveys.Section{{Key: "home", Title: en("Home")}, {Key: "school", Title: en("School")}},
		Versions: []surveys.Version{
			{Key: "young", Label: en("Ages 8 to 11"), Questions: []surveys.Question{safe, trust}},
			{Key: "old", Label: en("Ages 11 to 18"), Questions: []surveys.Question{safe, trust, clubs}},
		}}, Status: surveys.StatusClosed,
		Opens: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Closes: time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC)}
}

// reportTally counts responses of one version from per-question counts.
func reportTally(slug, version string, responses int, counts map[string]map[string]int) *surveys.Tally {
	t := surveys.NewTally(slug, version)
	all := &surveys.SliceTally{Responses: responses, Questions: map[string]*surveys.QuestionTally{}}
	for q, cs := range counts {
		qt := &surveys.QuestionTally{Counts: map[string]int{}}
		for c, n := range cs {
			qt.Counts[c] = n
			qt.Answered += n
		}
		all.Questions[q] = qt
	}
	t.Slices[surveys.AllSlice] = all
	return t
}

func buildReport(t *testing.T, in surveys.BoardInputs) *surveys.BoardReport {
	t.Helper()
	if in.Settings == nil {
		in.Settings = &surveys.Settings{CouncilName: "Knowsley Council", Threshold: 5}
	}
	if in.Now.IsZero() {
		in.Now = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	}
	rep, err := surveys.BuildBoardReport(in)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func counts(vc []surveys.VersionCount) []string {
	var out []string
	for _, v := range vc {
		n := "hidden"
		if v.Responses != nil {
			n = fmt.Sprint(*v.Responses)
		}
		out = append(out, v.Key+"="+n)
	}
	return out
}

func TestBoardReportParticipation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name         string
		young, old   int
		cohort       int
		want         []string
		total        string
		rate         string
		responsesNil bool
	}{
		{"both shown", 40, 60, 200, []string{"young=40", "old=60"}, "100", "50.0", false},
		// One small version hides the other too, or subtraction would
		// give it away.
		{"one small", 3, 60, 0, []string{"young=hidden", "old=hidden"}, "63", "", false},
		{"none from one", 0, 60, 0, []string{"young=hidden", "old=60"}, "60", "", false},
		{"too few in all", 2, 2, 100, []string{"young=hidden", "old=hidden"}, "", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := reportSurvey("s", 2026)
			s.Cohort = tc.cohort
			var tallies []*surveys.Tally
			for v, n := range map[string]int{"young": tc.young, "old": tc.old} {
				if n > 0 {
					tallies = append(tallies, reportTally("s", v, n, nil))
				}
			}
			rep := buildReport(t, surveys.BoardInputs{Survey: s, Tallies: tallies})
			if got := counts(rep.Taking.Versions); !slices.Equal(got, tc.want) {
				t.Errorf("versions %v, want %v", got, tc.want)
			}
			if (rep.Taking.Responses == nil) != tc.responsesNil || (rep.Taking.Responses != nil && fmt.Sprint(*rep.Taking.Responses) != tc.total) {
				t.Errorf("responses %v, want %q", rep.Taking.Responses, tc.total)
			}
			rate := ""
			if rep.Taking.RatePercent != nil {
				rate = fmt.Sprintf("%.1f", *rep.Taking.RatePercent)
			}
			if rate != tc.rate {
				t.Errorf("rate %q, want %q", rate, tc.rate)
			}
		})
	}
}

func TestBoardReportHighlights(t *testing.T) {
	t.Parallel()
	cur := reportSurvey("s-2026", 2026)
	prev := reportSurvey("s-2025", 2025)
	tallies := []*surveys.Tally{reportTally("s-2026", "old", 100, map[string]map[string]int{
		"safe":  {"never": 10, "sometimes": 20, "always": 70},
		"trust": {"yes": 55, "no": 45},
	})}
	prevTallies := []*surveys.Tally{reportTally("s-2025", "old", 100, map[string]map[string]int{
		"safe":  {"never": 10, "sometimes": 30, "always": 60},
		"trust": {"yes": 97, "no": 3}, // "no" is hidden, so "yes" is too
	})}
	rep := buildReport(t, surveys.BoardInputs{Survey: cur, Tallies: tallies, Previous: prev, PreviousTallies: prevTallies})
	if len(rep.GoingWell) != 1 || len(rep.CouldBeBetter) != 1 {
		t.Fatalf("going well %+v, could be better %+v: want one each, no question in both", rep.GoingWell, rep.CouldBeBetter)
	}
	well, better := rep.GoingWell[0], rep.CouldBeBetter[0]
	if well.Question != "safe" || well.Percent != 70 || well.Change == nil || *well.Change != 10 || !slices.Equal(well.Favourable, []string{"Always"}) {
		t.Errorf("going well %+v, want safe at 70%% up 10 points", well)
	}
	if better.Question != "trust" || better.Percent != 55 || better.Change != nil || better.ChangeNote != surveys.ChangeNotComparable {
		t.Errorf("could be better %+v, want trust at 55%%, not comparable", better)
	}
	if rep.Compared != prev || rep.CompareNote == "" {
		t.Errorf("compared %v %q", rep.Compared, rep.CompareNote)
	}

	// A question whose answers changed, or that is new, is not compared.
	prev2 := reportSurvey("s-2025", 2025)
	prev2.Versions[1].Questions[0].Choices[1].Favourable = true // "sometimes" counted as good then
	prev2.Versions[0].Questions = prev2.Versions[0].Questions[:1]
	prev2.Versions[1].Questions = prev2.Versions[1].Questions[:1] // no "trust"
	prev2.Versions[0].Questions[0].Choices[1].Favourable = true
	rep = buildReport(t, surveys.BoardInputs{Survey: cur, Tallies: tallies, Previous: prev2, PreviousTallies: prevTallies})
	if n := rep.GoingWell[0].ChangeNote; n != surveys.ChangeQuestionDiff {
		t.Errorf("changed question: note %q", n)
	}
	if n := rep.CouldBeBetter[0].ChangeNote; n != surveys.ChangeQuestionNew {
		t.Errorf("new question: note %q", n)
	}

	// A favourable answer hidden gives no share: it would tell the hidden
	// count by subtraction.
	hidden := []*surveys.Tally{reportTally("s-2026", "old", 100, map[string]map[string]int{
		"safe":  {"never": 50, "sometimes": 47, "always": 3},
		"trust": {"yes": 60, "no": 40},
	})}
	rep = buildReport(t, surveys.BoardInputs{Survey: cur, Tallies: hidden})
	for _, h := range append(rep.GoingWell, rep.CouldBeBetter...) {
		if h.Question == "safe" {
			t.Errorf("a share from a hidden favourable answer: %+v", h)
		}
	}
}

func TestBoardReportSectionsAndCells(t *testing.T) {
	t.Parallel()
	s := reportSurvey("s", 2026)
	rep := buildReport(t, surveys.BoardInputs{Survey: s, Tallies: []*surveys.Tally{reportTally("s", "old", 50, map[string]map[string]int{
		"safe":  {"never": 3, "sometimes": 17, "always": 30},
		"trust": {"yes": 25, "no": 25},
		"clubs": {"sport": 20, "music": 2},
	})}})
	var got []string
	for _, sec := range rep.Sections {
		for _, q := range sec.Questions {
			got = append(got, sec.Title+":"+q.Key)
		}
	}
	// School has no questions and is left out; clubs is in no section.
	if want := []string{"Home:safe", "Home:trust", "Questions:clubs"}; !slices.Equal(got, want) && !slices.Equal(got, []string{"Home:safe", "Home:trust", "Other questions:clubs"}) {
		t.Errorf("sections %v, want %v", got, want)
	}
	safe := rep.Sections[0].Questions[0]
	// never (3) is hidden, and sometimes (17) with it; their sum is the
	// hidden part of the bar.
	if safe.Cells[0].Count != nil || safe.Cells[1].Count != nil || safe.Hidden != 20 || *safe.Cells[2].Count != 30 || !safe.Cells[2].Favourable {
		t.Errorf("safe cells %+v hidden %d", safe.Cells, safe.Hidden)
	}
	if rep.Period != (surveys.Period{From: "2026-03-01", To: "2026-04-30"}) {
		t.Errorf("period %+v", rep.Period)
	}
}

// reportMeetings is a council store of a few meetings, for the board
// report's school councils: only FindMeetings is used.
type reportMeetings struct {
	surveys.CouncilStore
	meetings []*surveys.CouncilMeeting
}

func (m reportMeetings) FindMeetings(_ context.Context, f surveys.CouncilFilter) ([]*surveys.CouncilMeeting, error) {
	var out []*surveys.CouncilMeeting
	for _, x := range m.meetings {
		if (f.From == "" || x.Day >= f.From) && (f.To == "" || x.Day <= f.To) && (f.School == "" || x.School == f.School) {
			out = append(out, x)
		}
	}
	return out, nil
}

// The board report has the school councils of the whole school year the
// survey's period ends in, when Heard has a councils service, and records
// only itself in the audit log.
func TestReportsBoardSchoolCouncils(t *testing.T) {
	t.Parallel()
	// Three schools of the North met in February 2026 (school year
	// 2025/26) and in October 2026 (2026/27).
	var meetings []*surveys.CouncilMeeting
	for i, key := range []string{"a", "b", "c"} {
		for _, day := range []string{"2026-02-10", "2026-10-05"} {
			meetings = append(meetings, &surveys.CouncilMeeting{ID: key + day, School: key, Area: "North", Day: day, Pupils: 10 + i,
				YearGroups: []surveys.YearGroup{"5"}, Items: []surveys.CouncilItem{{ID: "1", Said: "More clubs", Themes: []string{"activities"},
					Support: 9, Status: surveys.ItemDone}}})
		}
	}
	for _, tt := range []struct {
		name       string
		closes     time.Time // the survey's
		councils   bool
		want       surveys.AreaQuery
		period     surveys.Period
		periodName string
	}{
		{"ended in the summer term", time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC), true,
			surveys.AreaQuery{Year: 2025}, surveys.Period{From: "2025-09-01", To: "2026-08-31"}, "School year 2025/26"},
		{"ended in the autumn term", time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC), true,
			surveys.AreaQuery{Year: 2026}, surveys.Period{From: "2026-09-01", To: "2027-08-31"}, "School year 2026/27"},
		{"without councils", time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC), false, surveys.AreaQuery{}, surveys.Period{}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := reportSurvey("councils", 2026)
			s.Closes = tt.closes
			clk := newClock(reportDay)
			audit := &memAudit{}
			log := &surveys.AuditLog{Store: audit, Now: clk.Now}
			settings := &surveys.SettingsService{Store: &memSettings{st: &surveys.Settings{CouncilName: "Knowsley Council", Threshold: 5,
				Areas: []string{"North", "South"}, Schools: []surveys.School{{Key: "a", Name: "A Primary", Area: "North"},
					{Key: "b", Name: "B Primary", Area: "North"}, {Key: "c", Name: "C Primary", Area: "North"}}}}, Audit: log, Now: clk.Now}
			themes := &surveys.Themes{Store: &memCodebooks{}, Now: clk.Now, Default: reportCodebook(),
				Compile: func(*surveys.Codebook) (surveys.Coder, error) {
					return surveys.CoderFunc(func(string, string) surveys.Coding { return surveys.Coding{} }), nil
				}}
			if err := themes.Load(t.Context()); err != nil {
				t.Fatal(err)
			}
			r := &surveys.Reports{Surveys: newMemSurveys(s), Tallies: fixedTallies{}, Settings: settings, Audit: log, Now: clk.Now}
			if tt.councils {
				r.Councils = &surveys.Councils{Store: reportMeetings{meetings: meetings}, Themes: themes, Settings: settings, Audit: log, Now: clk.Now,
					Redactor: func([]string) (func(string) string, error) { return func(s string) string { return s }, nil }}
			}
			rep, err := r.Board(t.Context(), surveys.BoardReportQuery{Survey: s.Slug})
			if err != nil {
				t.Fatal(err)
			}
			if n := len(audit.of(surveys.AuditReportBoard)); n != 1 {
				t.Errorf("%d board reports recorded, want 1", n)
			}
			if n := len(audit.of(surveys.AuditReportArea)); n != 0 {
				t.Errorf("%d area reports recorded, want none", n)
			}
			a := rep.Areas
			if !tt.councils {
				if a != nil {
					t.Errorf("school councils without a councils service: %+v", a)
				}
				return
			}
			if a == nil {
				t.Fatal("no school councils")
			}
			if a.Query != tt.want || a.Period != tt.period || a.Name != tt.periodName {
				t.Errorf("councils of %+v, %+v, %q; want %+v, %+v, %q", a.Query, a.Period, a.Name, tt.want, tt.period, tt.periodName)
			}
			// One meeting of each school in the year: 10 + 11 + 12 pupils.
			if a.Borough.Reported != 3 || a.Borough.Pupils == nil || *a.Borough.Pupils != 33 {
				t.Errorf("borough: %d schools, %v pupils; want 3 and 33", a.Borough.Reported, a.Borough.Pupils)
			}
		})
	}
}
