package surveys_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/surveytest"
)

func TestNormalizeCode(t *testing.T) {
	t.Parallel()
	cases := []struct {
		typed, want string
		ok          bool
	}{
		{"7KM-3PX-Q9R", "7KM3PXQ9R", true},
		{"7km 3px q9r", "7KM3PXQ9R", true},
		{" 7KM3PXQ9R ", "7KM3PXQ9R", true},
		{"7KM-3PX-Q9", "", false},   // too short
		{"7KM-3PX-Q9RA", "", false}, // too long
		{"7KM-3PX-Q9O", "", false},  // O is not in the alphabet (nor 0, 1, I, L, U)
		{"7KM-3PX-Q91", "", false},  // 1
		{"7KM-3PX-Q9é", "", false},  // not a code character
		{"", "", false},             // nothing
		{"7KM_3PX_Q9R", "", false},  // underscores are not separators
		{"ABCDEFGHJ", "ABCDEFGHJ", true},
	}
	for _, tc := range cases {
		got, ok := surveys.NormalizeCode(tc.typed)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("NormalizeCode(%q) = %q, %v; want %q, %v", tc.typed, got, ok, tc.want, tc.ok)
		}
	}
	if got := surveys.FormatCode("7KM3PXQ9R"); got != "7KM-3PX-Q9R" {
		t.Errorf("FormatCode = %q", got)
	}
}

func TestCodesFromSecret(t *testing.T) {
	t.Parallel()
	secret := []byte("a secret of a batch, thirty-two!")
	codes := surveys.CodesFromSecret(secret, 2000)
	again := surveys.CodesFromSecret(secret, 2000)
	seen := map[string]bool{}
	counts := map[rune]int{}
	for i, c := range codes {
		if c != again[i] {
			t.Fatalf("code %d differs between two derivations from one secret", i)
		}
		if seen[c] {
			t.Fatalf("code %s appears twice", c)
		}
		seen[c] = true
		if got, ok := surveys.NormalizeCode(c); !ok || got != c {
			t.Fatalf("derived code %q is not canonical", c)
		}
		for _, r := range c {
			counts[r]++
		}
	}
	// 18,000 characters over 30 letters: each near 600. A biased derivation
	// (taking bytes mod 30 without dropping the top) would skew the first
	// letters by about 4%; this only checks nothing is far off.
	for _, r := range surveys.CodeAlphabet {
		if n := counts[r]; n < 450 || n > 750 {
			t.Errorf("%c appears %d times in 18,000 characters, want about 600", r, n)
		}
	}
	if other := surveys.CodesFromSecret([]byte("another secret, thirty-two bytes"), 1); other[0] == codes[0] {
		t.Error("two secrets give the same first code")
	}
}

// memCodes is an in-memory CodeStore for the domain's own tests.
type memCodes struct {
	mu     sync.Mutex
	states map[string]surveys.CodeState // by survey and hash
}

func (m *memCodes) CreateCodeBatch(_ context.Context, b *surveys.CodeBatch, hashes []string, _ string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, h := range hashes {
		m.states[b.Survey+h] = surveys.CodeFree
	}
	return nil
}

func (m *memCodes) FindCodeBatches(context.Context, string) ([]*surveys.CodeBatch, error) {
	return nil, nil
}

func (m *memCodes) TakeBatchSecret(context.Context, string, string, time.Time) (*surveys.CodeBatch, string, error) {
	return nil, "", surveys.Errorf(surveys.ENOTFOUND, "no batch")
}

func (m *memCodes) CodeState(_ context.Context, survey, hash string) (surveys.CodeState, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	st, ok := m.states[survey+hash]
	if !ok {
		return "", surveys.Errorf(surveys.ENOTFOUND, "no code")
	}
	return st, nil
}

func TestCodesGenerateAndCheck(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := &memCodes{states: map[string]surveys.CodeState{}}
	c := &surveys.Codes{Store: store, Surveys: newMemSurveys(fixtureSurvey(t, surveytest.Slug, surveys.StatusOpen)), Now: newClock(loginStart).Now}

	for _, bad := range []struct {
		count int
		label string
		field string
	}{{0, "x", "count"}, {surveys.MaxCodesPerBatch + 1, "x", "count"}, {10, strings.Repeat("é", surveys.MaxBatchLabel+1), "label"}} {
		_, _, err := c.Generate(ctx, surveytest.Slug, bad.count, bad.label)
		if surveys.ErrorFields(err)[bad.field] == "" {
			t.Errorf("Generate(%d, %d-char label): %v, want a message for %s", bad.count, len(bad.label), err, bad.field)
		}
	}
	if _, _, err := c.Generate(ctx, "no-such-survey", 5, ""); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("Generate for an unknown survey: %v", err)
	}

	b, codes, err := c.Generate(ctx, surveytest.Slug, 5, "  social work team north ")
	if err != nil {
		t.Fatal(err)
	}
	if b.Count != 5 || len(codes) != 5 || b.Label != "social work team north" || b.Printed || b.ID == "" {
		t.Errorf("batch %+v with %d codes", b, len(codes))
	}
	if err := c.Check(ctx, surveytest.Slug, surveys.FormatCode(codes[0])); err != nil {
		t.Errorf("a fresh code: %v", err)
	}
	if err := c.Check(ctx, "another-survey", codes[0]); surveys.ErrorProblems(err)["code"].Code != surveys.ProblemCodeUnknown {
		t.Errorf("a code of another survey: %v", err)
	}
	if err := c.Check(ctx, surveytest.Slug, "not a code"); surveys.ErrorCode(err) != surveys.EINVALID {
		t.Errorf("not a code: %v", err)
	}
	store.states[surveytest.Slug+surveys.HashCode(surveytest.Slug, codes[1])] = surveys.CodeSpent
	err = c.Check(ctx, surveytest.Slug, codes[1])
	if surveys.ErrorCode(err) != surveys.ECONFLICT || surveys.ErrorProblems(err)["code"].Code != surveys.ProblemCodeUsed {
		t.Errorf("a spent code: %v", err)
	}
}

func TestIntakeNeedsACodeWhenTheSurveyDoes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	coded := fixtureSurvey(t, surveytest.Slug, surveys.StatusOpen)
	coded.RequireCode = true
	f := &intakeFixture{responses: &memResponses{responses: map[string]surveys.Response{}}}
	f.intake = &surveys.Intake{Surveys: newMemSurveys(coded), Responses: f.responses, Now: newClock(justAfterMidnight).Now}
	sub := surveys.Submission{ID: responseID, Version: "8-11"}

	if _, err := f.intake.Submit(ctx, surveytest.Slug, sub); surveys.ErrorProblems(err)["code"].Code != surveys.ProblemCodeMissing {
		t.Errorf("no code: %v", err)
	}
	sub.Code = "7KM-3PX-Q9O"
	if _, err := f.intake.Submit(ctx, surveytest.Slug, sub); surveys.ErrorProblems(err)["code"].Code != surveys.ProblemCodeUnknown {
		t.Errorf("a code with a letter codes never have: %v", err)
	}
	if _, calls := f.responses.snapshot(); calls != 0 {
		t.Errorf("refused submissions reached the store %d times", calls)
	}
	sub.Code = "7km 3px q9r"
	if _, err := f.intake.Submit(ctx, surveytest.Slug, sub); err != nil {
		t.Fatal(err)
	}
	if want := surveys.HashCode(surveytest.Slug, "7KM3PXQ9R"); f.responses.lastCode != want {
		t.Errorf("the store got code hash %q, want %q", f.responses.lastCode, want)
	}
}
