package exports_test

import (
	"bytes"
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
)

// The board report's tests make reports from survey definitions and
// tallies through surveys.BuildBoardReport, as the server does, and read
// the PDF back with poppler.

var reportDay = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// Answer sets used by the generated questions.
var (
	oftenScale = []surveys.Choice{choice("never", "Never", false), choice("rarely", "Rarely", false),
		choice("sometimes", "Sometimes", false), choice("often", "Often", true), choice("always", "Always", true)}
	yesNo = []surveys.Choice{choice("yes", "Yes", true), choice("no", "No", false), choice("not_sure", "Not sure", false)}
	extra = []surveys.Choice{choice("sport", "Sport and games", false), choice("music", "Music", false),
		choice("art", "Art and making things", false), choice("clubs", "Youth clubs", false)}
)

func choice(key, label string, fav bool) surveys.Choice {
	return surveys.Choice{Key: key, Label: surveys.Text{"en": label}, Favourable: fav}
}

// boardSurvey makes a survey of n questions in four sections, of every
// type in turn, with two versions.
func boardSurvey(slug string, edition, n int) *surveys.Survey {
	sections := []surveys.Section{
		{Key: "relationships", Title: surveys.Text{"en": "Relationships"}},
		{Key: "having_a_say", Title: surveys.Text{"en": "Having a say"}},
		{Key: "home", Title: surveys.Text{"en": "Home"}},
		{Key: "wellbeing", Title: surveys.Text{"en": "Wellbeing"}},
	}
	var qs []surveys.Question
	for i := range n {
		q := surveys.Question{Key: fmt.Sprintf("q%02d", i), Section: sections[i%len(sections)].Key,
			Text: surveys.Text{"en": fmt.Sprintf("Question %d: do you feel the adults who look after you listen to you?", i)}}
		switch i % 5 {
		case 0, 3:
			q.Type, q.Choices = surveys.Scale, oftenScale
		case 1:
			q.Type, q.Choices = surveys.SingleChoice, yesNo
		case 2:
			q.Type, q.Choices = surveys.MultiChoice, extra
		case 4:
			q.Type = surveys.FreeText
		}
		if i == 7 {
			q.Type, q.Choices, q.Min, q.Max = surveys.Rating, nil, ptr(0), ptr(10)
		}
		qs = append(qs, q)
	}
	return &surveys.Survey{
		Definition: surveys.Definition{Slug: slug, Edition: edition, Kind: surveys.KindAnnual,
			Title: surveys.Text{"en": "Your life in care"}, Sections: sections,
			Versions: []surveys.Version{
				{Key: "8-11", Label: surveys.Text{"en": "Ages 8 to 11"}, Questions: qs},
				{Key: "11-18", Label: surveys.Text{"en": "Ages 11 to 18"}, Questions: qs},
			}},
		Status: surveys.StatusClosed, Cohort: 400,
		Opens:  time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Closes: time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC),
	}
}

func ptr[T any](v T) *T { return &v }

// boardTallies counts responses to s made up from seed: per version, n
// responses, each answer picked by a fixed pseudo-random sequence so that
// some cells are small.
func boardTallies(s *surveys.Survey, seed uint32, n ...int) []*surveys.Tally {
	var out []*surveys.Tally
	x := seed
	next := func(k int) int {
		x = x*1664525 + 1013904223
		// Skewed: the first answers are far more common than the last, so
		// the last ones are small numbers.
		r := int(x>>8) % 100
		switch {
		case k <= 1:
			return 0
		case r < 45:
			return 0
		case r < 75:
			return 1 % k
		case r < 93:
			return 2 % k
		case r < 97:
			return 3 % k
		}
		return 4 % k
	}
	for vi := range s.Versions {
		v := &s.Versions[vi]
		t := surveys.NewTally(s.Slug, v.Key)
		for i := range n[vi] {
			r := &surveys.Response{ID: fmt.Sprint(i), Survey: s.Slug, Version: v.Key, Answers: map[string]surveys.Answer{}}
			for _, q := range v.Questions {
				if next(10) == 4 { // about one in twenty skips a question
					continue
				}
				switch q.Type {
				case surveys.Scale, surveys.SingleChoice:
					r.Answers[q.Key] = surveys.Answer{Choice: q.Choices[next(len(q.Choices))].Key}
				case surveys.MultiChoice:
					r.Answers[q.Key] = surveys.Answer{Choices: []string{q.Choices[next(len(q.Choices))].Key}}
				case surveys.Rating:
					r.Answers[q.Key] = surveys.Answer{Number: 10 - next(5)*2}
				case surveys.FreeText:
					r.Answers[q.Key] = surveys.Answer{Text: "words"}
				}
			}
			t.Add(v, r)
		}
		out = append(out, t)
	}
	return out
}

// boardThemes makes a theme summary of made-up comments with quotes.
func boardThemes(quotes ...string) *surveys.ThemeSummary {
	cb := coder.DefaultCodebook()
	var now, before []surveys.VoiceDigest
	for i := range 240 {
		d := surveys.VoiceDigest{ID: fmt.Sprint(i), Channel: surveys.ChannelSurvey, Day: "2026-03-10",
			Themes: []string{cb.Themes[i%7].Key}, Sentiment: surveys.Negative}
		if i%3 == 0 {
			d.Channel, d.Sentiment = surveys.ChannelSession, surveys.Positive
		}
		now = append(now, d)
		if i%2 == 0 {
			before = append(before, d)
		}
	}
	s := surveys.SummarizeThemes(cb, now, before, 5)
	s.Query = surveys.SummaryQuery{From: "2025-05-01", To: "2026-04-30"}
	for i, q := range quotes {
		row := &s.Themes[i%3]
		row.Quotes = append(row.Quotes, surveys.SummaryQuote{Text: q, Channel: surveys.ChannelSurvey})
	}
	return s
}

// boardInputs are the inputs of a report on a survey of n questions with
// last year's edition to compare with.
func boardInputs(n int) surveys.BoardInputs {
	s := boardSurvey("cared-for-2026", 2026, n)
	s.Previous = "cared-for-2025"
	prev := boardSurvey("cared-for-2025", 2025, n)
	return surveys.BoardInputs{
		Survey: s, Tallies: boardTallies(s, 7, 180, 140),
		Previous: prev, PreviousTallies: boardTallies(prev, 11, 150, 120),
		Settings: &surveys.Settings{CouncilName: "Knowsley Council", Threshold: 5},
		Themes:   boardThemes("I want to see my brother more often.", "My social worker keeps changing and I have to tell my story again."),
		Codebook: 3,
		Now:      reportDay,
	}
}

// writeBoard builds and writes a report, and returns the PDF's path.
func writeBoard(t *testing.T, in surveys.BoardInputs) (string, *surveys.BoardReport) {
	t.Helper()
	rep, err := surveys.BuildBoardReport(in)
	if err != nil {
		t.Fatalf("BuildBoardReport: %v", err)
	}
	var buf bytes.Buffer
	if err := exports.WriteBoardReport(&buf, rep); err != nil {
		t.Fatalf("WriteBoardReport: %v", err)
	}
	path := filepath.Join(t.TempDir(), "board.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	keepArtifact(t, path)
	return path, rep
}

// keepArtifact copies a PDF and its pages as PNGs to $HEARD_ARTIFACTS, when
// set, for a person to look at.
func keepArtifact(t *testing.T, pdf string) {
	dir := os.Getenv("HEARD_ARTIFACTS")
	if dir == "" {
		return
	}
	name := regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(t.Name(), "-")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".pdf"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, "pdftoppm", "-r", "60", "-png", pdf, filepath.Join(dir, name))
}

func TestBoardReportLooksRight(t *testing.T) {
	t.Parallel()
	pdf, _ := writeBoard(t, boardInputs(20))
	text := run(t, "pdftotext", "-enc", "UTF-8", pdf, "-")
	if !strings.Contains(text, "At a glance") {
		t.Errorf("no At a glance in\n%s", text)
	}
}
