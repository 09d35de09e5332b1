package profanity

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestImports keeps the filter pure: besides the standard library it may
// import textfold and the base list's module, and that module only its
// text-folding packages; nothing of HTTP or storage.
func TestImports(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	allowed := []string{"github.com/heard-app/heard/surveys/profanity", "github.com/heard-app/heard/surveys/textfold",
		"github.com/TwiN/go-away"}
	for line := range strings.Lines(string(out)) {
		p := strings.TrimSpace(line)
		if p != "" && !slices.Contains(allowed, p) && !strings.HasPrefix(p, "golang.org/x/text/") {
			t.Errorf("the profanity filter depends on %s; it may use only the standard library, textfold, go-away and golang.org/x/text", p)
		}
	}
}
