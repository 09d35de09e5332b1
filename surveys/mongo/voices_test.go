package mongo_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/coder"
	"github.com/heard-app/heard/surveys/mongo"
)

// intakeWithCoder is an intake on db that codes text answers with the
// shipped codebook.
func intakeWithCoder(t *testing.T, db *mongo.DB, s *surveys.Survey) *surveys.Intake {
	t.Helper()
	c, err := coder.Compile(coder.DefaultCodebook())
	if err != nil {
		t.Fatal(err)
	}
	return &surveys.Intake{Surveys: mongo.NewSurveyStore(db), Responses: newStore(t, db), Coder: c,
		Now: func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) }}
}

func textSubmission(id, better string) surveys.Submission {
	return surveys.Submission{ID: id, Version: "11-18", Lang: "en", Answers: rawAnswers(map[string]string{
		"area": `"south"`, "feel_safe": `"always"`, "happy": `7`, "talk_to": `"no"`, "better": better,
	})}
}

// TestVoicesAreStoredWithTheirResponses checks that each text answer is
// stored as a voice with its coding, a worrying one also as a flag, once
// however often the phone retries, and that voices are found by filter
// and reviewed.
func TestVoicesAreStoredWithTheirResponses(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		ctx := testCtx(t)
		s := openSurvey(t, db)
		in := intakeWithCoder(t, db, s)
		subs := []surveys.Submission{
			textSubmission("00000000-0000-4000-8000-000000000001", `"the buses r always late"`),
			textSubmission("00000000-0000-4000-8000-000000000002", `"i want to kill myself"`),
			textSubmission("00000000-0000-4000-8000-000000000003", `"my foster carers are boss"`),
		}
		for try := range 2 {
			for i, sub := range subs {
				rec, err := in.Submit(ctx, s.Slug, sub)
				if err != nil {
					t.Fatalf("try %d, submission %d: %v", try, i, err)
				}
				if rec.ShowHelp != (i == 1) {
					t.Errorf("submission %d: ShowHelp %v", i, rec.ShowHelp)
				}
			}
		}
		vs := mongo.NewVoiceStore(db)
		all, err := vs.FindVoices(ctx, surveys.VoiceFilter{})
		if err != nil || len(all) != 3 {
			t.Fatalf("%d voices (%v), want 3", len(all), err)
		}
		for _, v := range all {
			if v.Channel != surveys.ChannelSurvey || v.Source.Survey != s.Slug || v.Source.Question != "better" ||
				v.Area != "South" || v.AgeBand != "11-18" || v.Day != "2026-11-23" || v.Machine.Codebook != 1 || v.Review != nil {
				t.Errorf("voice %+v", v)
			}
		}
		flags, err := mongo.NewFlagStore(db).FindFlags(ctx, surveys.FlagFilter{})
		if err != nil || len(flags) != 1 || flags[0].Text != "i want to kill myself" || !slices.Contains(flags[0].Kinds, surveys.RiskSuicide) {
			t.Fatalf("flags %+v (%v), want the one worrying answer", flags, err)
		}
		if n, err := mongo.NewFlagStore(db).CountUnreviewed(ctx); err != nil || n != 1 {
			t.Errorf("unreviewed flags %d (%v)", n, err)
		}

		// Filters, in the database.
		transport, err := vs.FindVoices(ctx, surveys.VoiceFilter{Theme: "transport"})
		if err != nil || len(transport) != 1 || transport[0].Text != "the buses r always late" {
			t.Fatalf("voices about transport: %+v (%v)", transport, err)
		}
		bus := transport[0]
		for _, f := range []surveys.VoiceFilter{
			{Survey: s.Slug}, {Channel: surveys.ChannelSurvey}, {Question: "better"}, {Area: "South"},
			{AgeBand: "11-18"}, {From: "2026-11-23", To: "2026-11-23"}, {Unreviewed: true}, {Sentiment: surveys.Negative},
		} {
			got, err := vs.FindVoices(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			for _, v := range all {
				if f.Match(v) {
					want++
				}
			}
			if len(got) != want || want == 0 {
				t.Errorf("filter %+v: %d voices, want %d (and some)", f, len(got), want)
			}
		}
		if got, _ := vs.FindVoices(ctx, surveys.VoiceFilter{From: "2026-11-24"}); len(got) != 0 {
			t.Errorf("voices from a later day: %d", len(got))
		}
		if got, _ := vs.FindVoices(ctx, surveys.VoiceFilter{Limit: 2}); len(got) != 2 {
			t.Errorf("a limit of 2 gave %d", len(got))
		}
		if got, _ := vs.FindVoices(ctx, surveys.VoiceFilter{After: all[0].ID}); len(got) != 2 || got[0].ID != all[1].ID {
			t.Errorf("the page after the first: %d voices", len(got))
		}

		// A person's review is in force, and the machine's coding is kept.
		at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
		n, err := vs.ReviewVoices(ctx, []string{bus.ID, "no-such-voice"}, map[string]surveys.VoiceReview{
			bus.ID:          {Themes: []string{"transport", "money"}, Sentiment: surveys.Mixed, By: "analyst@council.example", At: at},
			"no-such-voice": {Themes: []string{}, Sentiment: surveys.Neutral, By: "analyst@council.example", At: at},
		})
		if err != nil || n != 1 {
			t.Fatalf("reviewed %d (%v), want 1", n, err)
		}
		got, err := vs.FindVoice(ctx, bus.ID)
		if err != nil || got.Review == nil || !slices.Equal(got.Themes(), []string{"transport", "money"}) || got.Sentiment() != surveys.Mixed ||
			!slices.Equal(got.Machine.ThemeKeys(), bus.Machine.ThemeKeys()) {
			t.Errorf("after review: %+v (%v)", got, err)
		}
		if money, _ := vs.FindVoices(ctx, surveys.VoiceFilter{Theme: "money"}); len(money) != 1 {
			t.Errorf("the reviewed theme finds %d voices, want 1", len(money))
		}
		if open, _ := vs.FindVoices(ctx, surveys.VoiceFilter{Unreviewed: true}); len(open) != 2 {
			t.Errorf("%d unreviewed, want 2", len(open))
		}
		if _, err := vs.FindVoice(ctx, "no-such-voice"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("an unknown voice: %v", err)
		}
	})
}

// TestFlagDecisionsAndAlerts appends decisions (never replacing one) and
// records how alerts went.
func TestFlagDecisionsAndAlerts(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		ctx := testCtx(t)
		s := openSurvey(t, db)
		in := intakeWithCoder(t, db, s)
		if _, err := in.Submit(ctx, s.Slug, textSubmission("00000000-0000-4000-8000-000000000009", `"my stepdad hits me"`)); err != nil {
			t.Fatal(err)
		}
		fs := mongo.NewFlagStore(db)
		now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
		due, err := fs.FlagsToAlert(ctx, now)
		if err != nil || len(due) != 1 {
			t.Fatalf("flags to alert: %d (%v), want 1", len(due), err)
		}
		id := due[0].ID
		failed := surveys.AlertState{Attempts: 1, LastError: "mail server refused", NextTry: now.Add(time.Minute)}
		if err := fs.SetAlert(ctx, id, failed); err != nil {
			t.Fatal(err)
		}
		if due, _ := fs.FlagsToAlert(ctx, now); len(due) != 0 {
			t.Error("a flag is due again before its next try")
		}
		if due, _ := fs.FlagsToAlert(ctx, now.Add(time.Minute)); len(due) != 1 || due[0].Alert.LastError != "mail server refused" {
			t.Errorf("at its next try: %+v", due)
		}
		if err := fs.SetAlert(ctx, id, surveys.AlertState{Sent: true, Attempts: 2, SentAt: now}); err != nil {
			t.Fatal(err)
		}
		if due, _ := fs.FlagsToAlert(ctx, now.Add(time.Hour)); len(due) != 0 {
			t.Error("a sent alert is due again")
		}
		for i, o := range []surveys.FlagOutcome{surveys.OutcomeReferred, surveys.OutcomeNoConcern} {
			if _, err := fs.AddDecision(ctx, id, surveys.FlagDecision{Outcome: o, By: "lead@council.example", At: now.Add(time.Duration(i) * time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		f, err := fs.FindFlag(ctx, id)
		if err != nil || len(f.Decisions) != 2 || f.Decisions[0].Outcome != surveys.OutcomeReferred || f.Latest().Outcome != surveys.OutcomeNoConcern || !f.Alert.Sent {
			t.Errorf("flag after two decisions: %+v (%v)", f, err)
		}
		if n, _ := fs.CountUnreviewed(ctx); n != 0 {
			t.Errorf("%d unreviewed after decisions", n)
		}
		if _, err := fs.AddDecision(ctx, "no-such-flag", surveys.FlagDecision{Outcome: surveys.OutcomeReferred}); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("a decision on no flag: %v", err)
		}
		if err := fs.SetAlert(ctx, "no-such-flag", surveys.AlertState{}); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("an alert on no flag: %v", err)
		}
	})
}

// TestCodebookVersions saves versions, refuses a version someone else
// took, and reads back the newest.
func TestCodebookVersions(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		ctx := testCtx(t)
		cs := mongo.NewCodebookStore(db)
		if _, err := cs.LatestCodebook(ctx); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Fatalf("no codebook yet: %v", err)
		}
		at := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
		for v := 1; v <= 3; v++ {
			cb := &surveys.Codebook{Version: v, Updated: at, By: "analyst@council.example", Themes: []surveys.Theme{
				{Key: "food", Name: "Food", Description: "Meals", Words: map[string][]string{"en": {"food", "dinner*"}, "pl": {"jedzenie"}}, Examples: []string{"more dinners"}},
			}}
			if err := cs.CreateCodebook(ctx, cb); err != nil {
				t.Fatal(err)
			}
		}
		err := cs.CreateCodebook(ctx, &surveys.Codebook{Version: 2, Themes: []surveys.Theme{{Key: "x", Name: "X"}}})
		if surveys.ErrorCode(err) != surveys.ECONFLICT {
			t.Errorf("saving a version that exists: %v, want ECONFLICT", err)
		}
		got, err := cs.LatestCodebook(ctx)
		if err != nil || got.Version != 3 || !got.Updated.Equal(at) || len(got.Themes) != 1 ||
			!slices.Equal(got.Themes[0].Words["en"], []string{"food", "dinner*"}) || got.Themes[0].Examples[0] != "more dinners" {
			t.Errorf("latest: %+v (%v)", got, err)
		}
	})
}

// rawAnswers turns answers written as JSON into a submission's answers.
func rawAnswers(answers map[string]string) map[string]json.RawMessage {
	raw := make(map[string]json.RawMessage, len(answers))
	for k, v := range answers {
		raw[k] = json.RawMessage(v)
	}
	return raw
}
