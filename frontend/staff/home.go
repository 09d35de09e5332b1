package staff

import (
	"context"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// surveyRow is a survey with its figures, as the home page and the survey
// list show it.
type surveyRow struct {
	Survey    *surveys.Survey
	Title     string
	Responses string // "12", or "fewer than 5" for roles that see only suppressed figures
	Rate      string // the response rate against the cohort, when known
	RateNote  string // why there is no rate, when there is none
	DaysLeft  string
}

type homeView struct {
	page
	ShowFlags bool
	Flags     []flagRow // the newest unreviewed, for safeguarding leads
	FlagCount int
	// Contacts is how many requests to talk wait for review, for
	// safeguarding leads; -1 when requests to talk are off.
	Contacts   int
	Open       []surveyRow
	ShowOpen   bool
	Activity   []*surveys.AuditEntry
	ActivityOf string // "everyone" or "you"
	// ShowSessions puts a facilitator's next MADE sessions first.
	ShowSessions bool
	Sessions     []sessionRow
}

// Home shows, for each role, what needs attention: open surveys with their
// responses and days left, and recent activity (everyone's for admins, the
// person's own for others).
func (p *Pages) Home(c fiber.Ctx) error {
	u := CurrentUser(c)
	v := homeView{page: p.page(c, "Home")}
	ctx := c.Context()
	if u.Role == surveys.RoleSafeguardingLead {
		if err := p.homeFlags(c, &v); err != nil {
			return err
		}
	}
	if roleIn(u.Role, []surveys.Role{surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleBoard}) {
		v.ShowOpen = true
		open, err := p.cfg.Surveys.FindSurveys(ctx, surveys.SurveyFilter{Status: surveys.StatusOpen})
		if err != nil {
			return err
		}
		if v.Open, err = p.surveyRows(ctx, u, open); err != nil {
			return err
		}
	}
	if u.Role == surveys.RoleFacilitator && p.cfg.Sessions != nil {
		if err := p.homeSessions(c, &v); err != nil {
			return err
		}
	}
	f := surveys.AuditFilter{Limit: 10}
	v.ActivityOf = "everyone"
	if u.Role != surveys.RoleAdmin {
		f.Actor, v.ActivityOf = u.Email, "you"
	}
	var err error
	if v.Activity, err = p.cfg.Audit.Find(ctx, f); err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "home", v)
}

// homeFlagsShown is how many unreviewed flags the home page lists; the
// queue has the rest.
const homeFlagsShown = 5

// homeFlags puts the unreviewed flags first on a safeguarding lead's home
// page: how many, and the newest, without their words (those are read on
// the flag's page, which the audit log records).
func (p *Pages) homeFlags(c fiber.Ctx, v *homeView) error {
	flags, err := p.cfg.Safeguarding.Flags.FindFlags(c.Context(), surveys.FlagFilter{Unreviewed: true})
	if err != nil {
		return err
	}
	v.ShowFlags, v.FlagCount = true, len(flags)
	if v.Contacts, err = p.contactsWaiting(c); err != nil {
		return err
	}
	for i, f := range flags {
		if i == homeFlagsShown {
			break
		}
		v.Flags = append(v.Flags, p.flagRow(c, f))
	}
	return nil
}

// homeSessionsShown is how many sessions the home page lists; the
// sessions page has the rest.
const homeSessionsShown = 5

// homeSessions lists a facilitator's next sessions, soonest first: those
// not ended, from today on.
func (p *Pages) homeSessions(c fiber.Ctx, v *homeView) error {
	list, err := p.cfg.Sessions.List(c.Context())
	if err != nil {
		return err
	}
	v.ShowSessions = true
	today := p.cfg.Now().In(london).Format(time.DateOnly)
	for i := len(list) - 1; i >= 0 && len(v.Sessions) < homeSessionsShown; i-- { // the list is newest first
		if s := list[i]; s.Status != surveys.LiveEnded && s.Date >= today {
			v.Sessions = append(v.Sessions, sessionRowOf(s))
		}
	}
	return nil
}

// surveyRows adds each survey's responses, response rate and days left.
// Board members see counts below the threshold as "fewer than N", as in
// every figure they read.
func (p *Pages) surveyRows(ctx context.Context, u *surveys.User, list []*surveys.Survey) ([]surveyRow, error) {
	st, err := p.cfg.Settings.Current(ctx)
	if err != nil {
		return nil, err
	}
	now := p.cfg.Now()
	rows := make([]surveyRow, 0, len(list))
	for _, s := range list {
		n, err := p.responses(ctx, s)
		if err != nil {
			return nil, err
		}
		r := surveyRow{Survey: s, Title: s.Title.In(surveys.DefaultLanguage), Responses: itoa(n)}
		hidden := u.Role == surveys.RoleBoard && n > 0 && n < st.Threshold
		if hidden {
			r.Responses = "fewer than " + itoa(st.Threshold)
		}
		switch {
		case s.Cohort == 0:
			r.RateNote = "no cohort set"
		case hidden:
			r.RateNote = "not shown for small numbers"
		default:
			pct := float64(n) * 100 / float64(s.Cohort)
			pct = float64(int(pct*10+0.5)) / 10
			r.Rate = formatPercent(&pct)
		}
		if days, ok := s.DaysLeft(now); ok && s.Status == surveys.StatusOpen {
			switch days {
			case 0:
				r.DaysLeft = "closing now"
			case 1:
				r.DaysLeft = "1 day left"
			default:
				r.DaysLeft = itoa(days) + " days left"
			}
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// responses counts a survey's stored responses from its tallies.
func (p *Pages) responses(ctx context.Context, s *surveys.Survey) (int, error) {
	tallies, err := p.cfg.Tallies.FindTallies(ctx, s)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, t := range tallies {
		n += t.Slice(surveys.AllSlice).Responses
	}
	return n, nil
}
