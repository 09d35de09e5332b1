package surveys

import "fmt"

// Retention: how long Heard keeps what young people said. The law (UK GDPR
// storage limitation) asks that personal data be kept no longer than its
// purpose needs. A survey's individual responses and raw free text serve
// its analysis and its report; once those are done, the tallies and theme
// counts carry the findings on, so the answers themselves can go. Requests
// to talk and safeguarding flags have purposes of their own, so periods of
// their own.

// Limits on retention periods, in months.
const (
	MinRetentionMonths = 1
	MaxRetentionMonths = 120
)

// Default retention periods, in months, for a council that has set none.
const (
	// DefaultResponseMonths keeps a survey's responses and comments for two
	// years after it closes: long enough for its report, its "you said, we
	// did" and the next year's comparison.
	DefaultResponseMonths = 24
	// DefaultContactMonths keeps a request to talk for a year after it is
	// closed, so that a lead can answer a question about how it was handled.
	DefaultContactMonths = 12
	// DefaultSafeguardingMonths keeps a resolved safeguarding flag for six
	// years: the council's own case record holds what was done, and Heard's
	// flag is the evidence that the concern was seen and passed on.
	DefaultSafeguardingMonths = 72
)

// RetentionPolicy is the council-wide retention periods, in months. Zero
// means the default (settings saved before retention existed have none).
type RetentionPolicy struct {
	// ResponseMonths counts from the day a survey closes; a survey may set
	// its own period instead.
	ResponseMonths int `json:"response_months,omitempty"`
	// ContactMonths counts from the day a request to talk was closed.
	ContactMonths int `json:"contact_months,omitempty"`
	// SafeguardingMonths counts from the day a flag was resolved.
	SafeguardingMonths int `json:"safeguarding_months,omitempty"`
}

// DefaultRetention is the policy of a council that has set none.
var DefaultRetention = RetentionPolicy{
	ResponseMonths:     DefaultResponseMonths,
	ContactMonths:      DefaultContactMonths,
	SafeguardingMonths: DefaultSafeguardingMonths,
}

// Effective returns p with each unset period replaced by its default.
func (p RetentionPolicy) Effective() RetentionPolicy {
	if p.ResponseMonths == 0 {
		p.ResponseMonths = DefaultResponseMonths
	}
	if p.ContactMonths == 0 {
		p.ContactMonths = DefaultContactMonths
	}
	if p.SafeguardingMonths == 0 {
		p.SafeguardingMonths = DefaultSafeguardingMonths
	}
	return p
}

// CheckRetentionMonths returns what is wrong with a retention period, or
// "". Zero is allowed where it means "the default".
func CheckRetentionMonths(months int) string {
	if months != 0 && (months < MinRetentionMonths || months > MaxRetentionMonths) {
		return fmt.Sprintf("must be a whole number of months from %d to %d", MinRetentionMonths, MaxRetentionMonths)
	}
	return ""
}

// validate adds what is wrong with each period to errs.
func (p RetentionPolicy) validate(errs fieldErrors) {
	for field, months := range map[string]int{
		"retention.response_months":     p.ResponseMonths,
		"retention.contact_months":      p.ContactMonths,
		"retention.safeguarding_months": p.SafeguardingMonths,
	} {
		if msg := CheckRetentionMonths(months); msg != "" {
			errs.add(field, msg)
		}
	}
}
