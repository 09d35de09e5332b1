package staff

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// The retention fields: the council's periods on the settings page, and a
// survey's own period beside its dates and cohort (docs/retention.md).

// retentionForm is the settings page's retention fields, as shown or as
// typed; empty means the default.
type retentionForm struct {
	Response, Contact, Safeguarding string
	Defaults                        surveys.RetentionPolicy
	Min, Max                        int
}

// retentionFormOf shows a council's periods; an unset one is empty.
func retentionFormOf(p surveys.RetentionPolicy) retentionForm {
	return retentionForm{Response: monthsInput(p.ResponseMonths), Contact: monthsInput(p.ContactMonths),
		Safeguarding: monthsInput(p.SafeguardingMonths), Defaults: surveys.DefaultRetention,
		Min: surveys.MinRetentionMonths, Max: surveys.MaxRetentionMonths}
}

// readRetentionForm reads the council's periods as typed.
func readRetentionForm(c fiber.Ctx) (surveys.RetentionPolicy, retentionForm) {
	f := retentionFormOf(surveys.RetentionPolicy{})
	f.Response = strings.TrimSpace(c.FormValue("retention.response_months"))
	f.Contact = strings.TrimSpace(c.FormValue("retention.contact_months"))
	f.Safeguarding = strings.TrimSpace(c.FormValue("retention.safeguarding_months"))
	return surveys.RetentionPolicy{ResponseMonths: typedMonths(f.Response), ContactMonths: typedMonths(f.Contact),
		SafeguardingMonths: typedMonths(f.Safeguarding)}, f
}

// monthsInput shows a period in a form: empty for 0, the default.
func monthsInput(months int) string {
	if months == 0 {
		return ""
	}
	return strconv.Itoa(months)
}

// typedMonths reads a period as typed: empty is 0 (the default), and
// anything but a whole number is -1, which CheckRetentionMonths refuses,
// so that a word is never taken for the default.
func typedMonths(typed string) int {
	if typed == "" {
		return 0
	}
	n, err := strconv.Atoi(typed)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// surveyRetention is what a survey's page says of how long its answers
// are kept.
type surveyRetention struct {
	CouncilMonths int       // the council's period, for a survey with none of its own
	Months        int       // the period in force
	Own           bool      // the survey sets its own
	Due           time.Time // when its answers go; zero while it is not closed
	Retained      time.Time // when they went; zero until then
	Min, Max      int
}

// surveyRetentionOf works out a survey's retention for its page.
func (p *Pages) surveyRetentionOf(ctx context.Context, s *surveys.Survey) (surveyRetention, error) {
	st, err := p.cfg.Settings.Current(ctx)
	if err != nil {
		return surveyRetention{}, err
	}
	policy := st.Retention.Effective()
	r := surveyRetention{CouncilMonths: policy.ResponseMonths, Months: policy.ResponseMonths, Own: s.RetentionMonths != 0,
		Retained: s.Retained, Min: surveys.MinRetentionMonths, Max: surveys.MaxRetentionMonths}
	if r.Own {
		r.Months = s.RetentionMonths
	}
	r.Due, _ = s.RetentionDue(policy)
	return r, nil
}

// monthsPhrase says a period: "1 month", "24 months".
func monthsPhrase(n int) string {
	if n == 1 {
		return "1 month"
	}
	return strconv.Itoa(n) + " months"
}
