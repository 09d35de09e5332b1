package exports_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

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
		Opens: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Closes: time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC),
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
		Actions:  boardActions(),
		Codebook: 3,
		Now:      reportDay,
	}
}

// boardActions is a "you said, we did" plan with every status.
func boardActions() []*surveys.Action {
	changed := func(st surveys.ActionStatus) []surveys.ActionChange {
		return []surveys.ActionChange{{At: time.Date(2026, 6, 2, 10, 0, 0, 0, time.UTC), Status: st}}
	}
	return []*surveys.Action{
		{ID: "a1", Said: surveys.Text{"en": "You said you want to see your brothers and sisters more often."},
			Did:   surveys.Text{"en": "Every care plan now says how often brothers and sisters meet, and we pay for travel."},
			Owner: "Children in care team", Due: "2026-12-31", Status: surveys.ActionInProgress, History: changed(surveys.ActionInProgress)},
		{ID: "a2", Said: surveys.Text{"en": "You said your social worker changes too often."},
			Did:   surveys.Text{"en": "We will recruit permanent social workers."},
			Owner: "Head of service", Due: "2027-03-31", Status: surveys.ActionPlanned, History: changed(surveys.ActionPlanned)},
		{ID: "a3", Said: surveys.Text{"en": "You said you did not know about the Children's Charter."},
			Did:   surveys.Text{"en": "MADE made a video about the Charter, shown at every review."},
			Owner: "Participation team", Status: surveys.ActionDone, History: changed(surveys.ActionDone)},
		{ID: "a4", Said: surveys.Text{"en": "You said you want free bus travel everywhere."},
			Did:   surveys.Text{"en": "We asked the transport authority."},
			Owner: "Corporate parenting lead", Status: surveys.ActionNotPossible, Reason: "The bus company is not run by the council.",
			History: changed(surveys.ActionNotPossible)},
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
	// A test that writes several reports keeps each: name, name-2...
	for n := 2; ; n++ {
		if _, err := os.Stat(filepath.Join(dir, name+".pdf")); os.IsNotExist(err) {
			break
		}
		name = strings.TrimSuffix(name, fmt.Sprintf("-%d", n-1)) + fmt.Sprintf("-%d", n)
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

// pdfText returns a PDF's text, laid out as on the page.
func pdfText(t *testing.T, pdf string) string {
	t.Helper()
	return run(t, "pdftotext", "-layout", "-enc", "UTF-8", pdf, "-")
}

func TestBoardReportSections(t *testing.T) {
	t.Parallel()
	pdf, rep := writeBoard(t, boardInputs(20))
	text := pdfText(t, pdf)
	pages := strings.Split(text, "\f")
	sections := []string{"At a glance", "What is going well and what could be better", "Relationships", "Having a say",
		"Home", "Wellbeing", "What young people told us in their own words", "You said, we did", "How this was done", "Appendix: every question"}
	for _, want := range sections {
		if !strings.Contains(text, want) {
			t.Errorf("no section %q", want)
		}
	}
	// Cover: council, title, period, date, marking, codebook.
	for _, want := range []string{"Knowsley Council", "Your life in care", "1 March 2026 to 30 April 2026", "23 November 2026",
		"OFFICIAL", "Heard codebook, version 3", "Your life in care (2025)"} {
		if !strings.Contains(pages[0], want) {
			t.Errorf("cover has no %q:\n%s", want, pages[0])
		}
	}
	// Every page is marked and numbered.
	n := len(pages) - 1 // the text ends with a form feed
	for i, page := range pages[:n] {
		if !strings.Contains(page, "OFFICIAL") || !strings.Contains(page, fmt.Sprintf("Page %d of %d", i+1, n)) {
			t.Errorf("page %d is not marked and numbered:\n%s", i+1, page)
		}
	}
	info := pdfInfo(t, pdf)
	for field, want := range map[string]string{
		"Title":   "Your life in care: summary for the Corporate Parenting Board",
		"Subject": "What young people said in Your life in care, 1 March 2026 to 30 April 2026",
		"Author":  "Knowsley Council",
		"Creator": "Heard",
		"Pages":   fmt.Sprint(n),
	} {
		if info[field] != want {
			t.Errorf("pdfinfo %s = %q, want %q", field, info[field], want)
		}
	}
	// A bookmark for the cover and for each section.
	marks := bookmarks(t, pdf)
	for _, want := range append([]string{"Cover"}, sections...) {
		if !slices.Contains(marks, want) {
			t.Errorf("no bookmark %q in %q", want, marks)
		}
	}
	// You said, we did: every action with its owner and status.
	plain := flat(pdfTextPlain(t, pdf))
	for _, want := range []string{"You said you want to see your brothers and sisters more often.", "Children in care team",
		"◐ In progress, due 31 December 2026", "○ Planned, due 31 March 2027", "✓ Done, 2 June 2026",
		"✕ Not possible: The bus company is not run by the council."} {
		if !strings.Contains(plain, want) {
			t.Errorf("no %q in the actions", want)
		}
	}
	// At a glance: the figures of the report.
	if want := fmt.Sprintf("%d young people took part", *rep.Taking.Responses); !strings.Contains(text, want) {
		t.Errorf("no %q", want)
	}
	if !strings.Contains(text, "That is 80% of the 400 young people") {
		t.Errorf("no response rate (320 of 400)")
	}
}

// bookmarks returns the titles of a PDF's outline, read from the file:
// gofpdf writes each as a literal string in UTF-16 with a byte order mark.
func bookmarks(t *testing.T, pdf string) []string {
	t.Helper()
	data, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, part := range bytes.Split(data, []byte("/Title ("))[1:] {
		var raw []byte
		for i := 0; i < len(part) && part[i] != ')'; i++ {
			c := part[i]
			if c == '\\' && i+1 < len(part) {
				i++
				switch part[i] {
				case 'n':
					c = '\n'
				case 'r':
					c = '\r'
				default:
					c = part[i]
				}
			}
			raw = append(raw, c)
		}
		if len(raw) < 2 || raw[0] != 0xFE || raw[1] != 0xFF {
			continue
		}
		u := make([]uint16, 0, len(raw)/2)
		for i := 2; i+1 < len(raw); i += 2 {
			u = append(u, uint16(raw[i])<<8|uint16(raw[i+1]))
		}
		out = append(out, string(utf16.Decode(u)))
	}
	return out
}

// The appendix prints every shown figure of every question, as the
// results give them.
func TestBoardReportFiguresMatchTheData(t *testing.T) {
	t.Parallel()
	in := boardInputs(20)
	pdf, rep := writeBoard(t, in)
	text := pdfText(t, pdf)
	at := strings.Index(text, "Appendix: every question")
	if at < 0 {
		t.Fatal("no appendix")
	}
	appendix := text[at:]
	res, err := surveys.ComputeResults(in.Survey, in.Tallies, surveys.ResultsQuery{}, 5)
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]*surveys.QuestionResult{}
	for i := range res.Questions {
		byKey[res.Questions[i].Key] = &res.Questions[i]
	}
	pos := 0
	checked := 0
	for _, sec := range rep.Sections {
		for _, q := range sec.Questions {
			r := byKey[q.Key]
			i := strings.Index(appendix[pos:], q.Text)
			if i < 0 {
				t.Fatalf("question %s not in the appendix after offset %d", q.Key, pos)
			}
			pos += i + len(q.Text)
			for j, cell := range append(r.Choices, r.Distribution...) {
				label := q.Cells[j].Label
				var want string
				if cell.Count == nil {
					want = regexp.QuoteMeta(label) + `\s+fewer than 5\n`
				} else {
					want = fmt.Sprintf(`%s\s+%d\s+%.1f%%\n`, regexp.QuoteMeta(label), *cell.Count, *cell.Percent)
				}
				loc := regexp.MustCompile(want).FindStringIndex(appendix[pos:])
				if loc == nil {
					t.Fatalf("question %s: no row %q after offset %d", q.Key, want, pos)
				}
				pos += loc[1]
				checked++
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d rows checked", checked)
	}
	// The highlights give each question's favourable share.
	for _, h := range append(rep.GoingWell, rep.CouldBeBetter...) {
		// The share is set large beside the question, on its second line.
		want := regexp.MustCompile(fmt.Sprintf(`%s\n\s*%.0f%%\s+said`, regexp.QuoteMeta(h.Text), h.Percent))
		if !want.MatchString(text) {
			t.Errorf("no highlight %q", want)
		}
	}
}

// tallyOf makes a one-version tally of a survey from the counts of each
// question's answers, as the counts a survey's responses would give.
func tallyOf(s *surveys.Survey, responses int, counts map[string]map[string]int) []*surveys.Tally {
	t := surveys.NewTally(s.Slug, s.Versions[0].Key)
	all := &surveys.SliceTally{Responses: responses, Questions: map[string]*surveys.QuestionTally{}}
	for key, cs := range counts {
		qt := &surveys.QuestionTally{Counts: map[string]int{}}
		for c, n := range cs {
			qt.Counts[c] = n
			qt.Answered += n
		}
		all.Questions[key] = qt
	}
	t.Slices[surveys.AllSlice] = all
	return []*surveys.Tally{t}
}

// A suppressed value never appears in any form: two surveys whose counts
// differ only in what is suppressed give the same PDF, byte for byte, so
// nothing printed or drawn (text, bar, label, percentage, total) depends
// on a hidden value.
func TestBoardReportHidesSmallNumbers(t *testing.T) {
	t.Parallel()
	s := boardSurvey("cared-for-2026", 2026, 3) // a scale, a single choice, a multiple choice
	s.Versions = s.Versions[:1]
	mk := func(often, always, notSure, clubs, artA int) surveys.BoardInputs {
		return surveys.BoardInputs{Survey: s, Settings: &surveys.Settings{CouncilName: "Knowsley Council", Threshold: 5},
			Now: reportDay, NoCompare: "This is the first edition.",
			Tallies: tallyOf(s, 100, map[string]map[string]int{
				"q00": {"never": 40, "rarely": 30, "sometimes": 22, "often": often, "always": always},
				// One small cell hides the smallest other one too.
				"q01": {"yes": 60, "no": 36 - notSure, "not_sure": notSure},
				"q02": {"sport": 50, "music": 20, "art": artA, "clubs": clubs},
			})}
	}
	a, _ := writeBoard(t, mk(3, 4, 2, 1, 3))
	b, _ := writeBoard(t, mk(4, 3, 3, 3, 1))
	pa, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	pb, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pa, pb) {
		t.Errorf("the PDFs differ where only hidden counts differ:\n%s\n---\n%s", pdfText(t, a), pdfText(t, b))
	}
	text := pdfText(t, a)
	if c := strings.Count(text, "fewer than 5"); c < 8 {
		t.Errorf("%d cells say fewer than 5, want at least 8 (each hidden cell, in chart and appendix)", c)
	}
	// And the shown ones are there.
	for _, want := range []string{"40 (40%)", "60 (62%)", "50 (68%)"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q", want)
		}
	}
}

// Long texts wrap, and every word stays on the page, clear of the others,
// for a survey of 60 questions and one of 2.
func TestBoardReportLayout(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("When you think about the people who look after you and the place you live, ", 4)
	for _, tc := range []struct {
		name     string
		n        int
		sessions bool // with MADE sessions linked to questions and themes
	}{{"60 questions", 60, false}, {"2 questions", 2, false}, {"60 questions and MADE sessions", 60, true}, {"2 questions and MADE sessions", 2, true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := boardInputs(tc.n)
			if tc.sessions {
				in.Linked = boardSessions(t, usualCounts, long)
			}
			for _, s := range []*surveys.Survey{in.Survey, in.Previous} {
				for vi := range s.Versions {
					q := &s.Versions[vi].Questions[0]
					q.Text = surveys.Text{"en": long + "how often do you feel safe?"}
				}
			}
			// A quote long enough to run over a page, as a text answer may.
			in.Themes = boardThemes(strings.Repeat("My placement moved three times this year and every time I had to start a new school, which was really hard. ", tc.n))
			pdf, _ := writeBoard(t, in)
			ws := words(t, pdf)
			if len(ws) < 200 {
				t.Fatalf("only %d words", len(ws))
			}
			// Inside the margins: 18 mm at the sides, and the marking and
			// page number 5 mm or more from the top and bottom.
			body := rect{17 * mm, 5 * mm, 193 * mm, 292 * mm}
			pages := map[int][]word{}
			for _, w := range ws {
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
			// The long question is printed whole, over several lines.
			if got := strings.Join(strings.Fields(pdfTextPlain(t, pdf)), " "); !strings.Contains(got, strings.Join(strings.Fields(long), " ")) {
				t.Error("the long question is not printed whole")
			}
			if tc.sessions && strings.Count(pdfTextPlain(t, pdf), "From MADE sessions") < 4 {
				t.Error("the MADE sessions are not all drawn")
			}
		})
	}
}

func pdfTextPlain(t *testing.T, pdf string) string {
	t.Helper()
	return run(t, "pdftotext", "-enc", "UTF-8", pdf, "-")
}

// Quotes in Polish and Arabic print as themselves, Arabic joined and right
// to left; emoji are left out rather than failing the document.
func TestBoardReportScripts(t *testing.T) {
	t.Parallel()
	in := boardInputs(4)
	polish := "Chciałbym częściej widywać się z rodzeństwem, bo bardzo tęsknię."
	arabic := "أريد أن أرى أخي أكثر"
	in.Survey.Title = surveys.Text{"en": "Your life in care 🎉😀 👍🏽"}
	in.Themes = boardThemes(polish, arabic+" 😢", "I like my foster carers ❤️👨‍👩‍👧")
	pdf, _ := writeBoard(t, in)
	raw := pdfTextPlain(t, pdf)
	text := flat(raw)
	quotes := raw[strings.Index(raw, "What young people told us in their own words"):strings.Index(raw, "How this was done")]
	for _, want := range []string{polish, arabic, "I like my foster carers ❤", "Your life in care"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q", want)
		}
	}
	if strings.ContainsAny(quotes, "?\uFFFD") {
		t.Errorf("question marks in the quotes: a character was not drawn\n%s", quotes)
	}
	// أخي drawn joined: kha in its initial form (alef does not join to
	// the letter after it), ya in its final form.
	for _, form := range []string{"\uFEA7", "\uFEF2"} {
		if !strings.Contains(quotes, form) {
			t.Errorf("no %U: the Arabic is not joined", []rune(form)[0])
		}
	}
	if got := pdfInfo(t, pdf)["Title"]; got != "Your life in care: summary for the Corporate Parenting Board" {
		t.Errorf("Title %q", got)
	}
}

func TestBoardReportIsDeterministic(t *testing.T) {
	t.Parallel()
	a, _ := writeBoard(t, boardInputs(10))
	b, _ := writeBoard(t, boardInputs(10))
	da, _ := os.ReadFile(a)
	db, _ := os.ReadFile(b)
	if !bytes.Equal(da, db) {
		t.Error("the same report twice gives different bytes")
	}
}

// The council’s logo is on the cover, at its own pixel size; a logo
// gofpdf cannot draw leaves the cover without it rather than failing.
func TestBoardReportLogo(t *testing.T) {
	t.Parallel()
	img := image.NewRGBA(image.Rect(0, 0, 300, 100))
	for x := range 300 {
		for y := range 100 {
			img.Set(x, y, color.RGBA{R: uint8(x), G: 80, B: 160, A: 255})
		}
	}
	var raw bytes.Buffer
	if err := png.Encode(&raw, img); err != nil {
		t.Fatal(err)
	}
	logo, err := surveys.CleanLogo(raw.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	in := boardInputs(2)
	in.Settings.Logo = logo
	pdf, _ := writeBoard(t, in)
	list := strings.Split(strings.TrimSpace(run(t, "pdfimages", "-list", "-f", "1", "-l", "1", pdf)), "\n")
	if len(list) != 3 || !strings.Contains(list[2], " 300 ") || !strings.Contains(list[2], " 100 ") {
		t.Errorf("want the 300 x 100 logo on the cover:\n%s", strings.Join(list, "\n"))
	}

	in = boardInputs(2)
	in.Settings.Logo = &surveys.Logo{ContentType: surveys.LogoSVG, Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)}
	pdf, _ = writeBoard(t, in)
	if list := strings.Split(strings.TrimSpace(run(t, "pdfimages", "-list", pdf)), "\n"); len(list) != 2 {
		t.Errorf("an SVG logo is drawn somehow:\n%s", strings.Join(list, "\n"))
	}
}

// boardSessions are the activities of the session tests' session, run
// with c, linked to the board survey: the poll, the rating, the dot vote,
// the Lundy check and the poll never run to the first question (a scale),
// the rating to the second too, the idea board and the open question to
// themes, the word cloud to a theme the report does not list. prompt, if
// given, starts every prompt and statement, to make them long.
func boardSessions(t *testing.T, c sessionCounts, prompt string) []surveys.LinkedActivity {
	t.Helper()
	ls, st := runSession(t, c)
	q := func(keys ...string) []surveys.ActionQuestion {
		var out []surveys.ActionQuestion
		for _, k := range keys {
			out = append(out, surveys.ActionQuestion{Survey: "cared-for-2026", Question: k})
		}
		return out
	}
	for i := range ls.Activities {
		a := &ls.Activities[i]
		switch a.ID {
		case "poll", "dots", "lundy", "later":
			a.Questions = q("q00")
		case "rate":
			a.Questions = q("q00", "q01")
		case "ideas", "ask":
			a.Themes = []string{"activities", "having_a_say"}
		case "words":
			a.Themes = []string{"digital"}
		}
		if prompt != "" {
			a.Prompt = prompt + a.Prompt
			for j := range a.Statements {
				a.Statements[j] = prompt + a.Statements[j]
			}
		}
	}
	return surveys.LinkActivities(boardSurvey("cared-for-2026", 2026, 60), ls, st, 5)
}

// MADE sessions' activities sit beside the questions and themes they are
// linked to, with their figures as the session report gives them and
// only what the room saw.
func TestBoardReportMADESessions(t *testing.T) {
	t.Parallel()
	in := boardInputs(8)
	in.Linked, in.LinkedLeftOut = boardSessions(t, usualCounts, ""), 2
	pdf, rep := writeBoard(t, in)
	text := pdfText(t, pdf)
	plain := flat(pdfTextPlain(t, pdf))
	pages := strings.Split(text, "\f")

	q00 := rep.Sections[0].Questions[0]
	if q00.Key != "q00" || len(q00.Sessions) != surveys.ReportLinkedPerItem || q00.MoreSessions != 1 {
		t.Fatalf("beside q00: %d and %d more", len(q00.Sessions), q00.MoreSessions)
	}
	// Beside the question: on its page, after its chart, the session, the
	// activities and their figures.
	var page string
	for _, p := range pages {
		// Its section's page, not the highlights'.
		if strings.Contains(p, q00.Text) && strings.Contains(p, "From MADE sessions") {
			page = p
			break
		}
	}
	from := strings.Index(page, "From MADE sessions")
	if from < 0 || from < strings.Index(page, q00.Text) {
		t.Fatalf("no MADE sessions after the question on its page:\n%s", page)
	}
	for _, want := range []string{"MADE North: Charter check, 23 November 2026, MADE North group", "Poll: Is your home a good place to live?",
		"13 young people took part.", "Emoji rating: How well do we keep our promises?", "Statement", "Rated by"} {
		if !strings.Contains(flat(page[from:]), want) {
			t.Errorf("no %q beside the question", want)
		}
	}
	poll := q00.Sessions[0].Activity.Charts[0]
	for _, c := range poll.Cells {
		if line := lineWith(page[from:], c.Label+" "); !strings.Contains(line, fmt.Sprintf("%d (%.0f%%)", *c.Count, *c.Percent)) {
			t.Errorf("poll %s: %q", c.Label, line)
		}
	}
	// The rating: 1 really unhappy and 4 happy are hidden, and the faces
	// no one chose, as in the session report; 6 really happy of 11 shown.
	if line := spaces.ReplaceAllString(lineWith(page[from:], "We will help you to have a say."), " "); !strings.Contains(line, "6 (54%)") ||
		strings.Count(line, "fewer than") != 4 || !strings.HasSuffix(line, " 11") {
		t.Errorf("rating row %q", line)
	}
	if !strings.Contains(plain, "1 more activity from MADE sessions is linked here") {
		t.Error("no count of the activity left out")
	}
	// The second question has the rating too.
	if got := rep.Sections[1].Questions[0]; got.Key != "q01" || len(got.Sessions) != 1 {
		t.Errorf("beside q01: %+v", got.Sessions)
	}

	// Beside the themes: the ideas and answers the room saw, and the words
	// enough young people gave, under a theme not listed.
	themes := text[strings.Index(text, "What young people told us in their own words"):strings.Index(text, "You said, we did")]
	flatThemes := flat(themes)
	for _, want := range []string{"From MADE sessions: Things to do", "From MADE sessions: Having a say", "From MADE sessions: Phones and online",
		"Idea board: Tell us about being in care", "“More trips out at the weekend”", "What's good · 6 likes",
		"Open question: Anything else?", "“Can we meet somewhere with food?”", "Word cloud: Two words for your home", "“safe” (5)"} {
		if !strings.Contains(flatThemes, want) {
			t.Errorf("no %q in the themes", want)
		}
	}
	if strings.Index(themes, "From MADE sessions: Things to do") > strings.Index(themes, "From MADE sessions: Phones and online") {
		t.Error("a theme the report lists comes after one it does not")
	}
	if strings.Contains(plain, "NEVER") || strings.Contains(plain, "Pizza or chips") || strings.Contains(flatThemes, "home (") {
		t.Error("the report prints what the room never saw, an activity never run, or a word too few gave")
	}
	// How this was done says which sessions.
	for _, want := range []string{"MADE sessions", "held from 1 May 2025 to 23 November 2026",
		"Only the 100 most recent of those sessions were read; 2 older sessions were left out."} {
		if !strings.Contains(plain, want) {
			t.Errorf("no %q in the method", want)
		}
	}
	if !slices.Contains(bookmarks(t, pdf), "From MADE sessions: Having a say") {
		t.Error("no bookmark for a theme's sessions")
	}
}

// A hidden figure of a session never reaches the board report: sessions
// whose counts differ only where they are hidden give the same PDF.
func TestBoardReportMADESessionsHideSmallNumbers(t *testing.T) {
	t.Parallel()
	a, b := usualCounts, usualCounts
	a.pollYes, a.pollNo = 9, 3
	b.pollYes, b.pollNo = 10, 2
	a.sad, a.unhappy = 1, 0
	b.sad, b.unhappy = 0, 1
	a.lundySad, a.lundyUnhappy = 1, 0
	b.lundySad, b.lundyUnhappy = 0, 1
	a.wifiLikes, b.wifiLikes = 1, 4
	a.homeWords, b.homeWords = 1, 3
	a.foodDots, b.foodDots = 1, 4
	ina, inb := boardInputs(4), boardInputs(4)
	ina.Linked, inb.Linked = boardSessions(t, a, ""), boardSessions(t, b, "")
	pa, _ := writeBoard(t, ina)
	pb, _ := writeBoard(t, inb)
	da, err := os.ReadFile(pa)
	if err != nil {
		t.Fatal(err)
	}
	db, err := os.ReadFile(pb)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(da, db) {
		t.Errorf("the PDFs differ where only hidden counts differ:\n%s\n---\n%s", pdfText(t, pa), pdfText(t, pb))
	}
	if !strings.Contains(pdfText(t, pa), "From MADE sessions") {
		t.Error("no sessions in the report")
	}
}
