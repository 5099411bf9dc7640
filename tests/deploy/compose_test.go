package deploy

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

// stackSecrets are the passwords the stack requires (it has no defaults).
var stackSecrets = []string{"CLICKHOUSE_PASSWORD=test-password", "GRAFANA_ADMIN_PASSWORD=test-admin"}

// loadCompose loads docker/compose.yaml as `docker compose config` would: schema validation,
// interpolation of ${VAR:-default}, normalization, paths resolved against docker/. The required
// passwords are set unless env sets them.
func loadCompose(t *testing.T, env ...string) *types.Project {
	t.Helper()
	p, err := tryLoadCompose(t, append(append([]string(nil), stackSecrets...), env...)...)
	if err != nil {
		t.Fatalf("docker/compose.yaml does not load: %v", err)
	}
	return p
}

func tryLoadCompose(t *testing.T, env ...string) (*types.Project, error) {
	t.Helper()
	opts, err := cli.NewProjectOptions(
		[]string{repoPath(t, "docker", "compose.yaml")},
		cli.WithWorkingDirectory(repoPath(t, "docker")),
		cli.WithEnv(env),
		cli.WithInterpolation(true),
		cli.WithNormalization(true),
		cli.WithConsistency(true),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		t.Fatal(err)
	}
	return opts.LoadProject(context.Background())
}

func service(t *testing.T, p *types.Project, name string) types.ServiceConfig {
	t.Helper()
	s, err := p.GetService(name)
	if err != nil {
		t.Fatalf("compose has no service %q (has %v)", name, p.ServiceNames())
	}
	return s
}

func publishes(s types.ServiceConfig, port uint32) bool {
	for _, p := range s.Ports {
		if p.Target == port && p.Published != "" {
			return true
		}
	}
	return false
}

// mountOf returns the bind or volume mounted at target.
func mountOf(s types.ServiceConfig, target string) (types.ServiceVolumeConfig, bool) {
	for _, v := range s.Volumes {
		if v.Target == target {
			return v, true
		}
	}
	return types.ServiceVolumeConfig{}, false
}

func TestComposeStack(t *testing.T) {
	p := loadCompose(t)
	want := []string{"collector", "clickhouse", "jaeger", "prometheus", "grafana"}
	for _, name := range want {
		service(t, p, name)
	}

	// The collector stands where otelcol-contrib stood: same config path and ports.
	c := service(t, p, "collector")
	if c.Build == nil || c.Build.Dockerfile != "docker/Dockerfile" {
		t.Errorf("collector is not built from docker/Dockerfile: %+v", c.Build)
	}
	for _, port := range []uint32{4317, 4318, 13133, 8888, 8889} {
		if !publishes(c, port) {
			t.Errorf("collector does not publish %d", port)
		}
	}
	cfg, ok := mountOf(c, "/etc/otelcol-contrib/config.yaml")
	if !ok || cfg.Type != types.VolumeTypeBind || cfg.Source != repoPath(t, "docker", "otelcol", "config.yaml") {
		t.Errorf("collector config mount = %+v, want docker/otelcol/config.yaml at /etc/otelcol-contrib/config.yaml", cfg)
	}
	if v, ok := mountOf(c, "/var/lib/otelcol/data"); !ok || v.Type != types.VolumeTypeVolume {
		t.Errorf("collector has no named volume for its disk queue at /var/lib/otelcol/data: %+v", v)
	}
	if dep, ok := c.DependsOn["clickhouse"]; !ok || dep.Condition != types.ServiceConditionHealthy {
		t.Errorf("collector must wait for a healthy ClickHouse (the exporter creates tables at start): %+v", c.DependsOn)
	}
	for k, want := range map[string]string{
		"CLICKHOUSE_ENDPOINT":  "tcp://clickhouse:9000?dial_timeout=10s",
		"JAEGER_OTLP_ENDPOINT": "jaeger:4317",
		"CLICKHOUSE_PASSWORD":  "test-password",
	} {
		if got := c.Environment[k]; got == nil || *got != want {
			t.Errorf("collector %s = %v, want %q", k, got, want)
		}
	}

	ch := service(t, p, "clickhouse")
	if ch.HealthCheck == nil || len(ch.HealthCheck.Test) == 0 {
		t.Error("clickhouse has no healthcheck")
	}
	if !publishes(ch, 8123) || !publishes(ch, 9000) {
		t.Error("clickhouse does not publish 8123 and 9000")
	}
	if !publishes(service(t, p, "jaeger"), 16686) {
		t.Error("jaeger UI 16686 not published")
	}
	if publishes(service(t, p, "jaeger"), 4317) {
		t.Error("jaeger publishes 4317, which the collector owns on the host")
	}

	prom := service(t, p, "prometheus")
	if v, ok := mountOf(prom, "/etc/prometheus"); !ok || v.Source != repoPath(t, "docker", "prometheus") {
		t.Errorf("prometheus does not mount docker/prometheus at /etc/prometheus: %+v", v)
	}
	if !slices.Contains(prom.Command, "--config.file=/etc/prometheus/prometheus.yml") {
		t.Errorf("prometheus command = %v", prom.Command)
	}

	g := service(t, p, "grafana")
	for target, src := range map[string]string{
		"/etc/grafana/provisioning":   repoPath(t, "docker", "grafana", "provisioning"),
		"/var/lib/grafana/dashboards": repoPath(t, "docker", "grafana", "dashboards"),
	} {
		if v, ok := mountOf(g, target); !ok || v.Source != src {
			t.Errorf("grafana mount at %s = %+v, want %s", target, v, src)
		}
	}
	if got := g.Environment["GF_PLUGINS_PREINSTALL"]; got == nil || !strings.Contains(*got, "grafana-clickhouse-datasource") {
		t.Errorf("grafana does not install the ClickHouse plugin: %v", got)
	}

	// Every bind mount points at a file or folder of the repository.
	for _, s := range p.Services {
		for _, v := range s.Volumes {
			if v.Type != types.VolumeTypeBind {
				continue
			}
			if _, err := os.Stat(v.Source); err != nil {
				t.Errorf("%s mounts %s, which does not exist", s.Name, v.Source)
			}
			if rel, err := filepath.Rel(repoRoot(t), v.Source); err != nil || strings.HasPrefix(rel, "..") {
				t.Errorf("%s mounts %s from outside the repository", s.Name, v.Source)
			}
		}
	}
	for _, vol := range []string{"collector-data", "clickhouse-data", "prometheus-data", "grafana-data"} {
		if _, ok := p.Volumes[vol]; !ok {
			t.Errorf("volume %s not declared", vol)
		}
	}
}

// Secrets come from the environment: a password set outside reaches the collector, ClickHouse
// and Grafana's provisioning alike.
func TestComposeSecretsFromEnvironment(t *testing.T) {
	p := loadCompose(t, "CLICKHOUSE_PASSWORD=s3cret", "CLICKHOUSE_USER=llm")
	for _, name := range []string{"collector", "clickhouse", "grafana"} {
		s := service(t, p, name)
		if got := s.Environment["CLICKHOUSE_PASSWORD"]; got == nil || *got != "s3cret" {
			t.Errorf("%s CLICKHOUSE_PASSWORD = %v, want the environment's", name, got)
		}
		if got := s.Environment["CLICKHOUSE_USER"]; got == nil || *got != "llm" {
			t.Errorf("%s CLICKHOUSE_USER = %v, want the environment's", name, got)
		}
	}
}

// No default passwords: the stack does not load until both are set, naming the missing one.
func TestComposeRequiresPasswords(t *testing.T) {
	for _, missing := range []string{"CLICKHOUSE_PASSWORD", "GRAFANA_ADMIN_PASSWORD"} {
		var env []string
		for _, kv := range stackSecrets {
			if !strings.HasPrefix(kv, missing+"=") {
				env = append(env, kv)
			}
		}
		if _, err := tryLoadCompose(t, env...); err == nil || !strings.Contains(err.Error(), missing) {
			t.Errorf("compose loads without %s (err %v)", missing, err)
		}
	}
}

// Only the collector's OTLP ports are published on every host interface; health, metrics,
// ClickHouse, Jaeger, Prometheus and Grafana are on loopback.
func TestComposePublishesBackendsOnLoopbackOnly(t *testing.T) {
	p := loadCompose(t)
	for _, s := range p.Services {
		for _, port := range s.Ports {
			if port.Published == "" {
				continue
			}
			otlp := s.Name == "collector" && (port.Target == 4317 || port.Target == 4318)
			if !otlp && port.HostIP != "127.0.0.1" {
				t.Errorf("%s publishes %d on %q: want 127.0.0.1", s.Name, port.Target, port.HostIP)
			}
		}
	}
}

// The compose collector config is a valid config of this binary.
func TestComposeCollectorConfigValidates(t *testing.T) {
	validateConfig(t, repoPath(t, "docker", "otelcol", "config.yaml"))
}
