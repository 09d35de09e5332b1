package coder

import (
	"bufio"
	"encoding/json"
	"flag"
	"os"
	"slices"
	"testing"

	"github.com/heard-app/heard/surveys"
)

var showMisses = flag.Bool("misses", false, "log every comment the coder gets wrong in the quality tests")

// labelled is one line of a labelled comments file (testdata/labels/README.md).
type labelled struct {
	ID               string   `json:"id"`
	Channel          string   `json:"channel"`
	AgeBand          string   `json:"age_band"`
	Question         string   `json:"question"`
	Text             string   `json:"text"`
	Themes           []string `json:"themes"`
	Sentiment        string   `json:"sentiment"`
	Safeguarding     bool     `json:"safeguarding"`
	SafeguardingKind *string  `json:"safeguarding_kind"`
}

func readLabelled(t testing.TB, path string) []labelled {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open labelled comments: %v", err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var l labelled
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("%s line %d: %v", path, n, err)
		}
		if !surveys.Sentiment(l.Sentiment).Valid() {
			t.Fatalf("%s line %d: sentiment %q", path, n, l.Sentiment)
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return out
}

// quality is how a coder did on labelled comments.
type quality struct {
	themeTP, themeFP, themeFN int
	sentimentRight, total     int
	flagTP, flagFP, flagFN    int
}

func (q quality) themePrecision() float64 { return ratio(q.themeTP, q.themeTP+q.themeFP) }
func (q quality) themeRecall() float64    { return ratio(q.themeTP, q.themeTP+q.themeFN) }
func (q quality) themeF1() float64 {
	p, r := q.themePrecision(), q.themeRecall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}
func (q quality) sentimentAccuracy() float64 { return ratio(q.sentimentRight, q.total) }
func (q quality) flagRecall() float64        { return ratio(q.flagTP, q.flagTP+q.flagFN) }
func (q quality) flagPrecision() float64     { return ratio(q.flagTP, q.flagTP+q.flagFP) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// measure codes every comment with the default codebook and scores it.
func measure(t *testing.T, comments []labelled) quality {
	t.Helper()
	c, err := New(DefaultCodebook())
	if err != nil {
		t.Fatal(err)
	}
	var q quality
	for _, l := range comments {
		got := c.Code(l.Text, "en")
		q.total++
		keys := got.ThemeKeys()
		tp := 0
		for _, k := range keys {
			if slices.Contains(l.Themes, k) {
				tp++
			}
		}
		q.themeTP += tp
		q.themeFP += len(keys) - tp
		q.themeFN += len(l.Themes) - tp
		if string(got.Sentiment) == l.Sentiment {
			q.sentimentRight++
		}
		switch {
		case got.Risk.Flag && l.Safeguarding:
			q.flagTP++
		case got.Risk.Flag:
			q.flagFP++
		case l.Safeguarding:
			q.flagFN++
		}
		if *showMisses && (tp != len(keys) || tp != len(l.Themes) || string(got.Sentiment) != l.Sentiment || got.Risk.Flag != l.Safeguarding) {
			t.Logf("MISS %s %q | themes %v want %v; sentiment %s want %s; flag %v %v want %v; unread %v",
				l.ID, l.Text, keys, l.Themes, got.Sentiment, l.Sentiment, got.Risk.Flag, got.Risk.Kinds, l.Safeguarding, got.Unread)
		}
	}
	return q
}

func report(t *testing.T, name string, q quality) {
	t.Helper()
	t.Logf("%s: %d comments", name, q.total)
	t.Logf("  themes (micro):  precision %.3f  recall %.3f  F1 %.3f", q.themePrecision(), q.themeRecall(), q.themeF1())
	t.Logf("  sentiment:       accuracy %.3f", q.sentimentAccuracy())
	t.Logf("  safeguarding:    recall %.3f  precision %.3f  (flagged %d of %d labelled; %d false alarms)",
		q.flagRecall(), q.flagPrecision(), q.flagTP, q.flagTP+q.flagFN, q.flagFP)
}

func assertAtLeast(t *testing.T, what string, got, floor float64) {
	t.Helper()
	if got < floor {
		t.Errorf("%s = %.3f, want at least %.2f", what, got, floor)
	}
}

// TestQualityOnLabelledComments measures the coder on the 150 labelled
// development comments. Run with -v to see the figures, and with -misses
// to see each comment it gets wrong.
func TestQualityOnLabelledComments(t *testing.T) {
	q := measure(t, readLabelled(t, "../../testdata/labels/dev.jsonl"))
	report(t, "dev.jsonl", q)
	assertAtLeast(t, "theme micro-F1", q.themeF1(), 0.75)
	assertAtLeast(t, "sentiment accuracy", q.sentimentAccuracy(), 0.75)
	assertAtLeast(t, "safeguarding recall", q.flagRecall(), 0.95)
	assertAtLeast(t, "safeguarding precision", q.flagPrecision(), 0.6)
}

// TestQualityOnHoldout measures the coder on comments written and
// labelled before the coder was tuned, and never tuned against: the
// honest estimate of how it does on voices it has not seen.
func TestQualityOnHoldout(t *testing.T) {
	q := measure(t, readLabelled(t, "testdata/holdout.jsonl"))
	report(t, "holdout.jsonl", q)
	assertAtLeast(t, "theme micro-F1", q.themeF1(), 0.65)
	assertAtLeast(t, "sentiment accuracy", q.sentimentAccuracy(), 0.65)
	assertAtLeast(t, "safeguarding recall", q.flagRecall(), 0.9)
}

// TestQualityOnBlind measures the coder on a third set of comments,
// written and labelled part-way through development. Its first
// measurement, before any of its comments was looked at, was: theme F1
// 0.833, sentiment 0.633, safeguarding recall 0.80 and precision 0.80 (two
// disclosures missed, two false alarms). The misses were then read and
// fixed in general form, so its figures now flatter the coder too. It
// only reports; the holdout carries the floors.
func TestQualityOnBlind(t *testing.T) {
	q := measure(t, readLabelled(t, "testdata/blind.jsonl"))
	report(t, "blind.jsonl", q)
}
