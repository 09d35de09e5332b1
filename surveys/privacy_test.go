package surveys_test

import (
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// The council's privacy words are optional, plain and short: each limit
// is accepted exactly at its edge and refused one past it, and anything
// refused is named by its field.
func TestSettingsValidatePrivacyWords(t *testing.T) {
	t.Parallel()
	if surveys.MaxPrivacyContact != 300 || surveys.MaxPrivacyDPO != 300 || surveys.MaxPrivacyExtra != 1500 {
		t.Fatalf("limits = %d, %d, %d; the staff page's hints say 300, 300 and 1500",
			surveys.MaxPrivacyContact, surveys.MaxPrivacyDPO, surveys.MaxPrivacyExtra)
	}
	tests := []struct {
		name  string
		words surveys.PrivacyWords
		field string // the field refused; "" when the words are fine
		msg   string // part of its message
	}{
		{"none: the page's own words", surveys.PrivacyWords{}, "", ""},
		{"all set", surveys.PrivacyWords{
			Contact: "Email privacy@council.gov.uk or ask your social worker.",
			DPO:     "Our data protection officer: dpo@council.gov.uk, 0151 443 3000.",
			Extra:   "We also keep a record of who looked at reports.\n\nAsk us about it any time.",
		}, "", ""},
		{"contact at its limit", surveys.PrivacyWords{Contact: strings.Repeat("é", surveys.MaxPrivacyContact)}, "", ""},
		{"dpo at its limit", surveys.PrivacyWords{DPO: strings.Repeat("д", surveys.MaxPrivacyDPO)}, "", ""},
		{"extra at its limit", surveys.PrivacyWords{Extra: strings.Repeat("ب", surveys.MaxPrivacyExtra)}, "", ""},
		{"extra with a tab and Windows line ends", surveys.PrivacyWords{Extra: "One.\r\n\r\nTwo:\tthree."}, "", ""},
		{"contact too long", surveys.PrivacyWords{Contact: strings.Repeat("a", surveys.MaxPrivacyContact+1)}, "privacy.contact", "at most 300 characters (it has 301)"},
		{"dpo too long", surveys.PrivacyWords{DPO: strings.Repeat("a", surveys.MaxPrivacyDPO+1)}, "privacy.dpo", "at most 300"},
		{"extra too long", surveys.PrivacyWords{Extra: strings.Repeat("a", surveys.MaxPrivacyExtra+1)}, "privacy.extra", "at most 1500"},
		{"contact on two lines", surveys.PrivacyWords{Contact: "Email us\nor call"}, "privacy.contact", "one line"},
		{"dpo on two lines", surveys.PrivacyWords{DPO: "dpo@council.gov.uk\r0151"}, "privacy.dpo", "one line"},
		{"a control character", surveys.PrivacyWords{Extra: "bell\a"}, "privacy.extra", "control characters"},
		{"not UTF-8", surveys.PrivacyWords{Contact: "caf\xe9"}, "privacy.contact", "plain text"},
		{"a space at the start", surveys.PrivacyWords{DPO: " dpo@council.gov.uk"}, "privacy.dpo", "start or end with a space"},
		{"a blank line at the end", surveys.PrivacyWords{Extra: "Words.\n\n"}, "privacy.extra", "start or end with a space"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st := validSettings()
			st.Privacy = tt.words
			err := st.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v\n%s", err, formatFields(surveys.ErrorFields(err)))
				}
				return
			}
			fields := surveys.ErrorFields(err)
			if surveys.ErrorCode(err) != surveys.EINVALID || len(fields) != 1 || !strings.Contains(fields[tt.field], tt.msg) {
				t.Errorf("Validate = %v, fields %s; want only %s saying %q", err, formatFields(fields), tt.field, tt.msg)
			}
		})
	}
}
