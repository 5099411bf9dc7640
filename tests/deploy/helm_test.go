package deploy

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gopkg.in/yaml.v3"
)

// dropNulls does what Helm does with a null in user values: the key goes away.
func dropNulls(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, x := range v {
			if x != nil {
				out[k] = dropNulls(x)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = dropNulls(x)
		}
		return out
	default:
		return v
	}
}

func TestHelmValues(t *testing.T) {
	var values struct {
		Mode  string `yaml:"mode"`
		Image struct {
			Repository string `yaml:"repository"`
			Tag        string `yaml:"tag"`
		} `yaml:"image"`
		Command struct {
			Name string `yaml:"name"`
		} `yaml:"command"`
		Ports map[string]struct {
			Enabled       bool `yaml:"enabled"`
			ContainerPort int  `yaml:"containerPort"`
		} `yaml:"ports"`
		Resources struct {
			Limits   map[string]string `yaml:"limits"`
			Requests map[string]string `yaml:"requests"`
		} `yaml:"resources"`
		Config map[string]any `yaml:"config"`
	}
	raw := readFile(t, "docker", "helm", "values.yaml")
	if err := yaml.Unmarshal(raw, &values); err != nil {
		t.Fatal(err)
	}
	if values.Mode != "deployment" {
		t.Errorf("mode = %q, want deployment", values.Mode)
	}
	if values.Image.Repository == "" || values.Image.Tag == "" {
		t.Errorf("image = %+v: repository and tag must name our image", values.Image)
	}
	if values.Command.Name != "otelcol-llm" {
		t.Errorf("command.name = %q, want otelcol-llm (the image's binary)", values.Command.Name)
	}
	for name, port := range map[string]int{"otlp": 4317, "otlp-http": 4318} {
		if p := values.Ports[name]; !p.Enabled || p.ContainerPort != port {
			t.Errorf("ports.%s = %+v, want enabled on %d", name, p, port)
		}
	}
	for _, name := range []string{"jaeger-compact", "jaeger-thrift", "jaeger-grpc", "zipkin"} {
		if values.Ports[name].Enabled {
			t.Errorf("ports.%s is enabled but its receiver is removed", name)
		}
	}
	if values.Resources.Limits["memory"] == "" || values.Resources.Requests["cpu"] == "" {
		t.Errorf("resources = %+v: set a memory limit (memory_limiter and GOMEMLIMIT follow it) and a CPU request", values.Resources)
	}

	// The config override, with the chart's null-removal applied, is a complete config of this
	// binary with our processors in the trace and log pipelines.
	cfg := dropNulls(values.Config).(map[string]any)
	pipelines := cfg["service"].(map[string]any)["pipelines"].(map[string]any)
	for _, p := range []string{"traces", "logs"} {
		procs, _ := pipelines[p].(map[string]any)["processors"].([]any)
		var names []string
		for _, x := range procs {
			names = append(names, x.(string))
		}
		want := []string{"memory_limiter", "llm_enrichment", "token_counting", "cost_calculation", "batch"}
		if !slices.Equal(names, want) {
			t.Errorf("%s processors = %v, want %v", p, names, want)
		}
	}
	out, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "relay.yaml")
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	// MY_POD_IP is set by the chart; OTLP_BACKEND_ENDPOINT by extraEnvs.
	validateConfig(t, path, "MY_POD_IP=127.0.0.1", "OTLP_BACKEND_ENDPOINT=127.0.0.1:4317")
}
