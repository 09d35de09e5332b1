package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/heard-app/heard/exports"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/rooms"
)

type reportOptions struct{ survey, compare, out string }

func reportFlags(fs *flag.FlagSet) any {
	o := &reportOptions{}
	fs.StringVar(&o.survey, "survey", "", "the survey's slug")
	fs.StringVar(&o.compare, "compare", "", "the slug of the edition to compare with (default: the one the survey follows)")
	fs.StringVar(&o.out, "out", "", "where to write the PDF")
	return o
}

// runReportBoard writes the Corporate Parenting Board's summary of a
// survey, as the workspace and the API do. The file is written whole or
// not at all.
func runReportBoard(ctx context.Context, e *env, opts any) error {
	o := opts.(*reportOptions)
	if o.survey == "" || o.out == "" {
		return errors.New("report board needs --survey and --out")
	}
	return withStorage(ctx, e, func(st *storage) error {
		themes, err := loadThemes(ctx, st)
		if err != nil {
			return err
		}
		if err := mongo.EnsureVoiceDigests(ctx, st.db); err != nil {
			return err
		}
		reports := &surveys.Reports{Surveys: st.surveys, Tallies: st.tallies, Settings: st.settings(e.cfg),
			Voices:  &surveys.Voices{Store: mongo.NewVoiceStore(st.db), Themes: themes, Audit: st.audit, Now: time.Now},
			Actions: st.actions(st.surveys, themes), Audit: st.audit, Now: time.Now}
		// The results of MADE sessions linked to the survey's questions
		// and themes are read as the server reads them.
		hub := &rooms.Hub{Log: mongo.NewLiveLog(st.db), Sessions: mongo.NewLiveSessionStore(st.db), Instance: "report", Logger: e.log}
		hub.Start(ctx)
		defer hub.Stop()
		reports.Sessions, reports.Rooms = hub.Sessions, hub
		pdf, _, err := exports.BoardReportPDF(ctx, reports, surveys.BoardReportQuery{Survey: o.survey, Compare: o.compare})
		if err != nil {
			return describe(err)
		}
		if err := writeFileAtomic(o.out, pdf); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		fmt.Fprintf(e.stdout, "wrote %s (%d KB): the board report on %s\n", o.out, (len(pdf)+1023)/1024, o.survey)
		if pending, err := pendingBatches(ctx, st); err == nil && pending > 0 {
			fmt.Fprintf(e.stdout, "%d tally batches are unfinished, so the newest answers may be missing; starting the server settles them\n", pending)
		}
		return nil
	})
}

// writeFileAtomic writes data to a new file beside path and renames it
// into place, so that a reader never sees half a report.
func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".part"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return nil
}
