package api_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// The schools used by these tests: two in North, so that North's figures
// are always the borough's only, and three each in Central and South.
var testSchools = []surveys.School{
	{Key: "oak", Name: "Oakfield Primary", Area: "North", Phase: surveys.PhasePrimary},
	{Key: "elm", Name: "Elm Tree Primary", Area: "North", Phase: surveys.PhasePrimary},
	{Key: "ash", Name: "Ash Grove Primary", Area: "Central", Phase: surveys.PhasePrimary},
	{Key: "bay", Name: "Bay Tree Academy", Area: "Central", Phase: surveys.PhaseSecondary},
	{Key: "fir", Name: "Fir Lane Primary", Area: "Central", Phase: surveys.PhasePrimary},
	{Key: "yew", Name: "Yew Court High", Area: "South", Phase: surveys.PhaseSecondary},
	{Key: "pine", Name: "Pine Hill Primary", Area: "South", Phase: surveys.PhasePrimary},
	{Key: "lime", Name: "Lime Walk Primary", Area: "South", Phase: surveys.PhasePrimary},
}

// setSchools saves the test schools in the settings.
func (h *harness) setSchools() {
	h.t.Helper()
	ctx := surveys.NewContextWithUser(context.Background(), &surveys.User{Email: "admin@council.example", Role: surveys.RoleAdmin})
	st, err := h.settings.Current(ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	st.Schools = testSchools
	if _, err := h.settings.Save(ctx, st.Revision, st); err != nil {
		h.t.Fatal(err)
	}
}

// signInLead makes a school lead linked to the school and signs them in.
func (h *harness) signInLead(school string) staff {
	h.t.Helper()
	email := "lead-" + school + "@school.example"
	if _, err := h.accounts.CreateUser(context.Background(), email, surveys.RoleSchoolLead, testPassword); err != nil {
		h.t.Fatal(err)
	}
	ctx := surveys.NewContextWithUser(context.Background(), &surveys.User{Email: "admin@council.example", Role: surveys.RoleAdmin})
	if _, err := h.accounts.SetSchool(ctx, email, school, testSchools); err != nil {
		h.t.Fatal(err)
	}
	res := h.do(request{method: "POST", path: "/api/v1/auth/login", json: map[string]string{"email": email, "password": testPassword}})
	if res.status != 200 {
		h.t.Fatalf("sign in as %s: %d %s", email, res.status, res.body)
	}
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	res.decode(h.t, &me)
	return staff{cookie: res.cookie("heard_session"), csrf: me.CSRF}
}

// meetingForm is the form of a meeting with one item per said.
func meetingForm(day, pupils string, said ...string) url.Values {
	f := url.Values{"day": {day}, "pupils": {pupils}, "year": {"5", "6"}, "items": {strconv.Itoa(len(said))}}
	for i, s := range said {
		p := "item-" + strconv.Itoa(i) + "-"
		f.Set(p+"said", s)
		f.Set(p+"support", "12")
		f.Set(p+"status", "planned")
	}
	return f
}

// meetings reads every stored meeting of a school ("" for all).
func (h *harness) meetings(school string) []*surveys.CouncilMeeting {
	h.t.Helper()
	ms, err := h.councils.Store.FindMeetings(context.Background(), surveys.CouncilFilter{School: school})
	if err != nil {
		h.t.Fatal(err)
	}
	return ms
}

func TestSchoolLeadKeepsOnlyTheirSchool(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.setSchools()
	oak, elm := h.signInLead("oak"), h.signInLead("elm")
	analyst, board := h.signIn(surveys.RoleAnalyst), h.signIn(surveys.RoleBoard)

	if res := h.adminGet(&oak, "/staff/schools"); res.status != 303 || res.headers.Get("Location") != "/staff/schools/oak" {
		t.Fatalf("a lead's school list: %d to %q, want 303 to their school", res.status, res.headers.Get("Location"))
	}
	res := h.adminPost(&oak, "/staff/schools/oak/meetings", meetingForm("2026-11-02", "9", "More clubs at lunchtime", "Fix the toilets"))
	if res.status != 303 || !strings.Contains(res.headers.Get("Location"), "done=meeting-recorded") {
		t.Fatalf("record a meeting: %d %q %.500s", res.status, res.headers.Get("Location"), res.body)
	}
	stored := h.meetings("oak")
	if len(stored) != 1 || stored[0].Pupils != 9 || len(stored[0].Items) != 2 || stored[0].Area != "North" {
		t.Fatalf("stored %+v", stored)
	}
	meeting := "/staff/schools/oak/meetings/" + stored[0].ID

	tests := []struct {
		name   string
		who    *staff
		path   string
		status int
		want   string
	}{
		{"the lead opens their school", &oak, "/staff/schools/oak", 200, "2 Nov 2026"},
		{"the lead opens their meeting", &oak, meeting, 200, "More clubs at lunchtime"},
		{"another lead cannot open the school", &elm, "/staff/schools/oak", 404, "only your own school"},
		{"another lead cannot open the meeting", &elm, meeting, 404, "only your own school"},
		{"nor through their own school's address", &elm, "/staff/schools/elm/meetings/" + stored[0].ID, 404, "no such meeting"},
		{"nor import into it", &elm, "/staff/schools/oak/import", 404, "only your own school"},
		{"an analyst lists every school", &analyst, "/staff/schools", 200, "Elm Tree Primary"},
		{"an analyst opens any school", &analyst, "/staff/schools/oak", 200, "2 Nov 2026"},
		{"an analyst opens any meeting", &analyst, meeting, 200, "Fix the toilets"},
		{"the board cannot open a school", &board, "/staff/schools/oak", 403, "You cannot open this page"},
		{"the board cannot open a meeting", &board, meeting, 403, "You cannot open this page"},
		{"the board reads the areas", &board, "/staff/areas?year=2026&term=autumn", 200, "School councils by area"},
		{"a lead cannot read the areas", &oak, "/staff/areas", 403, "You cannot open this page"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := h.adminGet(tc.who, tc.path)
			if res.status != tc.status || !strings.Contains(string(res.body), tc.want) {
				t.Errorf("GET %s: %d, want %d with %q: %.300s", tc.path, res.status, tc.status, tc.want, res.body)
			}
		})
	}
	// The areas page never names a school, nor shows North's own figures
	// (two schools).
	page := string(h.adminGet(&board, "/staff/areas?year=2026&term=autumn").body)
	for _, sc := range testSchools {
		if strings.Contains(page, sc.Name) {
			t.Errorf("the areas page names %s", sc.Name)
		}
	}
	if !strings.Contains(page, "Fewer than 3 schools reported") {
		t.Errorf("the areas page does not say why North is hidden: %.2000s %s", page, h.logs.String())
	}

	// Another lead's change of the meeting changes nothing.
	form := meetingForm("2026-11-02", "30", "Taken over")
	form.Set("revision", "1")
	if res := h.adminPost(&elm, meeting, form); res.status != 404 {
		t.Errorf("another lead's save: %d, want 404", res.status)
	}
	if res := h.adminPost(&elm, meeting+"/delete", url.Values{"revision": {"1"}}); res.status != 404 {
		t.Errorf("another lead's delete: %d, want 404", res.status)
	}
	if got := h.meetings("oak"); len(got) != 1 || got[0].Pupils != 9 {
		t.Errorf("after another lead's tries: %+v", got)
	}
}

func TestMeetingFormMistakes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.setSchools()
	lead := h.signInLead("ash")
	long := strings.Repeat("a", surveys.MaxItemSaid+1)
	tests := []struct {
		name string
		form url.Values
		want []string
	}{
		{"no date, no pupils", meetingForm("", "", "Clubs"), []string{"The date must be a date", "Pupils who took part must be a whole number from 1 to 2,000"}},
		{"a date after today", meetingForm("2026-12-25", "5", "Clubs"), []string{"must not be after today"}},
		{"too many pupils", meetingForm("2026-11-02", "2001", "Clubs"), []string{"from 1 to 2,000"}},
		{"words too long", meetingForm("2026-11-02", "5", long), []string{"Item 1: what pupils said must be at most 1,000 characters"}},
		{"not possible with no reason", func() url.Values {
			f := meetingForm("2026-11-02", "5", "A swimming pool")
			f.Set("item-0-status", "not_possible")
			return f
		}(), []string{"must say why it is not possible"}},
		{"support not a number", func() url.Values {
			f := meetingForm("2026-11-02", "5", "Clubs")
			f.Set("item-0-support", "lots")
			return f
		}(), []string{"from 0 to 5,000"}},
		{"no year groups", func() url.Values {
			f := meetingForm("2026-11-02", "5", "Clubs")
			f.Del("year")
			return f
		}(), []string{"choose at least one year group"}},
		{"a theme not in the codebook", func() url.Values {
			f := meetingForm("2026-11-02", "5", "Clubs")
			f.Add("item-0-theme", "not_a_theme")
			return f
		}(), []string{"is not a theme of the codebook"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := h.adminPost(&lead, "/staff/schools/ash/meetings", tc.form)
			if res.status != 422 {
				t.Fatalf("status %d, want 422: %.300s", res.status, res.body)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(res.body), w) {
					t.Errorf("the page does not say %q", w)
				}
			}
		})
	}
	if got := h.meetings(""); len(got) != 0 {
		t.Errorf("refused forms stored %d meetings", len(got))
	}
}

// importFile sends a CSV file to a school's import form.
func (h *harness) importFile(who *staff, school, csv string) response {
	h.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	_ = w.WriteField("_csrf", who.csrf)
	fw, err := w.CreateFormFile("file", "meetings.csv")
	if err != nil {
		h.t.Fatal(err)
	}
	_, _ = fw.Write([]byte(csv))
	_ = w.Close()
	return h.do(request{method: "POST", path: "/staff/schools/" + school + "/import", as: who, ctype: w.FormDataContentType(), body: b.String(),
		headers: map[string]string{"Sec-Fetch-Site": "same-origin"}})
}

func TestImportMeetings(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.setSchools()
	lead := h.signInLead("bay")
	const header = "date,pupils,year_groups,said,supported_by,priority,status,school_did,themes\n"

	bad := header +
		"2026-13-01,9,Year 5,Clubs,10,yes,planned,,\n" + // row 2: no such month
		"2026-10-01,lots,Year 5,Clubs,10,yes,planned,,\n" + // row 3: pupils
		"2026-10-02,9,Year 14,Clubs,10,maybe,planned,,\n" + // row 4: year group, priority
		"2026-10-03,9,Year 5,Clubs,-1,no,finished,,\n" + // row 5: support, status
		"2026-10-04,9,Year 5,A pool,10,no,not possible,,\n" + // row 6: no reason
		"2026-10-05,9,Year 5,Clubs,10,no,planned,,nonsense\n" + // row 7: theme
		"2026-10-05,8,,More clubs,10,no,planned,,\n" // row 8: pupils differ
	res := h.importFile(&lead, "bay", bad)
	if res.status != 422 {
		t.Fatalf("a file of mistakes: %d, want 422: %.500s", res.status, res.body)
	}
	body := string(res.body)
	for _, want := range []string{"Nothing was stored", "Row 2, date:", "Row 3, pupils:", "Row 4, year_groups:", "Row 4, priority:",
		"Row 5, supported_by:", "Row 5, status:", "Row 6, school_did:", "Row 7, themes:", "Row 8, pupils:"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page does not report %q", want)
		}
	}
	if got := h.meetings(""); len(got) != 0 {
		t.Fatalf("a refused file stored %d meetings", len(got))
	}

	good := header +
		"2026-10-14,12,Year 5; Year 6,More clubs at lunchtime,40,yes,planned,Art club after half term,activities\n" +
		"14/10/2026,,,The toilets need fixing,25,no,done,Repaired,\n" +
		"2026-11-04,10,Year 6,Safer crossing outside school,30,yes,in progress,,Safety\n"
	res = h.importFile(&lead, "bay", good)
	if res.status != 303 || !strings.Contains(res.headers.Get("Location"), "done=imported") {
		t.Fatalf("a good file: %d %q %.500s", res.status, res.headers.Get("Location"), res.body)
	}
	stored := h.meetings("bay")
	if len(stored) != 2 {
		t.Fatalf("stored %d meetings, want 2", len(stored))
	}
	if m := stored[1]; m.Day != "2026-10-14" || m.Pupils != 12 || len(m.Items) != 2 || m.Items[0].Themes[0] != "activities" || !m.Items[0].Checked {
		t.Errorf("the first meeting: %+v", m)
	}
	res = h.importFile(&lead, "bay", good)
	if res.status != 303 || !strings.Contains(res.headers.Get("Location"), "done=imported-none") {
		t.Errorf("the same file again: %d %q", res.status, res.headers.Get("Location"))
	}
	if got := h.meetings("bay"); len(got) != 2 {
		t.Errorf("importing twice stored %d meetings, want 2", len(got))
	}
	// Another file with a meeting on a day the school has one would count
	// it twice: refused, with its row.
	other := header + "2026-11-04,11,Year 6,Something else,3,no,planned,,\n"
	res = h.importFile(&lead, "bay", other)
	if res.status != 422 || !strings.Contains(string(res.body), "Row 2, date: the school has a meeting on this day in Heard already") {
		t.Errorf("a second meeting on a day: %d %.300s", res.status, res.body)
	}
	if got := h.meetings("bay"); len(got) != 2 {
		t.Errorf("after a refused file: %d meetings, want 2", len(got))
	}
	tpl := h.adminGet(&lead, "/staff/schools/import-template.csv")
	if tpl.status != 200 || !strings.HasPrefix(string(tpl.body), strings.TrimSpace(header)) {
		t.Errorf("the template: %d %.200s", tpl.status, tpl.body)
	}
}

func TestSchoolPupilSurvey(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.setSchools()
	fir, yew := h.signInLead("fir"), h.signInLead("yew")
	res := h.adminPost(&fir, "/staff/schools/fir/survey", url.Values{})
	if res.status != 303 {
		t.Fatalf("start the survey: %d %.300s", res.status, res.body)
	}
	slug := surveys.SchoolSurveySlug(2026, "fir")
	s, err := h.catalog.Store.FindSurvey(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	if s.School != "fir" || s.Area != "Central" || s.Status != surveys.StatusOpen || s.Kind != surveys.KindSchoolCouncil {
		t.Errorf("the survey: school %q area %q status %s kind %s", s.School, s.Area, s.Status, s.Kind)
	}
	page := string(h.adminGet(&fir, "/staff/schools/fir").body)
	if !strings.Contains(page, "https://heard.example/s/"+slug) || !strings.Contains(page, "<svg") {
		t.Errorf("the school page has no link and QR code")
	}
	if res := h.adminGet(&fir, "/staff/surveys/"+slug+"/results"); res.status != 200 || strings.Contains(string(res.body), "board.pdf") {
		t.Errorf("the lead's results: %d (board report link shown: %t)", res.status, strings.Contains(string(res.body), "board.pdf"))
	}
	if res := h.adminGet(&yew, "/staff/surveys/"+slug+"/results"); res.status != 404 {
		t.Errorf("another lead's results: %d, want 404", res.status)
	}
	if res := h.adminPost(&fir, "/staff/schools/fir/survey", url.Values{}); res.status != 409 {
		t.Errorf("a second survey this year: %d, want 409", res.status)
	}
	if res := h.adminPost(&fir, "/staff/schools/fir/survey/status", url.Values{"status": {"closed"}}); res.status != 303 {
		t.Errorf("close it: %d", res.status)
	}
}

func TestLinkSchoolLead(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.setSchools()
	admin := h.signIn(surveys.RoleAdmin)
	ctx := context.Background()
	for _, u := range []struct {
		email string
		role  surveys.Role
	}{{"teacher@school.example", surveys.RoleSchoolLead}, {"worker@council.example", surveys.RoleFacilitator}} {
		if _, err := h.accounts.CreateUser(ctx, u.email, u.role, testPassword); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		email, school string
		status        int
	}{
		{"teacher@school.example", "pine", 303},
		{"teacher@school.example", "no-such-school", 422},
		{"worker@council.example", "pine", 422},
	}
	for _, tc := range tests {
		res := h.adminPost(&admin, "/staff/people/school", url.Values{"email": {tc.email}, "school": {tc.school}})
		if res.status != tc.status {
			t.Errorf("link %s to %s: %d, want %d", tc.email, tc.school, res.status, tc.status)
		}
	}
	u, err := h.accounts.Users.FindUser(ctx, "teacher@school.example")
	if err != nil || u.School != "pine" {
		t.Errorf("the lead's school: %v %q", err, u.School)
	}
	if page := string(h.adminGet(&admin, "/staff/people").body); !strings.Contains(page, "Pine Hill Primary (South)") {
		t.Errorf("the people page offers no schools")
	}
}
