package surveys

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

// heard makes n digests of voices heard in channel with the themes (space
// separated) and sentiment.
func heard(n int, channel Channel, themes string, s Sentiment) []VoiceDigest {
	out := make([]VoiceDigest, n)
	for i := range out {
		out[i] = VoiceDigest{ID: fmt.Sprintf("%s-%s-%d", channel, themes, i), Channel: channel,
			Themes: strings.Fields(themes), Sentiment: s, Day: "2026-06-01"}
	}
	return out
}

func joinDigests(lists ...[]VoiceDigest) []VoiceDigest {
	var out []VoiceDigest
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

var summaryCodebook = &Codebook{Version: 3, Themes: []Theme{
	{Key: "education", Name: "Education"}, {Key: "money", Name: "Money"}, {Key: "safety", Name: "Safety"},
}}

// summaryLines shows a summary a line per row, "-" for what is hidden:
// "education 13 [survey:- session:-] prev - change - share 56.5 neg 100 pos -".
func summaryLines(s *ThemeSummary) []string {
	n := func(p *int) string {
		if p == nil {
			return "-"
		}
		return fmt.Sprint(*p)
	}
	pc := func(p *float64) string {
		if p == nil {
			return "-"
		}
		return fmt.Sprint(*p)
	}
	counts := func(c SummaryCounts) string {
		var cells []string
		for _, ch := range s.Channels {
			cells = append(cells, fmt.Sprintf("%s:%s", ch, n(c.ByChannel[ch])))
		}
		return fmt.Sprintf("%s [%s] prev %s change %s", n(c.Total), strings.Join(cells, " "), n(c.Previous), n(c.Change))
	}
	lines := []string{"all " + counts(s.Voices)}
	for _, r := range s.Themes {
		lines = append(lines, fmt.Sprintf("%s %s share %s neg %s pos %s", r.Key, counts(r.SummaryCounts), pc(r.SharePercent),
			pc(r.NegativePercent), pc(r.PositivePercent)))
	}
	return lines
}

func TestSummarizeThemesSuppresses(t *testing.T) {
	t.Parallel()
	const survey, session, school = ChannelSurvey, ChannelSession, ChannelSchoolCouncil
	tests := []struct {
		name        string
		now, before []VoiceDigest
		want        []string
	}{
		{
			name: "one channel: small themes and feelings hidden, change only where both periods show",
			now: joinDigests(heard(8, survey, "education", Negative), heard(6, survey, "money", Positive),
				heard(2, survey, "safety", Neutral), heard(4, survey, "", Neutral)),
			before: joinDigests(heard(5, survey, "education", Mixed), heard(3, survey, "money", Mixed)),
			want: []string{
				"all 20 [survey:20] prev 8 change 12",
				"education 8 [survey:8] prev 5 change 3 share 40 neg 100 pos -",
				"money 6 [survey:6] prev - change - share 30 neg - pos 100",
				"safety - [survey:-] prev - change - share - neg - pos -",
			},
		},
		{
			name: "a small channel in a theme's row hides another, since the row adds up to its total",
			now: joinDigests(heard(10, survey, "education", Negative), heard(3, session, "education", Negative),
				heard(10, session, "money", Positive)),
			want: []string{
				"all 23 [survey:10 session:13] prev - change -",
				"education 13 [survey:- session:-] prev - change - share 56.5 neg 100 pos -",
				"money 10 [survey:- session:-] prev - change - share 43.5 neg - pos 100",
				"safety - [survey:- session:-] prev - change - share - neg - pos -",
			},
		},
		{
			name: "a small channel hides another in the row of all comments",
			now:  joinDigests(heard(20, survey, "education", Positive), heard(2, school, "money", Positive)),
			want: []string{
				"all 22 [survey:- school_council:-] prev - change -",
				"education 20 [survey:- school_council:-] prev - change - share 90.9 neg - pos 100",
				"money - [survey:- school_council:-] prev - change - share - neg - pos -",
				"safety - [survey:- school_council:-] prev - change - share - neg - pos -",
			},
		},
		{
			name: "a small remainder of mixed and neutral hides the smaller feeling too",
			now: joinDigests(heard(6, survey, "education", Negative), heard(5, survey, "education", Positive),
				heard(2, survey, "education", Mixed)),
			want: []string{
				"all 13 [survey:13] prev - change -",
				"education 13 [survey:13] prev - change - share 100 neg 46.2 pos -",
				"money - [survey:-] prev - change - share - neg - pos -",
				"safety - [survey:-] prev - change - share - neg - pos -",
			},
		},
		{
			name: "several themes of one voice count once each; themes gone from the codebook count only in all",
			now:  joinDigests(heard(5, survey, "education money", Negative), heard(5, survey, "retired_theme", Neutral)),
			want: []string{
				"all 10 [survey:10] prev - change -",
				"education 5 [survey:5] prev - change - share 50 neg 100 pos -",
				"money 5 [survey:5] prev - change - share 50 neg 100 pos -",
				"safety - [survey:-] prev - change - share - neg - pos -",
			},
		},
		{
			name: "too few comments in all hides everything",
			now:  heard(4, survey, "education", Negative),
			want: []string{
				"all - [survey:-] prev - change -",
				"education - [survey:-] prev - change - share - neg - pos -",
				"money - [survey:-] prev - change - share - neg - pos -",
				"safety - [survey:-] prev - change - share - neg - pos -",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := SummarizeThemes(summaryCodebook, tt.now, tt.before, 5)
			if got := strings.Join(summaryLines(s), "\n"); got != strings.Join(tt.want, "\n") {
				t.Errorf("summary:\n%s\nwant:\n%s", got, strings.Join(tt.want, "\n"))
			}
			if s.Codebook != 3 || s.Threshold != 5 {
				t.Errorf("codebook %d threshold %d, want 3 and 5", s.Codebook, s.Threshold)
			}
		})
	}
}

// No count the summary shows is below the threshold, and a theme's shown
// channels never leave a small remainder of its total, whatever the mix.
func TestSummarizeThemesNeverShowsSmallNumbers(t *testing.T) {
	t.Parallel()
	channels := []Channel{ChannelSurvey, ChannelSession, ChannelSchoolCouncil}
	themes := []string{"education", "money", "safety", "education money", ""}
	feelings := []Sentiment{Positive, Negative, Mixed, Neutral}
	for seed := 0; seed < 300; seed++ {
		var now []VoiceDigest
		x := seed*7919 + 13
		for i := 0; i < 3+seed%40; i++ {
			x = (x*1103515245 + 12345) % 2147483648
			now = append(now, heard(1+x%4, channels[x%3], themes[(x/3)%5], feelings[(x/7)%4])...)
		}
		s := SummarizeThemes(summaryCodebook, now, nil, 5)
		rows := append([]SummaryCounts{s.Voices}, rowsCounts(s)...)
		for _, r := range rows {
			shown, total := 0, 0
			for _, ch := range s.Channels {
				if c := r.ByChannel[ch]; c != nil {
					if *c < 5 {
						t.Fatalf("seed %d: a channel shows %d", seed, *c)
					}
					shown += *c
				}
			}
			if r.Total != nil {
				if total = *r.Total; total < 5 {
					t.Fatalf("seed %d: a total shows %d", seed, total)
				}
				if rest := total - shown; rest > 0 && rest < 5 {
					t.Fatalf("seed %d: the hidden channels of a row add up to %d", seed, rest)
				}
			}
		}
	}
}

func rowsCounts(s *ThemeSummary) []SummaryCounts {
	var out []SummaryCounts
	for _, r := range s.Themes {
		out = append(out, r.SummaryCounts)
	}
	return out
}

func TestSummaryQueryResolve(t *testing.T) {
	t.Parallel()
	today := time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		q         SummaryQuery
		want      Period
		prev      Period
		errFields []string
	}{
		{name: "the last year by default", want: Period{"2025-11-24", "2026-11-23"}, prev: Period{"2024-11-24", "2025-11-23"}},
		{name: "a calendar year", q: SummaryQuery{From: "2026-01-01", To: "2026-12-31"},
			want: Period{"2026-01-01", "2026-12-31"}, prev: Period{"2025-01-01", "2025-12-31"}},
		{name: "one day", q: SummaryQuery{From: "2026-03-01", To: "2026-03-01"},
			want: Period{"2026-03-01", "2026-03-01"}, prev: Period{"2026-02-28", "2026-02-28"}},
		{name: "only an end", q: SummaryQuery{To: "2026-03-31"}, want: Period{"2025-04-01", "2026-03-31"}, prev: Period{"2024-04-01", "2025-03-31"}},
		{name: "five years at most", q: SummaryQuery{From: "2021-01-01", To: "2025-12-31"},
			want: Period{"2021-01-01", "2025-12-31"}, prev: Period{"2016-01-02", "2020-12-31"}},
		{name: "more than five years", q: SummaryQuery{From: "2021-01-01", To: "2026-01-01"}, errFields: []string{"from"}},
		{name: "not dates", q: SummaryQuery{From: "1 April", To: "2026-02-30"}, errFields: []string{"from", "to"}},
		{name: "backwards", q: SummaryQuery{From: "2026-05-01", To: "2026-04-30"}, errFields: []string{"to"}},
		{name: "unknown channel", q: SummaryQuery{Channel: "twitter"}, errFields: []string{"channel"}},
		{name: "long filters", q: SummaryQuery{Survey: strings.Repeat("s", 201), Area: strings.Repeat("a", 201), AgeBand: strings.Repeat("b", 201)},
			errFields: []string{"age_band", "area", "survey"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q, prev, err := tt.q.resolve(today)
			if len(tt.errFields) > 0 {
				got := slices.Sorted(maps.Keys(ErrorFields(err)))
				if strings.Join(got, " ") != strings.Join(tt.errFields, " ") {
					t.Errorf("fields %v, want %v", got, tt.errFields)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (Period{q.From, q.To}) != tt.want || prev != tt.prev {
				t.Errorf("period %s..%s before %v, want %v before %v", q.From, q.To, prev, tt.want, tt.prev)
			}
		})
	}
}
