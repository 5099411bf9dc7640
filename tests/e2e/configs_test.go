package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"go.opentelemetry.io/collector/pdata/ptrace"
)

// copyTree copies the files under src (one level of folders deep is all configs/ has) to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// `otelcol-llm --config configs/default.yaml` from the root of a fresh checkout (no data/
// folder yet, no DATA_DIR) starts, and writes what it receives under ./data.
func TestDefaultConfigStartsFromAFreshCheckout(t *testing.T) {
	root := t.TempDir()
	copyTree(t, filepath.Join(repoRoot(t), "configs"), filepath.Join(root, "configs"))
	if _, err := os.Stat(filepath.Join(root, "data")); !os.IsNotExist(err) {
		t.Fatal("the fresh checkout already has data/")
	}
	c := startCollectorIn(t, root, []string{"configs/default.yaml"})
	td := ptrace.NewTraces()
	newSpan(td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty(), "chat gpt-4o", map[string]any{
		"gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o",
		"gen_ai.usage.prompt_tokens": int64(3), "gen_ai.usage.completion_tokens": int64(2),
	})
	c.sendTracesGRPC(t, td)
	span := c.waitSpans(t, 1)["chat gpt-4o"][0]
	wantInt(t, span, "gen_ai.usage.input_tokens", 3)
	if _, err := os.Stat(filepath.Join(root, "data", "traces.jsonl")); err != nil {
		t.Fatalf("./data/traces.jsonl was not written in the checkout: %v", err)
	}
}

// full.yaml too starts from a fresh checkout: its log file exporter makes ./data.
func TestFullConfigStartsFromAFreshCheckout(t *testing.T) {
	root := t.TempDir()
	copyTree(t, filepath.Join(repoRoot(t), "configs"), filepath.Join(root, "configs"))
	c := startCollectorIn(t, root, []string{"configs/full.yaml"},
		fmt.Sprintf("COLLECTOR_OTLP_GRPC_ENDPOINT=127.0.0.1:%d", freePort(t)),
		fmt.Sprintf("COLLECTOR_OTLP_HTTP_ENDPOINT=127.0.0.1:%d", freePort(t)),
		fmt.Sprintf("COLLECTOR_HEALTH_ENDPOINT=127.0.0.1:%d", freePort(t)),
		fmt.Sprintf("COLLECTOR_METRICS_ENDPOINT=127.0.0.1:%d", freePort(t)),
		fmt.Sprintf("COLLECTOR_TELEMETRY_PORT=%d", freePort(t)),
		"COLLECTOR_TELEMETRY_HOST=127.0.0.1",
		fmt.Sprintf("COLLECTOR_PPROF_ENDPOINT=127.0.0.1:%d", freePort(t)),
		fmt.Sprintf("COLLECTOR_ZPAGES_ENDPOINT=127.0.0.1:%d", freePort(t)),
		"COLLECTOR_BATCH_TIMEOUT=100ms",
		"APP_LOG_GLOB="+t.TempDir()+"/*.json")
	c.sendLogsHTTP(t, genAIEvent())
	if got := c.waitLogs(t, 1); len(got) != 1 {
		t.Fatalf("%d log records in ./data/logs.jsonl", len(got))
	}
}

// A config written for contrib's gen_ai_normalizer (the OpenTelemetry demo's block, list form)
// validates and runs: OpenLLMetry spans come out under the GenAI semantic convention names.
func TestGenAINormalizerConfigRuns(t *testing.T) {
	c := startCollector(t, filepath.Join("testdata", "gen_ai_normalizer.yaml"))
	td := ptrace.NewTraces()
	newSpan(td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty(), "openai.chat", map[string]any{
		"gen_ai.system": "openai", "llm.request.type": "chat", "gen_ai.request.model": "gpt-4o-mini",
		"gen_ai.usage.prompt_tokens": int64(21), "gen_ai.usage.completion_tokens": int64(9),
	})
	c.sendTracesHTTP(t, td)
	span := c.waitSpans(t, 1)["openai.chat"][0]
	wantStr(t, span, "gen_ai.provider.name", "openai")
	wantStr(t, span, "gen_ai.operation.name", "chat")
	wantInt(t, span, "gen_ai.usage.input_tokens", 21)
	wantInt(t, span, "gen_ai.usage.output_tokens", 9)
	wantStr(t, span, "original_span_name", "openai.chat")
}
