package mongo_test

import (
	"slices"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
)

// TestVoiceDigestsFollowTheVoices checks that every stored voice has a
// digest in its day, that a review or a quote rewrites it, that a phone's
// retry does not undo a review, and that a database without digests gets
// them back.
func TestVoiceDigestsFollowTheVoices(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		ctx := testCtx(t)
		s := openSurvey(t, db)
		in := intakeWithCoder(t, db, s)
		subs := []surveys.Submission{
			textSubmission("00000000-0000-4000-8000-000000000011", `"the buses r always late"`),
			textSubmission("00000000-0000-4000-8000-000000000012", `"my foster carers are boss"`),
		}
		for _, sub := range subs {
			if _, err := in.Submit(ctx, s.Slug, sub); err != nil {
				t.Fatal(err)
			}
		}
		vs := mongo.NewVoiceStore(db)
		buses, err := vs.FindVoices(ctx, surveys.VoiceFilter{Theme: "transport"})
		if err != nil || len(buses) != 1 {
			t.Fatalf("voices about transport: %d (%v)", len(buses), err)
		}
		id := buses[0].ID
		digest := func() surveys.VoiceDigest {
			t.Helper()
			all, err := vs.VoiceDigests(ctx, "2026-11-20", "2026-11-30")
			if err != nil || len(all) != 2 {
				t.Fatalf("%d digests (%v), want 2", len(all), err)
			}
			for _, d := range all {
				if d.ID == id {
					return d
				}
			}
			t.Fatalf("no digest of voice %s in %+v", id, all)
			return surveys.VoiceDigest{}
		}
		want := surveys.VoiceDigest{ID: id, Channel: surveys.ChannelSurvey, Survey: s.Slug, Day: "2026-11-23", Area: "South",
			AgeBand: "11-18", Themes: buses[0].Machine.ThemeKeys(), Sentiment: buses[0].Machine.Sentiment}
		assertDigest(t, "as coded", digest(), want)

		reviewed := surveys.VoiceReview{Themes: []string{"money", "transport"}, Sentiment: surveys.Mixed, By: "ana@example.org", At: time.Now()}
		if n, err := vs.ReviewVoices(ctx, []string{id}, map[string]surveys.VoiceReview{id: reviewed}); err != nil || n != 1 {
			t.Fatalf("review: %d (%v)", n, err)
		}
		want.Themes, want.Sentiment = reviewed.Themes, reviewed.Sentiment
		assertDigest(t, "after review", digest(), want)

		if err := vs.SetQuote(ctx, id, &surveys.Quote{Text: "the buses r always late", Status: surveys.QuotePending}); err != nil {
			t.Fatal(err)
		}
		assertDigest(t, "with a pending quote", digest(), want)
		if err := vs.SetQuote(ctx, id, &surveys.Quote{Text: "the buses r always late", Status: surveys.QuoteApproved}); err != nil {
			t.Fatal(err)
		}
		want.Quoted = true
		assertDigest(t, "with an approved quote", digest(), want)

		// The phone sends the same answers again: the review stands.
		if _, err := in.Submit(ctx, s.Slug, subs[0]); err != nil {
			t.Fatal(err)
		}
		assertDigest(t, "after a retry", digest(), want)

		if none, err := vs.VoiceDigests(ctx, "2026-11-24", "2027-01-31"); err != nil || len(none) != 0 {
			t.Errorf("digests after the day: %+v (%v)", none, err)
		}
		if _, err := vs.VoiceDigests(ctx, "2010-01-01", "2026-12-31"); err == nil {
			t.Error("digests of sixteen years were read; want an error")
		}

		// A database from before digests gets them at start, once.
		if err := mongo.ForgetVoiceDigests(ctx, db); err != nil {
			t.Fatal(err)
		}
		if none, err := vs.VoiceDigests(ctx, "2026-11-23", "2026-11-23"); err != nil || len(none) != 0 {
			t.Fatalf("digests after forgetting: %d (%v)", len(none), err)
		}
		if err := mongo.EnsureVoiceDigests(ctx, db); err != nil {
			t.Fatal(err)
		}
		assertDigest(t, "rebuilt", digest(), want)

		if err := vs.SetQuote(ctx, id, nil); err != nil {
			t.Fatal(err)
		}
		want.Quoted = false
		assertDigest(t, "quote removed", digest(), want)
	})
}

func assertDigest(t *testing.T, when string, got, want surveys.VoiceDigest) {
	t.Helper()
	slices.Sort(got.Themes)
	slices.Sort(want.Themes)
	if got.ID != want.ID || got.Channel != want.Channel || got.Survey != want.Survey || got.Day != want.Day ||
		got.Area != want.Area || got.AgeBand != want.AgeBand || !slices.Equal(got.Themes, want.Themes) ||
		got.Sentiment != want.Sentiment || got.Quoted != want.Quoted {
		t.Errorf("%s: digest %+v, want %+v", when, got, want)
	}
}
