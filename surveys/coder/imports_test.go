package coder

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestImportsOnlyStandardLibrary keeps the coder pure: besides the
// standard library it may import only the domain package and textfold.
func TestImportsOnlyStandardLibrary(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	allowed := []string{"github.com/heard-app/heard/surveys", "github.com/heard-app/heard/surveys/coder",
		"github.com/heard-app/heard/surveys/textfold"}
	for line := range strings.Lines(string(out)) {
		if p := strings.TrimSpace(line); p != "" && !slices.Contains(allowed, p) {
			t.Errorf("the coder depends on %s; it must use the standard library only", p)
		}
	}
}
