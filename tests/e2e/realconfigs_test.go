package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// realConfig is one row of tests/realconfigs/expected.yaml: what the binary does with a collector
// config a public project ships.
type realConfig struct {
	File string `yaml:"file"`
	// Outcome is "valid" or "refused".
	Outcome string `yaml:"outcome"`
	// Errors are substrings of the refusal, for refused configs: it must contain one of them (a
	// config missing several components of one kind is refused naming any one of them).
	Errors []string `yaml:"errors"`
	// Reason says why a config is refused: contrib-too (otelcol-contrib refuses it as well: a
	// key or component removed upstream, invalid YAML), other-distribution (a component that
	// only a vendor's own collector has), not-served (a contrib component the module proxy
	// here refuses; see otelcol-builder.yaml).
	Reason string `yaml:"reason"`
	// Args are extra command-line flags the project runs the config with.
	Args []string `yaml:"args"`
	// Why explains the outcome to a reader.
	Why string `yaml:"why"`
}

var envRef = regexp.MustCompile(`\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)`)

// Every config of the corpus is validated by the binary with its environment set to harmless
// values, and must do what expected.yaml says: the valid ones validate, the refused ones are
// refused with the recorded error.
func TestRealConfigsCorpus(t *testing.T) {
	dir := filepath.Join(repoRoot(t), "tests", "realconfigs")
	var env map[string]string
	if err := yaml.Unmarshal([]byte(readFile(t, filepath.Join(dir, "env.yaml"))), &env); err != nil {
		t.Fatal(err)
	}
	var rows []realConfig
	if err := yaml.Unmarshal([]byte(readFile(t, filepath.Join(dir, "expected.yaml"))), &rows); err != nil {
		t.Fatal(err)
	}
	want := map[string]realConfig{}
	for _, r := range rows {
		want[r.File] = r
	}
	files, err := filepath.Glob(filepath.Join(dir, "configs", "*.y*ml"))
	if err != nil || len(files) < 20 {
		t.Fatalf("the corpus needs at least 20 configs, found %d (%v)", len(files), err)
	}
	base := []string{"PATH=" + os.Getenv("PATH")}
	for k, v := range env {
		base = append(base, k+"="+v)
	}
	tally := map[string]int{}
	for _, f := range files {
		name := filepath.Base(f)
		row, ok := want[name]
		if !ok {
			t.Errorf("%s has no row in expected.yaml", name)
			continue
		}
		delete(want, name)
		for _, m := range envRef.FindAllStringSubmatch(readFile(t, f), -1) {
			if _, ok := env[m[1]]; !ok {
				t.Errorf("%s references ${%s}, which env.yaml does not set", name, m[1])
			}
		}
		args := append([]string{"validate", "--config", f}, row.Args...)
		cmd := exec.Command(binary(t), args...)
		cmd.Env = base
		out, err := cmd.CombinedOutput()
		if os.Getenv("REALCONFIGS_REPORT") != "" {
			t.Logf("%s: err=%v\n%s", name, err, out)
		}
		switch row.Outcome {
		case "valid":
			if err != nil {
				t.Errorf("%s should validate: %v\n%s", name, err, out)
			}
			tally["valid"]++
		case "refused":
			if err == nil {
				t.Errorf("%s validated, but expected.yaml says it is refused (%q): update the row", name, row.Errors)
			} else if !containsAny(string(out), row.Errors) {
				t.Errorf("%s is refused for another reason than %q:\n%s", name, row.Errors, out)
			}
			switch row.Reason {
			case "contrib-too", "other-distribution", "not-served":
			default:
				t.Errorf("%s: reason %q is not one of contrib-too, other-distribution, not-served", name, row.Reason)
			}
			tally["refused ("+row.Reason+")"]++
		default:
			t.Errorf("%s: outcome %q is neither valid nor refused", name, row.Outcome)
		}
	}
	for name := range want {
		t.Errorf("expected.yaml has a row for %s, which is not in configs/", name)
	}
	var keys []string
	for k := range tally {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var summary []string
	for _, k := range keys {
		summary = append(summary, fmt.Sprintf("%s %d", k, tally[k]))
	}
	t.Logf("%d real configs: %s", len(files), strings.Join(summary, ", "))
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if sub != "" && strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
