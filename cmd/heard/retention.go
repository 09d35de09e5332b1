package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"text/tabwriter"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
)

// retentionEvery is how often the server deletes what has been kept long
// enough. Periods are months long, so once a day is on time.
const retentionEvery = 24 * time.Hour

// retentionFirst is how long after start-up the server's first run waits,
// so that a restart does not delete in the middle of starting.
const retentionFirst = 5 * time.Minute

type retentionOptions struct{ dryRun bool }

func retentionFlags(fs *flag.FlagSet) any {
	o := &retentionOptions{}
	fs.BoolVar(&o.dryRun, "dry-run", false, "say what would be deleted, and delete nothing")
	return o
}

// newRetention returns the retention service on st, with the periods of
// settings.
func newRetention(st *storage, settings *surveys.SettingsService) *surveys.Retention {
	return &surveys.Retention{Store: mongo.NewRetentionStore(st.db), Surveys: st.surveys, Settings: settings,
		Audit: st.audit, Now: time.Now}
}

// runRetention deletes now what has been kept long enough, or with
// --dry-run says what would go. With the embedded database it refuses
// while a server runs (the data directory's lock); the server runs it
// daily itself.
func runRetention(ctx context.Context, e *env, opts any) error {
	o := opts.(*retentionOptions)
	if len(e.args) > 0 {
		return fmt.Errorf("retention run takes no arguments, got %q", e.args)
	}
	return withStorage(ctx, e, func(st *storage) error {
		rep, err := newRetention(st, st.settings(e.cfg)).Run(ctx, o.dryRun)
		if rep != nil {
			printRetention(e.stdout, rep)
		}
		return err
	})
}

// printRetention writes a run's counts: each survey's, then the requests
// to talk and the flags.
func printRetention(w io.Writer, rep *surveys.RetentionReport) {
	verb := "deleted"
	if rep.DryRun {
		verb = "would delete"
		fmt.Fprintln(w, "dry run: nothing is deleted")
	}
	p := rep.Policy
	fmt.Fprintf(w, "council periods: responses %d months after a survey closes, requests to talk %d months, safeguarding flags %d months\n",
		p.ResponseMonths, p.ContactMonths, p.SafeguardingMonths)
	if len(rep.Surveys) == 0 {
		fmt.Fprintln(w, "no survey is past its period")
	} else {
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "survey\tclosed\tmonths\tresponses\tcomments\tkept as quotes\taccess codes")
		for _, s := range rep.Surveys {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\n", s.Slug, s.Closed.Format(time.DateOnly), s.Months,
				s.Responses, s.Comments, s.Quotes, s.Codes)
		}
		_ = tw.Flush()
	}
	fmt.Fprintf(w, "%s: %d responses, %d comments, %d comments reduced to their approved quotes, %d access codes, %d requests to talk, %d safeguarding flags\n",
		verb, rep.Count(surveys.RetainResponses), rep.Count(surveys.RetainComments), rep.Count(surveys.RetainQuotes),
		rep.Count(surveys.RetainCodes), rep.Contacts, rep.Flags)
}

// runRetentionDaily runs retention once a day until ctx ends, the first
// time shortly after start-up. A failure is logged and tried again the
// next day; what it did is logged as counts, never words.
func runRetentionDaily(ctx context.Context, rt *surveys.Retention, log *slog.Logger) {
	ctx = surveys.NewContextWithActor(ctx, surveys.ActorSchedule)
	wait := retentionFirst
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = retentionEvery
		rep, err := rt.Run(ctx, false)
		if err != nil && ctx.Err() == nil {
			log.Error("retention run", "err", err)
		}
		if rep != nil && rep.Total() > 0 {
			log.Info("retention run", "surveys", len(rep.Surveys), "responses", rep.Count(surveys.RetainResponses),
				"comments", rep.Count(surveys.RetainComments), "quotes", rep.Count(surveys.RetainQuotes),
				"access_codes", rep.Count(surveys.RetainCodes), "contacts", rep.Contacts, "flags", rep.Flags)
		}
	}
}

// retainedTallies says, for the tally commands, that a survey's responses
// were deleted under retention: its tallies are all that is left of them,
// so a recount (of nothing) must not replace them.
func retainedTallies(w io.Writer, s *surveys.Survey) bool {
	if s.Retained.IsZero() {
		return false
	}
	fmt.Fprintf(w, "%s: responses deleted under retention on %s; its tallies are kept as they are\n",
		s.Slug, s.Retained.Format(time.DateOnly))
	return true
}
