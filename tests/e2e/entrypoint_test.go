package e2e

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// entrypoint runs docker/entrypoint.sh in print mode, as the image would with the given
// arguments and environment (the image's configs are the repository's), and returns the
// exporters it chose (empty when none from the environment) and the command.
func entrypoint(t *testing.T, defaultConfig string, args []string, env ...string) (string, []string) {
	t.Helper()
	root := repoRoot(t)
	cmd := exec.Command(filepath.Join(root, "docker", "entrypoint.sh"), args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "LLMO_CONFIG_PRINT=1", "OTELCOL_BIN=" + binary(t),
		"LLMO_CONFIGS_DIR=" + filepath.Join(root, "configs"), "OTELCOL_DEFAULT_CONFIG=" + defaultConfig}, env...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("entrypoint %v %v: %v", args, env, err)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	return lines[0], lines[1:]
}

// configsOf lists the --config files of a command, by base name.
func configsOf(cmd []string) []string {
	var out []string
	for i := 0; i+1 < len(cmd); i++ {
		if cmd[i] == "--config" {
			out = append(out, filepath.Base(cmd[i+1]))
		}
	}
	return out
}

// The image's entrypoint chooses the exporters from the environment when the image's own
// default config would run, and each choice validates with the binary; arguments of one's own
// or a config mounted over the default run as given.
func TestEntrypointChoosesExportersFromTheEnvironment(t *testing.T) {
	dir := t.TempDir()
	imageDefault := filepath.Join(dir, "config.yaml")
	b, err := os.ReadFile(configPath(t, "default.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(imageDefault, b, 0o644); err != nil {
		t.Fatal(err)
	}
	defaultArgs := []string{"--config", imageDefault}
	ch := []string{"CLICKHOUSE_ENDPOINT=tcp://clickhouse:9000", "CLICKHOUSE_PASSWORD=secret"}
	for _, c := range []struct {
		name      string
		env       []string
		exporters string
		configs   []string
	}{
		{"nothing set: files", nil, "", []string{"default.yaml"}},
		{"ClickHouse", ch, "[clickhouse]", []string{"clickhouse.yaml", "exporters-from-environment.yaml"}},
		{"ClickHouse without its password is not chosen", ch[:1], "", []string{"default.yaml"}},
		{"SigNoz cloud", []string{"SIGNOZ_INGESTION_KEY=k"}, "[otlp_grpc/signoz]", []string{"signoz.yaml", "exporters-from-environment.yaml"}},
		{"SigNoz over HTTP", []string{"SIGNOZ_HTTP_ENDPOINT=http://signoz:4318", "SIGNOZ_EXPORTERS=[otlp_http/signoz]"}, "[otlp_http/signoz]", []string{"signoz.yaml", "exporters-from-environment.yaml"}},
		{"Datadog", []string{"DD_API_KEY=x"}, "[otlp_http/datadog]", []string{"datadog.yaml", "exporters-from-environment.yaml"}},
		{"all three", append([]string{"SIGNOZ_INGESTION_KEY=k", "DD_API_KEY=x"}, ch...), "[otlp_grpc/signoz, otlp_http/datadog, clickhouse]",
			[]string{"signoz.yaml", "datadog.yaml", "clickhouse.yaml", "exporters-from-environment.yaml"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			exporters, cmd := entrypoint(t, imageDefault, defaultArgs, c.env...)
			if exporters != c.exporters || !slices.Equal(configsOf(cmd), c.configs) {
				t.Fatalf("chose %q %v, want %q %v", exporters, configsOf(cmd), c.exporters, c.configs)
			}
			validate := exec.Command(cmd[0], append([]string{"validate"}, cmd[1:]...)...)
			validate.Dir = t.TempDir()
			validate.Env = append(append(os.Environ(), c.env...), "LLMO_EXPORTERS="+exporters)
			if out, err := validate.CombinedOutput(); err != nil {
				t.Fatalf("the chosen config does not validate: %v\n%s", err, out)
			}
		})
	}

	// the user's own: arguments, or a config mounted over the default
	_, cmd := entrypoint(t, imageDefault, []string{"--config", "/etc/mine.yaml"}, "DD_API_KEY=x")
	if !slices.Equal(cmd[1:], []string{"--config", "/etc/mine.yaml"}) {
		t.Errorf("own arguments: %v", cmd)
	}
	if err := os.WriteFile(imageDefault, append(b, []byte("\n# mine\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	exporters, cmd := entrypoint(t, imageDefault, defaultArgs, "DD_API_KEY=x")
	if exporters != "" || !slices.Equal(cmd[1:], defaultArgs) {
		t.Errorf("mounted config: %q %v, want it run as given", exporters, cmd)
	}
}

// Two backends chosen at once get the same spans: SigNoz and Datadog stand-ins both receive
// every span, normalized and priced, from the merged config the entrypoint chose.
func TestEntrypointSendsToEveryBackendSet(t *testing.T) {
	signoz := newBackendSink(t, http.StatusOK)
	datadog := newBackendSink(t, http.StatusAccepted)
	env := []string{"SIGNOZ_ENDPOINT=" + signoz.grpcAddr, "SIGNOZ_INSECURE=true", "SIGNOZ_INGESTION_KEY=k",
		"DD_API_KEY=x", "DD_OTLP_TRACES_ENDPOINT=" + datadog.httpURL + "/v1/traces",
		"DD_OTLP_LOGS_ENDPOINT=" + datadog.httpURL + "/v1/logs"}
	exporters, cmd := entrypoint(t, "/nonexistent/config.yaml", nil, env...)
	var configs []string
	for i := 0; i+1 < len(cmd); i++ {
		if cmd[i] == "--config" {
			configs = append(configs, cmd[i+1])
		}
	}
	c := startCollectorIn(t, "", configs, append(env, "LLMO_EXPORTERS="+exporters)...)
	sendWorkload(t, c, 20, 6)
	checkLLMSpans(t, signoz.waitSpans(t, c, 26))
	checkLLMSpans(t, datadog.waitSpans(t, c, 26))
}
