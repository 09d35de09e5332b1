package staff

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// auditActionNames say what each recorded action was, as people say it.
var auditActionNames = map[surveys.AuditAction]string{
	surveys.AuditSignIn:          "Signed in",
	surveys.AuditSignOut:         "Signed out",
	surveys.AuditSurveyCreate:    "Created a survey",
	surveys.AuditSurveyEdit:      "Edited a survey",
	surveys.AuditSurveyStatus:    "Opened or closed a survey",
	surveys.AuditSurveySchedule:  "Scheduled a survey",
	surveys.AuditCodesCreate:     "Made access codes",
	surveys.AuditCodesExport:     "Downloaded code cards",
	surveys.AuditUserCreate:      "Added a person",
	surveys.AuditUserRole:        "Changed a role",
	surveys.AuditUserDisable:     "Disabled an account",
	surveys.AuditUserEnable:      "Enabled an account",
	surveys.AuditUserResetLink:   "Made a password reset link",
	surveys.AuditUserPasswordSet: "Set a password",
	surveys.AuditSettingsUpdate:  "Changed the settings",
	surveys.AuditFlagList:        "Opened the safeguarding queue",
	surveys.AuditFlagView:        "Read a safeguarding flag",
	surveys.AuditFlagDecide:      "Recorded a safeguarding decision",
	surveys.AuditCodebookSave:    "Changed the codebook",
	surveys.AuditVoicesRead:      "Read young people's comments",
	surveys.AuditVoicesReview:    "Reviewed the coding of comments",
	surveys.AuditQuoteMark:       "Made a quote",
	surveys.AuditQuoteApprove:    "Approved a quote",
	surveys.AuditQuoteRemove:     "Removed a quote",
	surveys.AuditContactList:     "Opened the requests to talk",
	surveys.AuditContactView:     "Read a request to talk",
	surveys.AuditContactDecide:   "Recorded a decision on a request to talk",
	surveys.AuditActionCreate:    "Added a \"you said, we did\" action",
	surveys.AuditActionUpdate:    "Changed a \"you said, we did\" action",
	surveys.AuditSessionCreate:   "Prepared a MADE session",
	surveys.AuditSessionUpdate:   "Changed a MADE session",
	surveys.AuditSessionCopy:     "Copied a MADE session",
	surveys.AuditSessionStart:    "Started a MADE session",
	surveys.AuditSessionEnd:      "Ended a MADE session",
	surveys.AuditSessionPaper:    "Typed in a session's notes from paper",
	surveys.AuditSessionCounts:   "Recorded a session's attendance",
	surveys.AuditReportSession:   "Made a MADE session's report",
	surveys.AuditReportBoard:     "Made a board report",
	surveys.AuditResponsesExport: "Downloaded individual responses",
	surveys.AuditUserSchool:      "Linked a school lead to a school",
	surveys.AuditCouncilRecord:   "Recorded a school council meeting",
	surveys.AuditCouncilUpdate:   "Changed a school council meeting",
	surveys.AuditCouncilDelete:   "Deleted a school council meeting",
	surveys.AuditCouncilImport:   "Imported school council meetings",
	surveys.AuditSchoolSurvey:    "Started a school's pupil survey",
	surveys.AuditRetentionRun:    "Deleted records whose time to keep them ran out",
	surveys.AuditReportArea:      "Made the school councils' area report",
}

// auditActionName names an action; one without a name yet is shown as
// recorded, with its dots and underscores as spaces.
func auditActionName(a surveys.AuditAction) string {
	if n, ok := auditActionNames[a]; ok {
		return n
	}
	return fieldSentence(strings.NewReplacer(".", " ", "_", " ").Replace(string(a)))
}

type auditRow struct {
	Entry  *surveys.AuditEntry
	At     string
	Role   string
	Action string
	Detail string
}

type auditView struct {
	page
	Actor   string
	Action  string
	Target  string
	From    string
	To      string
	Actions []adminOption
	Entries []auditRow
	Older   string // the address of the next page of older entries, or ""
	Newest  string // the address of the first page, with the same filters
	Paging  bool   // showing a page of older entries
	Filters bool   // some filter is set
	Errors  map[string]string
	Issues  []adminIssue
}

// AuditPage shows the audit log, newest first, a page at a time, filtered
// by who, what, what to and when. Nothing here changes an entry: the log
// can only be read.
func (p *Pages) AuditPage(c fiber.Ctx) error {
	v := auditView{page: p.page(c, "Audit log"),
		Actor: strings.TrimSpace(c.Query("actor")), Action: c.Query("action"), Target: strings.TrimSpace(c.Query("target")),
		From: c.Query("from"), To: c.Query("to")}
	v.Filters = v.Actor != "" || v.Action != "" || v.Target != "" || v.From != "" || v.To != ""
	f := surveys.AuditFilter{Actor: strings.ToLower(v.Actor), Action: surveys.AuditAction(v.Action), Target: v.Target,
		Before: c.Query("before"), Limit: surveys.DefaultAuditPage + 1}
	v.Paging = f.Before != ""
	v.Actions = append(v.Actions, adminOption{Value: "", Text: "Any action", Selected: v.Action == ""})
	for _, a := range surveys.AuditActions {
		v.Actions = append(v.Actions, adminOption{Value: string(a), Text: auditActionName(a), Selected: string(a) == v.Action})
	}
	fields := map[string]string{}
	if f.Action != "" && !f.Action.Valid() {
		fields["action"] = "Choose one of the actions."
		f.Action = ""
	}
	if len(f.Before) > 64 {
		f.Before = ""
	}
	var err error
	if f.From, err = londonDay(v.From); err != nil {
		fields["from"] = "Enter a date such as 23/11/2026."
	} else if !f.From.IsZero() {
		v.From = f.From.Format(time.DateOnly) // as a date field shows it
	}
	if f.To, err = londonDay(v.To); err != nil {
		fields["to"] = "Enter a date such as 23/11/2026."
	} else if !f.To.IsZero() {
		v.To = f.To.Format(time.DateOnly)
		f.To = f.To.AddDate(0, 0, 1) // to the end of that day
		if !f.From.IsZero() && !f.From.Before(f.To) {
			fields["to"] = "The to date must be on or after the from date."
		}
	}
	if len(fields) > 0 {
		v.Errors = fields
		for _, k := range []struct{ key, label string }{{"action", "Action"}, {"from", "From"}, {"to", "To"}} {
			if msg, ok := fields[k.key]; ok {
				v.Issues = append(v.Issues, adminIssue{ID: "audit-" + k.key, Text: k.label + ": " + lowerFirstWord(msg)})
			}
		}
		return p.render(c, http.StatusUnprocessableEntity, "audit", v)
	}
	entries, err := p.cfg.Audit.Find(c.Context(), f)
	if err != nil {
		return err
	}
	q := url.Values{}
	for k, val := range map[string]string{"actor": v.Actor, "action": v.Action, "target": v.Target, "from": v.From, "to": v.To} {
		if val != "" {
			q.Set(k, val)
		}
	}
	v.Newest = "/staff/audit"
	if len(q) > 0 {
		v.Newest += "?" + q.Encode()
	}
	if len(entries) > surveys.DefaultAuditPage {
		entries = entries[:surveys.DefaultAuditPage]
		q.Set("before", entries[len(entries)-1].ID)
		v.Older = "/staff/audit?" + q.Encode()
	}
	for _, e := range entries {
		v.Entries = append(v.Entries, auditRow{Entry: e, At: e.At.In(london).Format("2 Jan 2006, 15:04:05"),
			Role: roleNames[e.Role], Action: auditActionName(e.Action), Detail: auditDetail(e)})
	}
	return p.render(c, http.StatusOK, "audit", v)
}

// auditDetail words an entry's detail for people where its form is
// known, leaving the stored detail as it is: "role analyst to board" is
// shown as "Role: Analyst to Board member", and "draft to open on
// schedule" as "Draft to Open, on schedule". Any other detail is shown as
// recorded.
func auditDetail(e *surveys.AuditEntry) string {
	switch e.Action {
	case surveys.AuditUserCreate, surveys.AuditUserRole:
		rest, ok := strings.CutPrefix(e.Detail, "role ")
		if !ok {
			break
		}
		if from, to, ok := strings.Cut(rest, " to "); ok {
			if f, t := roleNames[surveys.Role(from)], roleNames[surveys.Role(to)]; f != "" && t != "" {
				return "Role: " + f + " to " + t
			}
		} else if r := roleNames[surveys.Role(rest)]; r != "" {
			return "Role: " + r
		}
	case surveys.AuditSurveyStatus:
		rest, scheduled := strings.CutSuffix(e.Detail, " on schedule")
		from, to, ok := strings.Cut(rest, " to ")
		f, t := statusNames[surveys.Status(from)], statusNames[surveys.Status(to)]
		if !ok || f == "" || t == "" {
			break
		}
		if scheduled {
			return f + " to " + t + ", on schedule"
		}
		return f + " to " + t
	}
	return e.Detail
}

// londonDay reads a date from a date field as the start of that day in the
// UK; "" is no date. Browsers send 2026-11-23; one without a date picker
// sends what was typed, which in the UK is 23/11/2026.
func londonDay(s string) (time.Time, error) {
	if s = strings.TrimSpace(s); s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, london)
	if err != nil {
		t, err = time.ParseInLocation("2/1/2006", s, london)
	}
	return t, err
}
