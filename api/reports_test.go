package api_test

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// pdfText returns the text of a PDF, laid out as on its pages.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := writeBytes(path, pdf); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (Debian package poppler-utils): %v", err)
	}
	return string(out)
}

// choiceLabel finds the English label of a choice of a question in any
// version of s.
func choiceLabel(s *surveys.Survey, question, choice string) string {
	for _, v := range s.Versions {
		if q := v.Question(question); q != nil {
			if c := q.Choice(choice); c != nil {
				return c.Label.In("en")
			}
		}
	}
	return choice
}

// The board report prints the figures the results API gives, and no
// figure it suppresses.
func TestBoardReport(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	h.resultsSubmit(s.Slug, 1, 20, twentyYoungPeople("more trips out"))
	board := h.signIn(surveys.RoleBoard)

	res := h.do(request{method: "GET", path: "/api/v1/reports/board.pdf?survey=" + s.Slug, as: &board})
	if res.status != 200 {
		t.Fatalf("board report: %d %s", res.status, res.body)
	}
	if ct := res.headers.Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := res.headers.Get("Content-Disposition"); cd != `attachment; filename="board-report-`+s.Slug+`.pdf"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	text := pdfText(t, res.body)
	if !strings.Contains(text, "20 young people took part") {
		t.Errorf("no count of young people in\n%s", text)
	}
	appendix := text[strings.Index(text, "Appendix: every question"):]

	var results surveys.Results
	h.do(request{method: "GET", path: "/api/v1/surveys/" + s.Slug + "/results", as: &board}).decode(t, &results)
	shown, hidden := 0, 0
	for _, q := range results.Questions {
		for _, c := range q.Choices {
			label := regexp.QuoteMeta(choiceLabel(s, q.Key, c.Key))
			want := label + `\s+fewer than 5\n`
			if c.Count != nil {
				want = fmt.Sprintf(`%s\s+%d\s+%.1f%%\n`, label, *c.Count, *c.Percent)
				shown++
			} else {
				hidden++
			}
			if !regexp.MustCompile(want).MatchString(appendix) {
				t.Errorf("%s: no row %q in the appendix", q.Key, want)
			}
		}
	}
	if shown < 5 || hidden < 2 {
		t.Errorf("checked %d shown and %d hidden figures; the fixture should give more", shown, hidden)
	}
	// Two young people from the south: their number is not printed.
	if regexp.MustCompile(`South\s+2\b`).MatchString(text) {
		t.Errorf("the south's 2 is printed")
	}

	entries, err := h.audit.Find(t.Context(), surveys.AuditFilter{Action: surveys.AuditReportBoard, Limit: surveys.MaxAuditPage})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Target != s.Slug || entries[0].Actor != "board@council.example" {
		t.Errorf("audit entries %+v, want one by the board member on %s", entries, s.Slug)
	}
}

func TestBoardReportBadRequests(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	analyst := h.signIn(surveys.RoleAnalyst)
	for _, tc := range []struct {
		name, query string
		status      int
		field       string
	}{
		{"no survey", "", 422, "survey"},
		{"unknown survey", "?survey=no-such-survey", 404, ""},
		{"compared with itself", "?survey=" + s.Slug + "&compare=" + s.Slug, 422, "compare"},
		{"compared with an unknown survey", "?survey=" + s.Slug + "&compare=no-such-survey", 422, "compare"},
		{"a survey's name too long", "?survey=" + strings.Repeat("a", surveys.MaxKeyLength+1), 422, "survey"},
		{"a comparison's name too long", "?survey=" + s.Slug + "&compare=" + strings.Repeat("b", surveys.MaxKeyLength+1), 422, "compare"},
	} {
		res := h.do(request{method: "GET", path: "/api/v1/reports/board.pdf" + tc.query, as: &analyst})
		if res.status != tc.status {
			t.Errorf("%s: %d %s, want %d", tc.name, res.status, res.body, tc.status)
			continue
		}
		if msg, fields := res.errorOf(t); msg == "" || (tc.field != "" && fields[tc.field] == "") {
			t.Errorf("%s: error %q %v, want a message and the field %q", tc.name, msg, fields, tc.field)
		}
	}
	entries, err := h.audit.Find(t.Context(), surveys.AuditFilter{Action: surveys.AuditReportBoard, Limit: surveys.MaxAuditPage})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("a refused report is in the audit log: %+v", entries)
	}
}

// The workspace offers the same report from the results page.
func TestBoardReportFromTheWorkspace(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	h.resultsSubmit(s.Slug, 1, 20, twentyYoungPeople("more trips out"))
	for _, role := range []surveys.Role{surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleBoard} {
		who := h.signIn(role)
		_, page := h.resultsPage(&who, s.Slug, "")
		link := `href="/staff/surveys/` + s.Slug + `/board.pdf"`
		if !strings.Contains(page, link) {
			t.Errorf("%s: the results page has no %s", role, link)
		}
		res := h.do(request{method: "GET", path: "/staff/surveys/" + s.Slug + "/board.pdf", as: &who})
		if res.status != 200 || res.headers.Get("Content-Type") != "application/pdf" {
			t.Fatalf("%s: %d %q", role, res.status, res.headers.Get("Content-Type"))
		}
		if text := pdfText(t, res.body); !strings.Contains(text, "20 young people took part") {
			t.Errorf("%s: the report has no count", role)
		}
	}
	facilitator := h.signIn(surveys.RoleFacilitator)
	if res := h.do(request{method: "GET", path: "/staff/surveys/" + s.Slug + "/board.pdf", as: &facilitator}); res.status != 403 {
		t.Errorf("facilitator: %d, want 403", res.status)
	}
}
