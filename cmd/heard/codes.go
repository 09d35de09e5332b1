package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/heard-app/heard/exports"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
)

type codesOptions struct {
	survey, label, out string
	count              int
}

func codesFlags(fs *flag.FlagSet) any {
	o := &codesOptions{}
	fs.StringVar(&o.survey, "survey", "", "the survey's slug")
	fs.IntVar(&o.count, "count", 0, fmt.Sprintf("how many codes (1 to %d)", surveys.MaxCodesPerBatch))
	fs.StringVar(&o.label, "label", "", "who the cards are for, e.g. \"social work team north\"")
	fs.StringVar(&o.out, "out", "", "where to write the PDF of cards")
	return o
}

// runCodesGenerate makes a batch and writes its cards at once, so the
// codes never rest anywhere but on paper.
func runCodesGenerate(ctx context.Context, e *env, opts any) error {
	o := opts.(*codesOptions)
	if o.survey == "" || o.out == "" {
		return errors.New("codes generate needs --survey, --count and --out")
	}
	f, err := os.OpenFile(o.out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	written := false
	defer func() {
		if !written {
			_ = f.Close()
			_ = os.Remove(o.out)
		}
	}()
	return withStorage(ctx, e, func(st *storage) error {
		codes := st.codes()
		s, err := st.surveys.FindSurvey(ctx, o.survey)
		if err != nil {
			return describe(err)
		}
		b, _, err := codes.Generate(ctx, o.survey, o.count, o.label)
		if err != nil {
			return describe(err)
		}
		b, plain, err := codes.Print(ctx, o.survey, b.ID)
		if err != nil {
			return describe(err)
		}
		err = exports.WriteCodeCards(f, exports.SurveyCodeCards(e.cfg.PublicURL, e.cfg.CouncilName, s, plain, time.Now().UTC()))
		if err == nil {
			err = f.Close()
		}
		if err != nil {
			return fmt.Errorf("write cards: %w", err)
		}
		written = true
		fmt.Fprintf(e.stdout, "made batch %s: %d codes for %s, cards in %s\n", b.ID, b.Count, o.survey, o.out)
		if !s.RequireCode {
			fmt.Fprintf(e.stdout, "note: %s does not require a code yet; set \"require_code\": true in its definition\n", o.survey)
		}
		return nil
	})
}

func runCodesList(ctx context.Context, e *env, opts any) error {
	o := opts.(*codesOptions)
	if o.survey == "" {
		return errors.New("codes list needs --survey")
	}
	return withStorage(ctx, e, func(st *storage) error {
		batches, err := st.codes().Store.FindCodeBatches(ctx, o.survey)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "BATCH\tCREATED\tCODES\tSPENT\tPRINTED\tLABEL")
		for _, b := range batches {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%v\t%s\n", b.ID, b.Created.Format("2006-01-02 15:04"), b.Count, b.Spent, b.Printed, b.Label)
		}
		return tw.Flush()
	})
}

// codes returns the access code service on this storage.
func (st *storage) codes() *surveys.Codes {
	return &surveys.Codes{Store: mongo.NewCodeStore(st.db), Surveys: st.surveys, Audit: st.audit, Now: time.Now}
}
