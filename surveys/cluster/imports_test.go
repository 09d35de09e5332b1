package cluster

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportsOnlyStandardLibrary keeps the package pure: it may import
// the standard library only, and textfold, which is as pure.
func TestImportsOnlyStandardLibrary(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for line := range strings.Lines(string(out)) {
		if p := strings.TrimSpace(line); p != "" && p != "github.com/heard-app/heard/surveys/cluster" && p != "github.com/heard-app/heard/surveys/textfold" {
			t.Errorf("the package depends on %s; it must use the standard library only", p)
		}
	}
}
