package exports_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/heard-app/heard/exports"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/coder"
)

// The session report's tests run a session's events through the domain's
// RoomState and surveys.BuildSessionReport, as the server does, and read
// the PDF back with poppler.

// sessionCounts are the numbers a test session is made with; the tests of
// suppression change only the small ones.
type sessionCounts struct {
	attendance             map[string]int
	pollYes, pollNo        int
	sad, unhappy           int // faces 1 and 2 of the first statement, beside 4 happy and 6 really happy
	lundySad, lundyUnhappy int // beside 5 OK, 5 happy and 6 really happy
	wifiLikes              int // the trips idea has 6
	homeWords              int // of the 5 who give "safe", those who give "home" too
	foodDots               int // of the 6 who put dots on trips, those who put some on food too
}

var usualCounts = sessionCounts{attendance: map[string]int{"8-11": 7, "12-15": 9, "16-18": 3, "not known": 2},
	pollYes: 8, pollNo: 5, sad: 1, lundySad: 1, wifiLikes: 1, homeWords: 1, foodDots: 2}

// testSession is a MADE session of every kind of activity, the Lundy
// check last.
func testSession() *surveys.LiveSession {
	return &surveys.LiveSession{ID: "5e55", Title: "MADE North: Charter check", Date: "2026-11-23", Group: "MADE North",
		Purpose: "Hear how well the council keeps the Children's Charter.", Status: surveys.LiveEnded,
		Activities: []surveys.Activity{
			{ID: "poll", Kind: surveys.ActivityPoll, Prompt: "Is your home a good place to live?", Options: []string{"Yes", "No"}},
			{ID: "rate", Kind: surveys.ActivityRating, Prompt: "How well do we keep our promises?",
				Statements: []string{"We will help you to have a say.", "We will give you a worker you can trust."}},
			{ID: "ideas", Kind: surveys.ActivityIdeas, Prompt: "Tell us about being in care", Columns: []string{"What's good", "What should change"}},
			{ID: "dots", Kind: surveys.ActivityDots, Prompt: "What should we spend on?", Dots: 5, Options: []string{"Trips", "Food", "Laptops"}},
			{ID: "words", Kind: surveys.ActivityWords, Prompt: "Two words for your home", Words: 2},
			{ID: "ask", Kind: surveys.ActivityQuestion, Prompt: "Anything else?"},
			{ID: "later", Kind: surveys.ActivityPoll, Prompt: "Pizza or chips?", Options: []string{"Pizza", "Chips"}},
			surveys.LundyCheck("lundy"),
		}}
}

func who(n int) string { return fmt.Sprintf("p%02d", n) }

// runSession applies the events of a session with the counts c.
func runSession(t *testing.T, c sessionCounts) (*surveys.LiveSession, *surveys.RoomState) {
	t.Helper()
	s := testSession()
	s.Attendance = c.attendance
	st := surveys.NewRoomState(s.ID)
	var evs []surveys.LiveEvent
	open := func(act string) {
		evs = append(evs, surveys.LiveEvent{ID: "open-" + act, Kind: surveys.EventOpen, Activity: act})
	}
	for i := range 20 {
		evs = append(evs, surveys.LiveEvent{ID: "join", Kind: surveys.EventJoin, By: who(i)})
	}
	open("poll")
	for i := range c.pollYes + c.pollNo {
		choice := 0
		if i >= c.pollYes {
			choice = 1
		}
		evs = append(evs, surveys.LiveEvent{ID: "v", Kind: surveys.EventVote, By: who(i), Activity: "poll", Choices: []int{choice}})
	}
	rate := func(act string, faces []int) {
		for i, f := range faces {
			choices := []int{f}
			if act == "rate" {
				choices = append(choices, 0)
			}
			evs = append(evs, surveys.LiveEvent{ID: "r", Kind: surveys.EventRate, By: who(i), Activity: act, Choices: choices})
		}
	}
	open("rate")
	rate("rate", slices.Concat(repeat(1, c.sad), repeat(2, c.unhappy), repeat(4, 4), repeat(5, 6)))
	open("ideas")
	post := func(id, by, act, text string, column int, hold surveys.HoldReason) {
		evs = append(evs, surveys.LiveEvent{ID: id, Kind: surveys.EventPost, By: by, Activity: act, Text: text, Column: column, Hold: hold})
	}
	post("i1", who(0), "ideas", "More trips out at the weekend", 0, "")
	post("i2", who(1), "ideas", "Better wifi in the home", 1, "")
	post("i3", who(2), "ideas", "NEVER-held for approval", 0, surveys.HoldPremoderate)
	post("i4", who(3), "ideas", "NEVER-flagged worry", 1, surveys.HoldSafeguarding)
	post("i5", who(4), "ideas", "NEVER-hidden by the facilitator", 1, "")
	evs = append(evs, surveys.LiveEvent{ID: "hide-i5", Kind: surveys.EventHide, Activity: "ideas", Target: "i5"})
	like := func(target string, from, n int) {
		for i := range n {
			evs = append(evs, surveys.LiveEvent{ID: "l", Kind: surveys.EventLike, By: who(from + i), Activity: "ideas", Target: target, On: true})
		}
	}
	like("i1", 5, 6)
	like("i2", 5, c.wifiLikes)
	open("dots")
	for i := range 6 {
		dots := map[string]int{"0": 2}
		if i < c.foodDots {
			dots["1"] = 3
		}
		evs = append(evs, surveys.LiveEvent{ID: "d", Kind: surveys.EventDots, By: who(i), Activity: "dots", Dots: dots})
	}
	open("words")
	for i := range 5 {
		words := []string{"safe"}
		if i < c.homeWords {
			words = append(words, "home")
		}
		evs = append(evs, surveys.LiveEvent{ID: fmt.Sprint("w", i), Kind: surveys.EventWords, By: who(i), Activity: "words", Words: words})
	}
	open("ask")
	post("a1", who(0), "ask", "Can we meet somewhere with food?", 0, "")
	open("lundy")
	rate("lundy", slices.Concat(repeat(1, c.lundySad), repeat(2, c.lundyUnhappy), repeat(3, 5), repeat(4, 5), repeat(5, 6)))
	evs = append(evs, surveys.LiveEvent{ID: "end", Kind: surveys.EventEnd})
	for i := range evs {
		if got := st.Apply(s, &evs[i]); got != surveys.AppliedOK {
			t.Fatalf("event %d %s: %s", i, evs[i].String(), got)
		}
	}
	return s, st
}

func repeat(v, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// sessionVoices are the session's comments: 12 about things to do, 6 of
// them also about having a say, and 2 about social workers.
func sessionVoices() []*surveys.Voice {
	var out []*surveys.Voice
	for i := range 14 {
		themes, feel := []string{"activities"}, surveys.Positive
		switch {
		case i >= 12:
			themes, feel = []string{"social_workers"}, surveys.Negative
		case i >= 6:
			themes = append(themes, "having_a_say")
		}
		out = append(out, &surveys.Voice{ID: fmt.Sprint("v", i), Channel: surveys.ChannelSession, Day: "2026-11-23",
			Source: surveys.VoiceSource{Session: "5e55"}, Text: "words", Machine: surveys.Coding{Sentiment: feel},
			Review: &surveys.VoiceReview{Themes: themes, Sentiment: feel}})
	}
	return out
}

// sessionReport builds the report of a session run with c.
func sessionReport(t *testing.T, c sessionCounts) *surveys.SessionReport {
	t.Helper()
	s, st := runSession(t, c)
	cb := coder.DefaultCodebook()
	cb.Version = 3
	rep, err := surveys.BuildSessionReport(surveys.SessionReportInputs{Session: s, Room: st, Voices: sessionVoices(), Codebook: cb,
		Settings: &surveys.Settings{CouncilName: "Knowsley Council", Threshold: 5}, Now: reportDay})
	if err != nil {
		t.Fatalf("BuildSessionReport: %v", err)
	}
	return rep
}

// writeSession writes a session report and returns the PDF's path.
func writeSession(t *testing.T, rep *surveys.SessionReport) string {
	t.Helper()
	var buf bytes.Buffer
	if err := exports.WriteSessionReport(&buf, rep); err != nil {
		t.Fatalf("WriteSessionReport: %v", err)
	}
	path := filepath.Join(t.TempDir(), "session.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	keepArtifact(t, path)
	return path
}

func TestSessionReportSections(t *testing.T) {
	t.Parallel()
	rep := sessionReport(t, usualCounts)
	pdf := writeSession(t, rep)
	text := pdfText(t, pdf)
	pages := strings.Split(text, "\f")
	sections := []string{"Who took part", "Activity 1: Is your home a good place to live?", "Activity 2: How well do we keep our promises?",
		"Activity 3: Tell us about being in care", "Activity 4: What should we spend on?", "Activity 5: Two words for your home",
		"Activity 6: Anything else?", "Activity 7: Pizza or chips?", "Activity 8: Before you go",
		"Themes of what young people said", "How this was done"}
	marks := bookmarks(t, pdf)
	for _, want := range sections {
		if !strings.Contains(text, want) {
			t.Errorf("no section %q", want)
		}
		if !slices.Contains(marks, want) {
			t.Errorf("no bookmark %q in %q", want, marks)
		}
	}
	for _, want := range []string{"Knowsley Council", "MADE North: Charter check", "23 November 2026", "MADE North",
		"Hear how well the council keeps the Children's Charter.", "Ended: the results are final",
		"Heard codebook, version 3", "OFFICIAL"} {
		if !strings.Contains(pages[0], want) {
			t.Errorf("cover has no %q:\n%s", want, pages[0])
		}
	}
	n := len(pages) - 1
	for i, page := range pages[:n] {
		if !strings.Contains(page, "OFFICIAL") || !strings.Contains(page, fmt.Sprintf("Page %d of %d", i+1, n)) {
			t.Errorf("page %d is not marked and numbered:\n%s", i+1, page)
		}
	}
	info := pdfInfo(t, pdf)
	for field, want := range map[string]string{
		"Title":   "MADE North: Charter check: MADE session report",
		"Subject": "What young people said and did at MADE North: Charter check, 23 November 2026",
		"Author":  "Knowsley Council",
		"Creator": "Heard",
	} {
		if info[field] != want {
			t.Errorf("pdfinfo %s = %q, want %q", field, info[field], want)
		}
	}
	for _, page := range pages {
		if strings.Contains(page, "Activity 7: Pizza or chips?") && !strings.Contains(page, "This activity was not run in the session.") {
			t.Errorf("the activity never opened does not say so:\n%s", page)
		}
	}
}

// lineWith returns the first line of text that has all of parts.
func lineWith(text string, parts ...string) string {
	for _, line := range strings.Split(text, "\n") {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(line, p)
		}
		if ok {
			return line
		}
	}
	return ""
}

var spaces = regexp.MustCompile(`\s+`)

// The figures printed are the report's, and what the room never saw is
// never printed.
func TestSessionReportFiguresMatchTheReport(t *testing.T) {
	t.Parallel()
	rep := sessionReport(t, usualCounts)
	pdf := writeSession(t, rep)
	text := pdfText(t, pdf)
	plain := flat(pdfTextPlain(t, pdf))

	// Attendance 7, 9, 3 and 2: the 3 and the 2 add up to 5, so nothing
	// more is hidden, and the total is 21.
	for band, want := range map[string]string{"Aged 8 to 11": "7", "Aged 12 to 15": "9", "Aged 16 to 18": "fewer than 5",
		"Aged 19 to 21": "fewer than 5", "Age not known": "fewer than 5", "All": "21"} {
		line := lineWith(text, band)
		if got := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), band)); got != want {
			t.Errorf("attendance %s: %q, want %q", band, got, want)
		}
	}
	if !strings.Contains(text, "21 young people came") || !strings.Contains(text, "Phones that joined the session: 20.") {
		t.Error("no attendance or phones at a glance")
	}
	// Every activity's figures, as the report holds them.
	for _, a := range rep.Activities {
		if a.Answered != nil && !strings.Contains(plain, fmt.Sprintf("%d young people took part.", *a.Answered)) {
			t.Errorf("activity %d: no %d took part", a.Number, *a.Answered)
		}
	}
	poll := rep.Activities[0].Charts[0]
	for _, c := range poll.Cells {
		want := fmt.Sprintf("%d (%.0f%%)", *c.Count, *c.Percent)
		if line := lineWith(text, c.Label+" "); !strings.Contains(line, want) {
			t.Errorf("poll %s: %q, want %s", c.Label, line, want)
		}
	}
	for _, want := range []string{"65% felt listened to", "11 of the 17 young people who answered chose one of the two happiest faces",
		"“More trips out at the weekend”", "What's good · 6 likes", "“Better wifi in the home”", "What should change",
		"“Can we meet somewhere with food?”", "12 dots", "dots from fewer than 5 young people",
		"Also said, each by fewer than 5 young people: home.", "This is the Lundy check"} {
		if !strings.Contains(plain, want) {
			t.Errorf("no %q", want)
		}
	}
	if line := spaces.ReplaceAllString(lineWith(text, "safe"), " "); line != " safe 5" && line != "safe 5" {
		t.Errorf("word cloud row %q", line)
	}
	// Themes: 14 comments; things to do 12, having a say 6; social
	// workers 2, not listed.
	if !strings.Contains(plain, "14 comments came from this session") {
		t.Error("no comment count")
	}
	for name, n := range map[string]string{"Things to do": "12", "Having a say": "6"} {
		if line := spaces.ReplaceAllString(lineWith(text, name), " "); !strings.Contains(line, name+" "+n+" ") {
			t.Errorf("theme %s: %q", name, line)
		}
	}
	if strings.Contains(text, "Social workers and advisers") {
		t.Error("a theme of 2 comments is listed")
	}
	if strings.Contains(plain, "NEVER") {
		t.Error("a post the room never saw is printed")
	}
}

// A hidden figure never reaches the page in any form: sessions whose
// counts differ only where they are hidden give the same PDF, byte for
// byte.
func TestSessionReportHidesSmallNumbers(t *testing.T) {
	t.Parallel()
	a, b := usualCounts, usualCounts
	a.attendance = map[string]int{"8-11": 12, "12-15": 3, "16-18": 1}
	b.attendance = map[string]int{"8-11": 12, "12-15": 1, "16-18": 3}
	a.pollYes, a.pollNo = 9, 3
	b.pollYes, b.pollNo = 10, 2
	a.sad, a.unhappy = 1, 0
	b.sad, b.unhappy = 0, 1
	a.lundySad, a.lundyUnhappy = 1, 0
	b.lundySad, b.lundyUnhappy = 0, 1
	a.wifiLikes, b.wifiLikes = 1, 4
	a.homeWords, b.homeWords = 1, 3
	a.foodDots, b.foodDots = 1, 4
	pa, pb := writeSession(t, sessionReport(t, a)), writeSession(t, sessionReport(t, b))
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
	text := pdfText(t, pa)
	// 12 of 16 is hidden with the small bands; the total stands.
	if line := spaces.ReplaceAllString(lineWith(text, "Aged 8 to 11"), " "); !strings.HasSuffix(line, "fewer than 5") {
		t.Errorf("attendance: %q", line)
	}
	if !strings.Contains(text, "16 young people came") {
		t.Error("no total of 16")
	}
	if line := lineWith(text, "Yes "); !strings.Contains(line, "fewer than 5") {
		t.Errorf("poll of 9 to 3 shows its 9: %q", line)
	}
}

// Texts in other scripts print as themselves, emoji are left out, and
// every word stays on the page, clear of the others, however long the
// prompts and ideas.
func TestSessionReportTextAndLayout(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("When you think about the people who look after you and the place you live, ", 4)
	arabic := "أريد أن أرى أخي أكثر"
	s, st := runSession(t, usualCounts)
	s.Title = "MADE North 🎉 Charter check 👍🏽"
	s.Activities[0].Prompt = long + "is it a good place?"
	st.Acts["ideas"].Posts[0].Text = arabic + " 😢"
	st.Acts["ideas"].Posts[1].Text = strings.Repeat("My placement moved three times this year and every time I had to start a new school. ", 8)
	rep, err := surveys.BuildSessionReport(surveys.SessionReportInputs{Session: s, Room: st, Codebook: coder.DefaultCodebook(),
		Settings: &surveys.Settings{CouncilName: "Knowsley Council", Threshold: 5}, Now: reportDay})
	if err != nil {
		t.Fatal(err)
	}
	pdf := writeSession(t, rep)
	raw := pdfTextPlain(t, pdf)
	if !strings.Contains(flat(raw), "MADE North Charter check") || strings.ContainsAny(raw, "\uFFFD") {
		t.Errorf("the title with emoji is not printed cleanly")
	}
	for _, form := range []string{"\uFEA7", "\uFEF2"} { // أخي joined: kha initial, ya final
		if !strings.Contains(raw, form) {
			t.Errorf("no %U: the Arabic is not joined", []rune(form)[0])
		}
	}
	if got := strings.Join(strings.Fields(raw), " "); !strings.Contains(got, strings.Join(strings.Fields(long), " ")) {
		t.Error("the long prompt is not printed whole")
	}
	body := rect{17 * mm, 5 * mm, 193 * mm, 292 * mm}
	pages := map[int][]word{}
	for _, w := range words(t, pdf) {
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
}

// A session still running, without attendance or comments, says so.
func TestSessionReportOfARunningSession(t *testing.T) {
	t.Parallel()
	c := usualCounts
	c.attendance = nil
	s, st := runSession(t, c)
	s.Status = surveys.LiveRunning
	rep, err := surveys.BuildSessionReport(surveys.SessionReportInputs{Session: s, Room: st, Codebook: coder.DefaultCodebook(),
		Settings: &surveys.Settings{Threshold: 5}, Now: reportDay})
	if err != nil {
		t.Fatal(err)
	}
	plain := flat(pdfTextPlain(t, writeSession(t, rep)))
	for _, want := range []string{"Still running when this report was made", "Attendance was not recorded for this session.",
		"Fewer than 5 comments came from this session, so no themes are shown.", "The session was still running",
		"Every figure in this report comes from the council’s Heard service."} {
		if !strings.Contains(plain, want) {
			t.Errorf("no %q", want)
		}
	}
}

func TestSessionReportIsDeterministic(t *testing.T) {
	t.Parallel()
	a := writeSession(t, sessionReport(t, usualCounts))
	b := writeSession(t, sessionReport(t, usualCounts))
	da, _ := os.ReadFile(a)
	db, _ := os.ReadFile(b)
	if !bytes.Equal(da, db) {
		t.Error("the same report twice gives different bytes")
	}
}
