package deploy

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// The chart's values.schema.json and default values.yaml, verbatim from the chart version in
// testdata/helm/SOURCE.md.
var chartTestdata = []string{"tests", "deploy", "testdata", "helm"}

func loadYAMLMap(t *testing.T, rel ...string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := yaml.Unmarshal(readFile(t, rel...), &m); err != nil {
		t.Fatalf("%s: %v", filepath.Join(rel...), err)
	}
	return m
}

// deepCopy copies the maps and lists of a decoded YAML document.
func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = deepCopy(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = deepCopy(x)
		}
		return out
	default:
		return v
	}
}

// coalesce merges user values over the chart's defaults as Helm does (chartutil
// coalesceTablesFullKey): maps merge key by key, any other user value (lists included) replaces
// the default, and a user null deletes the default's key.
func coalesce(user, defaults map[string]any) map[string]any {
	out := deepCopy(user).(map[string]any)
	for k, dv := range defaults {
		uv, ok := out[k]
		switch {
		case !ok:
			out[k] = deepCopy(dv)
		case uv == nil:
			delete(out, k)
		default:
			um, uIsMap := uv.(map[string]any)
			dm, dIsMap := dv.(map[string]any)
			if uIsMap && dIsMap {
				out[k] = coalesce(um, dm)
			}
		}
	}
	return out
}

// chartSchema compiles the chart's values.schema.json the way Helm does (santhosh-tekuri
// jsonschema/v6, the schema added as file:///values.schema.json; its "$schema" is
// http://json-schema.org/schema#, which the library reads as the latest draft, 2020-12).
func chartSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(readFile(t, append(chartTestdata, "values.schema.json")...)))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("file:///values.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("file:///values.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// validateValues checks values merged over the chart defaults against the schema, as
// `helm install/template/lint` do. The values go through JSON (numbers as json.Number), as
// Helm's YAML parser hands them to the validator.
func validateValues(t *testing.T, sch *jsonschema.Schema, user, defaults map[string]any) error {
	t.Helper()
	raw, err := json.Marshal(coalesce(user, defaults))
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return sch.Validate(inst)
}

// helmValueFiles are the values files for the chart and the environment their rendered
// collector config needs: MY_POD_IP and OTEL_K8S_* come from the chart's downward-API env,
// the rest from the files' extraEnvs (their defaults in the config would do as well).
var helmValueFiles = []struct {
	file string
	env  []string
}{
	{"values.yaml", []string{"OTLP_BACKEND_ENDPOINT=127.0.0.1:4317"}},
	{"agent-values.yaml", nil},
	{"gateway-values.yaml", []string{"BACKEND_OTLP_ENDPOINT=127.0.0.1:4317", "BACKEND_INSECURE=true"}},
}

var chartEnv = []string{
	"MY_POD_IP=127.0.0.1", "OTEL_K8S_NAMESPACE=observability", "OTEL_K8S_NODE_NAME=node-1",
	"OTEL_K8S_NODE_IP=127.0.0.1", "OTEL_K8S_POD_NAME=pod-1", "OTEL_K8S_POD_IP=127.0.0.1",
}

func TestHelmValuesMatchChartSchema(t *testing.T) {
	sch := chartSchema(t)
	defaults := loadYAMLMap(t, append(chartTestdata, "values.yaml")...)

	// The chart's own defaults pass: the schema and the merge are the chart's.
	if err := validateValues(t, sch, map[string]any{}, defaults); err != nil {
		t.Fatalf("the chart's default values do not match its schema: %v", err)
	}

	for _, f := range helmValueFiles {
		t.Run(f.file, func(t *testing.T) {
			user := loadYAMLMap(t, "docker", "helm", f.file)
			if err := validateValues(t, sch, user, defaults); err != nil {
				t.Errorf("docker/helm/%s does not match the chart's values.schema.json:\n%v", f.file, err)
			}

			// Broken copies are refused, so the check above can fail.
			broken := map[string]func(map[string]any){
				"mode typo": func(v map[string]any) { v["mode"] = "daemonsett" },
				"unknown top-level key": func(v map[string]any) {
					v["replicas"] = 3
				},
				"port enabled as a string": func(v map[string]any) {
					v["ports"].(map[string]any)["otlp"].(map[string]any)["enabled"] = "yes"
				},
				"unknown resources key": func(v map[string]any) {
					v["resources"].(map[string]any)["limit"] = map[string]any{"memory": "1Gi"}
				},
			}
			for name, breakIt := range broken {
				v := deepCopy(user).(map[string]any)
				breakIt(v)
				if err := validateValues(t, sch, v, defaults); err == nil {
					t.Errorf("%s: a copy with %s passes the schema", f.file, name)
				}
			}
		})
	}
}

// renderedConfig is the `config` the chart renders from a values file (no presets are used):
// the user config merged over the chart's default config, nulls removed.
func renderedConfig(t *testing.T, values, defaults map[string]any) map[string]any {
	t.Helper()
	user, _ := values["config"].(map[string]any)
	def, _ := defaults["config"].(map[string]any)
	return dropNulls(coalesce(user, def)).(map[string]any)
}

func TestHelmValuesRenderedConfigValidates(t *testing.T) {
	defaults := loadYAMLMap(t, append(chartTestdata, "values.yaml")...)
	for _, f := range helmValueFiles {
		t.Run(f.file, func(t *testing.T) {
			cfg := renderedConfig(t, loadYAMLMap(t, "docker", "helm", f.file), defaults)
			out, err := yaml.Marshal(cfg)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "relay.yaml")
			if err := os.WriteFile(path, out, 0o600); err != nil {
				t.Fatal(err)
			}
			validateConfig(t, path, append(slices.Clone(chartEnv), f.env...)...)
		})
	}
}

// get walks a decoded YAML document by map keys.
func get(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func strs(v any) []string {
	var out []string
	for _, x := range asList(v) {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// pipelines returns each pipeline's receivers, processors and exporters.
func pipelines(cfg map[string]any) map[string][3][]string {
	out := map[string][3][]string{}
	ps, _ := get(cfg, "service", "pipelines").(map[string]any)
	for name, p := range ps {
		out[name] = [3][]string{strs(get(p, "receivers")), strs(get(p, "processors")), strs(get(p, "exporters"))}
	}
	return out
}

func checkCommonTier(t *testing.T, values map[string]any, mode string) {
	t.Helper()
	if got := get(values, "mode"); got != mode {
		t.Errorf("mode = %v, want %s", got, mode)
	}
	if got := get(values, "command", "name"); got != "otelcol-llm" {
		t.Errorf("command.name = %v, want otelcol-llm", got)
	}
	if get(values, "image", "repository") != "otelcol-llm" || get(values, "image", "tag") == nil {
		t.Errorf("image = %v: want our otelcol-llm image with a tag", get(values, "image"))
	}
	if get(values, "resources", "limits", "memory") == nil {
		t.Errorf("resources.limits.memory is not set (memory_limiter and GOMEMLIMIT follow it)")
	}
	for name, port := range map[string]int{"otlp": 4317, "otlp-http": 4318} {
		if get(values, "ports", name, "enabled") != true || get(values, "ports", name, "containerPort") != port {
			t.Errorf("ports.%s = %v, want enabled on %d", name, get(values, "ports", name), port)
		}
	}
	for _, name := range []string{"jaeger-compact", "jaeger-thrift", "jaeger-grpc", "zipkin"} {
		if get(values, "ports", name, "enabled") != false {
			t.Errorf("ports.%s is not disabled but its receiver is removed", name)
		}
	}
}

func TestHelmTiers(t *testing.T) {
	defaults := loadYAMLMap(t, append(chartTestdata, "values.yaml")...)
	agentValues := loadYAMLMap(t, "docker", "helm", "agent-values.yaml")
	gatewayValues := loadYAMLMap(t, "docker", "helm", "gateway-values.yaml")
	agent := renderedConfig(t, agentValues, defaults)
	gateway := renderedConfig(t, gatewayValues, defaults)
	agentRef := loadYAMLMap(t, "configs", "agent.yaml")
	gatewayRef := loadYAMLMap(t, "configs", "gateway.yaml")

	t.Run("agent", func(t *testing.T) {
		checkCommonTier(t, agentValues, "daemonset")

		// Same pipelines as configs/agent.yaml, nothing left over from the chart's defaults.
		if got, want := pipelines(agent), pipelines(agentRef); !reflect.DeepEqual(got, want) {
			t.Errorf("pipelines = %v, want those of configs/agent.yaml %v", got, want)
		}
		lb := get(agent, "exporters", "loadbalancing")
		if got := get(lb, "routing_key"); got != "traceID" {
			t.Errorf("loadbalancing.routing_key = %v, want traceID", got)
		}
		for _, k := range []string{"sending_queue", "retry_on_failure", "protocol"} {
			if got, want := get(lb, k), get(agentRef, "exporters", "loadbalancing", k); !reflect.DeepEqual(got, want) {
				t.Errorf("loadbalancing.%s = %v, want that of configs/agent.yaml %v", k, got, want)
			}
		}
		resolver, _ := get(lb, "resolver").(map[string]any)
		if len(resolver) != 1 || resolver["k8s"] == nil {
			t.Errorf("loadbalancing.resolver = %v, want the k8s resolver only", resolver)
		}
		svc, _ := get(resolver, "k8s", "service").(string)
		name, ns, ok := strings.Cut(svc, ".")
		if !ok || ns == "" || strings.Contains(svc, "${") {
			t.Errorf("k8s resolver service = %q, want <service>.<namespace>", svc)
		}
		if want := get(gatewayValues, "fullnameOverride"); name != want {
			t.Errorf("k8s resolver service %q is not the gateway's Service %v (gateway fullnameOverride)", svc, want)
		}
		if ports := asList(get(resolver, "k8s", "ports")); len(ports) != 1 || ports[0] != 4317 {
			t.Errorf("k8s resolver ports = %v, want [4317]", ports)
		}

		// RBAC for the resolver: list and watch EndpointSlices.
		if get(agentValues, "clusterRole", "create") != true || get(agentValues, "serviceAccount", "create") != true {
			t.Errorf("clusterRole.create and serviceAccount.create must be true for the k8s resolver")
		}
		var rbacOK bool
		for _, r := range asList(get(agentValues, "clusterRole", "rules")) {
			verbs := strs(get(r, "verbs"))
			if slices.Contains(strs(get(r, "apiGroups")), "discovery.k8s.io") &&
				slices.Contains(strs(get(r, "resources")), "endpointslices") &&
				slices.Contains(verbs, "list") && slices.Contains(verbs, "watch") {
				rbacOK = true
			}
		}
		if !rbacOK {
			t.Errorf("clusterRole.rules = %v: no list/watch on discovery.k8s.io endpointslices", get(agentValues, "clusterRole", "rules"))
		}

		// Apps on the node reach the agent through hostPorts.
		for name, port := range map[string]int{"otlp": 4317, "otlp-http": 4318} {
			if got := get(agentValues, "ports", name, "hostPort"); got != port {
				t.Errorf("ports.%s.hostPort = %v, want %d", name, got, port)
			}
		}

		// The disk queue is on a volume mounted from extraVolumes, not the read-only root.
		dir, _ := get(agent, "extensions", "file_storage/queue", "directory").(string)
		var mounted bool
		for _, m := range asList(get(agentValues, "extraVolumeMounts")) {
			mp, _ := get(m, "mountPath").(string)
			vol := get(m, "name")
			if mp == "" || !strings.HasPrefix(dir, strings.TrimSuffix(mp, "/")+"/") {
				continue
			}
			for _, v := range asList(get(agentValues, "extraVolumes")) {
				if get(v, "name") == vol && (get(v, "hostPath") != nil || get(v, "emptyDir") != nil) {
					mounted = true
				}
			}
		}
		if !mounted {
			t.Errorf("file_storage/queue directory %q is not on a hostPath or emptyDir volume from extraVolumes/extraVolumeMounts", dir)
		}
		if exts := strs(get(agent, "service", "extensions")); !slices.Contains(exts, "file_storage/queue") || get(agent, "exporters", "loadbalancing", "sending_queue", "storage") != "file_storage/queue" {
			t.Errorf("the loadbalancing queue is not on file_storage/queue (service.extensions %v)", exts)
		}
	})

	t.Run("gateway", func(t *testing.T) {
		checkCommonTier(t, gatewayValues, "deployment")
		if got := get(gatewayValues, "replicaCount"); got != 3 {
			t.Errorf("replicaCount = %v, want 3", got)
		}
		if got := get(gatewayValues, "service", "clusterIP"); got != "None" {
			t.Errorf("service.clusterIP = %v, want None (headless, for the agents' dns resolver)", got)
		}

		// Same pipelines, processors and sampling policies as configs/gateway.yaml.
		if got, want := pipelines(gateway), pipelines(gatewayRef); !reflect.DeepEqual(got, want) {
			t.Errorf("pipelines = %v, want those of configs/gateway.yaml %v", got, want)
		}
		for _, p := range []string{"pii_redaction", "tail_sampling"} {
			if got, want := get(gateway, "processors", p), get(gatewayRef, "processors", p); !reflect.DeepEqual(got, want) {
				t.Errorf("processors.%s = %v, want that of configs/gateway.yaml %v", p, got, want)
			}
		}

		// tail_sampling runs on whole traces after our processors (its policies read the cost).
		procs := pipelines(gateway)["traces"][1]
		ts := slices.Index(procs, "tail_sampling")
		if ts < 0 {
			t.Fatalf("traces processors %v: no tail_sampling", procs)
		}
		for _, p := range []string{"llm_enrichment", "token_counting", "cost_calculation", "pii_redaction"} {
			if i := slices.Index(procs, p); i < 0 || i > ts {
				t.Errorf("traces processors %v: %s must run before tail_sampling", procs, p)
			}
		}
	})
}
