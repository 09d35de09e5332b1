package mongo_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/coder"
	"github.com/heard-app/heard/surveys/mongo"
)

func newThemes(db *mongo.DB, clock *stepClock) *surveys.Themes {
	return &surveys.Themes{Store: mongo.NewCodebookStore(db), Compile: coder.Compile, Default: coder.DefaultCodebook(),
		Audit: newAuditLog(db, clock), Now: clock.Now}
}

// TestThemesSaveAndRefresh follows the codebook through its versions: the
// default saved on first start, an analyst's change coding new text at
// once here and, after Refresh, on another instance; a save from an old
// version and a codebook with mistakes are refused and change nothing.
func TestThemesSaveAndRefresh(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		clock := newStepClock(workspaceStart)
		here, there := newThemes(db, clock), newThemes(db, clock)
		for _, th := range []*surveys.Themes{here, there} {
			if err := th.Load(testCtx(t)); err != nil {
				t.Fatal(err)
			}
			if v := th.Codebook().Version; v != 1 {
				t.Fatalf("first codebook version %d, want 1", v)
			}
		}
		const text = "the dinners are rank"
		if slices.Contains(here.Code(text, "en").ThemeKeys(), "food") {
			t.Fatal("the default codebook has a food theme already")
		}
		analyst := &surveys.User{Email: "analyst@council.gov.uk", Role: surveys.RoleAnalyst}
		edited := *here.Codebook()
		edited.Themes = append(slices.Clone(edited.Themes), surveys.Theme{Key: "food", Name: "Food",
			Description: "Meals, snacks, school dinners", Words: map[string][]string{"en": {"dinner*", "food", "meals"}}})
		saved, err := here.Save(as(t, analyst), &edited, 1)
		if err != nil {
			t.Fatal(err)
		}
		if saved.Version != 2 || saved.By != analyst.Email {
			t.Errorf("saved version %d by %q", saved.Version, saved.By)
		}
		if got := here.Code(text, "en"); !slices.Contains(got.ThemeKeys(), "food") || got.Codebook != 2 {
			t.Errorf("after saving, %q codes as %v with codebook %d", text, got.ThemeKeys(), got.Codebook)
		}
		assertAuditCount(t, here.Audit, surveys.AuditCodebookSave, "version 2", 1)

		// Another instance sees it once it refreshes.
		if got := there.Code(text, "en"); got.Codebook != 1 {
			t.Errorf("before refreshing, the other instance codes with version %d", got.Codebook)
		}
		if err := there.Refresh(testCtx(t)); err != nil {
			t.Fatal(err)
		}
		if got := there.Code(text, "en"); !slices.Contains(got.ThemeKeys(), "food") || got.Codebook != 2 {
			t.Errorf("after refreshing: %v, codebook %d", got.ThemeKeys(), got.Codebook)
		}

		// Saving from version 1 again: someone saved since.
		if _, err := there.Save(as(t, analyst), &edited, 1); surveys.ErrorCode(err) != surveys.ECONFLICT {
			t.Errorf("a stale save: %v, want ECONFLICT", err)
		}
		bad := edited
		bad.Themes = append(slices.Clone(edited.Themes), surveys.Theme{Key: "food", Name: ""})
		_, err = here.Save(as(t, analyst), &bad, 2)
		if surveys.ErrorCode(err) != surveys.EINVALID || len(surveys.ErrorFields(err)) == 0 {
			t.Errorf("a codebook with mistakes: %v, want EINVALID with fields", err)
		}
		if v := here.Codebook().Version; v != 2 {
			t.Errorf("version %d after refused saves, want 2", v)
		}
	})
}

// TestReviewVoices reviews voices one at a time and many at once, against
// the codebook in force, with every read and review in the audit log.
func TestReviewVoices(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		ctx := testCtx(t)
		s := openSurvey(t, db)
		in := intakeWithCoder(t, db, s)
		for i, text := range []string{`"the buses r always late"`, `"more trips out"`, `"my sw never rings me back"`} {
			if _, err := in.Submit(ctx, s.Slug, textSubmission(fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1), text)); err != nil {
				t.Fatal(err)
			}
		}
		clock := newStepClock(workspaceStart)
		themes := newThemes(db, clock)
		if err := themes.Load(ctx); err != nil {
			t.Fatal(err)
		}
		vs := &surveys.Voices{Store: mongo.NewVoiceStore(db), Themes: themes, Audit: themes.Audit, Now: clock.Now}
		analyst := as(t, &surveys.User{Email: "analyst@council.gov.uk", Role: surveys.RoleAnalyst})
		all, err := vs.Find(analyst, surveys.VoiceFilter{Survey: s.Slug})
		if err != nil || len(all) != 3 {
			t.Fatalf("%d voices (%v)", len(all), err)
		}
		assertAuditCount(t, themes.Audit, surveys.AuditVoicesRead, s.Slug, 1)

		ids := []string{all[0].ID, all[1].ID, all[2].ID}
		refused := []struct {
			name      string
			ids       []string
			themes    []string
			sentiment surveys.Sentiment
			field     string
		}{
			{"no comments", nil, []string{"transport"}, surveys.Negative, "ids"},
			{"too many", make([]string, surveys.MaxReviewBatch+1), []string{"transport"}, surveys.Negative, "ids"},
			{"an unknown theme", ids, []string{"weather"}, surveys.Negative, "themes"},
			{"four themes", ids, []string{"transport", "money", "housing", "digital"}, surveys.Negative, "themes"},
			{"a theme twice", ids, []string{"money", "money"}, surveys.Negative, "themes"},
			{"no sentiment", ids, []string{"money"}, "", "sentiment"},
		}
		for _, tt := range refused {
			_, err := vs.Review(analyst, tt.ids, tt.themes, tt.sentiment)
			if surveys.ErrorCode(err) != surveys.EINVALID || surveys.ErrorFields(err)[tt.field] == "" {
				t.Errorf("%s: %v, want EINVALID on %s", tt.name, err, tt.field)
			}
		}
		if open, _ := vs.Store.FindVoices(ctx, surveys.VoiceFilter{Unreviewed: true}); len(open) != 3 {
			t.Fatalf("refused reviews changed %d voices", 3-len(open))
		}
		// One, then the rest at once; no themes at all is a decision too.
		if n, err := vs.Review(analyst, ids[:1], []string{"transport"}, surveys.Negative); err != nil || n != 1 {
			t.Fatalf("review one: %d %v", n, err)
		}
		if n, err := vs.Review(analyst, ids[1:], []string{}, surveys.Neutral); err != nil || n != 2 {
			t.Fatalf("review two: %d %v", n, err)
		}
		if open, _ := vs.Store.FindVoices(ctx, surveys.VoiceFilter{Unreviewed: true}); len(open) != 0 {
			t.Errorf("%d unreviewed after reviewing all", len(open))
		}
		got, _ := vs.Store.FindVoice(ctx, ids[1])
		if got.Review.By != "analyst@council.gov.uk" || len(got.Themes()) != 0 || got.Sentiment() != surveys.Neutral {
			t.Errorf("reviewed voice: %+v", got.Review)
		}
		assertAuditCount(t, themes.Audit, surveys.AuditVoicesReview, "", 2)
	})
}
