package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/demo"
	"github.com/heard-app/heard/surveys/templates"
)

// demoResponses is how many synthetic responses each shipped template gets.
var demoResponses = map[string]int{
	"cared-for-2026":      180,
	"care-leavers-2026":   70,
	"school-council-2026": 50,
}

// demoSeed makes the synthetic responses the same on every machine. Their
// ids are fixed too, so a demo load cut short and run again stores each
// response once. Each template adds its position, so that no two share ids.
const demoSeed = 2026

// loadDemo imports and opens the shipped templates that are missing, and
// stores their synthetic responses once.
func loadDemo(ctx context.Context, catalog *surveys.Catalog, intake *surveys.Intake, st *storage, log *slog.Logger) error {
	defs, err := templates.All()
	if err != nil {
		return err
	}
	done, err := st.db.Marked(ctx, "demo")
	if err != nil {
		return err
	}
	if done {
		return nil
	}
	stored := 0
	for i, d := range defs {
		if _, err := catalog.Store.FindSurvey(ctx, d.Slug); surveys.ErrorCode(err) == surveys.ENOTFOUND {
			if _, err := catalog.Create(ctx, d); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		if _, err := catalog.SetStatus(ctx, d.Slug, surveys.StatusOpen); err != nil {
			return err
		}
		for _, sub := range demo.Submissions(d, demoResponses[d.Slug], demoSeed+uint64(i)) {
			if _, err := intake.Submit(ctx, d.Slug, sub); err != nil {
				return fmt.Errorf("store demo response to %s: %w", d.Slug, err)
			}
			stored++
		}
	}
	if err := st.db.Mark(ctx, "demo"); err != nil {
		return err
	}
	log.Info("demo data loaded", "surveys", len(defs), "responses", stored)
	return nil
}
