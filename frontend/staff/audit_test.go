package staff

import (
	"testing"

	"github.com/heard-app/heard/surveys"
)

func TestAuditDetail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		action surveys.AuditAction
		detail string
		want   string
	}{
		{surveys.AuditUserRole, "role safeguarding_lead to board", "Role: Safeguarding lead to Board member"},
		{surveys.AuditUserCreate, "role analyst", "Role: Analyst"},
		{surveys.AuditSurveyStatus, "draft to open", "Draft to Open"},
		{surveys.AuditSurveyStatus, "open to closed on schedule", "Open to Closed, on schedule"},
		// Anything not known is shown as recorded.
		{surveys.AuditUserRole, "role wizard to admin", "role wizard to admin"},
		{surveys.AuditSurveyStatus, "draft to archived", "draft to archived"},
		{surveys.AuditSurveyEdit, "revision 3 to 4", "revision 3 to 4"},
		{surveys.AuditSettingsUpdate, "role admin to board", "role admin to board"}, // only for a person's role
		{surveys.AuditUserRole, "", ""},
	}
	for _, tt := range tests {
		if got := auditDetail(&surveys.AuditEntry{Action: tt.action, Detail: tt.detail}); got != tt.want {
			t.Errorf("auditDetail(%s, %q) = %q; want %q", tt.action, tt.detail, got, tt.want)
		}
	}
}
