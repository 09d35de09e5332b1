package staff

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// The safeguarding pages, for safeguarding leads only: the queue of every
// flagged voice, unreviewed first, and one flag with its words, context and
// decisions, where the lead records what was done. Reading the queue, each
// flag and each decision go in the audit log (the domain records them).

// riskNames say each kind of risk as a lead would.
var riskNames = map[surveys.RiskKind]string{
	surveys.RiskAbuse:         "Abuse",
	surveys.RiskDomesticAbuse: "Domestic abuse",
	surveys.RiskSelfHarm:      "Self-harm",
	surveys.RiskSuicide:       "Suicidal thoughts",
	surveys.RiskExploitation:  "Exploitation",
	surveys.RiskMissing:       "Going missing",
	surveys.RiskUnsafeHome:    "Unsafe at home",
	surveys.RiskNeglect:       "Neglect",
	surveys.RiskSubstance:     "Substance misuse",
	surveys.RiskBullying:      "Serious bullying",
}

// outcomeNames say each outcome as the form offers it.
var outcomeNames = map[surveys.FlagOutcome]string{
	surveys.OutcomeNoConcern: "Reviewed: no concern",
	surveys.OutcomeReferred:  "Referred to children's social care",
	surveys.OutcomePassedOn:  "Passed to a named service",
}

func riskList(kinds []surveys.RiskKind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = riskNames[k]
		if names[i] == "" {
			names[i] = string(k)
		}
	}
	return strings.Join(names, ", ")
}

type flagRow struct {
	Flag     *surveys.Flag
	Kinds    string
	Where    string // where the words came from: the survey, or session or school
	Question string // what the young person was answering, when known
	About    string // what is known of them: age band and area
}

type queueView struct {
	page
	Open     []flagRow
	Done     []flagRow
	Failures int // alerts that could not be sent yet
	// Contacts is how many requests to talk wait for review; -1 when
	// requests to talk are off.
	Contacts int
}

// flagRow describes a flag in words: the survey's title and the question's
// wording, where the survey is still there to ask.
func (p *Pages) flagRow(c fiber.Ctx, f *surveys.Flag) flagRow {
	r := flagRow{Flag: f, Kinds: riskList(f.Kinds), Where: string(f.Channel) + ": " + f.Source.String()}
	if f.Channel == surveys.ChannelSurvey {
		r.Where = "Survey " + f.Source.Survey
		if s, err := p.cfg.Surveys.FindSurvey(c.Context(), f.Source.Survey); err == nil {
			r.Where = s.Title.In(surveys.DefaultLanguage) + " (" + s.Slug + ")"
			if v := s.Version(f.Source.Version); v != nil {
				if q := v.Question(f.Source.Question); q != nil {
					r.Question = q.Text.In(surveys.DefaultLanguage)
				}
			}
		}
	}
	var about []string
	if f.AgeBand != "" {
		about = append(about, "ages "+f.AgeBand)
	}
	if f.Area != "" {
		about = append(about, "area "+f.Area)
	}
	r.About = strings.Join(about, ", ")
	return r
}

// SafeguardingQueue lists every flag: those no lead has reviewed first,
// newest first.
func (p *Pages) SafeguardingQueue(c fiber.Ctx) error {
	flags, err := p.cfg.Safeguarding.Queue(c.Context())
	if err != nil {
		return err
	}
	v := queueView{page: p.page(c, "Safeguarding")}
	if v.Contacts, err = p.contactsWaiting(c); err != nil {
		return err
	}
	for _, f := range flags {
		if !f.Alert.Sent && f.Alert.Attempts > 0 {
			v.Failures++
		}
		if f.Reviewed() {
			v.Done = append(v.Done, p.flagRow(c, f))
		} else {
			v.Open = append(v.Open, p.flagRow(c, f))
		}
	}
	return p.render(c, http.StatusOK, "safeguarding", v)
}

type flagView struct {
	page
	flagRow
	Decision decisionForm
}

// flagDecisions is where leads record what was done about a flag.
var flagDecisions = decisionPlace{ID: "flag", Path: "/staff/safeguarding",
	ServiceHint: "Only when it was passed to a named service, such as CAMHS or the police."}

// FlagPage shows one flag with the decision form.
func (p *Pages) FlagPage(c fiber.Ctx) error {
	id := c.Params("id")
	f, err := p.cfg.Safeguarding.View(c.Context(), id)
	if err != nil {
		return fmt.Errorf("view flag %s: %w", id, err)
	}
	return p.renderFlag(c, http.StatusOK, f, decisionSent{})
}

func (p *Pages) renderFlag(c fiber.Ctx, status int, f *surveys.Flag, sent decisionSent) error {
	v := flagView{page: p.page(c, "Safeguarding flag"), flagRow: p.flagRow(c, f)}
	v.Decision = flagDecisions.view(c, v.CSRF, f.ID, f.Decisions, sent)
	return p.render(c, status, "flag", v)
}

// DecideFlag records what a lead did about a flag.
func (p *Pages) DecideFlag(c fiber.Ctx) error {
	return decide(c, flagDecisions, p.cfg.Safeguarding.Decide, func(id string, sent decisionSent) error {
		f, err := p.cfg.Safeguarding.Flags.FindFlag(c.Context(), id)
		if err != nil {
			return fmt.Errorf("find flag %s: %w", id, err)
		}
		return p.renderFlag(c, http.StatusUnprocessableEntity, f, sent)
	})
}
