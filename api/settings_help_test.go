package api_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// The help line an admin saves in the workspace is what young people see:
// on the help page at once, and in the service worker's offline copy,
// whose version changes so that phones install the new one.
func TestSavedHelpLineReachesYoungPeople(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	version := regexp.MustCompile(`const VERSION = '([0-9a-f]+)';`)
	before := h.do(request{method: "GET", path: "/sw.js"})
	if before.status != 200 || !strings.Contains(string(before.body), "0151 000 0000") {
		t.Fatalf("sw.js before: %d, configured number present %v", before.status, strings.Contains(string(before.body), "0151 000 0000"))
	}

	ctx := surveys.NewContextWithUser(context.Background(), &surveys.User{Email: "admin@council.example", Role: surveys.RoleAdmin})
	st, err := h.settings.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.HelpPhone, st.HelpHours, st.CouncilName = "0151 999 1234", "Every day, 8am to 8pm", "Knowsley Council"
	if _, err := h.settings.Save(ctx, st.Revision, st); err != nil {
		t.Fatal(err)
	}

	page := string(h.do(request{method: "GET", path: "/help"}).body)
	for _, want := range []string{"0151 999 1234", `href="tel:01519991234"`, "Every day, 8am to 8pm", "Knowsley Council", `href="tel:08001111"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the help page lacks %s", want)
		}
	}
	if strings.Contains(page, "0151 000 0000") {
		t.Error("the help page still shows the configured number")
	}
	after := h.do(request{method: "GET", path: "/sw.js"})
	if !strings.Contains(string(after.body), "0151 999 1234") {
		t.Error("the offline help page in sw.js lacks the new number")
	}
	v1, v2 := version.FindSubmatch(before.body), version.FindSubmatch(after.body)
	if v1 == nil || v2 == nil || string(v1[1]) == string(v2[1]) {
		t.Errorf("sw.js version did not change: %q then %q", v1, v2)
	}
}
