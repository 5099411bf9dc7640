package pipeline

import (
	"os"
	"path/filepath"
	"testing"

	"go.uber.org/zap"

	"github.com/llm-observatory/collector/go/internal/benchdata"
	"github.com/llm-observatory/collector/go/internal/bridge"
)

// TestWriteBenchRequests writes what each stage receives from the Go side for the W1 and W2
// fixture batches, so the Rust benches measure the same data as the Go ones (`make
// bench-requests`). It runs only when LLMO_BENCH_REQUESTS names the output directory.
func TestWriteBenchRequests(t *testing.T) {
	dir := os.Getenv("LLMO_BENCH_REQUESTS")
	if dir == "" {
		t.Skip("LLMO_BENCH_REQUESTS is not set")
	}
	for _, kind := range []string{"llm_enrichment", "token_counting", "cost_calculation", "pii_redaction", "llm_payload_budget"} {
		cfg, err := bridge.Defaults(kind)
		if err != nil {
			t.Fatal(err)
		}
		s, err := NewStage(kind, cfg, zap.NewNop())
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []string{benchdata.W1, benchdata.W2} {
			write := func(signal string, encode func(*encoder) ([]target, int)) {
				e := &encoder{}
				e.reset()
				targets, total := encode(e)
				if len(targets) == 0 || total != 512 {
					t.Fatalf("%s %s %s: %d of %d items sent", w, kind, signal, len(targets), total)
				}
				out := filepath.Join(dir, w, kind+"."+signal+".bin")
				if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(out, e.finish(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			td, ld := benchdata.Traces(t, w), benchdata.Logs(t, w)
			write("traces", func(e *encoder) ([]target, int) { return e.encodeTraces(s.interest, td, nil) })
			write("logs", func(e *encoder) ([]target, int) { return e.encodeLogs(s.interest, ld, nil) })
		}
		s.Close()
	}
}
