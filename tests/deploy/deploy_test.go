// Package deploy checks the deployment files without a Docker engine or a cluster:
// docker/compose.yaml through the compose-spec loader (the library `docker compose` uses),
// docker/Dockerfile through BuildKit's parser and linter (`docker build --check`), the
// Prometheus rules and the Grafana dashboard against the metric names the collector really
// exports and the ClickHouse exporter's schema, and the compose and Helm collector configs
// through the built binary's `validate`.
//
// tests/deploy/check.sh adds what needs outside tools: promtool, hadolint, docker compose.
package deploy

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// repoRoot is the checkout root (tests/deploy -> ../..).
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func repoPath(t testing.TB, rel ...string) string {
	return filepath.Join(append([]string{repoRoot(t)}, rel...)...)
}

func readFile(t testing.TB, rel ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(repoPath(t, rel...))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// binary is the collector: $OTELCOL_BIN or the one `make build` makes.
func binary(t testing.TB) string {
	t.Helper()
	if b := os.Getenv("OTELCOL_BIN"); b != "" {
		return b
	}
	b := repoPath(t, "_build", "otelcol-llm", "otelcol-llm")
	if _, err := os.Stat(b); err != nil {
		t.Fatalf("collector binary not found at %s: run `make build` first (%v)", b, err)
	}
	return b
}

// validateConfig runs `otelcol-llm validate` on a config file with extra environment.
func validateConfig(t *testing.T, path string, env ...string) {
	t.Helper()
	cmd := exec.Command(binary(t), "validate", "--config", path)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("%s does not validate: %v\n%s", path, err, out)
	}
}
