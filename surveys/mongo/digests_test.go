package mongo_test

import (
	"fmt"
	"slices"
	"strings"
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
		if _, err := vs.VoiceDigests(ctx, "2026-12-31", "2026-01-01"); err == nil {
			t.Error("digests of a period that ends before it starts were read; want an error")
		}
		if before, err := vs.VoiceDigests(ctx, "2026-01-01", "2026-11-22"); err != nil || len(before) != 0 {
			t.Errorf("digests before the day: %+v (%v)", before, err)
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

// TestVoiceDigestsOfABusyDay checks that a day's digests go on in further
// documents once one is full, also after a restart, and that a review
// finds a digest in whichever document holds it.
func TestVoiceDigestsOfABusyDay(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		ctx := testCtx(t)
		mongo.SetDigestChunkSize(db, 2)
		s := openSurvey(t, db)
		in := intakeWithCoder(t, db, s)
		submit := func(from, to int) {
			t.Helper()
			for i := from; i < to; i++ {
				id := fmt.Sprintf("00000000-0000-4000-8000-%012d", 100+i)
				if _, err := in.Submit(ctx, s.Slug, textSubmission(id, fmt.Sprintf(`"the buses are late %d"`, i))); err != nil {
					t.Fatal(err)
				}
			}
		}
		submit(0, 3)
		mongo.ForgetDigestChunks(db) // a restart: the next ones fill the second document first
		submit(3, 5)
		docs, err := mongo.DigestDocuments(ctx, db)
		if err != nil || strings.Join(docs, " ") != "2026-11-23#1:2 2026-11-23#2:1 2026-11-23:2" {
			t.Fatalf("documents %v (%v), want two, two and one digests", docs, err)
		}
		vs := mongo.NewVoiceStore(db)
		all, err := vs.VoiceDigests(ctx, "2026-11-23", "2026-11-23")
		if err != nil || len(all) != 5 {
			t.Fatalf("%d digests (%v), want 5", len(all), err)
		}
		voices, err := vs.FindVoices(ctx, surveys.VoiceFilter{})
		if err != nil || len(voices) != 5 {
			t.Fatalf("%d voices (%v)", len(voices), err)
		}
		for _, v := range voices {
			r := surveys.VoiceReview{Themes: []string{"money"}, Sentiment: surveys.Neutral, By: "ana@example.org", At: time.Now()}
			if _, err := vs.ReviewVoices(ctx, []string{v.ID}, map[string]surveys.VoiceReview{v.ID: r}); err != nil {
				t.Fatal(err)
			}
		}
		all, err = vs.VoiceDigests(ctx, "2026-11-23", "2026-11-23")
		if err != nil || len(all) != 5 {
			t.Fatalf("%d digests after review (%v), want 5", len(all), err)
		}
		for _, d := range all {
			if strings.Join(d.Themes, ",") != "money" || d.Sentiment != surveys.Neutral {
				t.Errorf("digest %+v was not rewritten by the review", d)
			}
		}
		if docs, _ := mongo.DigestDocuments(ctx, db); len(docs) != 3 {
			t.Errorf("reviews moved digests: %v", docs)
		}
	})
}
