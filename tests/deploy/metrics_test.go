package deploy

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/prometheus/prometheus/promql/parser"
	"gopkg.in/yaml.v3"
)

// knownMetrics are the names the collector exports: our processors' from their metadata.yaml,
// the stock ones from testdata/known_metrics.txt. pending maps a name of a component not yet
// built in to that component.
type knownMetrics struct {
	names   map[string]bool
	pending map[string]string
}

// processorMetadata maps a component type (pii_redaction) to its metadata.yaml.
func processorMetadata(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob(repoPath(t, "go", "*", "metadata.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range files {
		var md struct {
			Type string `yaml:"type"`
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(b, &md); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[md.Type] = f
	}
	return out
}

// metadataMetrics lists the Prometheus names of a component's mdatagen telemetry: the
// collector's own telemetry adds no suffix to sums; histograms get _bucket, _sum, _count.
func metadataMetrics(t *testing.T, path string) []string {
	t.Helper()
	var md struct {
		Telemetry struct {
			Metrics map[string]struct {
				Histogram *struct{} `yaml:"histogram"`
			} `yaml:"metrics"`
		} `yaml:"telemetry"`
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &md); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []string
	for name, m := range md.Telemetry.Metrics {
		base := "otelcol_" + name
		if m.Histogram != nil {
			out = append(out, base+"_bucket", base+"_sum", base+"_count")
		} else {
			out = append(out, base)
		}
	}
	return out
}

func loadKnownMetrics(t *testing.T) knownMetrics {
	t.Helper()
	k := knownMetrics{names: map[string]bool{}, pending: map[string]string{}}
	built := processorMetadata(t)
	for _, path := range built {
		for _, n := range metadataMetrics(t, path) {
			k.names[n] = true
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(readFile(t, "tests", "deploy", "testdata", "known_metrics.txt")))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		switch {
		case len(f) == 1:
			k.names[f[0]] = true
		case len(f) == 3 && f[0] == "pending":
			component, name := f[1], f[2]
			if md, landed := built[component]; landed {
				// The component is built now: its metadata.yaml is the truth.
				if !k.names[name] {
					t.Errorf("%s has landed (%s) without %s: use its names in alerts.yml and the dashboard, then drop the pending line", component, md, name)
				}
				continue
			}
			k.pending[name] = component
		default:
			t.Fatalf("known_metrics.txt: bad line %q", line)
		}
	}
	return k
}

// check reports a metric name the collector does not export.
func (k knownMetrics) check(t *testing.T, where, name string) {
	t.Helper()
	if k.names[name] {
		return
	}
	if c, ok := k.pending[name]; ok {
		t.Logf("%s: %s comes from %s, not in the build yet", where, name, c)
		return
	}
	t.Errorf("%s: metric %s is not exported by the collector (tests/deploy/testdata/known_metrics.txt)", where, name)
}

// grafanaVariables stands in Grafana's built-in variables so that PromQL parses.
var grafanaVariables = strings.NewReplacer("$__rate_interval", "1m", "$__interval", "1m", "$__range", "1h")

// metricNames parses a PromQL expression and returns the metric names it selects.
func metricNames(t *testing.T, where, expr string) []string {
	t.Helper()
	e, err := parser.NewParser(parser.Options{}).ParseExpr(grafanaVariables.Replace(expr))
	if err != nil {
		t.Errorf("%s: PromQL does not parse: %v\n%s", where, err, expr)
		return nil
	}
	seen := map[string]bool{}
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok {
			if vs.Name == "" {
				t.Errorf("%s: a selector without a metric name is not checkable: %s", where, vs)
			}
			seen[vs.Name] = true
		}
		return nil
	})
	var out []string
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

type ruleFile struct {
	Groups []struct {
		Name  string `yaml:"name"`
		Rules []struct {
			Alert  string `yaml:"alert"`
			Record string `yaml:"record"`
			Expr   string `yaml:"expr"`
		} `yaml:"rules"`
	} `yaml:"groups"`
}

// Every alert reads metrics the collector exports, and the five concerns are covered.
func TestAlertRulesUseExportedMetrics(t *testing.T) {
	known := loadKnownMetrics(t)
	var rf, budgets ruleFile
	if err := yaml.Unmarshal(readFile(t, "docker", "prometheus", "alerts.yml"), &rf); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(readFile(t, "docker", "prometheus", "budgets.yml"), &budgets); err != nil {
		t.Fatal(err)
	}
	// series the rule files record themselves are known to the rules that read them
	for _, f := range []ruleFile{rf, budgets} {
		for _, g := range f.Groups {
			for _, r := range g.Rules {
				if r.Record != "" {
					known.names[r.Record] = true
				}
			}
		}
	}
	used := map[string]bool{}
	alerts := map[string]bool{}
	for _, g := range rf.Groups {
		for _, r := range g.Rules {
			name := "alert " + r.Alert
			if r.Record != "" {
				name = "recording rule " + r.Record
			}
			alerts[r.Alert] = true
			for _, n := range metricNames(t, name, r.Expr) {
				known.check(t, name, n)
				used[n] = true
			}
		}
	}
	for concern, metric := range map[string]string{
		"cost spike":            "llm_observatory_usage_cost_total",
		"unknown models":        "otelcol_processor_cost_calculation_unknown_models",
		"redaction failures":    "otelcol_processor_pii_redaction_failed_batches",
		"unscannable values":    "otelcol_processor_pii_redaction_unscannable_values",
		"exporter send failure": "otelcol_exporter_send_failed_spans",
		"queue near capacity":   "otelcol_exporter_queue_capacity",
		"tenant budget burn":    "llm_observatory_spend_tenant_cost_total",
	} {
		if !used[metric] {
			t.Errorf("no alert on %s (%s)", concern, metric)
		}
	}
}

type dashboard struct {
	UID    string  `json:"uid"`
	Title  string  `json:"title"`
	Panels []panel `json:"panels"`
}

type panel struct {
	ID         int        `json:"id"`
	Type       string     `json:"type"`
	Title      string     `json:"title"`
	Datasource datasource `json:"datasource"`
	GridPos    struct {
		H, W, X, Y int
	} `json:"gridPos"`
	Targets []target `json:"targets"`
}

type datasource struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

type target struct {
	RefID      string     `json:"refId"`
	Datasource datasource `json:"datasource"`
	Expr       string     `json:"expr"`
	RawSQL     string     `json:"rawSql"`
	Format     any        `json:"format"`
}

// Every Prometheus query of the dashboard reads metrics the collector exports.
func TestDashboardPromQLUsesExportedMetrics(t *testing.T) {
	known := loadKnownMetrics(t)
	d := loadDashboard(t)
	n := 0
	for _, p := range d.Panels {
		for _, tg := range p.Targets {
			if tg.Datasource.Type != "prometheus" {
				continue
			}
			n++
			where := "panel " + p.Title + " " + tg.RefID
			for _, m := range metricNames(t, where, tg.Expr) {
				known.check(t, where, m)
			}
		}
	}
	if n == 0 {
		t.Fatal("the dashboard has no Prometheus query")
	}
}

// Prometheus scrapes the collector's two endpoints, on the ports compose publishes and the
// compose collector config listens on.
func TestPrometheusScrapesTheCollector(t *testing.T) {
	var cfg struct {
		RuleFiles     []string `yaml:"rule_files"`
		ScrapeConfigs []struct {
			JobName       string `yaml:"job_name"`
			StaticConfigs []struct {
				Targets []string `yaml:"targets"`
			} `yaml:"static_configs"`
		} `yaml:"scrape_configs"`
	}
	if err := yaml.Unmarshal(readFile(t, "docker", "prometheus", "prometheus.yml"), &cfg); err != nil {
		t.Fatal(err)
	}
	targets := map[string]string{}
	for _, sc := range cfg.ScrapeConfigs {
		for _, st := range sc.StaticConfigs {
			for _, tg := range st.Targets {
				targets[tg] = sc.JobName
			}
		}
	}
	if targets["collector:8888"] != "otelcol" {
		t.Errorf("the collector's own telemetry (collector:8888) is not scraped as job otelcol (CollectorDown uses it): %v", targets)
	}
	if _, ok := targets["collector:8889"]; !ok {
		t.Errorf("the prometheus exporter (collector:8889) is not scraped: %v", targets)
	}
	if len(cfg.RuleFiles) != 2 || cfg.RuleFiles[0] != "alerts.yml" || cfg.RuleFiles[1] != "budgets.yml" {
		t.Errorf("rule_files = %v, want [alerts.yml budgets.yml] (next to prometheus.yml)", cfg.RuleFiles)
	}
	collectorCfg := string(readFile(t, "docker", "otelcol", "config.yaml"))
	for _, want := range []string{"port: ${env:METRICS_PORT:-8888}", "endpoint: ${env:PROMETHEUS_EXPORTER_ENDPOINT:-0.0.0.0:8889}"} {
		if !strings.Contains(collectorCfg, want) {
			t.Errorf("docker/otelcol/config.yaml does not listen where Prometheus scrapes: no %q", want)
		}
	}
}
