package bench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A candidate config must differ from the baseline only in the processors under test, or the
// W1 ratio measures something else (an earlier candidate differed in its exporter queue).
func TestCandidatesDifferOnlyInProcessors(t *testing.T) {
	strip := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var keep []string
		inProcessors := false
		for _, line := range strings.Split(string(b), "\n") {
			l := strings.TrimSpace(line)
			if line != "" && line[0] != ' ' && line[0] != '#' {
				// a top-level key: the processors block is the part that may differ
				inProcessors = strings.HasPrefix(line, "processors:")
			}
			if inProcessors || strings.HasPrefix(l, "#") || strings.HasPrefix(l, "processors: [") {
				continue
			}
			keep = append(keep, line)
		}
		return strings.Join(keep, "\n")
	}
	base := strip(filepath.Join("configs", "baseline.yaml"))
	files, _ := filepath.Glob(filepath.Join("configs", "*.yaml"))
	for _, f := range files {
		if filepath.Base(f) == "stock-attributes.yaml" || filepath.Base(f) == "baseline.yaml" {
			continue
		}
		if got := strip(f); got != base {
			t.Errorf("%s differs from baseline.yaml outside its processors", f)
		}
	}
}
