package surveys_test

import (
	"strings"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
)

// TestRetentionPeriodsAreChecked saves each council-wide period with good
// and bad values: 0 (the default) and the limits pass, anything outside
// them is refused on its own field.
func TestRetentionPeriodsAreChecked(t *testing.T) {
	t.Parallel()
	fields := map[string]func(*surveys.RetentionPolicy, int){
		"retention.response_months":     func(p *surveys.RetentionPolicy, n int) { p.ResponseMonths = n },
		"retention.contact_months":      func(p *surveys.RetentionPolicy, n int) { p.ContactMonths = n },
		"retention.safeguarding_months": func(p *surveys.RetentionPolicy, n int) { p.SafeguardingMonths = n },
	}
	for field, set := range fields {
		for _, tc := range []struct {
			months int
			ok     bool
		}{
			{0, true}, {surveys.MinRetentionMonths, true}, {surveys.MaxRetentionMonths, true}, {30, true},
			{-1, false}, {-24, false}, {surveys.MaxRetentionMonths + 1, false},
		} {
			st := &surveys.Settings{Threshold: 5, Areas: []string{"North"}}
			set(&st.Retention, tc.months)
			err := st.Validate()
			msg, bad := surveys.ErrorFields(err)[field]
			if tc.ok && err != nil {
				t.Errorf("%s = %d: %v", field, tc.months, err)
			}
			if !tc.ok && (!bad || !strings.Contains(msg, "from 1 to 120")) {
				t.Errorf("%s = %d: want an error on the field, got %v (%v)", field, tc.months, surveys.ErrorFields(err), err)
			}
		}
	}
}

func TestRetentionPolicyEffectiveFillsTheDefaults(t *testing.T) {
	t.Parallel()
	got := surveys.RetentionPolicy{ContactMonths: 3}.Effective()
	want := surveys.RetentionPolicy{ResponseMonths: surveys.DefaultResponseMonths, ContactMonths: 3, SafeguardingMonths: surveys.DefaultSafeguardingMonths}
	if got != want {
		t.Errorf("Effective() = %+v, want %+v", got, want)
	}
}

// TestRetentionCountsFromWhenASurveyClosed checks the moment retention
// counts from, and the fall-backs for a survey closed before Heard
// recorded it: each is at or after the real moment.
func TestRetentionCountsFromWhenASurveyClosed(t *testing.T) {
	t.Parallel()
	closed := time.Date(2026, 12, 1, 17, 0, 0, 0, time.UTC)
	closes := time.Date(2026, 12, 15, 9, 0, 0, 0, time.UTC)
	updated := time.Date(2027, 1, 5, 9, 0, 0, 0, time.UTC)
	policy := surveys.RetentionPolicy{ResponseMonths: 12}
	for _, tc := range []struct {
		name string
		s    surveys.Survey
		from time.Time // zero: no date
		due  time.Time
	}{
		{"closed, recorded", surveys.Survey{Status: surveys.StatusClosed, ClosedAt: closed, Closes: closes, Updated: updated}, closed, closed.AddDate(1, 0, 0)},
		{"closed on schedule before it was recorded", surveys.Survey{Status: surveys.StatusClosed, Closes: closes, Updated: updated}, closes, closes.AddDate(1, 0, 0)},
		{"closed by hand before it was recorded", surveys.Survey{Status: surveys.StatusClosed, Updated: updated}, updated, updated.AddDate(1, 0, 0)},
		{"its own period", surveys.Survey{Status: surveys.StatusClosed, ClosedAt: closed, RetentionMonths: 3}, closed, closed.AddDate(0, 3, 0)},
		{"open", surveys.Survey{Status: surveys.StatusOpen, Closes: closes, Updated: updated}, time.Time{}, time.Time{}},
		{"draft", surveys.Survey{Status: surveys.StatusDraft}, time.Time{}, time.Time{}},
	} {
		if got := tc.s.ClosedSince(); !got.Equal(tc.from) {
			t.Errorf("%s: ClosedSince() = %v, want %v", tc.name, got, tc.from)
		}
		due, ok := tc.s.RetentionDue(policy)
		if ok != !tc.due.IsZero() || !due.Equal(tc.due) {
			t.Errorf("%s: RetentionDue() = %v, %v, want %v", tc.name, due, ok, tc.due)
		}
	}
}

// TestReducedVoiceKeepsOnlyTheApprovedQuote checks what retention keeps
// of a comment: the approved quote's words and the coding without the
// evidence picked from the raw text; nothing for a comment with no
// approved quote; no change for one reduced already.
func TestReducedVoiceKeepsOnlyTheApprovedQuote(t *testing.T) {
	t.Parallel()
	raw := &surveys.Voice{ID: "v1", Text: "the 79 bus to Kirkby is always late", Day: "2026-11-23", Area: "North",
		Machine: surveys.Coding{Sentiment: surveys.Negative,
			Themes: []surveys.ThemeMatch{{Key: "transport", Score: 1, Evidence: []string{"bus", "Kirkby"}}},
			Risk:   surveys.Risk{Evidence: []string{"late"}}},
		Review: &surveys.VoiceReview{Themes: []string{"transport"}, Sentiment: surveys.Negative},
		Quote:  &surveys.Quote{Text: "the bus to [place] is always late", Status: surveys.QuoteApproved}}
	r, changed := surveys.ReducedVoice(raw)
	if !changed || r == nil {
		t.Fatalf("ReducedVoice = %v, %v", r, changed)
	}
	if r.Text != raw.Quote.Text || len(r.Machine.Risk.Evidence) != 0 || len(r.Machine.Themes[0].Evidence) != 0 {
		t.Errorf("reduced voice keeps raw words: %q, %+v", r.Text, r.Machine)
	}
	if r.Machine.Themes[0].Key != "transport" || r.Review == nil || r.Area != "North" || r.Day != raw.Day {
		t.Errorf("reduced voice lost its coding or place: %+v", r)
	}
	if raw.Text == r.Text || len(raw.Machine.Themes[0].Evidence) == 0 {
		t.Error("ReducedVoice changed the voice it was given")
	}
	if again, changed := surveys.ReducedVoice(r); again == nil || changed {
		t.Errorf("a reduced voice reduced again: %v, changed %v", again, changed)
	}
	for _, q := range []*surveys.Quote{nil, {Text: "x", Status: surveys.QuotePending}} {
		v := *raw
		v.Quote = q
		if r, _ := surveys.ReducedVoice(&v); r != nil {
			t.Errorf("a voice with quote %+v is kept: %+v", q, r)
		}
	}
}
