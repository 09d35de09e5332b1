package main

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

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

// demoActions are the "you said, we did" plan of the demo: what young people
// said in the shipped surveys and what a council did, across every status.
// All but the last are published, so that /you-said-we-did shows them.
func demoActions() []*surveys.Action {
	const caredFor, leavers, schools = "cared-for-2026", "care-leavers-2026", "school-council-2026"
	q := func(survey string, keys ...string) []surveys.ActionQuestion {
		out := make([]surveys.ActionQuestion, len(keys))
		for i, k := range keys {
			out[i] = surveys.ActionQuestion{Survey: survey, Question: k}
		}
		return out
	}
	return []*surveys.Action{{
		Said: surveys.Text{
			"en": "You have had too many changes of social worker, and have to tell your story again each time.",
			"pl": "Zbyt często zmieniał się wasz pracownik socjalny i za każdym razem musicie opowiadać swoją historię od nowa.",
		},
		Did: surveys.Text{
			"en": "When your social worker changes, your old and new social worker will meet you together first, so that you don't have to start again.",
			"pl": "Gdy zmienia się twój pracownik socjalny, stary i nowy pracownik najpierw spotkają się z tobą razem, żebyś nie musiał zaczynać od nowa.",
		},
		Owner: "Children's social care team managers", Due: "2027-03-31", Status: surveys.ActionInProgress,
		Themes: []string{"social_workers"}, Questions: q(caredFor, "social_worker_changes", "see_social_worker_alone"), Publish: true,
	}, {
		Said: surveys.Text{
			"en": "There is not enough to do at weekends, and clubs cost too much.",
			"ar": "لا يوجد ما يكفي من الأنشطة في عطلة نهاية الأسبوع، والنوادي مكلفة جدًا.",
		},
		Did: surveys.Text{
			"en": "Every young person in care now has a free leisure pass for swimming, the gym and climbing at the borough's leisure centres.",
			"ar": "كل شاب في الرعاية لديه الآن بطاقة مجانية للسباحة والنادي الرياضي والتسلق في مراكز الترفيه في المنطقة.",
		},
		Owner: "Leisure services and the Virtual School", Due: "2026-09-30", Status: surveys.ActionDone,
		Themes: []string{"activities", "money"}, Questions: q(caredFor, "fun_things", "activities_wanted", "activities_barrier"), Publish: true,
	}, {
		Said:  surveys.Text{"en": "You don't know what help you can get after care, and some of you run out of money before the end of the month."},
		Did:   surveys.Text{"en": "The Local Offer is now on one page. Every care leaver gets it at 17, and their personal adviser goes through it at each pathway plan review."},
		Owner: "Leaving care team", Due: "2026-10-31", Status: surveys.ActionDone,
		Themes: []string{"local_offer", "money"}, Questions: q(leavers, "know_local_offer", "managing_money", "run_out_money"), Publish: true,
	}, {
		Said:  surveys.Text{"en": "The wifi where you live is poor or turned off at night, so you can't do homework or talk to your friends."},
		Did:   surveys.Text{"en": "We will check the wifi in every children's home, and agree fair rules about when it is on with the young people who live there."},
		Owner: "Children's homes managers", Due: "2027-01-31", Status: surveys.ActionPlanned,
		Themes: []string{"digital", "home_placement"}, Surveys: []string{caredFor}, Publish: true,
	}, {
		Said:  surveys.Text{"en": "Bus journeys to see your family take too long."},
		Did:   surveys.Text{"en": "We asked the bus company for a direct bus from Kirkby to the family time centre."},
		Owner: "Transport team", Status: surveys.ActionNotPossible,
		Reason: "The bus company could not add the route. Instead, a taxi is booked for any family time more than 45 minutes away by bus.",
		Themes: []string{"transport", "family_friends"}, Questions: q(caredFor, "contact_family"), Publish: true,
	}, {
		Said:  surveys.Text{"en": "The path past the park doesn't feel safe on winter evenings."},
		Did:   surveys.Text{"en": "New lights on the park path, agreed with the parks team."},
		Owner: "Parks and open spaces team", Due: "2027-02-28", Status: surveys.ActionInProgress,
		Themes: []string{"safety", "environment"}, Questions: q(schools, "feel_safe_school"), Publish: false,
	}}
}

// loadDemoActions adds the demo's actions once, to a database that has
// none: a plan someone started is never added to.
func loadDemoActions(ctx context.Context, actions *surveys.Actions, st *storage, log *slog.Logger) error {
	done, err := st.db.Marked(ctx, "demo-actions")
	if err != nil || done {
		return err
	}
	existing, err := actions.List(ctx, surveys.ActionFilter{})
	if err != nil {
		return err
	}
	if len(existing) == 0 {
		ctx = surveys.NewContextWithActor(ctx, "heard (demo)")
		for _, a := range demoActions() {
			if _, err := actions.Create(ctx, a); err != nil {
				return fmt.Errorf("demo action %q: %w", a.Said.In(surveys.DefaultLanguage), err)
			}
		}
	}
	if err := st.db.Mark(ctx, "demo-actions"); err != nil {
		return err
	}
	log.Info("demo actions loaded", "actions", len(demoActions()), "skipped", len(existing) > 0)
	return nil
}

// demoSession is the demo's one prepared MADE session: the templates'
// activities for a group meeting next week, a draft to open, change and
// run.
func demoSession(now time.Time, groups []string) *surveys.LiveSession {
	s := &surveys.LiveSession{Title: "MADE North — Charter check", Date: now.AddDate(0, 0, 7).Format(time.DateOnly),
		Purpose:    "Ask how well the council keeps the Children's Charter's promises, and what should change.",
		Activities: surveys.SessionTemplates()}
	for _, g := range groups {
		if g == "MADE North" || s.Group == "" {
			s.Group = g
		}
	}
	return s
}

// loadDemoSessions prepares the demo's session once, in a database that
// has no sessions: sessions someone prepared are never added to.
func loadDemoSessions(ctx context.Context, sessions *surveys.LiveSessions, st *storage, log *slog.Logger) error {
	done, err := st.db.Marked(ctx, "demo-sessions")
	if err != nil || done {
		return err
	}
	existing, err := sessions.List(ctx)
	if err != nil {
		return err
	}
	if len(existing) == 0 {
		settings, err := sessions.Settings.Current(ctx)
		if err != nil {
			return err
		}
		ctx = surveys.NewContextWithActor(ctx, "heard (demo)")
		if _, err := sessions.Create(ctx, demoSession(time.Now(), settings.Groups)); err != nil {
			return fmt.Errorf("demo session: %w", err)
		}
	}
	if err := st.db.Mark(ctx, "demo-sessions"); err != nil {
		return err
	}
	log.Info("demo session loaded", "skipped", len(existing) > 0)
	return nil
}

// demoSchools are the demo's schools, made up, in the default areas: four
// in North, three in Central and two in South, so that the areas page
// shows both of its rules (South, with two, is hidden; Central is hidden
// with it, or South's figures could be worked out).
var demoSchools = []surveys.School{
	{Name: "Oakfield Primary", Area: "North", Phase: surveys.PhasePrimary},
	{Name: "Meadow Lane Primary", Area: "North", Phase: surveys.PhasePrimary},
	{Name: "Hillside Academy", Area: "North", Phase: surveys.PhaseSecondary},
	{Name: "Brookside Primary", Area: "North", Phase: surveys.PhasePrimary},
	{Name: "Riverside Primary", Area: "Central", Phase: surveys.PhasePrimary},
	{Name: "St Aidan's Catholic Primary", Area: "Central", Phase: surveys.PhasePrimary},
	{Name: "Park View High", Area: "Central", Phase: surveys.PhaseSecondary},
	{Name: "Willow Bank Primary", Area: "South", Phase: surveys.PhasePrimary},
	{Name: "Southgate High", Area: "South", Phase: surveys.PhaseSecondary},
}

// demoItems are what the demo's councils raised, as a lead would write it.
var demoItems = []surveys.CouncilItem{
	{Said: "More clubs at lunchtime, especially football and art", Support: 42, Priority: true, Status: surveys.ItemInProgress, Note: "An art club starts after half term."},
	{Said: "The toilets are dirty and the locks are broken", Support: 60, Priority: true, Status: surveys.ItemDone, Note: "The locks were mended and cleaning is checked daily."},
	{Said: "Some pupils get bullied on the way home and don't feel safe at the bus stop", Support: 25, Status: surveys.ItemPlanned, Note: "Staff will be at the bus stop after school."},
	{Said: "We want more time to talk about worries and feelings in class", Support: 30, Status: surveys.ItemNotYet},
	{Said: "The school field should have more trees and a wildlife garden", Support: 18, Status: surveys.ItemPlanned, Note: "The eco club will plant in spring."},
	{Said: "Homework club should have laptops and better wifi", Support: 12, Status: surveys.ItemNotPossible, Note: "There is no money for laptops this year; the library has some to borrow."},
	{Said: "School dinners should have more choice and healthier food", Support: 35, Status: surveys.ItemInProgress, Note: "The new menu is being tried."},
	{Said: "Older pupils want help to find work experience and apprenticeships", Support: 20, Status: surveys.ItemPlanned},
}

// loadDemoCouncils gives the demo its schools, when an admin never saved
// any settings, and school council meetings in this term and the one
// before, once, in a database that has none.
func loadDemoCouncils(ctx context.Context, councils *surveys.Councils, st *storage, log *slog.Logger) error {
	done, err := st.db.Marked(ctx, "demo-councils")
	if err != nil || done {
		return err
	}
	settings, err := councils.Settings.Current(ctx)
	if err != nil {
		return err
	}
	ctx = surveys.NewContextWithActor(ctx, "heard (demo)")
	if settings.Revision == 0 && len(settings.Schools) == 0 {
		settings.Schools = slices.Clone(demoSchools)
		if settings, err = councils.Settings.Save(ctx, 0, settings); err != nil {
			return fmt.Errorf("demo schools: %w", err)
		}
	}
	existing, err := councils.Store.FindMeetings(ctx, surveys.CouncilFilter{})
	if err != nil {
		return err
	}
	n := 0
	if len(existing) == 0 {
		today := time.Now()
		for i, sc := range settings.Schools {
			for back, days := range []int{10 + i, 110 + i} {
				m := &surveys.CouncilMeeting{Day: today.AddDate(0, 0, -days).Format(time.DateOnly), Pupils: 8 + i%5,
					YearGroups: []surveys.YearGroup{"5", "6"}}
				if sc.Phase == surveys.PhaseSecondary {
					m.YearGroups = []surveys.YearGroup{"7", "8", "9", "10"}
				}
				for j := range 3 {
					it := demoItems[(i+j+back)%len(demoItems)]
					it.Support += i
					m.Items = append(m.Items, it)
				}
				if _, err := councils.Record(ctx, sc.Key, m); err != nil {
					return fmt.Errorf("demo meeting of %s: %w", sc.Name, err)
				}
				n++
			}
		}
	}
	if err := st.db.Mark(ctx, "demo-councils"); err != nil {
		return err
	}
	log.Info("demo school councils loaded", "meetings", n, "skipped", len(existing) > 0)
	return nil
}
