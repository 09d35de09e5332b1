package api_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/heard-app/heard/surveys"
)

// TestHomeByRole checks what each role's home page puts first: open
// surveys with their figures for those who read results, and recent
// activity in words (everyone's for admins, the person's own for others).
func TestHomeByRole(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.addSurvey(surveys.StatusOpen)
	if _, err := h.catalog.SetSchedule(t.Context(), s.Slug, h.svSurvey(s.Slug).Revision,
		surveys.Schedule{Closes: h.now.Add(36 * time.Hour), Cohort: 10}); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if res := h.do(request{method: "POST", path: "/api/v1/surveys/" + s.Slug + "/responses", json: submission(i+1, validAnswers())}); res.status != 201 {
			t.Fatalf("submit: %d %s", res.status, res.body)
		}
	}
	people := map[surveys.Role]staff{}
	for _, r := range []surveys.Role{surveys.RoleAdmin, surveys.RoleAnalyst, surveys.RoleBoard, surveys.RoleFacilitator} {
		people[r] = h.signIn(r)
	}
	title := s.Title.In(surveys.DefaultLanguage) + " " + strconv.Itoa(s.Edition)
	row := func(doc *html.Node) []string {
		tr := pageFind(pageByID(doc, "open-heading").Parent, func(n *html.Node) bool {
			return n.Data == "tr" && strings.Contains(pageText(n), title)
		})
		if tr == nil {
			return nil
		}
		var out []string
		for c := tr.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				out = append(out, pageText(c))
			}
		}
		return out
	}
	tests := []struct {
		role     surveys.Role
		openRow  []string // nil: no open surveys section
		activity string   // the heading of the activity section
		seesAll  bool     // sees other people's sign-ins
	}{
		{surveys.RoleAdmin, []string{title, "3", "30%", "2 days left (24 Nov 2026)"}, "Recent activity", true},
		{surveys.RoleAnalyst, []string{title, "3", "30%", "2 days left (24 Nov 2026)"}, "Your recent activity", false},
		{surveys.RoleBoard, []string{title, "fewer than 5", "not shown for small numbers", "2 days left (24 Nov 2026)"}, "Your recent activity", false},
		{surveys.RoleFacilitator, nil, "Your recent activity", false},
	}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			t.Parallel()
			as := people[tt.role]
			res := h.svGet(&as, "/staff")
			if res.status != 200 || !isStaffPage(res, "<h1>Home</h1>") {
				t.Fatalf("%d %.300s", res.status, res.body)
			}
			doc := pageParse(t, string(res.body))
			if tt.openRow == nil {
				if pageByID(doc, "open-heading") != nil {
					t.Error("open surveys shown to a role that does not read results")
				}
			} else if got := row(doc); !slices.Equal(got, tt.openRow) {
				t.Errorf("open survey row:\n got %q\nwant %q", got, tt.openRow)
			}
			activity := pageByID(doc, "activity-heading")
			if got := pageText(activity); got != tt.activity {
				t.Errorf("activity heading %q, want %q", got, tt.activity)
			}
			list := pageText(activity.Parent)
			if !strings.Contains(list, "Signed in") || strings.Contains(list, "staff.sign_in") {
				t.Errorf("activity is not in words: %q", list)
			}
			other := "facilitator@council.example"
			if tt.role == surveys.RoleFacilitator {
				other = "admin@council.example"
			}
			if got := strings.Contains(list, other); got != tt.seesAll {
				t.Errorf("sees %s's activity: %v, want %v", other, got, tt.seesAll)
			}
		})
	}
}
