package deploy

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// clickhouseExporter is the exporter version in otelcol-builder.yaml; its table DDL
// (internal/sqltemplates) is the schema the dashboard queries.
const clickhouseExporter = "github.com/open-telemetry/opentelemetry-collector-contrib/exporter/clickhouseexporter@v0.161.0"

// otelTracesColumns are the columns of otel_traces as the exporter creates it
// (internal/sqltemplates/traces_table.sql of clickhouseExporter).
var otelTracesColumns = []string{
	"Timestamp", "TraceId", "SpanId", "ParentSpanId", "TraceState", "SpanName", "SpanKind",
	"ServiceName", "ResourceAttributes", "ScopeName", "ScopeVersion", "SpanAttributes",
	"Duration", "StatusCode", "StatusMessage", "Events", "Links",
}

func loadDashboard(t *testing.T) dashboard {
	t.Helper()
	var d dashboard
	raw := readFile(t, "docker", "grafana", "dashboards", "llm-observatory.json")
	if !json.Valid(raw) {
		t.Fatal("llm-observatory.json is not valid JSON")
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDashboardStructure(t *testing.T) {
	d := loadDashboard(t)
	if d.UID == "" || d.Title == "" {
		t.Errorf("uid %q, title %q: both needed for provisioning", d.UID, d.Title)
	}

	// Data sources the panels use are the provisioned ones.
	var ds struct {
		Datasources []struct {
			UID  string `yaml:"uid"`
			Type string `yaml:"type"`
		} `yaml:"datasources"`
	}
	if err := yaml.Unmarshal(readFile(t, "docker", "grafana", "provisioning", "datasources", "datasources.yaml"), &ds); err != nil {
		t.Fatal(err)
	}
	provisioned := map[string]string{}
	for _, s := range ds.Datasources {
		provisioned[s.UID] = s.Type
	}
	if provisioned["prometheus"] != "prometheus" || provisioned["clickhouse"] != "grafana-clickhouse-datasource" {
		t.Errorf("provisioned data sources = %v", provisioned)
	}

	ids := map[int]bool{}
	var titles []string
	for _, p := range d.Panels {
		if ids[p.ID] {
			t.Errorf("panel id %d used twice", p.ID)
		}
		ids[p.ID] = true
		if p.GridPos.X+p.GridPos.W > 24 || p.GridPos.W <= 0 || p.GridPos.H <= 0 {
			t.Errorf("panel %q gridPos %+v outside the 24-column grid", p.Title, p.GridPos)
		}
		if p.Type == "row" {
			continue
		}
		titles = append(titles, strings.ToLower(p.Title))
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, tg := range append([]target{{Datasource: p.Datasource}}, p.Targets...) {
			if typ, ok := provisioned[tg.Datasource.UID]; !ok || typ != tg.Datasource.Type {
				t.Errorf("panel %q uses data source %+v, not a provisioned one", p.Title, tg.Datasource)
			}
		}
	}

	// The panels the issue asks for.
	for _, want := range []string{"cost by model", "tokens by model and service", "latency p95 by model",
		"error", "unknown models", "redactions by type", "exporter send failures", "queue usage"} {
		found := false
		for _, title := range titles {
			found = found || strings.Contains(title, want)
		}
		if !found {
			t.Errorf("no panel about %q (panels: %v)", want, titles)
		}
	}
}

var (
	camelCase   = regexp.MustCompile(`\b[A-Z][a-z]+(?:[A-Z][a-z]*)*\b`)
	fromTable   = regexp.MustCompile(`(?i)\bFROM\s+([A-Za-z0-9_.]+)`)
	grafanaVars = regexp.MustCompile(`\$__[a-zA-Z_]+`)
	// ClickHouse string literals ('Error', map keys): not identifiers
	stringLiteral = regexp.MustCompile(`'(?:[^'\\]|\\.)*'`)
)

// The ClickHouse queries read the exporter's default tables and columns, with macros the
// ClickHouse data source knows.
func TestDashboardSQLMatchesTheExporterSchema(t *testing.T) {
	d := loadDashboard(t)
	macros := []string{"$__timeFilter", "$__interval_s", "$__fromTime", "$__toTime", "$__timeInterval"}
	n := 0
	for _, p := range d.Panels {
		for _, tg := range p.Targets {
			if tg.Datasource.Type != "grafana-clickhouse-datasource" {
				continue
			}
			n++
			where := "panel " + p.Title
			for _, m := range fromTable.FindAllStringSubmatch(tg.RawSQL, -1) {
				if m[1] != "otel.otel_traces" {
					t.Errorf("%s: reads %s, want otel.otel_traces (database otel of configs/clickhouse.yaml)", where, m[1])
				}
			}
			for _, id := range camelCase.FindAllString(stringLiteral.ReplaceAllString(tg.RawSQL, "''"), -1) {
				if !slices.Contains(otelTracesColumns, id) {
					t.Errorf("%s: %s is not a column of otel_traces", where, id)
				}
			}
			for _, m := range grafanaVars.FindAllString(tg.RawSQL, -1) {
				if !slices.Contains(macros, m) {
					t.Errorf("%s: unknown macro %s", where, m)
				}
			}
			if !strings.Contains(tg.RawSQL, "$__timeFilter(Timestamp)") {
				t.Errorf("%s: the query does not follow the time picker ($__timeFilter(Timestamp))", where)
			}
			// run totals (llm_observatory.run.*, on the spans that are runs) are their own keys:
			// a query that reads only those cannot count a call twice
			runTotals := strings.Contains(tg.RawSQL, "SpanAttributes['llm_observatory.run.role']") &&
				!strings.Contains(tg.RawSQL, "gen_ai.usage.")
			if !runTotals && !strings.Contains(tg.RawSQL, "SpanAttributes['llm_observatory.aggregate'] != 'true'") {
				t.Errorf("%s: wrapper spans (llm_observatory.aggregate) would be counted twice", where)
			}
		}
	}
	if n == 0 {
		t.Fatal("the dashboard has no ClickHouse query")
	}
}

// otelTracesColumns is what the exporter in the build creates (when its source is in the Go
// module cache, as after `make build`).
func TestOtelTracesColumnsMatchTheExporter(t *testing.T) {
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Skip("no go command:", err)
	}
	ddl := filepath.Join(strings.TrimSpace(string(out)), clickhouseExporter, "internal", "sqltemplates", "traces_table.sql")
	b, err := os.ReadFile(ddl)
	if err != nil {
		t.Skipf("exporter source not in the module cache (%v): run `make build`", err)
	}
	if !strings.Contains(string(readFile(t, "otelcol-builder.yaml")), strings.Replace(clickhouseExporter, "@", " ", 1)) {
		t.Errorf("otelcol-builder.yaml no longer builds %s: update clickhouseExporter and otelTracesColumns", clickhouseExporter)
	}
	// top-level columns are indented by four spaces, Nested fields by eight
	col := regexp.MustCompile(`(?m)^ {4}([A-Z][A-Za-z]+) [A-Z]`)
	var got []string
	for _, m := range col.FindAllStringSubmatch(string(b), -1) {
		got = append(got, m[1])
	}
	want := slices.Clone(otelTracesColumns)
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("otel_traces columns in %s:\n got %v\nwant %v", ddl, got, want)
	}
}
