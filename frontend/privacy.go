package frontend

import (
	"context"
	"fmt"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// privacyView is the privacy notice young people read: what Heard keeps,
// for how long, who sees it, and how to ask about it. Its fixed words are
// the translations'; the periods, the threshold and the council's own
// words are the settings in force.
type privacyView struct {
	page
	HelpHref string // the help page, for "get help now"
	// How long things are kept, in words ("2 years", "18 months"): a
	// survey's answers and comments, a request to talk, and a record of a
	// worry about a young person's safety. These are the council-wide
	// periods; a survey may set its own for its answers, which is why the
	// page says "usually".
	Responses    string
	Contacts     string
	Safeguarding string
	Threshold    int // figures from fewer young people are hidden
	// The council's words, as an admin saved them; empty for the page's
	// own. They are written in the workspace, in English, so a page in
	// another language marks them as English (WordsLang) to be read out
	// as English.
	Contact   string
	DPO       string
	Extra     []string // paragraphs
	WordsLang string
}

// Privacy serves GET /privacy: the privacy notice, in words a child can
// follow. It is public, works without JavaScript, and every young
// person's page links to it from its footer.
func (p *Pages) Privacy(c fiber.Ctx) error {
	st, err := p.privacySettings(c.Context())
	if err != nil {
		return err
	}
	pg := p.page(c, c.Query("lang"))
	pol := st.Retention.Effective()
	v := privacyView{
		page:         pg,
		HelpHref:     pg.Link("/help"),
		Responses:    period(pg.L, pol.ResponseMonths),
		Contacts:     period(pg.L, pol.ContactMonths),
		Safeguarding: period(pg.L, pol.SafeguardingMonths),
		Threshold:    st.Threshold,
		Contact:      st.Privacy.Contact,
		DPO:          st.Privacy.DPO,
		Extra:        paragraphs(st.Privacy.Extra),
	}
	if v.Threshold < surveys.MinThreshold {
		v.Threshold = surveys.DefaultThreshold // settings from before a threshold was set
	}
	if pg.L.Lang != surveys.DefaultLanguage {
		v.WordsLang = surveys.DefaultLanguage
	}
	v.Title = pg.L.T("privacy.title")
	v.OnPrivacy = true
	return p.render(c, fiber.StatusOK, "privacy", v)
}

// privacySettings returns the settings the notice tells of. Without a
// settings service (tests, tools) it is the defaults. When the settings
// cannot be read the page fails rather than guess: a notice that states
// the wrong periods would mislead the young people it is for.
func (p *Pages) privacySettings(ctx context.Context) (*surveys.Settings, error) {
	if p.cfg.Settings == nil {
		return &surveys.Settings{CouncilName: p.cfg.Help.CouncilName, Threshold: surveys.DefaultThreshold}, nil
	}
	st, err := p.cfg.Settings.Current(ctx)
	if err != nil {
		return nil, fmt.Errorf("privacy page: %w", err)
	}
	return st, nil
}

// period says a number of months as people say it: in years when it is a
// whole number of years, else in months.
func period(l *locale, months int) string {
	if months >= 12 && months%12 == 0 {
		return l.T("privacy.years", "n", months/12)
	}
	return l.T("privacy.months", "n", months)
}
