//go:build llmo_faults

package llmenrichmentprocessor

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/golden"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/ptracetest"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"
	"go.uber.org/zap"

	"github.com/llm-observatory/collector/go/internal/pipeline"
	"github.com/llm-observatory/collector/go/llmenrichmentprocessor/internal/metadata"
	"github.com/llm-observatory/collector/go/llmenrichmentprocessor/internal/metadatatest"
)

// A panic inside Rust must not cross into Go: the batch goes on unchanged and is counted.
func TestRustPanicFailsOpen(t *testing.T) {
	stage, err := pipeline.NewStage("fault_injection", nil, zap.NewNop())
	require.NoError(t, err)
	tel := componenttest.NewTelemetry()
	tb, err := metadata.NewTelemetryBuilder(tel.NewTelemetrySettings())
	require.NoError(t, err)
	p := &pipeline.Processor{Stage: stage, Traces: true, Logs: true, Telemetry: telemetry{tb}, OnShutdown: tb.Shutdown}
	defer func() { require.NoError(t, p.Shutdown(context.Background())) }()

	in, err := golden.ReadTraces(filepath.Join("testdata", "traces", "input.yaml"))
	require.NoError(t, err)
	orig := ptrace.NewTraces()
	in.CopyTo(orig)
	for i := 0; i < 3; i++ {
		out, err := p.ProcessTraces(context.Background(), in)
		require.NoError(t, err)
		require.NoError(t, ptracetest.CompareTraces(orig, out))
	}
	metadatatest.AssertEqualProcessorLlmEnrichmentFailedBatches(t, tel,
		[]metricdata.DataPoint[int64]{{Value: 3}}, metricdatatest.IgnoreTimestamp())
	require.NoError(t, tel.Shutdown(context.Background()))
}
