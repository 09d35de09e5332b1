package surveys_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportsOnlyStandardLibrary keeps the domain free of dependencies: the
// only package outside the standard library that go list may name is the
// domain package itself.
func TestImportsOnlyStandardLibrary(t *testing.T) {
	t.Parallel()
	const self = "github.com/heard-app/heard/surveys"
	cmd := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".")
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("go list: %v\n%s", err, stderr)
	}
	var listed []string
	for line := range strings.Lines(string(out)) {
		if line = strings.TrimSpace(line); line != "" {
			listed = append(listed, line)
		}
	}
	if len(listed) != 1 || listed[0] != self {
		t.Errorf("go list -deps names %q; want only %q: the domain must import only the standard library", listed, self)
	}
}
